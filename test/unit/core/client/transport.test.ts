import * as assert from 'node:assert/strict';
import fetch from 'node-fetch';
import type { ErrorKind, StatusCheck } from '../../../../src/core/check';
import type { D7Request, FetchInit, FetchLike } from '../../../../src/core/client/request';
import { Transport } from '../../../../src/core/client/transport';
import { english } from '../../../../src/core/messages';
import { otpId as parseId } from '../../helpers';
import { EDGE_REDIRECTS, MOCK_REDIRECTS, REDIRECTS_ELSEWHERE, TRANSPORTS } from '../../../cases/responses';
import { edgeId, REPORT_PATH, redirect } from '../../../mock/edgeServer';
import { HUGE_TOTAL_BYTES } from '../../../mock/scenarios';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { assertInertLine, timerBaseline, timersSettle, useEdgeServers, useMock, waitFor, waitForStable } from '../../helpers';

const id = (name: keyof typeof SCENARIOS) => parseId(SCENARIOS[name]);
const ENDPOINT = { origin: 'https://api.example', setting: 'd7otp.baseUrl' };
const GET: D7Request = { operation: 'status', otpId: parseId(SCENARIOS.open), method: 'GET', path: `/verify/v1/report/${SCENARIOS.open}` };

/** Asserts the shape every failed call must have: a kind, one printable inert line, no token. */
function assertClearFailure(result: StatusCheck, kind: ErrorKind, message?: RegExp): void {
  assert.equal(result.ok, false, `expected ${kind}, got ok (${result.status})`);
  assert.equal(result.error?.kind, kind, result.error?.message);
  assert.ok(result.error && result.error.message.length > 0);
  assertInertLine(result.error.message, 'the message');
  if (message) assert.match(result.error.message, message);
  assert.ok(!JSON.stringify(result).includes(MOCK_TOKEN), 'no token in the record');
}

/** A fetch that records each call and answers `{"status":"OPEN"}` without a socket. */
function recordingFetch(): { fetch: FetchLike; calls: [string, FetchInit][] } {
  const calls: [string, FetchInit][] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push([url, init]);
    return { status: 200, statusText: 'OK', headers: { get: () => null }, body: '{"status":"OPEN"}' };
  };
  return { calls, fetch };
}

