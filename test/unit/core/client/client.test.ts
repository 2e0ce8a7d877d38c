import * as assert from 'node:assert/strict';
import fetch from 'node-fetch';
import type { StatusCheck } from '../../../../src/core/check';
import type { FetchLike } from '../../../../src/core/client/request';
import { REFUSED_BASE_URLS } from '../../../cases/baseUrls';
import { UUID, VERIFY_CODES } from '../../../cases/otpIds';
import { ACCEPTED_TOKENS, HOSTILE_TOKENS } from '../../../cases/tokens';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { otpId, UNSAFE_CHARS, useMock } from '../../helpers';

const UNKNOWN = otpId('99999999-9999-4999-8999-999999999999');
const PARAMS = { originator: 'SignOTP', recipient: '+971501234567', content: 'Your code is {}', expiry: 600 };
const id = (name: keyof typeof SCENARIOS) => otpId(SCENARIOS[name]);

/** A record refused before any request: config, one printable line, no HTTP status. */
function assertRefusedBeforeRequest(result: StatusCheck, what: string): void {
  assert.equal(result.ok, false, `${what}: refused`);
  assert.equal(result.error?.kind, 'config', `${what}: ${result.error?.message}`);
  assert.doesNotMatch(result.error?.message ?? '', UNSAFE_CHARS, `${what}: the message is one printable line`);
  assert.ok((result.error?.message.length ?? 0) < 400, `${what}: a short message`);
  assert.equal(result.httpStatus, undefined);
}

