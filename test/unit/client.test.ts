import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import fetch from 'node-fetch';
import { D7VerifyClient, type ClientOptions, type FetchLike, type RequestLogEntry } from '../../src/core/client';
import type { StatusCheck } from '../../src/core/types';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockServer } from '../mock/server';

const UNKNOWN = '99999999-9999-4999-8999-999999999999';

describe('D7 Verify client against the mock server', function () {
  let mock: MockServer;
  let logs: RequestLogEntry[];
  let waits: number[];

  before(async () => {
    mock = await startMockServer({ slowMs: 2000 });
  });
  after(() => mock.close());
  beforeEach(() => {
    mock.reset();
    logs = [];
    waits = [];
  });

  function client(overrides: Partial<ClientOptions> = {}): D7VerifyClient {
    return new D7VerifyClient({
      fetch: fetch as unknown as FetchLike,
      baseUrl: () => mock.url,
      token: async () => MOCK_TOKEN,
      timeoutMs: () => 5000,
      userAgent: 'd7-otp-inspector/test',
      log: (e) => logs.push(e),
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...overrides,
    });
  }

  const statuses: [keyof typeof SCENARIOS, string][] = [
    ['open', 'OPEN'],
    ['approved', 'APPROVED'],
    ['expired', 'EXPIRED'],
    ['failed', 'FAILED'],
    ['alreadyVerified', 'ALREADY_VERIFIED'],
    ['unknownStatus', 'PENDING_REVIEW'],
  ];
  for (const [name, status] of statuses) {
    it(`reads status ${status} (${String(name)})`, async () => {
      const otpId = SCENARIOS[name];
      const result = await client().getStatus(otpId);
      assert.equal(result.ok, true, JSON.stringify(result.error));
      assert.equal(result.status, status);
      assert.equal(result.httpStatus, 200);
      assert.equal(result.otpId, otpId);
      assert.deepEqual(result.body, { status });
      assert.ok(result.durationMs >= 0);
      assert.ok(!Number.isNaN(Date.parse(result.checkedAt)));
      assert.equal(result.error, undefined);
    });
  }

  it('keeps every extra field of the body', async () => {
    const result = await client().getStatus(SCENARIOS.withExtraFields);
    assert.equal(result.ok, true);
    assert.deepEqual(Object.keys(result.body as object).sort(), ['expiry', 'otp_id', 'recipient', 'status']);
  });

  it('sends exactly one GET with the Authorization header, User-Agent and the id as one path segment', async () => {
    await client().getStatus(`  "${SCENARIOS.open.toUpperCase()}" `);
    assert.equal(mock.requests.length, 1);
    const [request] = mock.requests;
    assert.equal(request.method, 'GET');
    assert.equal(request.path, `/verify/v1/report/${SCENARIOS.open.toUpperCase()}`);
    assert.equal(request.headers.authorization, `Bearer ${MOCK_TOKEN}`);
    assert.equal(request.headers['user-agent'], 'd7-otp-inspector/test');
  });

  it('follows an OPEN that turns APPROVED', async () => {
    const c = client();
    const seen: (string | undefined)[] = [];
    for (let i = 0; i < 4; i++) seen.push((await c.getStatus(SCENARIOS.turnsApproved)).status);
    assert.deepEqual(seen, ['OPEN', 'OPEN', 'APPROVED', 'APPROVED']);
  });

  it('401: token rejected, with D7 code and message', async () => {
    const result = await client({ token: async () => 'wrong-token' }).getStatus(SCENARIOS.open);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 401);
    assert.equal(result.error?.kind, 'unauthorized');
    assert.equal(result.error?.code, 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED');
    assert.match(result.error?.message ?? '', /Token rejected by D7/);
    assert.ok(!JSON.stringify(result).includes('wrong-token'));
  });

  it('404: no OTP with this id (MESSAGE_LOG_NOT_EXISTS), body kept', async () => {
    const result = await client().getStatus(UNKNOWN);
    assert.equal(result.httpStatus, 404);
    assert.equal(result.error?.kind, 'not-found');
    assert.equal(result.error?.code, 'MESSAGE_LOG_NOT_EXISTS');
    assert.match(result.error?.message ?? '', /^No OTP with this id \(MESSAGE_LOG_NOT_EXISTS\): Given message otp id not exists/);
    assert.deepEqual((result.body as { detail: { code: string } }).detail.code, 'MESSAGE_LOG_NOT_EXISTS');
  });

  it('422 from the server: each validation issue', async () => {
    // The client never sends a non-UUID, so ask the mock directly through a fetch that rewrites the path.
    const rewriting: FetchLike = (url, init) => fetch(url.replace(/report\/.*$/, 'report/not-a-uuid'), init) as never;
    const result = await client({ fetch: rewriting }).getStatus(SCENARIOS.open);
    assert.equal(result.httpStatus, 422);
    assert.equal(result.error?.kind, 'validation');
    assert.equal(result.error?.issues?.[0].loc.join('.'), 'path.otp_id');
    assert.match(result.error?.message ?? '', /path\.otp_id: /);
  });

  it('5xx with an HTML body: server error, raw body kept as text', async () => {
    const result = await client().getStatus(SCENARIOS.serverError);
    assert.equal(result.httpStatus, 502);
    assert.equal(result.error?.kind, 'server');
    assert.match(String(result.body), /502 Bad Gateway/);
  });

  it('429: retries after Retry-After, then succeeds', async () => {
    const result = await client().getStatus(SCENARIOS.rateLimitedOnce);
    assert.equal(result.ok, true);
    assert.equal(result.attempts, 2);
    assert.deepEqual(waits, [1000]);
    assert.deepEqual(logs.map((l) => l.outcome), ['retry', 'ok']);
  });

  it('429 that persists: bounded retries, then rate-limited with Retry-After', async () => {
    const onWait: number[] = [];
    const result = await client({ maxRetries: () => 2 }).getStatus(SCENARIOS.rateLimited, { onWait: (w) => onWait.push(w.delayMs) });
    assert.equal(result.error?.kind, 'rate-limited');
    assert.equal(result.error?.retryAfterSeconds, 1);
    assert.equal(result.attempts, 3);
    assert.deepEqual(onWait, [1000, 1000]);
    assert.equal(mock.requests.length, 3);
  });

  it('503 without Retry-After: exponential backoff with jitter', async () => {
    const result = await client({ random: () => 1, backoffBaseMs: 200 }).getStatus(SCENARIOS.serviceUnavailableOnce);
    assert.equal(result.ok, true);
    assert.deepEqual(waits, [200]);
  });

  it('no automatic retry when the setting is 0', async () => {
    const result = await client({ maxRetries: () => 0 }).getStatus(SCENARIOS.rateLimited);
    assert.equal(result.error?.kind, 'rate-limited');
    assert.equal(mock.requests.length, 1);
  });

  it('times out a slow answer', async () => {
    const started = Date.now();
    const result = await client({ timeoutMs: () => 200 }).getStatus(SCENARIOS.slow);
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /within 0\.2 s/);
    assert.ok(Date.now() - started < 1500);
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await client().getStatus(SCENARIOS.slow, { signal: controller.signal });
    assert.equal(result.error?.kind, 'cancelled');
    const already = await client().getStatus(SCENARIOS.open, { signal: AbortSignal.abort() });
    assert.equal(already.error?.kind, 'cancelled');
  });

  it('cancels while waiting to retry', async () => {
    const controller = new AbortController();
    const result = await client({ sleep: undefined }).getStatus(SCENARIOS.rateLimited, {
      signal: controller.signal,
      onWait: () => controller.abort(),
    });
    assert.equal(result.error?.kind, 'cancelled');
  });

  it('network error when nothing listens', async () => {
    const result = await client({ baseUrl: () => 'http://127.0.0.1:9' }).getStatus(SCENARIOS.open);
    assert.equal(result.error?.kind, 'network');
    assert.match(result.error?.message ?? '', /connection refused/);
    assert.equal(result.httpStatus, undefined);
  });

  it('refuses a bad base URL or a missing token before any request', async () => {
    const noToken = await client({ token: async () => undefined }).getStatus(SCENARIOS.open);
    assert.equal(noToken.error?.kind, 'config');
    assert.match(noToken.error?.message ?? '', /Set API Token/);
    const insecure = await client({ baseUrl: () => 'http://api.d7networks.com' }).getStatus(SCENARIOS.open);
    assert.equal(insecure.error?.kind, 'config');
    assert.match(insecure.error?.message ?? '', /d7otp\.baseUrl/);
    assert.equal(mock.requests.length, 0);
  });

  it('rejects a non-UUID otp_id before any request', async () => {
    for (const bad of ['', '../../x', `${SCENARIOS.open}/x`, 'a?b#c']) {
      const result = await client().getStatus(bad);
      assert.equal(result.error?.kind, 'config');
    }
    assert.equal(mock.requests.length, 0);
  });

  it('property: whatever the input, a request path is /verify/v1/report/<one segment>', async () => {
    const paths: string[] = [];
    const recording: FetchLike = async (url) => {
      paths.push(new URL(url).pathname);
      return { status: 200, statusText: 'OK', headers: { get: () => null }, body: '{"status":"OPEN"}' };
    };
    const c = client({ fetch: recording });
    const uuidish = fc.uuid().map((u) => u);
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom('../', '%2e%2e/', '?', '#', '/', '\n', '\r\n', ' ', '"', "'"),
      fc.tuple(uuidish, fc.string({ maxLength: 10 })).map(([u, s]) => u + s),
      fc.tuple(fc.string({ maxLength: 10 }), uuidish).map(([s, u]) => s + u),
      uuidish,
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (input) => {
        paths.length = 0;
        const result = await c.getStatus(input);
        if (paths.length === 0) return result.error?.kind === 'config';
        return paths.length === 1 && /^\/verify\/v1\/report\/[0-9A-Fa-f-]{36}$/.test(paths[0]) && result.ok;
      }),
      { numRuns: 1000 },
    );
  });

  it('never puts the token in a record, a message or a log line', async () => {
    const token = 'tok-unique-4f1c9e-SECRET';
    const results: StatusCheck[] = [];
    const c = client({ token: async () => token, timeoutMs: () => 150 });
    for (const id of [SCENARIOS.open, UNKNOWN, SCENARIOS.serverError, SCENARIOS.slow, SCENARIOS.rateLimited]) results.push(await c.getStatus(id));
    results.push(await client({ token: async () => token, baseUrl: () => 'http://127.0.0.1:9' }).getStatus(SCENARIOS.open));
    const text = JSON.stringify({ results, logs });
    for (const form of [token, encodeURIComponent(token), Buffer.from(token).toString('base64')]) assert.ok(!text.includes(form), form);
  });

  describe('send, resend and verify', () => {
    const params = { originator: 'SignOTP', recipient: '+971501234567', content: 'Your code is {}', expiry: 600 };

    it('sends an OTP, then verifies it with the code the mock "sent": APPROVED, then ALREADY_VERIFIED', async () => {
      const c = client();
      const sent = await c.sendOtp(params);
      assert.equal(sent.ok, true, JSON.stringify(sent.error));
      assert.equal(sent.operation, 'send');
      assert.equal(sent.status, 'OPEN');
      assert.match(sent.otpId, /^[0-9a-f-]{36}$/);
      assert.equal((sent.body as { expiry: number }).expiry, 600);
      const code = mock.codeOf(sent.otpId);
      assert.ok(code);
      const verified = await c.verifyOtp(sent.otpId, code);
      assert.equal(verified.status, 'APPROVED');
      assert.equal(verified.operation, 'verify');
      assert.equal((await c.getStatus(sent.otpId)).status, 'APPROVED');
      assert.equal((await c.verifyOtp(sent.otpId, code)).status, 'ALREADY_VERIFIED');
      const body = JSON.parse(mock.requests.find((r) => r.path === '/verify/v1/otp/verify-otp')?.body ?? '{}');
      assert.deepEqual(body, { otp_id: sent.otpId, otp_code: code });
    });

    it('a wrong code is INVALID_OTP_CODE (400, detail object), and three make it FAILED', async () => {
      const c = client();
      const sent = await c.sendOtp(params);
      const wrong = await c.verifyOtp(sent.otpId, '000000' === mock.codeOf(sent.otpId) ? '111111' : '000000');
      assert.equal(wrong.httpStatus, 400);
      assert.equal(wrong.error?.kind, 'validation');
      assert.equal(wrong.error?.code, 'INVALID_OTP_CODE');
      for (let i = 0; i < 3; i++) await c.verifyOtp(sent.otpId, '999999' === mock.codeOf(sent.otpId) ? '888888' : '999999');
      assert.equal((await c.getStatus(sent.otpId)).status, 'FAILED');
    });

    it('resend too early is refused with D7\'s string detail; later it returns a new otp_id', async () => {
      const c = client();
      const sent = await c.sendOtp(params);
      const early = await c.resendOtp(sent.otpId);
      assert.equal(early.httpStatus, 400);
      assert.equal(early.operation, 'resend');
      assert.match(early.error?.message ?? '', /Frequent resend request, resend request need minimum 60 seconds delay/);
      mock.advanceClock(61);
      const later = await c.resendOtp(sent.otpId);
      assert.equal(later.ok, true, JSON.stringify(later.error));
      const newId = (later.body as { otp_id: string }).otp_id;
      assert.notEqual(newId, sent.otpId);
      assert.equal(later.otpId, sent.otpId, 'the record is filed under the original id');
      assert.equal((later.body as { resend_count: number }).resend_count, 1);
    });

    it('an expired OTP: status EXPIRED, resend refused, verify EXPIRED', async () => {
      const c = client();
      const sent = await c.sendOtp({ ...params, expiry: 30 });
      mock.advanceClock(31);
      assert.equal((await c.getStatus(sent.otpId)).status, 'EXPIRED');
      const resend = await c.resendOtp(sent.otpId);
      assert.match(resend.error?.message ?? '', /OTP time limit expired/);
      assert.equal((await c.verifyOtp(sent.otpId, mock.codeOf(sent.otpId) ?? '1')).status, 'EXPIRED');
    });

    it('send with missing fields: 422 with each field named; no otp_id recorded', async () => {
      const result = await client().sendOtp({ originator: '', recipient: 'nope' });
      assert.equal(result.httpStatus, 422);
      assert.equal(result.otpId, '');
      assert.ok((result.error?.issues ?? []).length >= 1);
    });

    it('refuses a malformed code or id before any request', async () => {
      const c = client();
      assert.equal((await c.verifyOtp(SCENARIOS.open, '12 34')).error?.kind, 'config');
      assert.equal((await c.verifyOtp('nope', '1234')).error?.kind, 'config');
      assert.equal((await c.resendOtp('../x')).error?.kind, 'config');
      assert.equal(mock.requests.length, 0);
    });
  });
});
