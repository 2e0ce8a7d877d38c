/**
 * One HTTP exchange with D7: the fetch, same-origin redirects of a GET, a body read that stops at the cap, and a
 * time limit and cancellation on the `AbortSignal` built-ins. The token goes only into the Authorization header of
 * requests to the configured origin. No `vscode` import.
 */
import { Limits } from '../defaults';
import { draft, type ErrorDraft } from '../errors';
import { msg } from '../messages';
import { redactToken } from '../token';
import { inert } from '../text';
import type { D7Request, FetchLike, FetchResponseLike } from './request';

export interface TransportOptions {
  /** The fetch to use… */
  fetch?: FetchLike;
  /** …or one loaded on first use (keeps node-fetch out of activation). */
  loadFetch?: () => Promise<FetchLike>;
  /** Per-attempt time limit in milliseconds, read at each attempt. */
  timeoutMs: () => number;
  userAgent?: string;
  maxBodyBytes?: number;
}

/** Where requests go, and the setting that said so (named in messages). */
export interface Endpoint {
  origin: string;
  setting: string;
}

/** The token a request carries, and every secret to redact from what comes back (all profiles' tokens). */
export interface Credentials {
  token: string;
  redact: readonly string[];
}

/** An answer that arrived, its body read (up to the cap). */
export interface HttpAnswer {
  httpStatus: number;
  statusText: string;
  headers: { get(name: string): string | null };
  text: string;
  truncated: boolean;
}

export class Transport {
  private fetchImpl: FetchLike | undefined;

  constructor(private readonly options: TransportOptions) {
    if (!options.fetch && !options.loadFetch) throw new TypeError('Transport needs fetch or loadFetch');
    this.fetchImpl = options.fetch;
  }

  /** One exchange (following same-origin redirects of a GET), or why it failed. Never rejects. */
  async exchange(endpoint: Endpoint, request: D7Request, credentials: Credentials, outer?: AbortSignal): Promise<HttpAnswer | ErrorDraft> {
    if (outer?.aborted) return draft('cancelled', 'cancelled');
    const timeoutMs = Math.max(1, this.options.timeoutMs());
    // One controller per exchange, aborted by the time limit, the caller's signal or a body past the cap (cheaper
    // per request than AbortSignal.timeout + AbortSignal.any, and nothing of it outlives the exchange).
    const own = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => ((timedOut = true), own.abort()), timeoutMs);
    const onOuter = () => own.abort();
    outer?.addEventListener('abort', onOuter, { once: true });
    const signal = own.signal;
    let answered: number | undefined;
    try {
      const response = await this.follow(endpoint.origin, request, credentials.token, signal);
      if ('kind' in response) return response;
      answered = response.status;
      const { text, truncated } = await readCapped(response.body, this.options.maxBodyBytes ?? Limits.maxBodyBytes);
      if (truncated) own.abort();
      return { httpStatus: response.status, statusText: response.statusText, headers: response.headers, text, truncated };
    } catch (error) {
      if (timedOut && !outer?.aborted) return draft('timeout', 'timedOut', endpoint.origin, seconds(timeoutMs));
      if (outer?.aborted) return draft('cancelled', 'cancelled');
      if (answered !== undefined) return draft('network', 'bodyCutShort', endpoint.origin, answered);
      return networkFailure(error, endpoint, credentials.redact);
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuter);
    }
  }

  /** The first answer that is not a redirect to follow. */
  private async follow(origin: string, request: D7Request, token: string, signal: AbortSignal): Promise<FetchResponseLike | ErrorDraft> {
    const fetchImpl = await this.loadFetch();
    let url = origin + request.path;
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(url, {
        method: request.method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          'User-Agent': this.options.userAgent ?? 'd7-otp-inspector',
          ...(request.payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: request.payload !== undefined ? JSON.stringify(request.payload) : undefined,
        signal,
        redirect: 'manual',
      });
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      await discardBody(response.body);
      const location = response.headers.get('location');
      const target = location ? safeUrl(location, url) : undefined;
      if (!target) return draft('bad-response', 'redirectWithoutLocation', response.status);
      if (target.origin !== origin) return draft('bad-response', 'redirectElsewhere', inert(target.origin, 80));
      if (request.method !== 'GET' || hop + 1 >= Limits.maxRedirects) return draft('bad-response', 'redirectNotFollowed', response.status);
      url = target.href;
    }
  }

  private async loadFetch(): Promise<FetchLike> {
    this.fetchImpl ??= await (this.options.loadFetch as () => Promise<FetchLike>)();
    return this.fetchImpl;
  }
}

function seconds(ms: number) {
  return msg('seconds', ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1));
}

/** Reads a body stream up to `cap` bytes; stops reading (and drops the rest) past it. */
async function readCapped(body: unknown, cap: number): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: '', truncated: false };
  if (typeof body === 'string') return body.length > cap ? { text: body.slice(0, cap), truncated: true } : { text: body, truncated: false };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (size + buffer.length > cap) {
      chunks.push(buffer.subarray(0, cap - size));
      return { text: Buffer.concat(chunks, cap).toString('utf8'), truncated: true }; // leaving the loop destroys the stream
    }
    chunks.push(buffer);
    size += buffer.length;
  }
  return { text: Buffer.concat(chunks, size).toString('utf8'), truncated: false };
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

/** Node's codes for a server certificate that is not trusted (unknown issuer, self-signed, expired, another name). */
const UNTRUSTED_CERTIFICATE =
  /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|CERT_UNTRUSTED|CERT_SIGNATURE_FAILURE|ERR_TLS_CERT_ALTNAME_INVALID)$/;
/** How VS Code's proxy agent says it could not reach the proxy ("… to proxies: PROXY host:port"). */
const PROXY_DOWN = /Failed to establish a socket connection to proxies: ?([^\n]*)/i;

/** What a failed connection means, in words that never carry the token. */
function networkFailure(error: unknown, endpoint: Endpoint, redact: readonly string[]): ErrorDraft {
  const err = error as { code?: string; cause?: { code?: string }; message?: string } | undefined;
  const code = err?.code ?? err?.cause?.code;
  const { origin, setting } = endpoint;
  if (code && UNTRUSTED_CERTIFICATE.test(code)) return draft('network', 'certificateUntrusted', origin, code);
  const proxy = PROXY_DOWN.exec(err?.message ?? '');
  // The proxy as VS Code names it ("PROXY host:port"), any user:password@ removed.
  if (proxy) return draft('network', 'proxyUnreachable', origin, inert(proxy[1].replace(/\S*@/g, ''), 100) || 'http.proxy');
  if (code === 'ERR_STREAM_PREMATURE_CLOSE' || /premature close/i.test(err?.message ?? '')) return draft('network', 'connectionClosed', origin);
  if (code === 'ECONNRESET') return draft('network', 'connectionReset', origin);
  if (code === 'ECONNREFUSED') return draft('network', 'connectionRefused', origin, setting);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return draft('network', 'hostNotResolved', origin, setting);
  const detail = inert(redactToken(err?.message ?? String(error), ...redact), 200); // redact before cutting: a cut token would not match
  return code ? draft('network', 'unreachableCode', origin, inert(code, 40), detail) : draft('network', 'unreachable', origin, detail);
}
