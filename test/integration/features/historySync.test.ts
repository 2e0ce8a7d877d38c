/**
 * Settings Sync of the history (src/features/history/historySync.ts): `d7otp.history.sync` decides which
 * globalState keys VS Code syncs (the history key, never a secret).
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { EXTENSION_ID, HISTORY_KEY, ctx, restoreSettings, setUserSetting, waitFor } from '../helpers';

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

  it('is a user-level (application) setting that defaults to off', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { configuration: { properties: Record<string, { default: unknown; scope: string }> } };
    };
    const setting = pkg.contributes.configuration.properties['d7otp.history.sync'];
    assert.equal(setting.default, false);
    assert.equal(setting.scope, 'application');
  });
});
