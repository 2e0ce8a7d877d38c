/**
 * Hostile server answers: 200 bodies, transports, redirects, status codes, error texts, Retry-After values, and the
 * inputs of the error model's pure functions. The cases test/unit/core/client/*.test.ts and core/errors.test.ts
 * iterate. Pure data (no `vscode`, no npm package). scripts/reliability-figures.js counts them.
 */
import type { ErrorKind } from '../../src/core/check';
import type { ScenarioName } from '../mock/scenarios';

/** 200 answers whose body carries no usable status: bad-response with this reason, the raw body kept. */
export const BROKEN_200_BODIES: readonly (readonly [ScenarioName, RegExp])[] = [
  ['empty200', /empty body/],
  ['text200', /not JSON/],
  ['html200', /not JSON/],
  ['array200', /JSON that is an array/],
  ['string200', /JSON that is a string/],
  ['number200', /JSON that is a number/],
  ['null200', /JSON that is null/],
  ['statusMissing', /without a status field/],
  ['statusNumber', /status that is a number/],
];

/** 200 answers with a strange status string: ok, the status kept exactly as sent. */
export const RAW_STATUSES: readonly (readonly [ScenarioName, string])[] = [
  ['longStatus', 'X'.repeat(100_000)],
  ['markup', '<img src=x onerror=alert(1)>**bold** [x](command:workbench.action.quit) $(alert)'],
  ['controlChars', 'OPEN\u0000\u001b[31m\r\nINJECTED\u001b[0m\u0007\b\t\u000b\f\u007f\u0085\u2028\u2029END'],
  ['unicode', '\u202eDEVORPPA\u202c 🔐✅👩‍💻 O\u0301\u0302\u0303P\u0336E\u0336N\u0336 \u200b\u200d\ufeff 𝕆ℙ𝔼ℕ'],
];

/** Transports that break: `[what, scenario ('refused': nothing listens), limits, kind, message]`. */
export const TRANSPORTS: readonly (readonly [string, ScenarioName | 'refused', { timeoutMs?: number; maxBodyBytes?: number }, ErrorKind, RegExp])[] = [
  ['huge (5 MiB, chunked): reading stops at the default cap (1 MiB)', 'huge', {}, 'bad-response', /larger than the size cap/],
  ['huge with a 16 KiB cap', 'huge', { maxBodyBytes: 16 * 1024 }, 'bad-response', /larger than the size cap/],
  ['truncated (Content-Length 1000, 20 bytes, then closed)', 'truncated', {}, 'network', /closed before the answer was complete \(HTTP 200, body cut short\)/],
  ['reset (connection reset before any answer)', 'reset', {}, 'network', /was reset/],
  ['hang (accepts, never answers)', 'hang', { timeoutMs: 300 }, 'timeout', /within 0\.3 s/],
  ['trickle (one byte a second): the limit covers the body too', 'trickle', { timeoutMs: 1200 }, 'timeout', /within 1\.2 s/],
  ['nothing listening', 'refused', {}, 'network', /connection refused.*d7otp\.baseUrl/],
];

/** The mock's redirects: `[scenario, followed]` (followed: same origin, to the open id). */
export const MOCK_REDIRECTS: readonly (readonly [ScenarioName, boolean])[] = [
  ['redirectSameHost', true],
  ['status301', true],
  ['status307', true],
  ['status304', false],
  ['redirectOtherHost', false],
];

/** Where a redirect to another origin points, from the edge server's and the other origin's ports. */
export const REDIRECTS_ELSEWHERE: readonly (readonly [string, (edgePort: number, otherPort: number, path: string) => string])[] = [
  ['another port of the same host', (_e, o, p) => `http://127.0.0.1:${o}${p}`],
  ['https on the same host and port', (e, _o, p) => `https://127.0.0.1:${e}${p}`],
  ['a protocol-relative Location', (_e, o, p) => `//127.0.0.1:${o}${p}`],
  ['userinfo that hides the real host', (e, o, p) => `http://127.0.0.1:${e}@localhost:${o}${p}`],
  ['localhost for 127.0.0.1', (e, _o, p) => `http://localhost:${e}${p}`],
];

