/**
 * The D7 Verify client: the four calls, each one `D7Request` handed to the transport, retried by the policy and
 * interpreted into a record. No `vscode` import: fetch, base URL, token source, clock, timers and wording are
 * injected, so it runs the same in the extension host and in plain-Node unit tests against the mock server.
 *
 * Every call resolves (never rejects) with the record of what happened: a success, or a typed error carrying the
 * HTTP status, D7's `detail` and the raw body.
 */
import type { StatusCheck } from '../check';
import { draft, type ErrorDraft } from '../errors';
import { english, type Wording } from '../messages';
import type { OtpId } from '../otpId';
import { BASE_URL_SETTING, parseBaseUrl } from '../baseUrl';
import { inert } from '../text';
import { parseToken } from '../token';
import { failedRecord, answerRecord, type RecordContext } from './interpret';
import type { CallOptions, D7Request, RequestLogEntry, SendOtpParams } from './request';
import { abortableSleep, RetryPolicy, type RetryPolicyOptions } from './retry';
import { Transport, type Credentials, type Endpoint, type TransportOptions } from './transport';

/** What the token source gives: the token; nothing; or, for a token stored for another origin, that origin. */
export type TokenLookup = string | undefined | { storedFor: string };

export interface ClientOptions extends TransportOptions, RetryPolicyOptions {
  /** Raw base URL of the call's profile (`CallOptions.profile`; none: the active one), read at each call and validated. */
  baseUrl: (profile?: string) => string;
  /** The setting that holds it, for messages (default `d7otp.baseUrl`). */
  baseUrlSetting?: (profile?: string) => string;
  /** The API token of the call's profile for its base URL, read at each call (from SecretStorage in the extension). */
  token: (profile?: string) => Promise<TokenLookup>;
  /** Every other secret the extension holds (the other profiles' tokens): redacted from answers like the token. */
  otherSecrets?: () => Promise<readonly string[]>;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  log?: (entry: RequestLogEntry) => void;
  /** How messages are worded in records (default English; `vscode.l10n.t` in the extension). */
  word?: Wording;
}

const CODE = /^[0-9A-Za-z]{1,16}$/;

export class D7VerifyClient {
  private readonly transport: Transport;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;

  constructor(private readonly options: ClientOptions) {
    this.transport = new Transport(options);
    this.retry = new RetryPolicy(options);
    this.now = options.now ?? Date.now;
  }

  /** GET /verify/v1/report/{otp_id}. */
  getStatus(otpId: OtpId, options: CallOptions = {}): Promise<StatusCheck> {
    return this.call({ operation: 'status', otpId, method: 'GET', path: `/verify/v1/report/${encodeURIComponent(otpId)}` }, options);
  }

  /** POST /verify/v1/otp/send-otp. The record's otpId is the one D7 returned ('' when the call failed). */
  sendOtp(params: SendOtpParams, options: CallOptions = {}): Promise<StatusCheck> {
    return this.call({ operation: 'send', otpId: '', method: 'POST', path: '/verify/v1/otp/send-otp', payload: params }, options);
  }

  /** POST /verify/v1/otp/resend-otp. The record's otpId is the original; the body names the new one. */
  resendOtp(otpId: OtpId, options: CallOptions = {}): Promise<StatusCheck> {
    return this.call({ operation: 'resend', otpId, method: 'POST', path: '/verify/v1/otp/resend-otp', payload: { otp_id: otpId } }, options);
  }

  /** POST /verify/v1/otp/verify-otp. */
  verifyOtp(otpId: OtpId, code: string, options: CallOptions = {}): Promise<StatusCheck> {
    const otpCode = String(code ?? '').trim();
    const request: D7Request = { operation: 'verify', otpId, method: 'POST', path: '/verify/v1/otp/verify-otp', payload: { otp_id: otpId, otp_code: otpCode } };
    if (!CODE.test(otpCode)) return Promise.resolve(failedRecord(this.context(request, this.now(), options), draft('config', 'codeInvalid')));
    return this.call(request, options);
  }

  private async call(request: D7Request, options: CallOptions): Promise<StatusCheck> {
    const startedAt = this.now();
    const ready = await this.prepare(options.profile);
    if ('kind' in ready) return failedRecord(this.context(request, startedAt, options), ready);
    const { endpoint, credentials } = ready;
    const retries = this.retry.retries();
    for (let attempt = 1; ; attempt++) {
      const attemptStart = this.now();
      const outcome = await this.transport.exchange(endpoint, request, credentials, options.signal);
      const ctx = this.context(request, startedAt, options);
      const record = 'kind' in outcome ? failedRecord(ctx, outcome) : answerRecord(ctx, outcome, credentials.redact);
      const wait = record.ok
        ? undefined
        : this.retry.delay({ httpStatus: record.httpStatus, retryAfterSeconds: record.error.retryAfterSeconds }, attempt, retries);
      const outcomeName = wait !== undefined ? 'retry' : record.ok ? 'ok' : record.error.kind;
      this.options.log?.({
        method: request.method,
        path: request.path,
        httpStatus: record.httpStatus,
        durationMs: this.now() - attemptStart,
        outcome: outcomeName,
        attempt,
      });
      if (wait === undefined) return attempt > 1 ? { ...record, attempts: attempt } : record;
      options.onWait?.({ attempt, delayMs: wait });
      if (!(await this.pause(wait, options.signal))) {
        return { ...failedRecord(this.context(request, startedAt, options), draft('cancelled', 'cancelledWhileWaiting')), attempts: attempt };
      }
    }
  }

  /** Where to send it and with which token, or why the call cannot be made (config: nothing is sent). */
  private async prepare(profile: string | undefined): Promise<{ endpoint: Endpoint; credentials: Credentials } | ErrorDraft> {
    const setting = this.options.baseUrlSetting?.(profile) ?? BASE_URL_SETTING;
    const base = parseBaseUrl(this.options.baseUrl(profile), setting);
    if (!base.ok) return { kind: 'config', text: base.message };
    const stored = await this.options.token(profile);
    if (typeof stored === 'object') return draft('config', 'tokenForOtherOrigin', base.origin, inert(stored.storedFor, 100));
    if (!stored) return draft('config', 'noToken');
    // The token rules apply to whatever the source hands over (a secret stored by another version or tool):
    // nothing that could break or inject into the Authorization header is sent.
    const parsed = parseToken(stored);
    if (!parsed.ok) return draft('config', 'storedTokenUnusable', parsed.message);
    const others = (await this.options.otherSecrets?.().catch(() => [])) ?? [];
    return { endpoint: { origin: base.origin, setting }, credentials: { token: parsed.token, redact: [parsed.token, ...others] } };
  }

  private context(request: D7Request, startedAt: number, options: CallOptions): RecordContext {
    return { request, startedAt, now: this.now(), profile: options.profile, word: this.options.word ?? english };
  }

  /** Waits `ms`; false when the call was cancelled meanwhile. */
  private async pause(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
    const sleep = this.options.sleep ?? abortableSleep;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) controller.abort();
    try {
      await sleep(ms, controller.signal);
      return !signal?.aborted;
    } catch {
      return false;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}
