/**
 * The lookup feature (src/features/lookup): D7 OTP: Check Status through `executeCommand('d7otp.checkStatus', otpId)`
 * against the mock (every status value and every error kind reachable from the extension host, each recorded in
 * history with the right fields), every hostile response of the mock through the command (recorded, no crash, at
 * most one message of one inert line, every tree row one printable line), and Check All Again (`d7otp.refreshAll`).
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { BROKEN_200_BODIES } from '../../cases/responses';
import {
  MOCK_TOKEN,
  SCENARIOS,
  UNKNOWN_ID,
  UNSAFE_CHARS,
  assertInertMessage,
  assertRecorded,
  assertWellFormed,
  captureMessages,
  check,
  closedPort,
  ctx,
  entryOf,
  item,
  labelOf,
  resetState,
  rootNode,
  setSetting,
  useBaseUrl,
  waitFor,
  walk,
  type StatusCheck,
} from '../helpers';

describe('check status: every status value', () => {
  beforeEach(() => resetState());

  // Every status value, extra fields and a status that changes are read by the client in plain Node
  // (test/unit/core/client/client.test.ts "getStatus"); here one known and one unknown value prove the command's
  // wiring: it reaches the client, records the result, and keeps an unknown value raw.
  const cases: [keyof typeof SCENARIOS, string][] = [
    ['approved', 'APPROVED'],
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
});

describe('check status: every error kind, recorded', () => {
  beforeEach(() => resetState());

  it("unauthorized: a token the server rejects (401) → kind unauthorized with D7's code", async () => {
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

  it("validation: an HTTP 400 answer → kind validation with D7's reason", async () => {
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
      const result = await vscode.commands.executeCommand<{ ok: boolean; error?: { kind: string; message: string } }>('d7otp.checkStatus', bad);
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
    await useBaseUrl(`http://127.0.0.1:${port}`, MOCK_TOKEN);
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

  for (const [scenario, message] of BROKEN_200_BODIES) {
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

type Scenario = keyof typeof SCENARIOS;
type Expected = 'ok' | Extract<StatusCheck, { ok: false }>['error']['kind'];

/** What each scenario must end as, with 1 s timeout and no automatic retry. */
const EXPECTED: Record<Scenario, Expected> = {
  open: 'ok',
  approved: 'ok',
  expired: 'ok',
  failed: 'ok',
  alreadyVerified: 'ok',
  unknownStatus: 'ok',
  withExtraFields: 'ok',
  turnsApproved: 'ok',
  rateLimited: 'rate-limited',
  rateLimitedOnce: 'rate-limited',
  serviceUnavailableOnce: 'server',
  serverError: 'server',
  slow: 'timeout',
  empty200: 'bad-response',
  text200: 'bad-response',
  html200: 'bad-response',
  array200: 'bad-response',
  string200: 'bad-response',
  number200: 'bad-response',
  null200: 'bad-response',
  statusMissing: 'bad-response',
  statusNumber: 'bad-response',
  longStatus: 'ok',
  markup: 'ok',
  controlChars: 'ok',
  unicode: 'ok',
  huge: 'bad-response',
  truncated: 'network',
  reset: 'network',
  hang: 'timeout',
  trickle: 'timeout',
  redirectSameHost: 'ok',
  redirectOtherHost: 'bad-response',
  status201: 'ok',
  status202: 'ok',
  status204: 'bad-response',
  status301: 'ok',
  status304: 'bad-response',
  status307: 'ok',
  status400: 'validation',
  status403: 'unauthorized',
  status405: 'bad-response',
  status408: 'timeout',
  status409: 'bad-response',
  status410: 'bad-response',
  status413: 'bad-response',
  status500: 'server',
  status503: 'server',
  status504: 'server',
};

