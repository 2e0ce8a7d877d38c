/**
 * The lookup feature (src/features/lookup) in the extension host: D7 OTP: Check Status reached through
 * `executeCommand('d7otp.checkStatus', otpId)`, the settings it reads (d7otp.requestTimeoutSeconds,
 * d7otp.retry.maxRetries), the token from SecretStorage, the notification or status-bar line and the tree of a
 * success and a failure, progress and its cancellation, and Check All Again (`d7otp.refreshAll`). What each answer
 * ends as (every status value, error kind and hostile response of the mock) is tested in plain Node:
 * test/unit/features/lookup/lookupRules.test.ts (issue 16; docs/TESTS.md lists what moved).
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { SCENARIO_OUTCOMES } from '../../cases/scenarioOutcomes';
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
  ctx,
  entryOf,
  item,
  labelOf,
  resetState,
  rootNode,
  setSetting,
  waitFor,
  walk,
  type StatusCheck,
} from '../helpers';

describe('check status: every status value', () => {
  beforeEach(() => resetState());

  // Every status value is read by the client in plain Node (test/unit/core/client/client.test.ts "getStatus"), an
  // unknown one kept raw in test/unit/features/lookup/lookupRules.test.ts; here one value proves the command's
  // wiring: it reaches the client and records the result.
  const cases: [keyof typeof SCENARIOS, string][] = [['approved', 'APPROVED']];
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
});

describe('check status: every error kind, recorded', () => {
  beforeEach(() => resetState());

  // The other bad ids: test/unit/features/lookup/lookupRules.test.ts; one proves the command takes its argument unprompted.
  for (const bad of ['not-a-uuid']) {
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

describe('reliability (extension host): hostile responses through the command', () => {
  beforeEach(async () => {
    await resetState();
    await setSetting('requestTimeoutSeconds', 1);
    await setSetting('retry.maxRetries', 0);
  });
  afterEach(() => sinon.restore());

  // Every scenario's kind, record, notice text and rows: test/unit/features/lookup/lookupRules.test.ts. Here one
  // success and one failure prove the wiring: the notification (or status-bar line) VS Code is asked to show, and
  // the tree provider rendering the entry.
  for (const scenario of ['markup', 'status500'] as Scenario[]) {
    const expected = SCENARIO_OUTCOMES[scenario];
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
      // A success's line in the status bar (the extension's own item, updated at most ten times a second).
      assert.ok(captured.length <= 1, `one message at most: ${JSON.stringify(captured)}`);
      if (expected !== 'ok') assert.equal(captured.length, 1, 'a failure is explained');
      for (const c of captured) assertInertMessage(c.text, `${c.kind} message`);
      if (expected === 'ok') {
        const line = () => ctx().api.internals.statusLine();
        await waitFor(() => line()?.includes(otpId) === true, `the status bar line of ${otpId}`);
        const text = line() ?? '';
        assertInertMessage(text, 'the status bar line');
        assert.ok(!text.replace(/^\$\(check\) /, '').includes('$('), `no icon from D7's text in the status bar: ${text}`);
      }
      // The tree renders every node of it.
      const root = await rootNode(otpId);
      for (const [, treeItem] of [[root, await item(root)] as const, ...(await walk(root))]) {
        assert.doesNotMatch(labelOf(treeItem), UNSAFE_CHARS);
        assert.doesNotMatch(String(treeItem.description ?? ''), UNSAFE_CHARS);
      }
    });
  }

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

  it("the view's progress bar: none for a call answered within 100 ms (it would only flash), there for a slower one until it ends", async () => {
    const bars: { viewId: string; ended: boolean }[] = [];
    const real = vscode.window.withProgress;
    sinon.stub(vscode.window, 'withProgress').callsFake(((options: vscode.ProgressOptions, task: Parameters<typeof real>[1]) => {
      const location = options.location as { viewId?: string };
      if (!location.viewId) return real(options, task);
      const bar = { viewId: location.viewId, ended: false };
      bars.push(bar);
      return real(options, task).then((value) => ((bar.ended = true), value));
    }) as typeof vscode.window.withProgress);
    try {
      await check(SCENARIOS.open);
      assert.deepEqual(bars, [], 'answered at once: no bar');
      ctx().mock.setLatency(400);
      await check(SCENARIOS.open);
      assert.deepEqual(bars, [{ viewId: 'd7otp.history', ended: true }], 'a bar on the history view, ended with the call');
    } finally {
      ctx().mock.setLatency(0);
    }
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
