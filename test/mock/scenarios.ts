/**
 * The mock D7 server's canned Get Status answers: which otp_id does what, and how each one answers.
 * Node built-ins only, so it runs in plain Node and in the VS Code extension host alike.
 */
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The bearer token the mock accepts by default. JWT-shaped like D7's tokens (the signature is fake):
 * header `{"alg":"HS256","typ":"JWT"}`, payload `{"aud":"auth-backend:app","sub":"6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77"}`.
 */
export const MOCK_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' +
  '.eyJhdWQiOiJhdXRoLWJhY2tlbmQ6YXBwIiwic3ViIjoiNmIwYzlkNjQtNGM3ZS00YTM0LTlhOGEtMmYxZjNjMWQ1ZTc3In0' +
  '.bW9jay1zaWduYXR1cmUtbm90LXZlcmlmaWVk';

/**
 * Every otp_id with a canned Get Status answer, by scenario name (all lower case; the mock matches any case).
 * Ids are grouped by pattern: `badbad00-…-0000000000NN` are hostile bodies, `badbad01-…` hostile transports,
 * `badbad03-…` redirects, and `c0de0000-…-000000000NNN` answer HTTP status NNN.
 */
export const SCENARIOS = {
  // What D7 documents.
  open: '8d963dbf-d655-4fe6-9157-48885a036050',
  approved: 'd4c6b4e9-532d-4be7-9e9e-897f97847fbd',
  expired: '0012c7f5-2ba5-49db-8901-4ee9be6dc8d1',
  failed: '31b89954-d37c-426f-8113-ac718afc5d4c',
  alreadyVerified: '001ff613-de30-4f82-81f6-1fe944b8f61b',
  unknownStatus: '5e1a7c3b-9d2f-4a8e-b6c4-7f0e1d2c3b4a',
  withExtraFields: 'e0e0e0e0-1111-4222-8333-444455556666',
  turnsApproved: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  // Rate limits, outages, slowness.
  rateLimited: '7a7a7a7a-2942-4429-9429-429429429429',
  rateLimitedOnce: '7a7a7a7a-0001-4429-9429-429429429429',
  serviceUnavailableOnce: '50350350-0001-4503-8503-503503503503',
  serverError: '5005005e-0500-4500-8500-500500500500',
  slow: '51a51a51-0000-4000-8000-000000005105',
  // Hostile bodies (all HTTP 200).
  empty200: 'badbad00-0000-4000-8000-000000000001',
  text200: 'badbad00-0000-4000-8000-000000000002',
  html200: 'badbad00-0000-4000-8000-000000000003',
  array200: 'badbad00-0000-4000-8000-000000000004',
  string200: 'badbad00-0000-4000-8000-000000000005',
  number200: 'badbad00-0000-4000-8000-000000000006',
  null200: 'badbad00-0000-4000-8000-000000000007',
  statusMissing: 'badbad00-0000-4000-8000-000000000008',
  statusNumber: 'badbad00-0000-4000-8000-000000000009',
  longStatus: 'badbad00-0000-4000-8000-000000000010',
  markup: 'badbad00-0000-4000-8000-000000000011',
  controlChars: 'badbad00-0000-4000-8000-000000000012',
  unicode: 'badbad00-0000-4000-8000-000000000013',
  // Hostile transports.
  huge: 'badbad01-0000-4000-8000-000000000001',
  truncated: 'badbad01-0000-4000-8000-000000000002',
  reset: 'badbad01-0000-4000-8000-000000000003',
  hang: 'badbad01-0000-4000-8000-000000000004',
  trickle: 'badbad01-0000-4000-8000-000000000005',
  // Redirects.
  redirectSameHost: 'badbad03-0000-4000-8000-000000000302',
  redirectOtherHost: 'badbad03-0000-4000-8000-000000001302',
  // One id per HTTP status.
  status201: 'c0de0000-0000-4000-8000-000000000201',
  status202: 'c0de0000-0000-4000-8000-000000000202',
  status204: 'c0de0000-0000-4000-8000-000000000204',
  status301: 'c0de0000-0000-4000-8000-000000000301',
  status304: 'c0de0000-0000-4000-8000-000000000304',
  status307: 'c0de0000-0000-4000-8000-000000000307',
  status400: 'c0de0000-0000-4000-8000-000000000400',
  status403: 'c0de0000-0000-4000-8000-000000000403',
  status405: 'c0de0000-0000-4000-8000-000000000405',
  status408: 'c0de0000-0000-4000-8000-000000000408',
  status409: 'c0de0000-0000-4000-8000-000000000409',
  status410: 'c0de0000-0000-4000-8000-000000000410',
  status413: 'c0de0000-0000-4000-8000-000000000413',
  status500: 'c0de0000-0000-4000-8000-000000000500',
  status503: 'c0de0000-0000-4000-8000-000000000503',
  status504: 'c0de0000-0000-4000-8000-000000000504',
} as const;

