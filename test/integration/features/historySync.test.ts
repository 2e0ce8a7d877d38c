/**
 * Settings Sync of the history (src/features/history/historySync.ts): `d7otp.history.sync` decides which
 * globalState keys VS Code syncs (the history key, never a secret), and whether that key holds the history's
 * bounded copy (on) or nothing (off: the history is in files only).
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { EXTENSION_ID, HISTORY_KEY, SCENARIOS, check, ctx, resetState, restoreSettings, setUserSetting, waitFor } from '../helpers';

describe('history Settings Sync', () => {
  afterEach(async () => {
    await restoreSettings();
    sinon.restore();
  });

  it('syncs only the history key when on, nothing when off; never a secret', async () => {
    const memento = ctx().api.internals.globalState as vscode.Memento & { setKeysForSync(keys: readonly string[]): void };
    const spy = sinon.spy(memento, 'setKeysForSync');
    await setUserSetting('history.sync', true);
    await waitFor(() => spy.called, 'setKeysForSync after turning sync on');
    assert.deepStrictEqual(spy.lastCall.args[0], [HISTORY_KEY]);
    await setUserSetting('history.sync', false);
    await waitFor(() => spy.callCount >= 2, 'setKeysForSync after turning sync off');
    assert.deepStrictEqual(spy.lastCall.args[0], []);
    for (const call of spy.getCalls()) assert.ok(!call.args[0].some((k) => /token/i.test(k)), 'no token key is ever synced');
  });

  it('on: the key holds a copy of the history (a version-1 document plus what merging needs); off: it is emptied', async () => {
    await resetState();
    const result = await check(SCENARIOS.open);
    assert.equal(ctx().api.internals.globalState.get(HISTORY_KEY), undefined, 'off: nothing in globalState');
    await setUserSetting('history.sync', true);
    type Copy = { version: number; entries: { otpId: string; checks: unknown[] }[]; sync: { format: string } };
    const copy = () => ctx().api.internals.globalState.get<Copy>(HISTORY_KEY);
    await waitFor(() => copy()?.entries.length === 1, 'the copy to be written');
    assert.deepStrictEqual([copy()?.version, copy()?.entries[0].otpId, copy()?.sync.format], [1, result.otpId, 'd7otp-history-sync']);
    await check(SCENARIOS.approved);
    await waitFor(() => copy()?.entries.length === 2, 'the copy to follow a new check');
    await setUserSetting('history.sync', false);
    await waitFor(() => copy() === undefined, 'the copy to be emptied');
    assert.equal(ctx().api.getHistory().length, 2, 'the history itself stays');
  });

  it('is a user-level (application) setting that defaults to off', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { configuration: { properties: Record<string, { default: unknown; scope: string }> } };
    };
    const setting = pkg.contributes.configuration.properties['d7otp.history.sync'];
    assert.equal(setting.default, false);
    assert.equal(setting.scope, 'application');
  });
});
