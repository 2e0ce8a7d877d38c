import * as assert from 'node:assert/strict';
import { HUGE_TOTAL_BYTES, MAIN_SCENARIOS } from '../mock/scenarios';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockOptions, type MockServer } from '../mock/server';
import { waitFor, waitForStable } from './helpers';

const AUTH = { authorization: `Bearer ${MOCK_TOKEN}` };
const UNKNOWN = '99999999-9999-4999-8999-999999999999';
const SEND = { recipient: '+971501234567', originator: 'SignOTP', content: 'Your code is {}' };
const UNAUTHORIZED = {
  detail: { code: 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED', message: 'Access token signature verification failed' },
};
const NO_SUCH_OTP = {
  detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists in the system. Please Try Again!' },
};

/** A mock started for one describe block, reset before each test. */
function useMock(options: MockOptions = {}): { readonly mock: MockServer; readonly lines: string[] } {
  const state = { mock: undefined as unknown as MockServer, lines: [] as string[] };
  before(async () => {
    state.mock = await startMockServer({ slowMs: 300, log: (line) => state.lines.push(line), ...options });
  });
  after(() => state.mock.close());
  beforeEach(() => {
    state.mock.reset();
    state.mock.setLatency(0);
    state.lines.length = 0;
  });
  return state;
}

describe('mock D7 server', () => {
  it('MOCK_TOKEN is a JWT whose header and payload decode as D7 tokens do', () => {
    const parts = MOCK_TOKEN.split('.');
    assert.equal(parts.length, 3);
    const decode = (part: string): unknown => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    assert.deepEqual(decode(parts[0]), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(decode(parts[1]), { aud: 'auth-backend:app', sub: '6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77' });
    assert.ok(parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p)));
  });

  it('SCENARIOS ids are distinct lower-case UUIDs, and the CLI table names real ones', () => {
    const ids = Object.values(SCENARIOS);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    for (const [name] of MAIN_SCENARIOS) assert.ok(SCENARIOS[name]);
    assert.equal(SCENARIOS.open, '8d963dbf-d655-4fe6-9157-48885a036050');
    assert.equal(SCENARIOS.status504, 'c0de0000-0000-4000-8000-000000000504');
  });

  describe('Get Status', () => {
    const ctx = useMock({ turnsApprovedAfter: 2 });
    const get = (id: string, init: RequestInit = {}): Promise<Response> => fetch(`${ctx.mock.url}/verify/v1/report/${id}`, { headers: AUTH, ...init });

    it('listens on 127.0.0.1 with a URL without trailing slash', () => {
      assert.match(ctx.mock.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ctx.mock.url, `http://127.0.0.1:${ctx.mock.port}`);
    });

    const fixed: [keyof typeof SCENARIOS, string][] = [
      ['open', 'OPEN'],
      ['approved', 'APPROVED'],
      ['expired', 'EXPIRED'],
      ['failed', 'FAILED'],
      ['alreadyVerified', 'ALREADY_VERIFIED'],
      ['unknownStatus', 'PENDING_REVIEW'],
    ];
    for (const [name, status] of fixed) {
      it(`${name}: 200 {"status":"${status}"}`, async () => {
        const res = await get(SCENARIOS[name]);
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/json');
        assert.deepEqual(await res.json(), { status });
      });
    }

    it('withExtraFields: status plus otp_id, recipient, expiry', async () => {
      const res = await get(SCENARIOS.withExtraFields);
      assert.deepEqual(await res.json(), {
        status: 'OPEN',
        otp_id: SCENARIOS.withExtraFields,
        recipient: '+9715XXXXXXX',
        expiry: 600,
      });
    });

    it('matches known ids in any case and percent-decoded', async () => {
      assert.deepEqual(await (await get(SCENARIOS.approved.toUpperCase())).json(), { status: 'APPROVED' });
      const encoded = SCENARIOS.approved.replace(/-/g, '%2D');
      assert.deepEqual(await (await get(encoded)).json(), { status: 'APPROVED' });
    });

    it('turnsApproved: OPEN for the first looks, then APPROVED; reset starts over', async () => {
      const seen: string[] = [];
      for (let i = 0; i < 4; i++) {
        seen.push(((await (await get(SCENARIOS.turnsApproved)).json()) as { status: string }).status);
      }
      assert.deepEqual(seen, ['OPEN', 'OPEN', 'APPROVED', 'APPROVED']);
      ctx.mock.reset();
      assert.deepEqual(await (await get(SCENARIOS.turnsApproved)).json(), { status: 'OPEN' });
    });

    it('rateLimited: always 429 with Retry-After: 1', async () => {
      for (let i = 0; i < 2; i++) {
        const res = await get(SCENARIOS.rateLimited);
        assert.equal(res.status, 429);
        assert.equal(res.headers.get('retry-after'), '1');
        assert.deepEqual(await res.json(), { detail: 'Too Many Requests' });
      }
    });

    it('rateLimitedOnce: 429 once, then OPEN', async () => {
      const first = await get(SCENARIOS.rateLimitedOnce);
      assert.equal(first.status, 429);
      assert.equal(first.headers.get('retry-after'), '1');
      await first.arrayBuffer();
      const second = await get(SCENARIOS.rateLimitedOnce);
      assert.equal(second.status, 200);
      assert.deepEqual(await second.json(), { status: 'OPEN' });
    });

    it('serviceUnavailableOnce: 503 HTML without Retry-After once, then OPEN', async () => {
      const first = await get(SCENARIOS.serviceUnavailableOnce);
      assert.equal(first.status, 503);
      assert.equal(first.headers.get('retry-after'), null);
      assert.match(first.headers.get('content-type') ?? '', /text\/html/);
      assert.match(await first.text(), /503/);
      assert.deepEqual(await (await get(SCENARIOS.serviceUnavailableOnce)).json(), { status: 'OPEN' });
    });

    it('serverError: 502 with an HTML body', async () => {
      const res = await get(SCENARIOS.serverError);
      assert.equal(res.status, 502);
      assert.equal(res.headers.get('content-type'), 'text/html');
      assert.equal(await res.text(), '<html><body><h1>502 Bad Gateway</h1></body></html>');
    });

    it('slow: OPEN after slowMs', async () => {
      const started = Date.now();
      const res = await get(SCENARIOS.slow);
      assert.deepEqual(await res.json(), { status: 'OPEN' });
      assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
    });

    it('401 unless the header is exactly "Bearer <token>"', async () => {
      const bad = ['', 'Bearer wrong', `bearer ${MOCK_TOKEN}`, MOCK_TOKEN, `Bearer  ${MOCK_TOKEN}`, `Bearer ${MOCK_TOKEN}x`];
      for (const value of bad) {
        const headers: Record<string, string> = value ? { authorization: value } : {};
        const res = await fetch(`${ctx.mock.url}/verify/v1/report/${SCENARIOS.open}`, { headers });
        assert.equal(res.status, 401, value);
        assert.deepEqual(await res.json(), UNAUTHORIZED);
      }
    });

    it('404 MESSAGE_LOG_NOT_EXISTS for an unknown UUID; 404 Not Found for unknown routes', async () => {
      const unknown = await get(UNKNOWN);
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), NO_SUCH_OTP);
      const paths = [`/verify/v1/report/${SCENARIOS.open}/extra`, '/verify/v1/report/', '/nothing', '/verify/v2/report/x'];
      for (const path of paths) {
        const res = await fetch(`${ctx.mock.url}${path}`, { headers: AUTH });
        assert.equal(res.status, 404, path);
        assert.deepEqual(await res.json(), { detail: 'Not Found' });
      }
    });

    it('422 FastAPI list when the id is not a UUID', async () => {
      for (const id of ['not-a-uuid', '8d963dbf-d655-4fe6-9157-48885a03605', '%E0%A4%A', `${SCENARIOS.open}%2Fx`]) {
        const res = await get(id);
        assert.equal(res.status, 422, id);
        assert.deepEqual(await res.json(), {
          detail: [{ loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' }],
        });
      }
    });

    it('405 for a wrong method on a known route', async () => {
      const post = await get(SCENARIOS.open, { method: 'POST' });
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET');
      assert.deepEqual(await post.json(), { detail: 'Method Not Allowed' });
      const getSend = await fetch(`${ctx.mock.url}/verify/v1/otp/send-otp`, { headers: AUTH });
      assert.equal(getSend.status, 405);
      await getSend.arrayBuffer();
    });

    it('records API requests (raw path, headers, body) but not /__mock/ ones', async () => {
      const headers = { ...AUTH, 'User-Agent': 'd7-otp-inspector/test' };
      await (await get(SCENARIOS.open.toUpperCase(), { headers })).text();
      await (await fetch(`${ctx.mock.url}/__mock/scenarios`)).text();
      await (await fetch(`${ctx.mock.url}/nothing?x=1`)).text();
      assert.equal(ctx.mock.requests.length, 2);
      const [first, second] = ctx.mock.requests;
      assert.equal(first.method, 'GET');
      assert.equal(first.path, `/verify/v1/report/${SCENARIOS.open.toUpperCase()}`);
      assert.equal(first.headers.authorization, `Bearer ${MOCK_TOKEN}`);
      assert.equal(first.headers['user-agent'], 'd7-otp-inspector/test');
      assert.equal(first.body, '');
      assert.ok(first.receivedAt > 0);
      assert.equal(second.path, '/nothing?x=1');
      const listed = (await (await fetch(`${ctx.mock.url}/__mock/requests`)).json()) as { path: string }[];
      assert.deepEqual(
        listed.map((r) => r.path),
        ctx.mock.requests.map((r) => r.path),
      );
    });

    it('logs method, path, status and time, never the token', async () => {
      await (await get(SCENARIOS.open)).text();
      await waitFor(() => ctx.lines.length > 0, 'the log line (written when the exchange closes)');
      assert.equal(ctx.lines.length, 1);
      assert.match(ctx.lines[0], new RegExp(`^\\[mock\\] GET /verify/v1/report/${SCENARIOS.open} -> 200 \\(\\d+ ms\\)$`));
      assert.ok(!ctx.lines.join('\n').includes(MOCK_TOKEN));
    });

    it('latency: setLatency and /__mock/latency delay every API answer', async () => {
      ctx.mock.setLatency(300);
      let started = Date.now();
      await (await get(SCENARIOS.open)).text();
      assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
      const set = await fetch(`${ctx.mock.url}/__mock/latency?ms=0`, { method: 'POST' });
      assert.deepEqual(await set.json(), { latencyMs: 0 });
      started = Date.now();
      await (await get(SCENARIOS.open)).text();
      assert.ok(Date.now() - started < 290, `took ${Date.now() - started} ms`);
    });
  });

  describe('hostile answers', () => {
    const ctx = useMock();
    const get = (name: keyof typeof SCENARIOS, init: RequestInit = {}): Promise<Response> =>
      fetch(`${ctx.mock.url}/verify/v1/report/${SCENARIOS[name]}`, { headers: AUTH, redirect: 'manual', ...init });

    it('odd 200 bodies', async () => {
      const expected: [keyof typeof SCENARIOS, string, string][] = [
        ['empty200', 'application/json', ''],
        ['text200', 'text/plain', 'OK'],
        ['array200', 'application/json', '[]'],
        ['string200', 'application/json', '"OPEN"'],
        ['number200', 'application/json', '42'],
        ['null200', 'application/json', 'null'],
        ['statusMissing', 'application/json', `{"otp_id":"${SCENARIOS.statusMissing}"}`],
        ['statusNumber', 'application/json', '{"status":3}'],
      ];
      for (const [name, type, body] of expected) {
        const res = await get(name);
        assert.equal(res.status, 200, name);
        assert.equal(res.headers.get('content-type'), type, name);
        assert.equal(await res.text(), body, name);
      }
      assert.match(await (await get('html200')).text(), /^<!DOCTYPE html>/);
    });

    it('strange status strings: long, markup, control characters, unicode', async () => {
      const statusOf = async (name: keyof typeof SCENARIOS): Promise<{ status: string; note?: string }> =>
        (await (await get(name)).json()) as { status: string; note?: string };
      assert.equal((await statusOf('longStatus')).status.length, 100_000);
      const markup = await statusOf('markup');
      assert.equal(markup.status, '<img src=x onerror=alert(1)>**bold** [x](command:workbench.action.quit) $(alert)');
      assert.match(markup.note ?? '', /<script>/);
      assert.ok((await statusOf('controlChars')).status.includes('\u0000\u001b[31m\r\nINJECTED'));
      const unicode = (await statusOf('unicode')).status;
      assert.ok(unicode.includes('\u202e') && /\p{Extended_Pictographic}/u.test(unicode) && /\p{M}/u.test(unicode));
    });

    it('one id per HTTP status, redirects pointing at the open id', async () => {
      const codes = [201, 202, 204, 301, 304, 307, 400, 403, 405, 408, 409, 410, 413, 500, 503, 504];
      for (const code of codes) {
        const res = await get(`status${code}` as keyof typeof SCENARIOS);
        assert.equal(res.status, code);
        await res.arrayBuffer();
        if (code >= 300 && code < 400) assert.equal(res.headers.get('location'), `/verify/v1/report/${SCENARIOS.open}`);
      }
    });

    it('redirectSameHost: 302 to the open id, followed by fetch', async () => {
      const manual = await get('redirectSameHost');
      assert.equal(manual.status, 302);
      assert.equal(manual.headers.get('location'), `/verify/v1/report/${SCENARIOS.open}`);
      const followed = await get('redirectSameHost', { redirect: 'follow' });
      assert.deepEqual(await followed.json(), { status: 'OPEN' });
    });

    it('redirectOtherHost: 302 to localhost on the same port; the followed request is recorded', async () => {
      const manual = await get('redirectOtherHost');
      assert.equal(manual.status, 302);
      assert.equal(manual.headers.get('location'), `http://localhost:${ctx.mock.port}/verify/v1/report/${SCENARIOS.open}`);
      ctx.mock.reset();
      const followed = await get('redirectOtherHost', { redirect: 'follow' });
      await followed.arrayBuffer();
      const second = ctx.mock.requests[1];
      assert.equal(second.headers.host, `localhost:${ctx.mock.port}`);
      assert.equal(second.path, `/verify/v1/report/${SCENARIOS.open}`);
      // fetch drops Authorization when a redirect changes the origin (127.0.0.1 → localhost): the mock says 401.
      assert.equal(second.headers.authorization, undefined);
      assert.equal(followed.status, 401);
      // The same target with the token answers OPEN: the 401 is the missing header, not the host.
      const withToken = await fetch(`http://localhost:${ctx.mock.port}/verify/v1/report/${SCENARIOS.open}`, { headers: AUTH });
      assert.deepEqual([withToken.status, await withToken.json()], [200, { status: 'OPEN' }]);
    });

    it('huge: 5 MiB of JSON when read in full', async () => {
      const body = await (await get('huge')).text();
      assert.equal(Buffer.byteLength(body), HUGE_TOTAL_BYTES);
      assert.equal((JSON.parse(body) as { status: string }).status, 'OPEN');
      assert.equal(ctx.mock.hugeBytesWritten, HUGE_TOTAL_BYTES);
    });

    it('huge: records how much was written before the client gave up', async () => {
      const res = await get('huge');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      let read = 0;
      while (read < 1024 * 1024) read += ((await reader.read()).value ?? new Uint8Array()).length;
      await reader.cancel();
      await waitForStable(() => ctx.mock.hugeBytesWritten, 'the mock to stop writing');
      const written = ctx.mock.hugeBytesWritten;
      assert.ok(written >= read && written < HUGE_TOTAL_BYTES, `read ${read}, written ${written}`);
      const stats = (await (await fetch(`${ctx.mock.url}/__mock/stats`)).json()) as { hugeBytesWritten: number };
      assert.equal(stats.hugeBytesWritten, written);
    });

    it('truncated: Content-Length 1000, 20 bytes, then the connection ends', async () => {
      const res = await get('truncated');
      assert.equal(res.headers.get('content-length'), '1000');
      await assert.rejects(res.text());
    });

    it('reset: the connection is destroyed without an answer', async () => {
      await assert.rejects(get('reset'));
      assert.equal(ctx.mock.requests.length, 1);
    });

    it('trickle: headers at once, then one byte per second', async () => {
      const started = Date.now();
      const res = await get('trickle');
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), '17');
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      assert.equal((await reader.read()).value?.length, 1);
      assert.ok(Date.now() - started < 900, `first byte after ${Date.now() - started} ms`);
      await reader.cancel();
    });
  });

  describe('send, resend and verify', () => {
    const ctx = useMock({ maxVerifyAttempts: 3 });
    const post = async (op: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const res = await fetch(`${ctx.mock.url}/verify/v1/otp/${op}`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const statusOf = async (id: string): Promise<unknown> =>
      (await (await fetch(`${ctx.mock.url}/verify/v1/report/${id}`, { headers: AUTH })).json()) as unknown;
    const send = async (extra: Record<string, unknown> = {}): Promise<string> => {
      const sent = await post('send-otp', { ...SEND, ...extra });
      assert.equal(sent.status, 200, JSON.stringify(sent.json));
      return sent.json.otp_id as string;
    };

    it('send → code by "SMS" → verify APPROVED, then ALREADY_VERIFIED', async () => {
      const sent = await post('send-otp', SEND);
      assert.equal(sent.status, 200);
      const otpId = sent.json.otp_id as string;
      assert.deepEqual(sent.json, { otp_id: otpId, status: 'OPEN', expiry: 600 });
      assert.match(otpId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const code = ctx.mock.codeOf(otpId) as string;
      assert.match(code, /^[1-9]\d{5}$/);
      assert.ok(ctx.lines.includes(`[mock] OTP ${otpId} to +971501234567: code ${code}`));
      const sms = (await (await fetch(`${ctx.mock.url}/__mock/otp/${otpId}`)).json()) as Record<string, unknown>;
      assert.equal(sms.code, code);
      assert.equal(sms.status, 'OPEN');
      assert.ok(!Number.isNaN(Date.parse(sms.expiresAt as string)));
      assert.deepEqual(await statusOf(otpId), { status: 'OPEN' });

      const approved = await post('verify-otp', { otp_id: otpId, otp_code: Number(code) });
      assert.deepEqual(approved, { status: 200, json: { status: 'APPROVED' } });
      assert.deepEqual(await statusOf(otpId), { status: 'APPROVED' });
      const again = await post('verify-otp', { otp_id: otpId, otp_code: code });
      assert.deepEqual(again, { status: 200, json: { status: 'ALREADY_VERIFIED' } });
    });

    it('send-otp is liberal in what it accepts', async () => {
      const otpId = await send({ expiry: '300', otp_code_length: '8', retry_delay: '30', recipient: '971501234567' });
      assert.match(ctx.mock.codeOf(otpId) ?? '', /^\d{8}$/);
      const templated = await post('send-otp', { recipient: '+971501234567', originator: 'X', template_id: 42 });
      assert.equal(templated.status, 200);
      assert.equal(templated.json.expiry, 600);
    });

    it('send-otp answers 422 naming each bad field', async () => {
      const fields = async (body: unknown): Promise<string[]> => {
        const res = await post('send-otp', body);
        assert.equal(res.status, 422);
        return (res.json.detail as { loc: string[] }[]).map((issue) => issue.loc.join('.'));
      };
      assert.deepEqual(await fields({}), ['body.recipient', 'body.originator', 'body.content']);
      const badRecipient = { ...SEND, recipient: '+12', content: 'no placeholder' };
      assert.deepEqual(await fields(badRecipient), ['body.recipient', 'body.content']);
      const badNumbers = { ...SEND, otp_code_length: 11, expiry: 'soon' };
      assert.deepEqual(await fields(badNumbers), ['body.otp_code_length', 'body.expiry']);
      assert.deepEqual(await fields('not json'), ['body.0']);
      assert.deepEqual(await fields([]), ['body']);
    });

    it('wrong code three times: 400 INVALID_OTP_CODE, then the OTP is FAILED', async () => {
      const otpId = await send();
      const wrong = ctx.mock.codeOf(otpId) === '111111' ? '222222' : '111111';
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await post('verify-otp', { otp_id: otpId, otp_code: wrong }), {
          status: 400,
          json: { detail: { code: 'INVALID_OTP_CODE', message: 'Invalid OTP code or OTP code expired' } },
        });
      }
      assert.deepEqual(await statusOf(otpId), { status: 'FAILED' });
      const right = await post('verify-otp', { otp_id: otpId, otp_code: ctx.mock.codeOf(otpId) });
      assert.deepEqual(right, { status: 200, json: { status: 'FAILED' } });
    });

    it('verify-otp and resend-otp: 404 for unknown ids, 422 for bad ones', async () => {
      for (const op of ['verify-otp', 'resend-otp']) {
        const unknown = await post(op, { otp_id: UNKNOWN, otp_code: '123456' });
        assert.equal(unknown.status, 404);
        assert.equal((unknown.json.detail as { code: string }).code, 'MESSAGE_LOG_NOT_EXISTS');
        const bad = await post(op, { otp_id: 'nope', otp_code: '1' });
        assert.equal(bad.status, 422);
        const issue = { loc: ['body', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' };
        assert.deepEqual(bad.json.detail, [issue]);
      }
      const noCode = await post('verify-otp', { otp_id: await send() });
      assert.equal(noCode.status, 422);
      assert.deepEqual((noCode.json.detail as { loc: string[] }[])[0].loc, ['body', 'otp_code']);
    });

    it('resend: throttled until retry_delay passed, then a new otp_id with a new code', async () => {
      const otpId = await send();
      const early = await post('resend-otp', { otp_id: otpId });
      assert.deepEqual(early, {
        status: 400,
        json: { detail: 'Frequent resend request, resend request need minimum 60 seconds delay' },
      });
      ctx.mock.advanceClock(61);
      const resent = await post('resend-otp', { otp_id: otpId });
      assert.equal(resent.status, 200);
      const newId = resent.json.otp_id as string;
      assert.notEqual(newId, otpId);
      assert.deepEqual(resent.json, { otp_id: newId, status: 'OPEN', expiry: 600, resend_count: 1 });
      assert.ok(ctx.mock.codeOf(newId));
      assert.deepEqual(await statusOf(otpId), { status: 'OPEN' }, 'the superseded id keeps its last status');
      assert.deepEqual(await post('verify-otp', { otp_id: newId, otp_code: ctx.mock.codeOf(newId) }), {
        status: 200,
        json: { status: 'APPROVED' },
      });
    });

    it('resend: the real retry_delay in the message, and a limit of retry_count resends', async () => {
      const otpId = await send({ retry_delay: 30, retry_count: 1 });
      const early = await post('resend-otp', { otp_id: otpId });
      assert.equal(early.json.detail, 'Frequent resend request, resend request need minimum 30 seconds delay');
      await fetch(`${ctx.mock.url}/__mock/clock?advance=30`, { method: 'POST' });
      const first = await post('resend-otp', { otp_id: otpId });
      assert.equal(first.json.resend_count, 1);
      ctx.mock.advanceClock(30);
      assert.deepEqual(await post('resend-otp', { otp_id: first.json.otp_id }), {
        status: 400,
        json: { detail: 'Resend Failed. Maximum resend limit reached.' },
      });
    });

    it('expiry by the mock clock: Get Status EXPIRED, resend refused, verify EXPIRED', async () => {
      const otpId = await send({ expiry: 120 });
      ctx.mock.advanceClock(119);
      assert.deepEqual(await statusOf(otpId), { status: 'OPEN' });
      ctx.mock.advanceClock(1);
      assert.deepEqual(await statusOf(otpId), { status: 'EXPIRED' });
      assert.deepEqual(await post('resend-otp', { otp_id: otpId }), {
        status: 400,
        json: { detail: 'Resend Failed. OTP time limit expired.' },
      });
      assert.deepEqual(await post('verify-otp', { otp_id: otpId, otp_code: ctx.mock.codeOf(otpId) }), {
        status: 200,
        json: { status: 'EXPIRED' },
      });
    });

    it('reset forgets created OTPs and the clock offset', async () => {
      const otpId = await send();
      ctx.mock.advanceClock(1000);
      const reset = await fetch(`${ctx.mock.url}/__mock/reset`, { method: 'POST' });
      assert.equal(reset.status, 200);
      assert.equal(ctx.mock.codeOf(otpId), undefined);
      assert.equal(ctx.mock.requests.length, 0);
      assert.equal((await fetch(`${ctx.mock.url}/__mock/otp/${otpId}`)).status, 404);
      const stats = (await (await fetch(`${ctx.mock.url}/__mock/stats`)).json()) as { clockOffsetSeconds: number };
      assert.equal(stats.clockOffsetSeconds, 0);
    });
  });

  describe('control endpoints and lifecycle', () => {
    it('/__mock/scenarios lists SCENARIOS; bad control input is refused', async () => {
      const mock = await startMockServer();
      try {
        assert.deepEqual(await (await fetch(`${mock.url}/__mock/scenarios`)).json(), SCENARIOS);
        assert.equal((await fetch(`${mock.url}/__mock/clock?advance=soon`, { method: 'POST' })).status, 400);
        assert.equal((await fetch(`${mock.url}/__mock/latency`, { method: 'POST' })).status, 400);
        assert.equal((await fetch(`${mock.url}/__mock/reset`)).status, 405);
        assert.equal((await fetch(`${mock.url}/__mock/nothing`)).status, 404);
        assert.equal(mock.requests.length, 0);
      } finally {
        await mock.close();
      }
    });

    it('accepts another token when told, and uses the injected clock', async () => {
      let clock = 1_000_000;
      const mock = await startMockServer({ token: 'other-token', now: () => clock });
      try {
        const url = `${mock.url}/verify/v1/report/${SCENARIOS.open}`;
        assert.equal((await fetch(url, { headers: AUTH })).status, 401);
        assert.equal((await fetch(url, { headers: { authorization: 'Bearer other-token' } })).status, 200);
        assert.equal(mock.requests[0].receivedAt, 1_000_000);
        clock += 5000;
        mock.advanceClock(1);
        await (await fetch(url)).text();
        assert.equal(mock.requests[2].receivedAt, 1_006_000);
      } finally {
        await mock.close();
      }
    });

    it('close() resolves promptly while hang and trickle requests are open', async () => {
      const mock = await startMockServer();
      const hang = fetch(`${mock.url}/verify/v1/report/${SCENARIOS.hang}`, { headers: AUTH });
      const trickle = await fetch(`${mock.url}/verify/v1/report/${SCENARIOS.trickle}`, { headers: AUTH });
      const trickleBody = trickle.text();
      hang.catch(() => undefined);
      trickleBody.catch(() => undefined);
      await waitFor(() => mock.requests.length === 2, 'both requests to reach the mock');
      const started = Date.now();
      await mock.close();
      assert.ok(Date.now() - started < 1000, `close took ${Date.now() - started} ms`);
      await assert.rejects(hang);
      await assert.rejects(trickleBody);
      await mock.close(); // twice is fine
      await assert.rejects(fetch(`${mock.url}/__mock/scenarios`));
    });
  });
});