describe('core/client/transport', () => {
  /** A request's credentials: the token, redacted from what comes back. */
  const creds = (token: string) => ({ token, redact: [token] });

  describe('Transport', () => {
    it('needs a fetch or a loadFetch', () => {
      assert.throws(() => new Transport({ timeoutMs: () => 1000 }), { name: 'TypeError', message: 'Transport needs fetch or loadFetch' });
    });

    it('loads the fetch on first use, once, not when constructed', async () => {
      const rec = recordingFetch();
      let loads = 0;
      const transport = new Transport({ loadFetch: async () => (loads++, rec.fetch), timeoutMs: () => 1000 });
      assert.equal(loads, 0);
      await transport.exchange(ENDPOINT, GET, creds('tok'));
      await transport.exchange(ENDPOINT, GET, creds('tok'));
      assert.deepEqual([loads, rec.calls.length], [1, 2]);
    });

    it('sends the token only in the Authorization header of the configured origin, a JSON body only for a POST, redirects manual', async () => {
      const rec = recordingFetch();
      const transport = new Transport({ fetch: rec.fetch, timeoutMs: () => 1000, userAgent: 'ua/1' });
      const answer = await transport.exchange(ENDPOINT, GET, creds('tok'));
      assert.ok(!('kind' in answer));
      assert.deepEqual([answer.httpStatus, answer.text, answer.truncated], [200, '{"status":"OPEN"}', false]);
      await transport.exchange(
        ENDPOINT,
        { ...GET, operation: 'resend', method: 'POST', path: '/verify/v1/otp/resend-otp', payload: { otp_id: GET.otpId } },
        creds('tok'),
      );
      const [[getUrl, get], [postUrl, post]] = rec.calls;
      assert.equal(getUrl, `https://api.example${GET.path}`);
      assert.deepEqual(get.headers, { Authorization: 'Bearer tok', Accept: 'application/json', 'User-Agent': 'ua/1' });
      assert.equal(get.body, undefined);
      assert.equal(get.redirect, 'manual');
      assert.equal(postUrl, 'https://api.example/verify/v1/otp/resend-otp');
      assert.equal(post.headers['Content-Type'], 'application/json');
      assert.equal(post.body, JSON.stringify({ otp_id: GET.otpId }));
    });

    it('an already aborted signal: cancelled, and nothing is fetched', async () => {
      const rec = recordingFetch();
      const outcome = await new Transport({ fetch: rec.fetch, timeoutMs: () => 1000 }).exchange(ENDPOINT, GET, creds('tok'), AbortSignal.abort());
      assert.ok('kind' in outcome);
      assert.deepEqual([outcome.kind, english(outcome.text), rec.calls.length], ['cancelled', 'Cancelled.', 0]);
    });

    it('a failure that is not a known network code says what the fetch said, token redacted, one line', async () => {
      const failing: FetchLike = async () => {
        throw Object.assign(new Error('boom with tok-secret-1234 inside\nsecond line'), { code: 'EWEIRD' });
      };
      const outcome = await new Transport({ fetch: failing, timeoutMs: () => 1000 }).exchange(ENDPOINT, GET, creds('tok-secret-1234'));
      assert.ok('kind' in outcome);
      assert.equal(outcome.kind, 'network');
      assert.equal(english(outcome.text), 'Could not reach https://api.example (EWEIRD): boom with *** inside second line');
    });

    it('says an untrusted certificate and an unreachable proxy in words that help, never a proxy password', async () => {
      const failWith =
        (error: Error): FetchLike =>
        async () => {
          throw error;
        };
      const untrusted = Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
      const proxyDown = new Error(
        'request to https://api.example/x failed, reason: Failed to establish a socket connection to proxies: PROXY <credentials>@10.1.2.3:3128',
      );
      const withPassword = new Error('Failed to establish a socket connection to proxies: PROXY bob:hunter2@proxy.corp:8080');
      const worded = async (error: Error) => {
        const outcome = await new Transport({ fetch: failWith(error), timeoutMs: () => 1000 }).exchange(ENDPOINT, GET, creds('tok'));
        assert.ok('kind' in outcome && outcome.kind === 'network');
        return { id: outcome.text.id, text: english(outcome.text) };
      };
      const cert = await worded(untrusted);
      assert.equal(cert.id, 'certificateUntrusted');
      assert.match(cert.text, /^The certificate of https:\/\/api\.example is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\), so the token was not sent\./);
      const down = await worded(proxyDown);
      assert.equal(down.id, 'proxyUnreachable');
      assert.match(down.text, /^Could not connect to https:\/\/api\.example through the proxy PROXY 10\.1\.2\.3:3128 \(setting http\.proxy/);
      const secret = await worded(withPassword);
      assert.ok(!secret.text.includes('hunter2') && !secret.text.includes('bob:'), secret.text);
      assert.match(secret.text, /PROXY proxy\.corp:8080/);
    });
  });

  describe('Transport over a fetch given as a function (no socket)', () => {
    const failWith =
      (error: unknown): FetchLike =>
      async () => {
        throw error;
      };
    const outcomeOf = async (fetch: FetchLike, options: { timeoutMs?: number; maxBodyBytes?: number } = {}) =>
      new Transport({ fetch, timeoutMs: () => options.timeoutMs ?? 1000, ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}) }).exchange(
        ENDPOINT,
        GET,
        creds('tok'),
      );
    const answering =
      (body: unknown): FetchLike =>
      async () => ({ status: 200, statusText: 'OK', headers: { get: () => null }, body });

    it("says which failure of the connection it was, from the error's code, its cause's code, or its words", async () => {
      const cases: [unknown, string][] = [
        [Object.assign(new Error('x'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }), 'connectionClosed'],
        [new Error('Invalid response body: Premature close'), 'connectionClosed'],
        [Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'connectionReset'],
        [Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNRESET' } }), 'connectionReset'],
        [Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'connectionRefused'],
        [Object.assign(new Error('x'), { code: 'ENOTFOUND' }), 'hostNotResolved'],
        [Object.assign(new Error('fetch failed'), { cause: { code: 'EAI_AGAIN' } }), 'hostNotResolved'],
        [Object.assign(new Error('x'), { cause: { code: 'CERT_HAS_EXPIRED' } }), 'certificateUntrusted'],
        [Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED_NOT' }), 'unreachableCode'],
        [new Error('socket hang up'), 'unreachable'],
        ['a thrown string', 'unreachable'],
      ];
      for (const [error, id] of cases) {
        const outcome = await outcomeOf(failWith(error));
        assert.ok('kind' in outcome, String(error));
        assert.deepEqual([outcome.kind, outcome.text.id], ['network', id], String(error));
      }
      const refused = await outcomeOf(failWith(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
      assert.ok('kind' in refused);
      assert.equal(english(refused.text), 'Could not connect to https://api.example (connection refused). Check d7otp.baseUrl and your network.');
      const thrown = await outcomeOf(failWith('a thrown string'));
      assert.ok('kind' in thrown);
      assert.equal(english(thrown.text), 'Could not reach https://api.example: a thrown string');
    });

    it('a proxy named only by credentials is called http.proxy (the setting), never by the credentials', async () => {
      const outcome = await outcomeOf(failWith(new Error('Failed to establish a socket connection to proxies: bob:hunter2@')));
      assert.ok('kind' in outcome);
      assert.equal(outcome.text.id, 'proxyUnreachable');
      assert.deepEqual(outcome.text.args.slice(0, 2), ['https://api.example', 'http.proxy']);
    });

    it('the time limit is said in whole seconds, or to a tenth of a second', async () => {
      const hanging: FetchLike = (_url, init) =>
        new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' }))));
      for (const [timeoutMs, said] of [
        [1000, '1 s'],
        [250, '0.3 s'],
      ] as const) {
        const outcome = await outcomeOf(hanging, { timeoutMs });
        assert.ok('kind' in outcome);
        assert.deepEqual([outcome.kind, english(outcome.text)], ['timeout', `No complete answer from https://api.example within ${said}.`]);
      }
    });

    it('a body of exactly the cap is whole; one byte more is cut to the cap (a string or a stream of chunks)', async () => {
      const read = async (body: unknown, maxBodyBytes: number) => {
        const answer = await outcomeOf(answering(body), { maxBodyBytes });
        assert.ok(!('kind' in answer));
        return [answer.text, answer.truncated];
      };
      assert.deepEqual(await read('abcdef', 6), ['abcdef', false]);
      assert.deepEqual(await read('abcdefg', 6), ['abcdef', true]);
      const chunks = () =>
        (async function* () {
          yield Buffer.from('abc');
          yield 'def';
        })();
      assert.deepEqual(await read(chunks(), 6), ['abcdef', false]);
      assert.deepEqual(await read(chunks(), 3), ['abc', true]);
      assert.deepEqual(await read(chunks(), 4), ['abcd', true]);
      assert.deepEqual(await read(null, 6), ['', false]);
    });

    it("without a user agent of the caller's, the request names the extension", async () => {
      const rec = recordingFetch();
      await new Transport({ fetch: rec.fetch, timeoutMs: () => 1000 }).exchange(ENDPOINT, GET, creds('tok'));
      assert.equal(rec.calls[0][1].headers['User-Agent'], 'd7-otp-inspector');
    });
  });

  describe('transports against the mock', () => {
    const ctx = useMock({ slowMs: 2000 });

    for (const [what, scenario, limits, kind, message] of TRANSPORTS) {
      it(`${what}: ${kind}`, async () => {
        const started = Date.now();
        const result = await ctx
          .client({
            timeoutMs: () => limits.timeoutMs ?? 3000,
            maxBodyBytes: limits.maxBodyBytes,
            ...(scenario === 'refused' ? { baseUrl: () => 'http://127.0.0.1:9' } : {}),
          })
          .getStatus(scenario === 'refused' ? id('open') : id(scenario));
        const took = Date.now() - started;
        assertClearFailure(result, kind, message);
        assert.equal(ctx.mock.requests.length, scenario === 'refused' ? 0 : 1, 'no retry');
        if (scenario === 'huge') {
          const cap = limits.maxBodyBytes ?? 1024 * 1024;
          assert.equal(result.bodyTruncated, true);
          assert.equal(Buffer.byteLength(result.body as string), cap, 'exactly the cap kept');
          await waitForStable(() => ctx.mock.hugeBytesWritten, 'the mock to stop writing');
          assert.ok(ctx.mock.hugeBytesWritten < cap + 1024 * 1024, `the mock wrote ${ctx.mock.hugeBytesWritten} of ${HUGE_TOTAL_BYTES} bytes`);
        }
        if (limits.timeoutMs) assert.ok(took >= limits.timeoutMs - 50 && took < limits.timeoutMs + 1200, `ended after ${took} ms`);
      });
    }

    it('times out a slow answer at the limit', async () => {
      const started = Date.now();
      const result = await ctx.client({ timeoutMs: () => 200 }).getStatus(id('slow'));
      assertClearFailure(result, 'timeout', /No complete answer from http:\/\/127\.0\.0\.1:\d+ within 0\.2 s/);
      assert.ok(Date.now() - started < 1500);
    });

    it('cancels through an AbortSignal, in flight or before the start; no timer left, the connection closed', async () => {
      const baseline = await timerBaseline();
      const controller = new AbortController();
      const started = Date.now();
      const pending = ctx.client().getStatus(id('slow'), { signal: controller.signal });
      await waitFor(() => ctx.mock.requests.length === 1, 'the request to reach the mock');
      controller.abort();
      const result = await pending;
      assertClearFailure(result, 'cancelled', /^Cancelled\.$/);
      assert.equal(result.httpStatus, undefined);
      assert.ok(Date.now() - started < 1000);
      const already = await ctx.client().getStatus(id('open'), { signal: AbortSignal.abort() });
      assertClearFailure(already, 'cancelled');
      assert.equal(ctx.mock.requests.length, 1, 'nothing sent for the one cancelled before it started');
      assert.equal(await timersSettle(baseline), baseline, 'no timer left (the mock cleared its delay too: the socket closed)');
    });

    it('timeouts and cuts leave no client timer behind', async () => {
      const baseline = await timerBaseline();
      const quick = ctx.client({ timeoutMs: () => 200 });
      await quick.getStatus(id('hang'));
      await quick.getStatus(id('trickle'));
      // A long limit here: a timer left behind by these would still be pending when counted.
      const patient = ctx.client({ timeoutMs: () => 20_000 });
      for (const name of ['truncated', 'reset', 'huge', 'open'] as const) await patient.getStatus(id(name));
      assert.equal(await timersSettle(baseline), baseline);
    });
  });

  describe('redirects', () => {
    const ctx = useMock();
    const servers = useEdgeServers();

    for (const [scenario, followed] of MOCK_REDIRECTS) {
      it(`${scenario}: ${followed ? 'same origin, followed with the token to the same host' : 'not followed: bad-response'}`, async () => {
        const result = await ctx.client().getStatus(id(scenario));
        const host = new URL(ctx.mock.url).host;
        if (followed) {
          assert.equal(result.status, 'OPEN', result.error?.message);
          assert.deepEqual(
            ctx.mock.requests.map((r) => r.path),
            [REPORT_PATH + SCENARIOS[scenario], REPORT_PATH + SCENARIOS.open],
          );
          assert.ok(ctx.mock.requests.every((r) => r.headers.host === host && r.headers.authorization === `Bearer ${MOCK_TOKEN}`));
        } else {
          assertClearFailure(result, 'bad-response', scenario === 'status304' ? /HTTP 304/ : /another host \(http:\/\/localhost:\d+\); not followed/);
          assert.deepEqual(
            ctx.mock.requests.map((r) => r.headers.host),
            [host],
            'one request, and the other host never saw one',
          );
        }
      });
    }

    REDIRECTS_ELSEWHERE.forEach(([what, location], i) => {
      it(`to ${what}: not followed, no request reaches it`, async () => {
        const { edge, other } = servers;
        const otpId = edgeId(100 + i);
        edge.route(REPORT_PATH + otpId, (_req, res) => redirect(res, 307, location(edge.port, other.port, REPORT_PATH + edgeId(0))));
        const result = await ctx.client({ baseUrl: () => edge.url }).getStatus(parseId(otpId));
        assertClearFailure(result, 'bad-response', /another host|not followed/);
        assert.equal(other.requests.length, 0, 'the other origin saw nothing');
        assert.deepEqual(
          edge.requests.map((r) => r.host),
          [`127.0.0.1:${edge.port}`],
          'one request, to the configured host',
        );
      });
    });

    EDGE_REDIRECTS.forEach(([what, method, status, location, message, requests], i) => {
      it(`${what}: bad-response after ${requests} request(s)`, async () => {
        const { edge } = servers;
        const otpId = parseId(edgeId(200 + i));
        const path = method === 'GET' ? REPORT_PATH + otpId : '/verify/v1/otp/resend-otp';
        edge.route(path, (_req, res) => redirect(res, status, location === 'self' ? path : location));
        const c = ctx.client({ baseUrl: () => edge.url });
        const result = method === 'GET' ? await c.getStatus(otpId) : await c.resendOtp(otpId);
        assertClearFailure(result, 'bad-response', message);
        assert.equal(edge.requests.length, requests);
      });
    });
  });

  describe('with node-fetch loaded on first use (as the extension)', () => {
    const ctx = useMock();

    it('reads a status through loadFetch', async () => {
      const result = await ctx.client({ fetch: undefined, loadFetch: async () => fetch as unknown as FetchLike }).getStatus(id('approved'));
      assert.equal(result.status, 'APPROVED');
    });
  });
});
