import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { buildTimeline } from '../../src/core/timeline';
import { ctx, entryOf, iconOf, item, resetState, rootNode, SCENARIOS, waitFor } from './helpers';
import { restoreSettings, setUserSetting } from './settings';

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
      assert.ok(api.internals.watches.get(SCENARIOS.turnsApproved), 'watch started');
      await waitFor(() => api.internals.watches.count === 0, 'the watch to end', 10_000);
    } finally {
      sub.dispose();
    }
    const entry = entryOf(SCENARIOS.turnsApproved);
    assert.deepEqual(entry.checks.map((c) => [c.status, c.repeat ?? 1]), [['APPROVED', 1], ['OPEN', 2]]);
    assert.deepEqual(buildTimeline(entry).map((s) => s.label), ['OPEN', 'APPROVED']);
    assert.deepEqual(changes, [{ otpId: SCENARIOS.turnsApproved, to: 'OPEN' }, { otpId: SCENARIOS.turnsApproved, from: 'OPEN', to: 'APPROVED' }]);
    assert.ok(infos.some((m) => m.includes('OPEN → APPROVED')), `announced: ${JSON.stringify(infos)}`);
    assert.equal(mock.requests.length, 3);
    assert.equal(api.internals.watches.scheduler.timersAlive(), 0, 'no timer left');
  });

  it('shows a watched id spinning in the tree with its elapsed time, and stops on request', async () => {
    const { api } = ctx();
    await vscode.commands.executeCommand('d7otp.checkStatus', SCENARIOS.open);
    const disposable = api.watch(SCENARIOS.open);
    const watched = await item(await rootNode(SCENARIOS.open));
    assert.equal(watched.contextValue, 'entry.watching');
    assert.equal(iconOf(watched)[0], 'loading~spin');
    assert.match(String(watched.description), /^watching \d+ s · /);
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
    assert.equal(api.internals.watches.scheduler.timersAlive() <= 1, true, 'one timer for all watches');
    assert.equal(await vscode.commands.executeCommand('d7otp.stopWatching'), true);
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