/** A scenario's name, e.g. `'open'`. */
export type ScenarioName = keyof typeof SCENARIOS;

/** The scenarios worth listing to a person trying the mock by hand, with what each answers. */
export const MAIN_SCENARIOS: readonly (readonly [ScenarioName, string])[] = [
  ['open', '200 OPEN'],
  ['approved', '200 APPROVED'],
  ['expired', '200 EXPIRED'],
  ['failed', '200 FAILED'],
  ['alreadyVerified', '200 ALREADY_VERIFIED'],
  ['unknownStatus', '200 PENDING_REVIEW (a status the extension does not know)'],
  ['withExtraFields', '200 OPEN with otp_id, recipient, expiry'],
  ['turnsApproved', 'OPEN for the first looks, then APPROVED'],
  ['rateLimited', '429 Retry-After: 1, always'],
  ['rateLimitedOnce', '429 once, then 200 OPEN'],
  ['serviceUnavailableOnce', '503 (HTML, no Retry-After) once, then 200 OPEN'],
  ['serverError', '502 Bad Gateway (HTML)'],
  ['slow', '200 OPEN after a delay'],
  ['hang', 'never answers'],
];

/** Size of the `huge` answer and of each chunk it is streamed in. */
export const HUGE_TOTAL_BYTES = 5 * 1024 * 1024;
const HUGE_CHUNK_BYTES = 64 * 1024;

/** What a scenario needs from the server to answer. */
export interface ScenarioContext {
  /** The scenario's otp_id (lower case). */
  readonly otpId: string;
  readonly res: ServerResponse;
  readonly socket: Socket;
  /** Aborted when the client goes away or the server closes: stop writing, clear timers. */
  readonly signal: AbortSignal;
  /** The server's origin under another host name (`http://localhost:<port>`), for the cross-origin redirect. */
  readonly otherOrigin: string;
  readonly slowMs: number;
  readonly turnsApprovedAfter: number;
  /** How many times this id has been looked up since the last reset, this look included. */
  readonly look: number;
  /** Called by `huge` as its body is written (bytes so far of the current answer). */
  reportHugeBytes(bytes: number): void;
}

type Behaviour = (ctx: ScenarioContext) => void | Promise<void>;

/** A fixed answer: status, optional headers, and a JSON value or a raw text body. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  contentType?: string;
}

/** Sends a fixed answer. JSON bodies get `content-type: application/json`. */
function reply(res: ServerResponse, answer: Answer): void {
  const headers: Record<string, string> = { ...answer.headers };
  let body = '';
  if (answer.json !== undefined) {
    body = JSON.stringify(answer.json);
    headers['content-type'] = 'application/json';
  } else if (answer.text !== undefined) {
    body = answer.text;
    if (answer.contentType) headers['content-type'] = answer.contentType;
  }
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(answer.status, headers);
  res.end(body);
}

/** Sends a JSON answer. */
export function replyJson(res: ServerResponse, status: number, json: unknown, headers?: Record<string, string>): void {
  reply(res, { status, json, headers });
}

