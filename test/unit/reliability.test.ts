/**
 * Reliability matrix, server side: every hostile response the mock D7 server can give (bodies, transports,
 * redirects, every status code it has an id for), plus a small local "edge" server for what the mock does not
 * do (Retry-After dates, redirect loops, hostile error details, a second origin). Plain Node, real sockets,
 * node-fetch v3 as the fetch, as in the extension.
 *
 * Each case must end in a clear outcome (`ok`, or an error kind with a one-line message), never a throw or a hang.
 * The suite prints `[reliability-count] <class>=<n>` lines, from which docs/RELIABILITY.md takes its figures.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import fetch from 'node-fetch';
import { D7VerifyClient, type ClientOptions, type FetchLike, type RetryWait } from '../../src/core/client';
import { httpError, parseRetryAfter } from '../../src/core/errors';
import type { ErrorKind, StatusCheck } from '../../src/core/types';
import { HistoryStore } from '../../src/stores/historyStore';
import { HUGE_TOTAL_BYTES } from '../mock/scenarios';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockServer } from '../mock/server';
import { FakeMemento, timerBaseline, timersSettle } from './fakes';

/** C0/C1 controls, line and paragraph separators, bidi controls: nothing a one-line message may contain. */
const UNSAFE_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The link syntax VS Code's notification renderer turns into a clickable link (copied from the workbench). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

const counts = new Map<string, number>();
function tally(cls: string, n = 1): void {
  counts.set(cls, (counts.get(cls) ?? 0) + n);
}

type Scenario = keyof typeof SCENARIOS;

/** Asserts the shape every failed call must have: a kind, one printable line, no token. */
function assertClearFailure(result: StatusCheck, kind: ErrorKind, message?: RegExp): void {
  assert.equal(result.ok, false, `expected ${kind}, got ok (${result.status})`);
  assert.ok(result.error, 'an error is recorded');
  assert.equal(result.error.kind, kind, result.error.message);
  assert.ok(result.error.message.length > 0 && result.error.message.length <= 600, 'a short message');
  assert.doesNotMatch(result.error.message, UNSAFE_CHARS, 'one printable line');
  assert.doesNotMatch(result.error.message, NOTIFICATION_LINK, 'no link a notification would render');
  if (message) assert.match(result.error.message, message);
  assert.ok(!JSON.stringify(result).includes(MOCK_TOKEN), 'no token in the record');
}

// ---- the edge server: answers the mock does not give ----------------------------------------------------------

interface EdgeRequest {
  method: string;
  path: string;
  host: string;
  authorization?: string;
}

type EdgeHandler = (req: http.IncomingMessage, res: http.ServerResponse, edge: EdgeServer) => void;

interface EdgeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: EdgeRequest[];
  route(path: string, handler: EdgeHandler): void;
  close(): Promise<void>;
}

function startEdgeServer(): Promise<EdgeServer> {
  const routes = new Map<string, EdgeHandler>();
  const requests: EdgeRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', authorization: req.headers.authorization });
    req.resume();
    const handler = routes.get(req.url ?? '');
    if (handler) handler(req, res, edge);
    else {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"detail":"Not Found"}');
    }
  });
  const edge: EdgeServer = {
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    get port() {
      return (server.address() as AddressInfo).port;
    },
    requests,
    route: (path, handler) => void routes.set(path, handler),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(edge)));
}