/** Other redirects the edge server gives: `[what, method, HTTP status, Location ('self': the same path), message, requests]`. */
export const EDGE_REDIRECTS: readonly (readonly [string, 'GET' | 'POST', number, string, RegExp, number])[] = [
  ['a same-origin redirect loop ends after a bounded number of hops', 'GET', 302, 'self', /not followed/, 3],
  ['a redirect without a usable Location', 'GET', 302, 'http://[not a url', /without a usable Location/, 1],
  ['a redirect of a POST (resend) is not followed, even to the same origin', 'POST', 307, '/verify/v1/otp/resend-otp-elsewhere', /not followed/, 1],
];

/** What the mock answers per status: `[what, source, HTTP status, kind ('ok'), message]`. */
export const STATUS_CODES: readonly (readonly [string, ScenarioName | 'wrongToken' | 'unknownId' | 'sendMissing', number, ErrorKind | 'ok', RegExp?])[] = [
  ['201 with a status', 'status201', 201, 'ok'],
  ['202 with a status', 'status202', 202, 'ok'],
  ['204 without a body', 'status204', 204, 'bad-response', /HTTP 204 with an empty body/],
  ['400', 'status400', 400, 'validation', /refused the request \(HTTP 400/],
  ['401 (wrong token)', 'wrongToken', 401, 'unauthorized', /Token rejected by D7/],
  ['403', 'status403', 403, 'unauthorized', /Access denied by D7 \(HTTP 403/],
  ['404 (unknown otp_id)', 'unknownId', 404, 'not-found', /MESSAGE_LOG_NOT_EXISTS/],
  ['405', 'status405', 405, 'bad-response', /HTTP 405/],
  ['408', 'status408', 408, 'timeout', /HTTP 408/],
  ['409', 'status409', 409, 'bad-response', /HTTP 409/],
  ['410', 'status410', 410, 'bad-response', /HTTP 410/],
  ['413 (HTML body)', 'status413', 413, 'bad-response', /HTTP 413/],
  ['422 (send with fields missing)', 'sendMissing', 422, 'validation', /body\.recipient/],
  ['429 (always)', 'rateLimited', 429, 'rate-limited', /retry after 1 s/],
  ['500 (text body)', 'status500', 500, 'server', /HTTP 500/],
  ['502 (HTML body)', 'serverError', 502, 'server', /HTTP 502/],
  ['503 (Retry-After: 1, always)', 'status503', 503, 'server', /HTTP 503/],
  ['504 (HTML body)', 'status504', 504, 'server', /HTTP 504/],
];

/** Text a hostile server puts into its error answers. */
const HOSTILE_DETAIL = '<img src=x onerror=alert(1)> [Run](command:workbench.action.quit) [x](https://evil.example)\u2028\r\nforged line\u001b[31m\u202eevil';

/** Error answers carrying it: `[what, HTTP status, body, reason phrase]`. */
export const HOSTILE_ERRORS: readonly (readonly [string, number, unknown, string?])[] = [
  ['detail string', 404, { detail: HOSTILE_DETAIL }],
  ['detail object (code and message)', 401, { detail: { code: '[c](command:workbench.action.quit)', message: HOSTILE_DETAIL } }],
  ['detail list (FastAPI)', 422, { detail: [{ loc: ['path', HOSTILE_DETAIL], msg: HOSTILE_DETAIL, type: HOSTILE_DETAIL }] }],
  ['HTTP reason phrase', 500, { detail: 'x' }, '[Fix](command:workbench.action.quit) \u0085'],
  ['400 split link across code and message', 400, { detail: { code: '[c', message: '](command:workbench.action.quit)' } }],
];

/** The clock of the Retry-After cases. */
export const RETRY_AFTER_NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');

/** 503 with Retry-After: `[what, header, waits of the two retries ('none': no automatic retry), recorded seconds]`. */
export const RETRY_AFTER_CASES: readonly (readonly [string, string, number[] | 'none', number])[] = [
  ['an HTTP date 5 s ahead (IMF-fixdate)', 'Wed, 21 Oct 2015 07:28:05 GMT', [5000, 5000], 5],
  ['an HTTP date 7 s ahead (RFC 850)', 'Wednesday, 21-Oct-15 07:28:07 GMT', [7000, 7000], 7],
  ['an HTTP date 3 s ahead (asctime)', 'Wed Oct 21 07:28:03 2015', [3000, 3000], 3],
  ['an HTTP date in the past (retry at once)', 'Wed, 21 Oct 2015 07:27:00 GMT', [0, 0], 0],
  ['0 seconds', '0', [0, 0], 0],
  ['30 s, the bound', '30', [30000, 30000], 30],
  ['31 s, over the bound: no automatic retry', '31', 'none', 31],
  ['an HTTP date a day ahead: no automatic retry', 'Thu, 22 Oct 2015 07:28:00 GMT', 'none', 86400],
  ['an absurd number: no automatic retry', '99999999999999999999', 'none', 1e20],
];

/** Retry-After values that are not a wait: backoff instead (`''`: no header). */
export const UNREADABLE_RETRY_AFTER: readonly string[] = ['soon', '1.5', '-1', '+5', 'tomorrow 1', 'x 2030', '10 seconds', ''];

/** `d7otp.retry.maxRetries` values the retry count is checked with (the setting's range). */
export const RETRY_SETTINGS: readonly number[] = [0, 1, 2, 3, 4, 5];

/** `d7otp.retry.maxRetries` values that are not a count, and the retries they mean. */
export const ODD_MAX_RETRIES: readonly (readonly [number, number])[] = [
  [NaN, 2],
  [Infinity, 2],
  [-Infinity, 2],
  [-3, 0],
  [2.7, 2],
  [99, 5],
];

/**
 * Backoff without Retry-After (base 1 s, 5 retries): `[random, waits]`. Each wait is base·2ⁿ scaled into
 * [50 %, 100 %] by the jitter, never over the 30 s bound.
 */
export const BACKOFF_WAITS: readonly (readonly [number, readonly number[]])[] = [
  [0, [500, 1000, 2000, 4000, 8000]],
  [0.25, [625, 1250, 2500, 5000, 10000]],
  [0.5, [750, 1500, 3000, 6000, 12000]],
  [0.999, [1000, 1999, 3998, 7996, 15992]],
  [1, [1000, 2000, 4000, 8000, 16000]],
];

/** parseRetryAfter: `[header, seconds]` at RETRY_AFTER_NOW, whatever the machine's zone. */
export const PARSE_RETRY_AFTER: readonly (readonly [string | null | undefined, number | undefined])[] = [
  [null, undefined],
  [undefined, undefined],
  ['', undefined],
  ['  12  ', 12],
  ['0', 0],
  ['Wed, 21 Oct 2015 07:28:10 GMT', 10],
  ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ['Wednesday, 21-Oct-15 07:28:20 GMT', 20],
  ['Wed Oct 21 07:28:30 2015', 30],
  ['Wed Oct 21 07:28:30 2015 +0500', undefined],
  ['1.5', undefined],
  ['-1', undefined],
  ['+5', undefined],
  ['tomorrow 1', undefined],
  ['x 2030', undefined],
  ['Infinity', undefined],
];

/** Time zones parseRetryAfter is checked in (HTTP dates are GMT; asctime has no zone of its own). */
export const TIME_ZONES: readonly string[] = ['UTC', 'America/New_York', 'Asia/Kolkata'];

/** Bodies httpError gets for every status from 100 to 599. */
export const HTTP_ERROR_BODIES: readonly unknown[] = [
  undefined,
  null,
  'text',
  [],
  { detail: null },
  { detail: 42 },
  { detail: ['x', null, { msg: 7 }] },
  { detail: { code: 5, message: {} } },
];
export const HTTP_STATUS_RANGE = { first: 100, last: 599 } as const;
