/**
 * D7 OTP: Check Status through `executeCommand('d7otp.checkStatus', otpId)` against the mock: every status value
 * and every error kind reachable from the extension host, each recorded in history with the right fields.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  MOCK_TOKEN,
  SCENARIOS,
  UNKNOWN_ID,
  assertRecorded,
  assertWellFormed,
  check,
  closedPort,
  ctx,
  resetState,
  setSetting,
} from './helpers';

describe('check status: every status value', () => {
  beforeEach(() => resetState());

  const cases: [keyof typeof SCENARIOS, string][] = [
    ['open', 'OPEN'],
    ['approved', 'APPROVED'],
    ['expired', 'EXPIRED'],
    ['failed', 'FAILED'],
    ['alreadyVerified', 'ALREADY_VERIFIED'],
    ['unknownStatus', 'PENDING_REVIEW'],
  ];
  for (const [scenario, status] of cases) {
    it(`${status}: ok, the raw status, HTTP 200, recorded`, async () => {
      const otpId = SCENARIOS[scenario];
      const startedAt = Date.now();
      const result = await check(otpId);
      assertWellFormed(result, otpId, startedAt);
      assert.equal(result.ok, true);
      assert.equal(result.status, status, 'the status exactly as D7 sent it (unknown values kept raw)');
      assert.equal(result.httpStatus, 200);
      assert.deepStrictEqual(result.body, { status });
      assert.equal(result.error, undefined);
      assertRecorded(result);
    });
  }

  it('keeps every field of the body (withExtraFields)', async () => {
    const otpId = SCENARIOS.withExtraFields;
    const result = await check(otpId);
    assert.equal(result.ok, true);
    assert.deepStrictEqual(result.body, { status: 'OPEN', otp_id: otpId, recipient: '+9715XXXXXXX', expiry: 600 });
  });

  it('sends one GET to /verify/v1/report/{otp_id} with the bearer token and a User-Agent', async () => {
    await check(SCENARIOS.open);
    const { requests } = ctx().mock;
    assert.equal(requests.length, 1);
    assert.equal(requests[0].method, 'GET');
    assert.equal(requests[0].path, `/verify/v1/report/${SCENARIOS.open}`);
    assert.equal(requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`);
    assert.match(requests[0].headers['user-agent'] ?? '', /^d7-otp-inspector\/\S+ vscode\/\S+$/);
  });

  it('trims whitespace and quotes around the otp_id and keeps its case', async () => {
    const upper = SCENARIOS.approved.toUpperCase();
    const result = await check(`  "${upper}"\n`);
    assert.equal(result.ok, true);
    assert.equal(result.otpId, upper);
    assert.equal(ctx().mock.requests[0].path, `/verify/v1/report/${upper}`);
  });

  it('turnsApproved: OPEN for the first looks, then APPROVED', async () => {
    const otpId = SCENARIOS.turnsApproved;
    assert.equal((await check(otpId)).status, 'OPEN');
    assert.equal((await check(otpId)).status, 'OPEN');
    assert.equal((await check(otpId)).status, 'APPROVED');
  });
});

describe('check status: every error kind, recorded', () => {
  beforeEach(() => resetState());

  it('unauthorized: a token the server rejects (401) → kind unauthorized with D7\'s code', async () => {
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', 'wrong-token-for-the-mock'), true);
    const otpId = SCENARIOS.open;
    const startedAt = Date.now();
    const result = await check(otpId);
    assertWellFormed(result, otpId, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 401);
    assert.equal(result.status, undefined);
    assert.equal(result.error?.kind, 'unauthorized');
    assert.equal(result.error?.code, 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED');
    assert.match(result.error?.message ?? '', /token rejected/i);
    assertRecorded(result);
  });

  it('not-found: an unknown otp_id (404) → kind not-found, code MESSAGE_LOG_NOT_EXISTS', async () => {
    const startedAt = Date.now();
    const result = await check(UNKNOWN_ID);
    assertWellFormed(result, UNKNOWN_ID, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 404);
    assert.equal(result.error?.kind, 'not-found');
    assert.equal(result.error?.code, 'MESSAGE_LOG_NOT_EXISTS');
    assert.match(result.error?.message ?? '', /no OTP with this id \(MESSAGE_LOG_NOT_EXISTS\)/i);
    assertRecorded(result);
  });

  it('validation: an HTTP 400 answer → kind validation with D7\'s reason', async () => {
    const otpId = SCENARIOS.status400;
    const result = await check(otpId);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 400);
    assert.equal(result.error?.kind, 'validation');
    assert.match(result.error?.message ?? '', /Bad Request/);
    assertRecorded(result);
  });

  for (const bad of ['not-a-uuid', '', '8d963dbf-d655-4fe6-9157-48885a03605', '../../etc/passwd']) {
    it(`config: a bad otp_id argument ${JSON.stringify(bad)} → kind config, nothing sent, nothing recorded`, async () => {
      const result = await vscode.commands.executeCommand<{ ok: boolean; error?: { kind: string; message: string } }>(
        'd7otp.checkStatus',
        bad,
      );
      assert.ok(result);
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'config');
      assert.match(result.error?.message ?? '', /otp_id/);
      assert.equal(ctx().mock.requests.length, 0, 'nothing was sent');
      assert.equal(ctx().api.getHistory().length, 0, 'nothing was recorded');
    });
  }

  it('rate-limited: 429 with retries off → kind rate-limited with Retry-After', async () => {
    await setSetting('retry.maxRetries', 0);
    const otpId = SCENARIOS.rateLimited;
    const startedAt = Date.now();
    const result = await check(otpId);
    assertWellFormed(result, otpId, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 429);
    assert.equal(result.error?.kind, 'rate-limited');
    assert.equal(result.error?.retryAfterSeconds, 1);
    assert.equal(ctx().mock.requests.length, 1, 'no automatic retry with d7otp.retry.maxRetries = 0');
    assertRecorded(result);
  });

  it('a 429 once is retried automatically after Retry-After (d7otp.retry.maxRetries = 1)', async () => {
    await setSetting('retry.maxRetries', 1);
    const result = await check(SCENARIOS.rateLimitedOnce);
    assert.equal(result.ok, true);
    assert.equal(result.status, 'OPEN');
    assert.equal(result.attempts, 2);
    assert.equal(ctx().mock.requests.length, 2);
    assert.ok(result.durationMs >= 900, `waited for Retry-After (took ${result.durationMs} ms)`);
    assertRecorded(result);
  });

  it('server: 502 with an HTML body → kind server, raw body kept', async () => {
    const otpId = SCENARIOS.serverError;
    const startedAt = Date.now();
    const result = await check(otpId);
    assertWellFormed(result, otpId, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, 502);
    assert.equal(result.error?.kind, 'server');
    assert.equal(typeof result.body, 'string');
    assert.match(String(result.body), /502 Bad Gateway/);
    assertRecorded(result);
  });

  it('network: nothing listening at d7otp.baseUrl → kind network, no HTTP status', async () => {
    const port = await closedPort();
    await setSetting('baseUrl', `http://127.0.0.1:${port}`);
    const otpId = SCENARIOS.open;
    const startedAt = Date.now();
    const result = await check(otpId);
    assertWellFormed(result, otpId, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, undefined);
    assert.equal(result.error?.kind, 'network');
    assert.match(result.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
    assertRecorded(result);
  });

  it('timeout: an answer slower than d7otp.requestTimeoutSeconds → kind timeout', async () => {
    await setSetting('requestTimeoutSeconds', 1);
    const otpId = SCENARIOS.slow;
    const startedAt = Date.now();
    const result = await check(otpId);
    assertWellFormed(result, otpId, startedAt);
    assert.equal(result.ok, false);
    assert.equal(result.httpStatus, undefined);
    assert.equal(result.error?.kind, 'timeout');
    assert.match(result.error?.message ?? '', /within 1 s/);
    assert.ok(result.durationMs >= 900 && result.durationMs < 4000, `gave up after about 1 s (took ${result.durationMs} ms)`);
    assertRecorded(result);
  });

  const hostile: [keyof typeof SCENARIOS, RegExp][] = [
    ['html200', /not JSON/],
    ['statusMissing', /without a status field/],
    ['statusNumber', /status that is a number/],
    ['array200', /JSON that is an array/],
    ['empty200', /empty body/],
  ];
  for (const [scenario, message] of hostile) {
    it(`bad-response: ${scenario} (HTTP 200 without a usable status) → kind bad-response`, async () => {
      const otpId = SCENARIOS[scenario];
      const startedAt = Date.now();
      const result = await check(otpId);
      assertWellFormed(result, otpId, startedAt);
      assert.equal(result.ok, false);
      assert.equal(result.httpStatus, 200);
      assert.equal(result.error?.kind, 'bad-response');
      assert.match(result.error?.message ?? '', message);
      assertRecorded(result);
    });
  }

  it('bad-response: a redirect to another host is not followed (the token stays here)', async () => {
    const result = await check(SCENARIOS.redirectOtherHost);
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'bad-response');
    assert.match(result.error?.message ?? '', /another host/);
    assert.equal(ctx().mock.requests.length, 1, 'the redirect target was not requested');
    assertRecorded(result);
  });

  it('config: no token set → kind config "No API token set", nothing sent, recorded', async () => {
    await vscode.commands.executeCommand('d7otp.clearToken');
    const result = await check(SCENARIOS.open);
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'config');
    assert.match(result.error?.message ?? '', /No API token set/);
    assert.equal(ctx().mock.requests.length, 0);
    assertRecorded(result);
  });
});