const REPORT = '/verify/v1/report/';
/** Ids the edge server answers (any UUID works: the client only checks the shape). */
const EDGE = (n: number) => `edfe0000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, statusText?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, statusText ?? http.STATUS_CODES[status] ?? '', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

describe('reliability matrix: hostile server responses', function () {
  let mock: MockServer;
  let edge: EdgeServer;
  let other: EdgeServer;
  let waits: number[];

  before(async () => {
    mock = await startMockServer({ slowMs: 2000 });
    edge = await startEdgeServer();
    other = await startEdgeServer();
  });
  after(async () => {
    await Promise.all([mock.close(), edge.close(), other.close()]);
    for (const [cls, n] of counts) console.log(`      [reliability-count] ${cls}=${n}`);
  });
  beforeEach(() => {
    mock.reset();
    edge.requests.length = 0;
    other.requests.length = 0;
    waits = [];
  });

  function client(overrides: Partial<ClientOptions> = {}): D7VerifyClient {
    return new D7VerifyClient({
      fetch: fetch as unknown as FetchLike,
      baseUrl: () => mock.url,
      token: async () => MOCK_TOKEN,
      timeoutMs: () => 3000,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...overrides,
    });
  }

  describe('bodies of a 200 answer', () => {
    const broken: [Scenario, RegExp][] = [
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
    for (const [scenario, message] of broken) {
      it(`${scenario}: bad-response, HTTP 200 and the raw body kept`, async () => {
        tally('responses.bodies');
        const result = await client().getStatus(SCENARIOS[scenario]);
        assertClearFailure(result, 'bad-response', message);
        assert.equal(result.httpStatus, 200);
        assert.equal(result.status, undefined, 'no status invented');
        if (scenario !== 'empty200') assert.notEqual(result.body, undefined, 'the body is kept for inspection');
        assert.equal(mock.requests.length, 1, 'no retry for a shape problem');
      });
    }

    const rawKept: [Scenario, (status: string) => void][] = [
      ['longStatus', (s) => assert.equal(s, 'X'.repeat(100_000))],
      ['markup', (s) => assert.match(s, /^<img src=x onerror=alert\(1\)>\*\*bold\*\* \[x\]\(command:workbench\.action\.quit\) \$\(alert\)$/)],
      ['controlChars', (s) => assert.ok(s.startsWith('OPEN\u0000\u001b[31m\r\n') && s.endsWith('\u2028\u2029END'))],
      ['unicode', (s) => assert.ok(s.startsWith('\u202eDEVORPPA\u202c 🔐'))],
    ];
    for (const [scenario, check] of rawKept) {
      it(`${scenario}: ok, the status kept exactly as sent`, async () => {
        tally('responses.bodies');
        const result = await client().getStatus(SCENARIOS[scenario]);
        assert.equal(result.ok, true, result.error?.message);
        assert.equal(result.httpStatus, 200);
        check(result.status ?? '');
      });
    }
  });

  describe('transports', () => {
    it('huge (5 MiB, chunked): reading stops at the cap and the transfer is cut', async () => {
      tally('responses.transports');
      const result = await client().getStatus(SCENARIOS.huge);
      assertClearFailure(result, 'bad-response', /larger than the size cap/);
      assert.equal(result.bodyTruncated, true);
      assert.equal(typeof result.body, 'string');
      assert.equal(Buffer.byteLength(result.body as string), 1024 * 1024, 'exactly the default cap (1 MiB) kept');
      await new Promise((r) => setTimeout(r, 50)); // let the mock notice the closed connection
      assert.ok(mock.hugeBytesWritten < 2 * 1024 * 1024, `the mock wrote ${mock.hugeBytesWritten} of ${HUGE_TOTAL_BYTES} bytes`);
    });

    it('huge with a 16 KiB cap: the mock writes far less than the 5 MiB it had', async () => {
      tally('responses.transports');
      const result = await client({ maxBodyBytes: 16 * 1024 }).getStatus(SCENARIOS.huge);
      assertClearFailure(result, 'bad-response', /size cap/);
      assert.equal(Buffer.byteLength(result.body as string), 16 * 1024);
      await new Promise((r) => setTimeout(r, 50));
      assert.ok(mock.hugeBytesWritten <= 1024 * 1024, `the mock wrote ${mock.hugeBytesWritten} bytes`);
    });

    it('truncated (Content-Length 1000, 20 bytes, then closed): network, says the answer was cut short', async () => {
      tally('responses.transports');
      const result = await client().getStatus(SCENARIOS.truncated);
      assertClearFailure(result, 'network', /closed before the answer was complete/);
      assert.equal(mock.requests.length, 1);
    });

    it('reset (connection reset before any answer): network, "reset"', async () => {
      tally('responses.transports');
      const result = await client().getStatus(SCENARIOS.reset);
      assertClearFailure(result, 'network', /reset/);
    });

    it('hang (accepts, never answers): timeout at the client limit', async () => {
      tally('responses.transports');
      const started = Date.now();
      const result = await client({ timeoutMs: () => 300 }).getStatus(SCENARIOS.hang);
      const took = Date.now() - started;
      assertClearFailure(result, 'timeout', /within 0\.3 s/);
      assert.ok(took >= 250 && took < 1500, `ended after ${took} ms`);
    });

    it('trickle (one byte a second): timeout covers the body too', async () => {
      tally('responses.transports');
      const started = Date.now();
      const result = await client({ timeoutMs: () => 1200 }).getStatus(SCENARIOS.trickle);
      const took = Date.now() - started;
      assertClearFailure(result, 'timeout', /within 1\.2 s/);
      assert.ok(took >= 1100 && took < 2500, `ended after ${took} ms`);
    });

    it('nothing listening: network, connection refused, names the setting', async () => {
      tally('responses.transports');
      const result = await client({ baseUrl: () => 'http://127.0.0.1:9' }).getStatus(SCENARIOS.open);
      assertClearFailure(result, 'network', /connection refused.*d7otp\.baseUrl/);
    });

    it('timeouts and cuts leave no client timer behind', async () => {
      tally('responses.transports');
      const baseline = await timerBaseline();
      const quick = client({ timeoutMs: () => 200 });
      await quick.getStatus(SCENARIOS.hang);
      await quick.getStatus(SCENARIOS.trickle);
      // A long limit here: a timer left behind by these would still be pending when counted.
      const patient = client({ timeoutMs: () => 20_000 });
      await patient.getStatus(SCENARIOS.truncated);
      await patient.getStatus(SCENARIOS.reset);
      await patient.getStatus(SCENARIOS.huge);
      await patient.getStatus(SCENARIOS.open);
      assert.equal(await timersSettle(baseline), baseline);
    });
  });

  describe('redirects', () => {
    it('same origin (302): followed, with the token, to the same host', async () => {
      tally('responses.redirects');
      const result = await client().getStatus(SCENARIOS.redirectSameHost);
      assert.equal(result.ok, true, result.error?.message);
      assert.equal(result.status, 'OPEN');
      assert.deepEqual(mock.requests.map((r) => r.path), [REPORT + SCENARIOS.redirectSameHost, REPORT + SCENARIOS.open]);
      const host = new URL(mock.url).host;
      assert.ok(mock.requests.every((r) => r.headers.host === host));
    });

    it('other origin (302 to localhost): not followed; the other origin never sees a request or the token', async () => {
      tally('responses.redirects');
      const result = await client().getStatus(SCENARIOS.redirectOtherHost);
      assertClearFailure(result, 'bad-response', /another host .*not followed/);
      assert.equal(mock.requests.length, 1);
      assert.equal(mock.requests[0].headers.host, new URL(mock.url).host);
      assert.ok(!mock.requests.some((r) => r.headers.host?.startsWith('localhost')));
    });

    for (const [scenario, followed] of [['status301', true], ['status307', true], ['status304', false]] as const) {
      it(`${scenario}: ${followed ? 'same-origin redirect followed' : 'not a redirect: bad-response'}`, async () => {
        tally('responses.redirects');
        const result = await client().getStatus(SCENARIOS[scenario]);
        if (followed) {
          assert.equal(result.ok, true, result.error?.message);
          assert.equal(mock.requests.length, 2);
        } else {
          assertClearFailure(result, 'bad-response', /HTTP 304/);
          assert.equal(mock.requests.length, 1);
        }
      });
    }

    const elsewhere: [string, (edge: EdgeServer, other: EdgeServer) => string][] = [
      ['another port of the same host', (_e, o) => `${o.url}${REPORT}${EDGE(0)}`],
      ['https on the same host and port', (e) => `https://127.0.0.1:${e.port}${REPORT}${EDGE(0)}`],
      ['a protocol-relative Location', (_e, o) => `//127.0.0.1:${o.port}${REPORT}${EDGE(0)}`],
      ['userinfo that hides the real host', (_e, o) => `http://127.0.0.1:${_e.port}@localhost:${o.port}${REPORT}${EDGE(0)}`],
      ['localhost for 127.0.0.1', (e) => `http://localhost:${e.port}${REPORT}${EDGE(0)}`],
    ];
    elsewhere.forEach(([what, location], i) => {
      it(`to ${what}: not followed, no request reaches it`, async () => {
        tally('responses.redirects');
        const id = EDGE(100 + i);
        edge.route(REPORT + id, (_req, res) => {
          res.writeHead(307, { location: location(edge, other) });
          res.end();
        });
        const result = await client({ baseUrl: () => edge.url }).getStatus(id);
        assertClearFailure(result, 'bad-response', /another host|not followed/);
        assert.equal(other.requests.length, 0, 'the other origin saw nothing');
        assert.deepEqual(edge.requests.map((r) => r.host), [`127.0.0.1:${edge.port}`], 'one request, to the configured host');
      });
    });

    it('a same-origin redirect loop ends after a bounded number of hops', async () => {
      tally('responses.redirects');
      const id = EDGE(200);
      edge.route(REPORT + id, (_req, res) => {
        res.writeHead(302, { location: REPORT + id });
        res.end();
      });
      const result = await client({ baseUrl: () => edge.url }).getStatus(id);
      assertClearFailure(result, 'bad-response', /not followed/);
      assert.equal(edge.requests.length, 3, 'the first request and two redirects followed, then it stops');
    });

    it('a redirect without a usable Location: bad-response', async () => {
      tally('responses.redirects');
      const id = EDGE(201);
      edge.route(REPORT + id, (_req, res) => {
        res.writeHead(302, { location: 'http://[not a url' });
        res.end();
      });
      const result = await client({ baseUrl: () => edge.url }).getStatus(id);
      assertClearFailure(result, 'bad-response', /without a usable Location/);
    });

    it('a redirect of a POST (resend) is not followed, even to the same origin', async () => {
      tally('responses.redirects');
      edge.route('/verify/v1/otp/resend-otp', (_req, res) => {
        res.writeHead(307, { location: '/verify/v1/otp/resend-otp-elsewhere' });
        res.end();
      });
      const result = await client({ baseUrl: () => edge.url }).resendOtp(EDGE(202));
      assertClearFailure(result, 'bad-response', /not followed/);
      assert.equal(edge.requests.length, 1);
    });
  });

  describe('status codes', () => {
    const table: [string, Scenario | 'wrongToken' | 'unknownId' | 'sendMissing', number, ErrorKind | 'ok', RegExp?][] = [
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
    for (const [what, source, httpStatus, kind, message] of table) {
      it(`HTTP ${what}: ${kind}, recorded in history`, async () => {
        tally('responses.statusCodes');
        const c = client(source === 'wrongToken' ? { token: async () => 'not-the-mock-token' } : {});
        const result =
          source === 'sendMissing'
            ? await c.sendOtp({ originator: 'x', recipient: '', content: 'Your code {}' })
            : await c.getStatus(source === 'wrongToken' ? SCENARIOS.open : source === 'unknownId' ? '99999999-9999-4999-8999-999999999999' : SCENARIOS[source]);
        assert.equal(result.httpStatus, httpStatus);
        if (kind === 'ok') {
          assert.equal(result.ok, true, result.error?.message);
          assert.equal(result.status, 'OPEN');
        } else {
          assertClearFailure(result, kind, message);
        }
        if (httpStatus === 429 || httpStatus === 503) assert.equal(mock.requests.length, 3, 'default: 2 automatic retries');
        else assert.equal(mock.requests.length, 1, 'no automatic retry');
        // Recorded: a store keeps it (send failures without an otp_id are not filed, by design).
        if (result.otpId) {
          const store = new HistoryStore({ memento: new FakeMemento(true), key: 'h', backupKey: 'b', limits: () => ({ maxEntries: 10, maxChecksPerEntry: 10 }), warn: () => undefined });
          await store.add(result);
          assert.equal(store.entries[0].checks[0].error?.kind, result.error?.kind);
          assert.equal(store.entries[0].checks[0].httpStatus, httpStatus);
        }
      });
    }
  });

  describe('hostile text in error answers', () => {
    const hostile = '<img src=x onerror=alert(1)> [Run](command:workbench.action.quit) [x](https://evil.example)\u2028\r\nforged line\u001b[31m\u202eevil';
    const shapes: [string, number, unknown, string?][] = [
      ['detail string', 404, { detail: hostile }],
      ['detail object (code and message)', 401, { detail: { code: '[c](command:workbench.action.quit)', message: hostile } }],
      ['detail list (FastAPI)', 422, { detail: [{ loc: ['path', hostile], msg: hostile, type: hostile }] }],
      ['HTTP reason phrase', 500, { detail: 'x' }, '[Fix](command:workbench.action.quit) \u0085'],
      ['400 split link across code and message', 400, { detail: { code: '[c', message: '](command:workbench.action.quit)' } }],
    ];
    shapes.forEach(([what, status, body, reason], i) => {
      it(`${what}: the message stays one inert line`, async () => {
        tally('responses.hostileErrors');
        const id = EDGE(300 + i);
        edge.route(REPORT + id, (_req, res) => json(res, status, body, {}, reason));
        const result = await client({ baseUrl: () => edge.url }).getStatus(id);
        assert.equal(result.httpStatus, status);
        assertClearFailure(result, result.error?.kind ?? 'bad-response');
        assert.deepEqual(result.body, body, 'the raw body is kept as sent');
      });
    });
  });

  describe('429 and 503: Retry-After, bounded retries, backoff, cancel', () => {
    it('Retry-After in seconds: each retry waits that long; the retry count follows the setting (0 to 5)', async () => {
      for (let maxRetries = 0; maxRetries <= 5; maxRetries++) {
        tally('retries');
        mock.reset();
        waits = [];
        const onWait: RetryWait[] = [];
        const result = await client({ maxRetries: () => maxRetries }).getStatus(SCENARIOS.rateLimited, { onWait: (w) => onWait.push(w) });
        assertClearFailure(result, 'rate-limited');
        assert.equal(mock.requests.length, maxRetries + 1);
        assert.deepEqual(waits, Array(maxRetries).fill(1000));
        assert.deepEqual(onWait.map((w) => w.attempt), Array.from({ length: maxRetries }, (_, i) => i + 1), 'the UI is told each wait');
        if (maxRetries > 0) assert.equal(result.attempts, maxRetries + 1);
      }
    });

    it('the default is 2 automatic retries', async () => {
      tally('retries');
      const result = await new D7VerifyClient({
        fetch: fetch as unknown as FetchLike,
        baseUrl: () => mock.url,
        token: async () => MOCK_TOKEN,
        timeoutMs: () => 3000,
        sleep: async (ms) => void waits.push(ms),
      }).getStatus(SCENARIOS.rateLimited);
      assert.equal(result.attempts, 3);
      assert.equal(mock.requests.length, 3);
    });

    it('a retry count that is not a finite number still ends (NaN, Infinity, negative)', async () => {
      for (const bad of [NaN, Infinity, -3, 2.7]) {
        tally('retries');
        mock.reset();
        const result = await client({ maxRetries: () => bad }).getStatus(SCENARIOS.rateLimited);
        assertClearFailure(result, 'rate-limited');
        assert.ok(mock.requests.length >= 1 && mock.requests.length <= 6, `maxRetries ${bad}: ${mock.requests.length} requests`);
      }
    });

    it('429 once, then 200: the retry succeeds', async () => {
      tally('retries');
      const result = await client().getStatus(SCENARIOS.rateLimitedOnce);
      assert.equal(result.ok, true);
      assert.equal(result.attempts, 2);
      assert.deepEqual(waits, [1000]);
    });

    const NOW = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    const retryAfterCases: [string, string, number[] | 'none', number | undefined][] = [
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
    retryAfterCases.forEach(([what, header, expected, seconds], i) => {
      it(`503 with Retry-After ${what}`, async () => {
        tally('retries');
        const id = EDGE(400 + i);
        edge.route(REPORT + id, (_req, res) => json(res, 503, { detail: 'Service Unavailable' }, { 'retry-after': header }));
        const result = await client({ baseUrl: () => edge.url, now: () => NOW }).getStatus(id);
        assertClearFailure(result, 'server');
        assert.equal(result.error?.retryAfterSeconds, seconds);
        if (expected === 'none') {
          assert.deepEqual(waits, []);
          assert.equal(edge.requests.length, 1);
        } else {
          assert.deepEqual(waits, expected);
          assert.equal(edge.requests.length, 3);
        }
      });
    });

    const garbage = ['soon', '1.5', '-1', '+5', 'tomorrow 1', 'x 2030', '10 seconds', ''];
    it(`unreadable Retry-After values fall back to exponential backoff with jitter (${garbage.length} values)`, async () => {
      for (const [i, header] of garbage.entries()) {
        tally('retries');
        const id = EDGE(500 + i);
        edge.route(REPORT + id, (_req, res) => json(res, 429, { detail: 'Too Many Requests' }, header ? { 'retry-after': header } : {}));
        waits = [];
        const result = await client({ baseUrl: () => edge.url, now: () => NOW, random: () => 1, backoffBaseMs: 100 }).getStatus(id);
        assertClearFailure(result, 'rate-limited');
        assert.equal(result.error?.retryAfterSeconds, undefined, `Retry-After ${JSON.stringify(header)} is not a wait`);
        assert.deepEqual(waits, [100, 200], `Retry-After ${JSON.stringify(header)}: backoff 100, 200 ms`);
      }
    });

    it('backoff: doubles per retry, jitter keeps each wait within [50 %, 100 %] of it, capped at the bound', async () => {
      const id = EDGE(600);
      edge.route(REPORT + id, (_req, res) => json(res, 503, { detail: 'down' }));
      for (const r of [0, 0.25, 0.5, 0.999]) {
        tally('retries');
        waits = [];
        await client({ baseUrl: () => edge.url, random: () => r, backoffBaseMs: 1000, maxRetries: () => 5 }).getStatus(id);
        assert.equal(waits.length, 5);
        waits.forEach((w, k) => {
          const full = Math.min(1000 * 2 ** k, 30_000);
          assert.ok(w >= Math.min(full * 0.5, 30_000) - 1 && w <= full, `retry ${k + 1}: ${w} ms for random ${r}`);
        });
        assert.ok(waits.every((w) => w <= 30_000));
      }
      tally('retries');
      waits = [];
      await client({ baseUrl: () => edge.url, random: () => 1, backoffBaseMs: 20_000, maxRetries: () => 3 }).getStatus(id);
      assert.deepEqual(waits, [20_000, 30_000, 30_000], 'never longer than the bound');
    });

    it('cancel while waiting (real timer): ends at once, no request after, no timer left', async () => {
      tally('retries');
      const baseline = await timerBaseline();
      const controller = new AbortController();
      const started = Date.now();
      const result = await client({ sleep: undefined }).getStatus(SCENARIOS.rateLimited, {
        signal: controller.signal,
        onWait: () => setImmediate(() => controller.abort()),
      });
      assertClearFailure(result, 'cancelled', /waiting to retry/);
      assert.ok(Date.now() - started < 800, 'did not sit out the 1 s Retry-After');
      assert.equal(mock.requests.length, 1);
      assert.equal(await timersSettle(baseline), baseline, 'no timer left');
    });

    it('cancel in flight (slow answer): cancelled, no timer left, the connection is closed', async () => {
      tally('retries');
      const baseline = await timerBaseline();
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const result = await client().getStatus(SCENARIOS.slow, { signal: controller.signal });
      assertClearFailure(result, 'cancelled');
      assert.ok(Date.now() - started < 1000);
      assert.equal(await timersSettle(baseline), baseline, 'no timer left (the mock cleared its delay too: the socket closed)');
    });
  });

  describe('pure parts of the error model', () => {
    it('parseRetryAfter reads only delta-seconds and HTTP dates', () => {
      const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
      const cases: [string | null | undefined, number | undefined][] = [
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
      const zone = process.env.TZ;
      try {
        // HTTP dates are GMT whatever the machine's zone (asctime has no zone of its own).
        for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
          process.env.TZ = tz;
          for (const [header, seconds] of cases) {
            tally('responses.errorModel');
            assert.equal(parseRetryAfter(header, now), seconds, `Retry-After ${JSON.stringify(header)} in ${tz}`);
          }
        }
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });

    it('httpError: every status from 100 to 599 gives a kind and one inert line, whatever the body', () => {
      const bodies: unknown[] = [undefined, null, 'text', [], { detail: null }, { detail: 42 }, { detail: ['x', null, { msg: 7 }] }, { detail: { code: 5, message: {} } }];
      for (let status = 100; status <= 599; status++) {
        for (const body of bodies) {
          tally('responses.errorModel');
          const error = httpError(status, 'Reason [x](command:y)\u0085', body);
          assert.ok(error.kind);
          assert.doesNotMatch(error.message, UNSAFE_CHARS);
          assert.doesNotMatch(error.message, NOTIFICATION_LINK);
        }
      }
    });
  });
});
