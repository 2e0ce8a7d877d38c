/**
 * The D7 Verify client. No `vscode` import: fetch, base URL, token source, clock and timers are injected,
 * so it runs the same in the extension host and in plain-Node unit tests against the mock server.
 *
 * Every call resolves (never rejects) with a record of what happened: a success, or a typed error
 * carrying the HTTP status, D7's `detail` and the raw body. The token goes only into the Authorization
 * header of requests to the configured origin; redirects to another origin are not followed.
 */
import { parseBaseUrl } from './baseUrl';
import { httpError, inertText, parseRetryAfter } from './errors';
import { parseOtpId } from './otpId';
import { parseToken, redactToken } from './token';
import type { CheckError, Operation, StatusCheck } from './types';

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
}

/** The part of a fetch Response this client uses (node-fetch v3 and Node's global fetch both fit). */
export interface FetchResponseLike {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: unknown;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/** One line of the request log: never the token, never a header. */
export interface RequestLogEntry {
  method: string;
  path: string;
  httpStatus?: number;
  durationMs: number;
  /** "ok", an error kind, or "retry" when an automatic retry follows. */
  outcome: string;
  attempt: number;
}

/** A pause before an automatic retry, reported so the UI can say it is waiting. */
export interface RetryWait {
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ClientOptions {
  /** The fetch to use, or a function that loads it on first use (keeps node-fetch out of activation). */
  fetch: FetchLike | (() => Promise<FetchLike>);
  /** Raw `d7otp.baseUrl` value, read at each call and validated. */
  baseUrl: () => string;
  /** The API token, read at each call (from SecretStorage in the extension). */
  token: () => Promise<string | undefined>;
  /** Per-attempt time limit in milliseconds. */
  timeoutMs: () => number;
  /** Automatic retries after 429/503 (default 2, at most 5; a value that is not a finite number means 2). */
  maxRetries?: () => number;
  /** Longest Retry-After honoured automatically, in seconds (default 30); a longer one ends the call. */
  maxRetryAfterSeconds?: number;
  /** First backoff delay when the server gives no Retry-After (default 1000 ms, doubled per retry, with jitter). */
  backoffBaseMs?: number;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  userAgent?: string;
  /** Body size cap: reading stops there (default 1 MiB). */
  maxBodyBytes?: number;
  log?: (entry: RequestLogEntry) => void;
}

export interface CallOptions {
  signal?: AbortSignal;
  onWait?: (wait: RetryWait) => void;
  profile?: string;
}

/** Parameters of Send OTP, as D7 documents them. Extra keys are sent as given. */
export interface SendOtpParams {
  originator: string;
  recipient: string;
  content?: string;
  template_id?: string | number;
  channel?: string;
  expiry?: number;
  data_coding?: string;
  retry_delay?: number;
  retry_count?: number;
  otp_code_length?: number;
  otp_type?: string;
  [key: string]: unknown;
}

const DEFAULT_MAX_BODY = 1024 * 1024;
const MAX_REDIRECTS = 3;
const DEFAULT_RETRIES = 2;
/**
 * The otp_id of a record for input that is not an otp_id: none. Whatever was typed (a path, a token pasted into the
 * wrong box) is not an id to file the record under, so it never becomes a history entry.
 */
const NO_OTP_ID = '';
/** The most automatic retries a call makes, whatever the option says (the setting's own maximum). */
const MAX_RETRIES = 5;

interface HttpAnswer {
  httpStatus: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text: string;
  truncated: boolean;
}

export class D7VerifyClient {
  private fetchImpl: FetchLike | undefined;
  private readonly now: () => number;

  constructor(private readonly options: ClientOptions) {
    this.now = options.now ?? Date.now;
  }

  /** GET /verify/v1/report/{otp_id}. */
  getStatus(otpIdInput: string, call: CallOptions = {}): Promise<StatusCheck> {
    const parsed = parseOtpId(otpIdInput);
    if (!parsed.ok) return Promise.resolve(this.configFailure('status', NO_OTP_ID, parsed.message, call));
    return this.call('status', parsed.otpId, 'GET', `/verify/v1/report/${encodeURIComponent(parsed.otpId)}`, undefined, call);
  }

  /** POST /verify/v1/otp/send-otp. The record's otpId is the one D7 returned ('' when none). */
  sendOtp(params: SendOtpParams, call: CallOptions = {}): Promise<StatusCheck> {
    return this.call('send', '', 'POST', '/verify/v1/otp/send-otp', params, call);
  }