/** Resolves true after `ms`, or false as soon as `signal` aborts (the timer is cleared either way). */
export function delay(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const html = (title: string): string => `<html><body><h1>${title}</h1></body></html>`;
const status = (value: unknown): Answer => ({ status: 200, json: { status: value } });
const fixed =
  (answer: Answer): Behaviour =>
  (ctx) =>
    reply(ctx.res, answer);
const redirectTo = (code: number, origin: 'same' | 'other'): Behaviour => {
  return (ctx) => {
    const path = `/verify/v1/report/${SCENARIOS.open}`;
    reply(ctx.res, { status: code, headers: { location: origin === 'same' ? path : `${ctx.otherOrigin}${path}` } });
  };
};

const OPEN = status('OPEN');
const TOO_MANY: Answer = { status: 429, headers: { 'retry-after': '1' }, json: { detail: 'Too Many Requests' } };
const BAD_GATEWAY: Answer = { status: 502, contentType: 'text/html', text: html('502 Bad Gateway') };
const UNAVAILABLE: Answer = { status: 503, contentType: 'text/html', text: html('503 Service Temporarily Unavailable') };

/** Waits for the response to drain; false when the request was aborted first. */
function drained(res: ServerResponse, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const done = (ok: boolean) => (): void => {
      res.off('drain', onDrain);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onDrain = done(true);
    const onAbort = done(false);
    res.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

let hugeBody: Buffer | undefined;
/** `{"status":"OPEN","padding":"xxx…"}`, exactly HUGE_TOTAL_BYTES long (built once). */
function hugeJson(): Buffer {
  if (!hugeBody) {
    const head = '{"status":"OPEN","padding":"';
    const tail = '"}';
    hugeBody = Buffer.from(head + 'x'.repeat(HUGE_TOTAL_BYTES - head.length - tail.length) + tail);
  }
  return hugeBody;
}

/**
 * 200 JSON of 5 MiB, chunked (no Content-Length, so a client must cap while reading). Chunks are paced
 * (each waits for drain and a short pause) so `reportHugeBytes` tracks what the client took before it closed,
 * not what the kernel could buffer.
 */
async function streamHuge(ctx: ScenarioContext): Promise<void> {
  const body = hugeJson();
  ctx.reportHugeBytes(0);
  ctx.res.writeHead(200, { 'content-type': 'application/json' });
  for (let offset = 0; offset < body.length; offset += HUGE_CHUNK_BYTES) {
    if (ctx.signal.aborted) return;
    const chunk = body.subarray(offset, offset + HUGE_CHUNK_BYTES);
    const flushed = ctx.res.write(chunk);
    ctx.reportHugeBytes(offset + chunk.length);
    if (!flushed && !(await drained(ctx.res, ctx.signal))) return;
    if (!(await delay(2, ctx.signal))) return;
  }
  ctx.res.end();
}

/** Headers announce 1000 bytes; 20 bytes of JSON follow, then the connection ends. */
function truncate(ctx: ScenarioContext): void {
  const partial = JSON.stringify({ status: 'OPEN', otp_id: ctx.otpId }).slice(0, 20);
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
  ctx.res.write(partial, () => ctx.socket.end());
}

/** 200 with a valid JSON body, sent one byte per second. */
async function trickle(ctx: ScenarioContext): Promise<void> {
  const body = Buffer.from(JSON.stringify({ status: 'OPEN' }));
  ctx.res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
  ctx.res.flushHeaders();
  for (let i = 0; i < body.length; i++) {
    if (i > 0 && !(await delay(1000, ctx.signal))) return;
    ctx.res.write(body.subarray(i, i + 1));
  }
  ctx.res.end();
}

const BEHAVIOURS: Record<ScenarioName, Behaviour> = {
  open: fixed(OPEN),
  approved: fixed(status('APPROVED')),
  expired: fixed(status('EXPIRED')),
  failed: fixed(status('FAILED')),
  alreadyVerified: fixed(status('ALREADY_VERIFIED')),
  unknownStatus: fixed(status('PENDING_REVIEW')),
  withExtraFields: (ctx) => replyJson(ctx.res, 200, { status: 'OPEN', otp_id: ctx.otpId, recipient: '+9715XXXXXXX', expiry: 600 }),
  turnsApproved: (ctx) => reply(ctx.res, status(ctx.look <= ctx.turnsApprovedAfter ? 'OPEN' : 'APPROVED')),

  rateLimited: fixed(TOO_MANY),
  rateLimitedOnce: (ctx) => reply(ctx.res, ctx.look === 1 ? TOO_MANY : OPEN),
  serviceUnavailableOnce: (ctx) => reply(ctx.res, ctx.look === 1 ? UNAVAILABLE : OPEN),
  serverError: fixed(BAD_GATEWAY),
  slow: async (ctx) => {
    if (await delay(ctx.slowMs, ctx.signal)) reply(ctx.res, OPEN);
  },

  empty200: fixed({ status: 200, contentType: 'application/json', text: '' }),
  text200: fixed({ status: 200, contentType: 'text/plain', text: 'OK' }),
  html200: fixed({
    status: 200,
    contentType: 'text/html',
    text: '<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>',
  }),
  array200: fixed({ status: 200, json: [] }),
  string200: fixed({ status: 200, json: 'OPEN' }),
  number200: fixed({ status: 200, json: 42 }),
  null200: fixed({ status: 200, json: null }),
  statusMissing: (ctx) => replyJson(ctx.res, 200, { otp_id: ctx.otpId }),
  statusNumber: fixed(status(3)),
  longStatus: fixed(status('X'.repeat(100_000))),
  markup: fixed({
    status: 200,
    json: {
      status: '<img src=x onerror=alert(1)>**bold** [x](command:workbench.action.quit) $(alert)',
      note: '<script>alert("note")</script><b>bold</b><a href="command:workbench.action.quit">quit</a>',
    },
  }),
  controlChars: fixed(status('OPEN\u0000\u001b[31m\r\nINJECTED\u001b[0m\u0007\b\t\u000b\f\u007f\u0085\u2028\u2029END')),
  unicode: fixed(status('\u202eDEVORPPA\u202c 🔐✅👩‍💻 O\u0301\u0302\u0303P\u0336E\u0336N\u0336 \u200b\u200d\ufeff 𝕆ℙ𝔼ℕ')),

  huge: streamHuge,
  truncated: truncate,
  reset: (ctx) => void ctx.socket.resetAndDestroy(),
  hang: () => undefined,
  trickle,

  redirectSameHost: redirectTo(302, 'same'),
  redirectOtherHost: redirectTo(302, 'other'),

  status201: fixed({ status: 201, json: { status: 'OPEN' } }),
  status202: fixed({ status: 202, json: { status: 'OPEN' } }),
  status204: fixed({ status: 204 }),
  status301: redirectTo(301, 'same'),
  status304: redirectTo(304, 'same'),
  status307: redirectTo(307, 'same'),
  status400: fixed({ status: 400, json: { detail: 'Bad Request' } }),
  status403: fixed({ status: 403, json: { detail: 'Not authenticated' } }),
  status405: fixed({ status: 405, json: { detail: 'Method Not Allowed' } }),
  status408: fixed({ status: 408, json: { detail: 'Request Timeout' } }),
  status409: fixed({ status: 409, json: { detail: 'Conflict' } }),
  status410: fixed({ status: 410, json: { detail: 'Gone' } }),
  status413: fixed({ status: 413, contentType: 'text/html', text: html('413 Request Entity Too Large') }),
  status500: fixed({ status: 500, contentType: 'text/plain', text: 'Internal Server Error' }),
  status503: fixed({ status: 503, headers: { 'retry-after': '1' }, json: { detail: 'Service Unavailable' } }),
  status504: fixed({ status: 504, contentType: 'text/html', text: html('504 Gateway Time-out') }),
};

const BY_ID = new Map<string, ScenarioName>((Object.entries(SCENARIOS) as [ScenarioName, string][]).map(([name, id]) => [id, name]));

/** The scenario of an otp_id (any case), if it has one. */
export function scenarioOf(otpId: string): ScenarioName | undefined {
  return BY_ID.get(otpId.toLowerCase());
}

/** Answers a Get Status look-up of a scenario id. */
export function runScenario(name: ScenarioName, ctx: ScenarioContext): void | Promise<void> {
  return BEHAVIOURS[name](ctx);
}