describe('core/client/client: D7VerifyClient against the mock', () => {
  const ctx = useMock({ slowMs: 2000 });

  describe('getStatus', () => {
    const statuses: [keyof typeof SCENARIOS, string][] = [
      ['open', 'OPEN'],
      ['approved', 'APPROVED'],
      ['expired', 'EXPIRED'],
      ['failed', 'FAILED'],
      ['alreadyVerified', 'ALREADY_VERIFIED'],
      ['unknownStatus', 'PENDING_REVIEW'],
    ];
    for (const [name, status] of statuses) {
      it(`reads status ${status} (${name})`, async () => {
        const started = Date.now();
        const result = await ctx.client().getStatus(id(name));
        assert.equal(result.ok, true, JSON.stringify(result.error));
        assert.equal(result.status, status);
        assert.equal(result.httpStatus, 200);
        assert.equal(result.otpId, SCENARIOS[name]);
        assert.deepEqual(result.body, { status });
        assert.equal(result.operation, undefined, 'a Get Status record has no operation field');
        assert.equal(result.error, undefined);
        const checkedAt = Date.parse(result.checkedAt);
        assert.ok(checkedAt >= started - 1 && checkedAt <= Date.now(), 'checkedAt is when the call started');
        assert.ok(result.durationMs <= Date.now() - started + 1, 'durationMs is at most the time the call took');
      });
    }

    it('keeps every extra field of the body', async () => {
      const result = await ctx.client().getStatus(id('withExtraFields'));
      assert.equal(result.ok, true);
      assert.deepEqual(Object.keys(result.body as object).sort(), ['expiry', 'otp_id', 'recipient', 'status']);
    });

    it('sends exactly one GET with the Authorization header, User-Agent and the id (case kept) as one path segment', async () => {
      await ctx.client().getStatus(otpId(SCENARIOS.open.toUpperCase()));
      assert.equal(ctx.mock.requests.length, 1);
      const [request] = ctx.mock.requests;
      assert.equal(request.method, 'GET');
      assert.equal(request.path, `/verify/v1/report/${SCENARIOS.open.toUpperCase()}`);
      assert.equal(request.headers.authorization, `Bearer ${MOCK_TOKEN}`);
      assert.equal(request.headers['user-agent'], 'd7-otp-inspector/test');
      assert.equal(request.headers.accept, 'application/json');
      assert.equal(request.headers['content-type'], undefined, 'no body, no Content-Type');
    });

    it('follows an OPEN that turns APPROVED', async () => {
      const c = ctx.client();
      const seen: (string | undefined)[] = [];
      for (let i = 0; i < 4; i++) seen.push((await c.getStatus(id('turnsApproved'))).status);
      assert.deepEqual(seen, ['OPEN', 'OPEN', 'APPROVED', 'APPROVED']);
    });

    it('401: token rejected, with D7 code and message; the wrong token is in no record', async () => {
      const result = await ctx.client({ token: async () => 'wrong-token' }).getStatus(id('open'));
      assert.equal(result.httpStatus, 401);
      assert.equal(result.error?.kind, 'unauthorized');
      assert.equal(result.error?.code, 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED');
      assert.equal(result.error?.messageId, 'tokenRejectedSaid');
      assert.match(result.error?.message ?? '', /Token rejected by D7/);
      assert.ok(!JSON.stringify(result).includes('wrong-token'));
    });

    it('404: no OTP with this id (MESSAGE_LOG_NOT_EXISTS), body kept', async () => {
      const result = await ctx.client().getStatus(UNKNOWN);
      assert.equal(result.httpStatus, 404);
      assert.equal(result.error?.kind, 'not-found');
      assert.equal(result.error?.code, 'MESSAGE_LOG_NOT_EXISTS');
      assert.match(result.error?.message ?? '', /^No OTP with this id \(MESSAGE_LOG_NOT_EXISTS\): Given message otp id not exists/);
      assert.deepEqual((result.body as { detail: { code: string } }).detail.code, 'MESSAGE_LOG_NOT_EXISTS');
    });

    it('422 from the server: each validation issue', async () => {
      // The client never sends a non-UUID, so ask the mock through a fetch that rewrites the path.
      const rewriting: FetchLike = (url, init) => fetch(url.replace(/report\/.*$/, 'report/not-a-uuid'), init) as never;
      const result = await ctx.client({ fetch: rewriting }).getStatus(id('open'));
      assert.equal(result.httpStatus, 422);
      assert.equal(result.error?.kind, 'validation');
      assert.equal(result.error?.issues?.[0].loc.join('.'), 'path.otp_id');
      assert.match(result.error?.message ?? '', /path\.otp_id: /);
    });

    it('5xx with an HTML body: server error, raw body kept as text', async () => {
      const result = await ctx.client({ maxRetries: () => 0 }).getStatus(id('serverError'));
      assert.equal(result.httpStatus, 502);
      assert.equal(result.error?.kind, 'server');
      assert.match(String(result.body), /<h1>502 Bad Gateway<\/h1>/);
    });

    it('records the profile it was asked to, and words messages with the given wording', async () => {
      const c = ctx.client({ word: (m) => `[${m.id}]` });
      assert.equal((await c.getStatus(id('open'), { profile: 'staging' })).profile, 'staging');
      assert.equal((await c.getStatus(id('open'))).profile, undefined);
      const failed = await c.getStatus(UNKNOWN);
      assert.deepEqual([failed.error?.message, failed.error?.messageId], ['[notFoundSaid]', 'notFoundSaid']);
    });

    it('logs each attempt: method, path, status, outcome; never the token or a header', async () => {
      const c = ctx.client();
      await c.getStatus(id('open'));
      await c.getStatus(UNKNOWN);
      assert.deepEqual(
        ctx.logs.map((l) => [l.method, l.path, l.httpStatus, l.outcome, l.attempt]),
        [
          ['GET', `/verify/v1/report/${SCENARIOS.open}`, 200, 'ok', 1],
          ['GET', `/verify/v1/report/${UNKNOWN}`, 404, 'not-found', 1],
        ],
      );
      assert.ok(!JSON.stringify(ctx.logs).includes(MOCK_TOKEN));
    });
  });

  describe('before any request: settings, token, code', () => {
    it('refuses a missing token or a bad base URL, naming the setting given', async () => {
      const noToken = await ctx.client({ token: async () => undefined }).getStatus(id('open'));
      assertRefusedBeforeRequest(noToken, 'no token');
      assert.equal(noToken.error?.messageId, 'noToken');
      assert.match(noToken.error?.message ?? '', /Set API Token/);
      const insecure = await ctx.client({ baseUrl: () => 'http://api.d7networks.com' }).getStatus(id('open'));
      assertRefusedBeforeRequest(insecure, 'plain http');
      assert.match(insecure.error?.message ?? '', /^Setting d7otp\.baseUrl uses http:\/\//);
      const profile = await ctx.client({ baseUrl: () => 'ftp://x', baseUrlSetting: () => 'd7otp.profiles[staging].baseUrl' }).getStatus(id('open'));
      assert.match(profile.error?.message ?? '', /^Setting d7otp\.profiles\[staging\]\.baseUrl must use https:\/\//);
      assert.equal(ctx.mock.requests.length, 0);
    });

    it(`${REFUSED_BASE_URLS.length} refused base URLs: config before any request, the message naming the setting`, async () => {
      for (const [what, input] of REFUSED_BASE_URLS) {
        const result = await ctx.client({ baseUrl: () => input as string }).getStatus(otpId(UUID));
        assertRefusedBeforeRequest(result, `baseUrl ${what}`);
        assert.match(result.error?.message ?? '', /^Setting d7otp\.baseUrl /, what);
      }
      assert.equal(ctx.mock.requests.length, 0);
    });

    it('a hostile token from the token source never reaches a request: config, not echoed, nothing sent', async () => {
      for (const [what, input] of HOSTILE_TOKENS) {
        if (typeof input !== 'string') continue;
        const result = await ctx.client({ token: async () => input }).getStatus(otpId(UUID));
        if (input === '') assert.equal(result.error?.messageId, 'noToken', what);
        else assert.equal(result.error?.messageId, 'storedTokenUnusable', what);
        assertRefusedBeforeRequest(result, `token ${what}`);
        if (input.trim().length >= 4) assert.ok(!JSON.stringify(result).includes(input.trim()), `${what}: not echoed`);
      }
      assert.equal(ctx.mock.requests.length, 0);
    });

    it('a token source that hands over a pasted "Bearer " prefix or whitespace: the header is "Bearer <token>", once', async () => {
      for (const [what, input, expected] of ACCEPTED_TOKENS) {
        ctx.mock.reset();
        await ctx.client({ token: async () => input }).getStatus(otpId(UUID));
        assert.equal(ctx.mock.requests[0].headers.authorization, `Bearer ${expected}`, what);
      }
    });

    it(`verify codes (${VERIFY_CODES.length}): only 1 to 16 letters or digits, trimmed, reach the request body`, async () => {
      const c = ctx.client();
      for (const [code, sent] of VERIFY_CODES) {
        ctx.mock.reset();
        const result = await c.verifyOtp(otpId(UUID), code);
        if (sent === undefined) {
          assertRefusedBeforeRequest(result, `code ${JSON.stringify(code)}`);
          assert.equal(result.error?.messageId, 'codeInvalid');
          assert.deepEqual([result.otpId, result.operation], [UUID, 'verify']);
          assert.equal(ctx.mock.requests.length, 0);
        } else {
          assert.deepEqual(
            ctx.mock.requests.map((r) => JSON.parse(r.body).otp_code),
            [sent],
          );
        }
      }
    });

    it("logs each attempt's own time: within the call's wall time, one line per attempt", async () => {
      const c = ctx.client();
      const started = performance.now();
      const record = await c.getStatus(id('open'));
      const wall = performance.now() - started;
      assert.equal(ctx.logs.length, 1);
      assert.ok(ctx.logs[0].durationMs >= 0 && ctx.logs[0].durationMs <= wall + 1, `logged ${ctx.logs[0].durationMs} ms of a ${wall.toFixed(1)} ms call`);
      assert.ok(record.durationMs >= 0 && record.durationMs <= wall + 1, `recorded ${record.durationMs} ms of a ${wall.toFixed(1)} ms call`);
    });

    it('never puts the token in a record or a log line, whatever happens', async () => {
      const token = 'tok-unique-4f1c9e-SECRET';
      const results: StatusCheck[] = [];
      const c = ctx.client({ token: async () => token, timeoutMs: () => 150 });
      for (const name of ['open', 'serverError', 'slow', 'rateLimited'] as const) results.push(await c.getStatus(id(name)));
      results.push(await c.getStatus(UNKNOWN));
      results.push(await ctx.client({ token: async () => token, baseUrl: () => 'http://127.0.0.1:9' }).getStatus(id('open')));
      const text = JSON.stringify({ results, logs: ctx.logs });
      for (const form of [token, encodeURIComponent(token), Buffer.from(token).toString('base64')]) assert.ok(!text.includes(form), form);
    });
  });

  describe('send, resend and verify', () => {
    it('sends an OTP, then verifies it with the code the mock "sent": APPROVED, then ALREADY_VERIFIED', async () => {
      const c = ctx.client();
      const sent = await c.sendOtp(PARAMS);
      assert.equal(sent.ok, true, JSON.stringify(sent.error));
      assert.equal(sent.operation, 'send');
      assert.equal(sent.status, 'OPEN');
      assert.match(sent.otpId, /^[0-9a-f-]{36}$/);
      assert.equal((sent.body as { expiry: number }).expiry, 600);
      assert.deepEqual(JSON.parse(ctx.mock.requests[0].body), PARAMS);
      assert.equal(ctx.mock.requests[0].headers['content-type'], 'application/json');
      const sentId = otpId(sent.otpId);
      const code = ctx.mock.codeOf(sentId);
      assert.ok(code);
      const verified = await c.verifyOtp(sentId, code);
      assert.equal(verified.status, 'APPROVED');
      assert.equal(verified.operation, 'verify');
      assert.equal((await c.getStatus(sentId)).status, 'APPROVED');
      assert.equal((await c.verifyOtp(sentId, code)).status, 'ALREADY_VERIFIED');
      const body = JSON.parse(ctx.mock.requests.find((r) => r.path === '/verify/v1/otp/verify-otp')?.body ?? '{}');
      assert.deepEqual(body, { otp_id: sentId, otp_code: code });
    });

    it('a wrong code is INVALID_OTP_CODE (400, detail object), and three make it FAILED', async () => {
      const c = ctx.client();
      const sentId = otpId((await c.sendOtp(PARAMS)).otpId);
      const wrong = (avoid: string) => (ctx.mock.codeOf(sentId) === avoid ? '111111' : avoid);
      const result = await c.verifyOtp(sentId, wrong('000000'));
      assert.equal(result.httpStatus, 400);
      assert.equal(result.error?.kind, 'validation');
      assert.equal(result.error?.code, 'INVALID_OTP_CODE');
      for (let i = 0; i < 3; i++) await c.verifyOtp(sentId, wrong('999999'));
      assert.equal((await c.getStatus(sentId)).status, 'FAILED');
    });

    it("resend too early is refused with D7's string detail; later it names a new otp_id, filed under the original", async () => {
      const c = ctx.client();
      const sentId = otpId((await c.sendOtp(PARAMS)).otpId);
      const early = await c.resendOtp(sentId);
      assert.equal(early.httpStatus, 400);
      assert.equal(early.operation, 'resend');
      assert.match(early.error?.message ?? '', /Frequent resend request, resend request need minimum 60 seconds delay/);
      ctx.mock.advanceClock(61);
      const later = await c.resendOtp(sentId);
      assert.equal(later.ok, true, JSON.stringify(later.error));
      const newId = (later.body as { otp_id: string }).otp_id;
      assert.notEqual(newId, sentId);
      assert.equal(later.otpId, sentId, 'the client files the record under the original id (the calls link the new one)');
      assert.equal((later.body as { resend_count: number }).resend_count, 1);
      assert.deepEqual(JSON.parse(ctx.mock.requests.at(-1)?.body ?? ''), { otp_id: sentId });
    });

    it('an expired OTP: status EXPIRED, resend refused, verify EXPIRED', async () => {
      const c = ctx.client();
      const sentId = otpId((await c.sendOtp({ ...PARAMS, expiry: 30 })).otpId);
      ctx.mock.advanceClock(31);
      assert.equal((await c.getStatus(sentId)).status, 'EXPIRED');
      assert.match((await c.resendOtp(sentId)).error?.message ?? '', /OTP time limit expired/);
      assert.equal((await c.verifyOtp(sentId, ctx.mock.codeOf(sentId) ?? '1')).status, 'EXPIRED');
    });

    it('send with missing fields: 422 with each field named; no otp_id recorded', async () => {
      const result = await ctx.client().sendOtp({ originator: '', recipient: 'nope' });
      assert.equal(result.httpStatus, 422);
      assert.equal(result.otpId, '');
      assert.deepEqual(result.error?.issues?.map((i) => i.loc.join('.')).sort(), ['body.content', 'body.originator', 'body.recipient']);
    });
  });
});