  /** POST /verify/v1/otp/resend-otp. The record's otpId is the original; the body carries the new one. */
  resendOtp(otpIdInput: string, call: CallOptions = {}): Promise<StatusCheck> {
    const parsed = parseOtpId(otpIdInput);
    if (!parsed.ok) return Promise.resolve(this.configFailure('resend', NO_OTP_ID, parsed.message, call));
    return this.call('resend', parsed.otpId, 'POST', '/verify/v1/otp/resend-otp', { otp_id: parsed.otpId }, call);
  }

  /** POST /verify/v1/otp/verify-otp. */
  verifyOtp(otpIdInput: string, code: string, call: CallOptions = {}): Promise<StatusCheck> {
    const parsed = parseOtpId(otpIdInput);
    if (!parsed.ok) return Promise.resolve(this.configFailure('verify', NO_OTP_ID, parsed.message, call));
    const otpCode = String(code ?? '').trim();
    if (!/^[0-9A-Za-z]{1,16}$/.test(otpCode)) {
      return Promise.resolve(this.configFailure('verify', parsed.otpId, 'Enter the OTP code: 1 to 16 letters or digits.', call));
    }
    return this.call('verify', parsed.otpId, 'POST', '/verify/v1/otp/verify-otp', { otp_id: parsed.otpId, otp_code: otpCode }, call);
  }

  private async call(
    operation: Operation,
    otpId: string,
    method: string,
    path: string,
    payload: unknown,
    call: CallOptions,
  ): Promise<StatusCheck> {
    const startedAt = this.now();
    const base = parseBaseUrl(this.options.baseUrl());
    if (!base.ok) return this.configFailure(operation, otpId, base.message, call, startedAt);
    const stored = await this.options.token();
    if (!stored) {
      return this.configFailure(operation, otpId, 'No API token set. Run "D7 OTP: Set API Token" first.', call, startedAt);
    }
    // The token rules apply to whatever the source hands over (a secret stored by another version or tool):
    // nothing that could break or inject into the Authorization header is sent.
    const parsedToken = parseToken(stored);
    if (!parsedToken.ok) {
      return this.configFailure(operation, otpId, `${parsedToken.message} Run "D7 OTP: Set API Token" to store it again.`, call, startedAt);
    }
    const token = parsedToken.token;
    const maxRetries = retryCount(this.options.maxRetries?.());
    let attempt = 0;
    for (;;) {
      attempt++;
      const attemptStart = this.now();
      const outcome = await this.attempt(base.origin, method, path, payload, token, call.signal);
      const durationMs = this.now() - attemptStart;
      const check = this.evaluate(operation, otpId, outcome, startedAt, call, token);
      const wait = check.error ? this.retryDelay(check, attempt, maxRetries) : undefined;
      this.options.log?.({
        method,
        path,
        httpStatus: check.httpStatus,
        durationMs,
        outcome: wait !== undefined ? 'retry' : check.error ? check.error.kind : 'ok',
        attempt,
      });
      if (wait === undefined) {
        if (attempt > 1) check.attempts = attempt;
        return check;
      }
      call.onWait?.({ attempt, delayMs: wait, reason: check.error?.message ?? '' });
      try {
        await this.sleep(wait, call.signal);
      } catch {
        const cancelled = this.failure(operation, otpId, startedAt, call, {
          kind: 'cancelled',
          message: 'Cancelled while waiting to retry.',
        });
        cancelled.attempts = attempt;
        return cancelled;
      }
    }
  }

  /** Milliseconds to wait before retrying, or undefined when this result is final. */
  private retryDelay(check: StatusCheck, attempt: number, maxRetries: number): number | undefined {
    if (attempt > maxRetries) return undefined;
    if (check.httpStatus !== 429 && check.httpStatus !== 503) return undefined;
    const bound = (this.options.maxRetryAfterSeconds ?? 30) * 1000;
    const retryAfter = check.error?.retryAfterSeconds;
    if (retryAfter !== undefined) return retryAfter * 1000 <= bound ? retryAfter * 1000 : undefined;
    const base = (this.options.backoffBaseMs ?? 1000) * 2 ** (attempt - 1);
    const jittered = Math.round(base * (0.5 + (this.options.random ?? Math.random)() * 0.5));
    return Math.min(jittered, bound);
  }

  private sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    const sleeper = this.options.sleep ?? abortableSleep;
    return sleeper(ms, controller.signal).finally(() => signal?.removeEventListener('abort', onAbort));
  }

