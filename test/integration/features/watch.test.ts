/**
 * Watch Status (src/features/watch): polling until a terminal status through the command and the API, the
 * transitions announced, the watched entry in the tree, the concurrency bound, and a watch stopped mid-request.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { buildTimeline } from '../../../src/core/timeline';
import {
  asOtpId,
  captureMessages,
  ctx,
  entryOf,
  iconOf,
  item,
  labelOf,
  resetState,
  restoreSettings,
  rootNode,
  SCENARIOS,
  setSetting,
  setUserSetting,
  SLOW_MS,
  waitFor,
} from '../helpers';

describe('Watch Status (in the extension host)', () => {
  beforeEach(async () => {
    await resetState();
    await setUserSetting('watch.intervalSeconds', 1);
  });
  afterEach(async () => {
    ctx().api.internals.watches.stopAll();
    sinon.restore();
    await restoreSettings();
  });

  it('polls OPEN until APPROVED: one transition recorded, repeats counted, announced, then stops', async () => {
    const { api, mock } = ctx();
    const infos: string[] = [];
    sinon.stub(vscode.window, 'showInformationMessage').callsFake((message: string) => {
      infos.push(message);
      return Promise.resolve(undefined);
    });
    const changes: { otpId: string; from?: string; to: string }[] = [];
    const sub = api.onDidChangeStatus((c) => changes.push(c));
    try {
      assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.turnsApproved), true);
      assert.ok(api.internals.watches.get(asOtpId(SCENARIOS.turnsApproved)), 'watch started');
      await waitFor(() => api.internals.watches.count === 0, 'the watch to end', 10_000);
    } finally {
      sub.dispose();
    }
    const entry = entryOf(SCENARIOS.turnsApproved);
    assert.deepEqual(
      entry.checks.map((c) => [c.status, c.repeat ?? 1]),
      [
        ['APPROVED', 1],
        ['OPEN', 2],
      ],
    );
    assert.deepEqual(
      buildTimeline(entry).map((s) => s.label),
      ['OPEN', 'APPROVED'],
    );
    assert.deepEqual(changes, [
      { otpId: SCENARIOS.turnsApproved, to: 'OPEN' },
      { otpId: SCENARIOS.turnsApproved, from: 'OPEN', to: 'APPROVED' },
    ]);
    assert.ok(
      infos.some((m) => m.includes('OPEN → APPROVED')),
      `announced: ${JSON.stringify(infos)}`,
    );
    assert.equal(mock.requests.length, 3);
    assert.equal(api.internals.watches.timersAlive(), 0, 'no timer left');
  });

  it('shows a watched id spinning in the tree with its elapsed time, and stops on request', async () => {
    const { api } = ctx();
    await vscode.commands.executeCommand('d7otp.checkStatus', SCENARIOS.open);
    const disposable = api.watch(SCENARIOS.open);
    const watched = await item(await rootNode(SCENARIOS.open));
    assert.equal(watched.contextValue, 'entry.watching');
    assert.equal(iconOf(watched)[0], 'loading~spin');
    assert.match(labelOf(watched), new RegExp(`^OPEN · watching \\d+ s · ${SCENARIOS.open}$`), 'the status, then how long it has been watched');
    disposable.dispose();
    assert.equal(api.internals.watches.count, 0);
    const idle = await item(await rootNode(SCENARIOS.open));
    assert.equal(idle.contextValue, 'entry');
    assert.equal(iconOf(idle)[0], 'clock');
  });

  it('bounds concurrent watches by the setting', async () => {
    const { api } = ctx();
    await setUserSetting('watch.maxConcurrent', 2);
    sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.open), true);
    assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.withExtraFields), true);
    assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.slow), false);
    assert.throws(() => api.watch(SCENARIOS.slow), /maxConcurrent/);
    assert.equal(api.internals.watches.count, 2);
    // Without an otp_id, Stop Watching asks which (the two watches, and "all"): "all" is picked here.
    const pick = sinon
      .stub(vscode.window, 'showQuickPick')
      .callsFake(((items: readonly { otpId?: string }[]) => Promise.resolve(items.find((i) => i.otpId === undefined))) as never);
    assert.equal(await vscode.commands.executeCommand('d7otp.stopWatching'), true);
    assert.equal((pick.firstCall.args[0] as readonly unknown[]).length, 3, 'the two watches and "Stop all"');
    assert.equal(api.internals.watches.count, 0);
  });

  it('stops after a 404 instead of polling forever', async () => {
    const { api, mock } = ctx();
    sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    sinon.stub(vscode.window, 'showErrorMessage').resolves(undefined);
    api.watch('aaaaaaaa-bbbb-4ccc-8ddd-000000000404');
    await waitFor(() => api.internals.watches.count === 0, 'the watch to end', 5000);
    assert.equal(mock.requests.length, 1);
  });
});

describe('reliability (extension host): a watch stopped mid-request', () => {
  beforeEach(async () => {
    await resetState();
    captureMessages();
  });
  afterEach(() => {
    ctx().api.internals.watches.stopAll();
    sinon.restore();
  });

  it('a watch stopped while its lookup is in flight aborts the request, records nothing and leaves no watch timer', async () => {
    const { api, mock } = ctx();
    await setSetting('requestTimeoutSeconds', 30);
    const watch = api.watch(SCENARIOS.slow);
    await waitFor(() => mock.requests.length === 1, 'the first poll to reach the mock');
    watch.dispose();
    assert.equal(api.internals.watches.count, 0);
    // The request ends either way: closed by the client at once (aborted), or answered after SLOW_MS (not aborted).
    await waitFor(() => mock.requests[0].ended !== undefined, 'the request to end', SLOW_MS + 2000);
    assert.equal(mock.requests[0].ended, 'no answer', 'the client closed the request instead of waiting for the answer');
    assert.equal(api.getHistory().filter((e) => e.otpId === SCENARIOS.slow).length, 0, 'nothing recorded');
    assert.equal(api.internals.watches.timersAlive(), 0, 'no timer left');
    assert.equal(mock.requests.length, 1, 'no further poll');
  });
});