describe('reliability (extension host): hostile responses through the command', () => {
  beforeEach(async () => {
    await resetState();
    await setSetting('requestTimeoutSeconds', 1);
    await setSetting('retry.maxRetries', 0);
  });
  afterEach(() => sinon.restore());

  for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
    const expected = EXPECTED[scenario];
    it(`${scenario}: ${expected}, recorded in history, at most one inert message, the tree renders it`, async () => {
      const otpId = SCENARIOS[scenario];
      const captured = captureMessages();
      const result = await check(otpId);
      assert.equal(result.error?.kind ?? 'ok', expected, result.error?.message);
      if (result.error) assertInertMessage(result.error.message, 'the error message');
      // Recorded: the newest check of its entry says the same.
      await ctx().api.internals.history.flush();
      const stored = entryOf(otpId).checks[0];
      assert.equal(stored.error?.kind ?? 'ok', expected);
      assert.equal(stored.httpStatus, result.httpStatus);
      if (scenario === 'longStatus') {
        // The record returned is the one stored (bounded): a caller never holds more of an answer than the history.
        assert.ok(stored.status?.startsWith('X'.repeat(1024)) && stored.status.length < 1100, 'stored capped');
        assert.equal(result.status, stored.status, 'returned as stored');
      } else {
        assert.equal(stored.status, result.status, 'the raw status is stored as sent');
      }
      // The messages it caused: an error or warning for a failure, nothing for a success; each one inert line.
      const notifications = captured.filter((c) => c.kind !== 'statusBar');
      assert.ok(notifications.length <= 1, `one message at most: ${JSON.stringify(captured)}`);
      if (expected !== 'ok') assert.equal(notifications.length, 1, 'a failure is explained');
      for (const c of captured) {
        assertInertMessage(c.text, `${c.kind} message`);
        if (c.kind === 'statusBar') assert.ok(!c.text.replace(/^\$\(check\) /, '').includes('$('), `no icon from D7's text in the status bar: ${c.text}`);
      }
      // The tree renders every node of it.
      const root = await rootNode(otpId);
      for (const [, treeItem] of [[root, await item(root)] as const, ...(await walk(root))]) {
        assert.doesNotMatch(labelOf(treeItem), UNSAFE_CHARS);
        assert.doesNotMatch(String(treeItem.description ?? ''), UNSAFE_CHARS);
      }
    });
  }

  it('an unknown otp_id (404) and a rejected token (401) are recorded too', async () => {
    captureMessages();
    assert.equal((await check(UNKNOWN_ID)).error?.kind, 'not-found');
    assert.equal(entryOf(UNKNOWN_ID).checks[0].error?.kind, 'not-found');
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', 'not-the-mock-token'), true);
    assert.equal((await check(SCENARIOS.approved)).error?.kind, 'unauthorized');
    assert.equal(entryOf(SCENARIOS.approved).checks[0].error?.kind, 'unauthorized');
  });

  it('429 with the default retries: waits and retries twice, says so in the log, then records rate-limited', async () => {
    await setSetting('retry.maxRetries', undefined);
    captureMessages();
    const result = await check(SCENARIOS.rateLimited);
    assert.equal(result.error?.kind, 'rate-limited');
    assert.equal(result.attempts, 3);
    assert.equal(ctx().mock.requests.length, 3);
    // The log keeps its last 500 lines: this check's lines are among the last ones (a count taken before could
    // already be at the cap after the suites before this one).
    const log = ctx()
      .api.internals.logLines()
      .slice(-50)
      .filter((l) => l.includes(SCENARIOS.rateLimited));
    assert.equal(log.filter((l) => / retry /.test(l)).length, 2, log.join('\n'));
  });

  it('429 while a person waits: the notification says it is waiting to retry; cancelling it ends the call, nothing recorded', async () => {
    await setSetting('retry.maxRetries', undefined);
    captureMessages();
    const reports: string[] = [];
    const cancellable: vscode.CancellationTokenSource[] = [];
    sinon.stub(vscode.window, 'withProgress').callsFake(((
      options: vscode.ProgressOptions,
      task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>,
    ) => {
      const source = new vscode.CancellationTokenSource();
      if (options.cancellable) cancellable.push(source);
      return task({ report: (value) => void (value.message && reports.push(value.message)) }, source.token);
    }) as typeof vscode.window.withProgress);
    const started = Date.now();
    const pending = check(SCENARIOS.rateLimited);
    await waitFor(() => cancellable.length > 0 && reports.some((r) => /waiting 1 s before retry 1/.test(r)), 'the waiting notice', 3000);
    cancellable[0].cancel();
    const result = await pending;
    assert.equal(result.error?.kind, 'cancelled');
    assert.ok(Date.now() - started < 1900, 'ended before the retries would have');
    assert.ok(ctx().mock.requests.length <= 2);
    assert.equal(ctx().api.getHistory().length, 0, 'a cancelled call is not recorded');
  });
});

describe('check all again (d7otp.refreshAll)', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('refresh all checks every otp_id in the history again', async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.open);
    await check(UNKNOWN_ID);
    ctx().mock.reset();
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.refreshAll');
    assert.equal(results?.length, 3);
    assert.equal(ctx().mock.requests.length, 3);
    for (const entry of ctx().api.getHistory()) assert.equal(entry.checks.length, 2, `${entry.otpId} checked again`);
  });

  it('check all again over hostile entries: every entry gets its new check, one inert summary', async () => {
    await setSetting('requestTimeoutSeconds', 1);
    await setSetting('retry.maxRetries', 0);
    const ids = (['markup', 'controlChars', 'unicode', 'html200', 'truncated', 'reset', 'status500', 'redirectOtherHost', 'open'] as const).map(
      (s) => SCENARIOS[s],
    );
    captureMessages();
    for (const id of ids) await check(id);
    sinon.restore();
    const captured = captureMessages();
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.refreshAll');
    assert.equal(results?.length, ids.length);
    for (const id of ids) assert.equal(entryOf(id).checks.length, 2, id);
    const infos = captured.filter((c) => c.kind === 'info');
    assert.equal(infos.length, 1, JSON.stringify(captured));
    assertInertMessage(infos[0].text, 'the summary');
  });
});