  /** One HTTP exchange (following same-origin redirects of a GET), or why it failed. */
  private async attempt(
    origin: string,
    method: string,
    path: string,
    payload: unknown,
    token: string,
    outer: AbortSignal | undefined,
  ): Promise<HttpAnswer | CheckError> {
    if (outer?.aborted) return { kind: 'cancelled', message: 'Cancelled.' };
    const controller = new AbortController();
    let abortedBy: 'timeout' | 'cancelled' | undefined;
    const onOuterAbort = () => {
      abortedBy ??= 'cancelled';
      controller.abort();
    };
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    const timeoutMs = Math.max(1, this.options.timeoutMs());
    const timer = setTimeout(() => {
      abortedBy ??= 'timeout';
      controller.abort();
    }, timeoutMs);
    /** Set once an answer's headers arrived: a failure after that cut the body short. */
    let answeredStatus: number | undefined;
    try {
      const fetchImpl = await this.loadFetch();
      let url = origin + path;
      for (let hop = 0; ; hop++) {
        const response = await fetchImpl(url, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            'User-Agent': this.options.userAgent ?? 'd7-otp-inspector',
            ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
          },
          body: payload !== undefined ? JSON.stringify(payload) : undefined,
          signal: controller.signal,
          redirect: 'manual',
        });
        if (response.status >= 300 && response.status < 400 && response.status !== 304) {
          const location = response.headers.get('location');
          await discardBody(response.body);
          const target = location ? safeUrl(location, url) : undefined;
          if (!target) {
            return { kind: 'bad-response', message: `D7 answered a redirect (HTTP ${response.status}) without a usable Location.` };
          }
          if (target.origin !== origin) {
            return {
              kind: 'bad-response',
              message: `D7 redirected to another host (${inertText(target.origin, 80)}); not followed, so the token is not sent there.`,
            };
          }
          if (method !== 'GET' || hop + 1 >= MAX_REDIRECTS) {
            return { kind: 'bad-response', message: `D7 answered a redirect (HTTP ${response.status}) that was not followed.` };
          }
          url = target.href;
          continue;
        }
        answeredStatus = response.status;
        const { text, truncated } = await readCapped(response.body, this.options.maxBodyBytes ?? DEFAULT_MAX_BODY);
        if (truncated) controller.abort(); // stop the transfer: the rest is never read
        return { httpStatus: response.status, statusText: response.statusText, headers: response.headers, text, truncated };
      }
    } catch (error) {
      if (abortedBy === 'timeout') {
        return { kind: 'timeout', message: `No complete answer from ${origin} within ${formatSeconds(timeoutMs)}.` };
      }
      if (abortedBy === 'cancelled' || outer?.aborted) return { kind: 'cancelled', message: 'Cancelled.' };
      if (answeredStatus !== undefined) {
        return { kind: 'network', message: `The connection to ${origin} closed before the answer was complete (HTTP ${answeredStatus}, body cut short).` };
      }
      return { kind: 'network', message: networkMessage(error, origin, token) };
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  private async loadFetch(): Promise<FetchLike> {
    if (!this.fetchImpl) {
      const source = this.options.fetch;
      // A FetchLike takes (url, init); a loader takes nothing.
      this.fetchImpl = source.length === 0 ? await (source as () => Promise<FetchLike>)() : (source as FetchLike);
    }
    return this.fetchImpl;
  }

  /** Turns an HTTP answer (or a transport failure) into the record of this call. */
  private evaluate(
    operation: Operation,
    otpId: string,
    outcome: HttpAnswer | CheckError,
    startedAt: number,
    call: CallOptions,
    token: string,
  ): StatusCheck {
    if ('kind' in outcome) return this.failure(operation, otpId, startedAt, call, redactError(outcome, token));
    const { httpStatus, statusText, text, truncated } = outcome;
    const body = parseBody(text, truncated);
    const base: StatusCheck = {
      otpId,
      checkedAt: new Date(startedAt).toISOString(),
      ok: false,
      httpStatus,
      durationMs: Math.max(0, this.now() - startedAt),
      ...(body !== undefined ? { body } : {}),
      ...(truncated ? { bodyTruncated: true } : {}),
      ...(operation !== 'status' ? { operation } : {}),
      ...(call.profile ? { profile: call.profile } : {}),
    };
    const rawStatus = isObject(body) ? body.status : undefined;
    if (typeof rawStatus === 'string') base.status = rawStatus;
    if (operation === 'send' && isObject(body) && typeof body.otp_id === 'string') base.otpId = body.otp_id;

    if (httpStatus < 200 || httpStatus >= 300) {
      const retryAfter = parseRetryAfter(outcome.headers.get('retry-after'), this.now());
      return { ...base, error: redactError(httpError(httpStatus, statusText, body, retryAfter), token) };
    }
    const problem = shapeProblem(httpStatus, text, body, truncated);
    if (problem) return { ...base, error: { kind: 'bad-response', message: problem } };
    return { ...base, ok: true };
  }

  private failure(operation: Operation, otpId: string, startedAt: number, call: CallOptions, error: CheckError): StatusCheck {
    return {
      otpId,
      checkedAt: new Date(startedAt).toISOString(),
      ok: false,
      durationMs: Math.max(0, this.now() - startedAt),
      error,
      ...(operation !== 'status' ? { operation } : {}),
      ...(call.profile ? { profile: call.profile } : {}),
    };
  }

  private configFailure(operation: Operation, otpId: string, message: string, call: CallOptions, startedAt = this.now()): StatusCheck {
    return this.failure(operation, otpId, startedAt, call, { kind: 'config', message });
  }
}

/** The automatic retries to allow: an integer from 0 to MAX_RETRIES; a value that is not a finite number means the default. */
function retryCount(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return DEFAULT_RETRIES;
  return Math.min(MAX_RETRIES, Math.max(0, Math.floor(value)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
function parseBody(text: string, truncated: boolean): unknown {
  if (text === '') return undefined;
  if (!truncated) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: kept raw below
    }
  }
  return text;
}

/** Why a 2xx answer carries no usable status, or undefined when it does. */
function shapeProblem(httpStatus: number, text: string, body: unknown, truncated: boolean): string | undefined {
  const http = `HTTP ${httpStatus}`;
  if (truncated) return `D7's answer (${http}) is larger than the size cap; reading stopped there.`;
  if (text.trim() === '') return `D7 answered ${http} with an empty body (no status).`;
  if (typeof body === 'string' && !looksLikeJson(text)) return `D7 answered ${http} with a body that is not JSON.`;
  if (!isObject(body)) {
    const type = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    return `D7 answered ${http} with JSON that is ${type}, not an object with a status.`;
  }
  if (!('status' in body)) return `D7 answered ${http} without a status field.`;
  if (typeof body.status !== 'string') {
    const type = body.status === null ? 'null' : Array.isArray(body.status) ? 'an array' : `a ${typeof body.status}`;
    return `D7 answered ${http} with a status that is ${type}, not a string.`;
  }
  return undefined;
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads a body stream up to `cap` bytes; stops reading (and drops the rest) past it. */
async function readCapped(body: unknown, cap: number): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: '', truncated: false };
  if (typeof body === 'string') {
    return body.length > cap ? { text: body.slice(0, cap), truncated: true } : { text: body, truncated: false };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (size + buffer.length > cap) {
      chunks.push(buffer.subarray(0, cap - size));
      size = cap;
      truncated = true;
      break; // leaving the loop destroys the stream
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated };
}

async function discardBody(body: unknown): Promise<void> {
  const stream = body as { destroy?: () => void; cancel?: () => Promise<void> } | null;
  if (stream?.destroy) stream.destroy();
  else if (stream?.cancel) await stream.cancel().catch(() => undefined);
}

function safeUrl(location: string, base: string): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

function networkMessage(error: unknown, origin: string, token: string): string {
  const err = error as { code?: string; cause?: { code?: string }; type?: string; message?: string };
  const code = err?.code ?? err?.cause?.code;
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || /premature close/i.test(err?.message ?? '')) {
    return `The connection to ${origin} closed before the answer was complete.`;
  }
  if (code === 'ECONNRESET') return `The connection to ${origin} was reset.`;
  if (code === 'ECONNREFUSED') return `Could not connect to ${origin} (connection refused). Check d7otp.baseUrl and your network.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Could not resolve ${origin}. Check d7otp.baseUrl and your network.`;
  const detail = inertText(redactToken(err?.message ?? String(error), token), 200); // redact before cutting: a cut token would not match
  return `Could not reach ${origin}${code ? ` (${code})` : ''}: ${detail}`;
}

function redactError(error: CheckError, token: string): CheckError {
  return { ...error, message: redactToken(error.message, token) };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
