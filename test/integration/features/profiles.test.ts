/**
 * Profiles (src/features/profiles): add, switch and remove profiles through their commands, each with its own token
 * in SecretStorage, and the profile each check is recorded with. The tree's profile filter is in historyView.test.ts.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { ctx, MOCK_TOKEN, resetState, restoreSettings, SCENARIOS, setUserSetting } from '../helpers';

describe('Profiles (in the extension host)', () => {
  beforeEach(async () => {
    await resetState();
    await setUserSetting('profiles', []);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('d7otp.history.showAllProfiles');
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    sinon.restore();
    await restoreSettings();
  });

  it('keeps the core setup working as the "default" profile, recorded with each check', async () => {
    const { api } = ctx();
    assert.equal(api.internals.profiles.active().name, 'default');
    const result = await vscode.commands.executeCommand<{ ok: boolean; profile?: string }>('d7otp.checkStatus', SCENARIOS.open);
    assert.equal(result?.ok, true);
    assert.equal(result?.profile, 'default');
  });

  it('adds a profile with its own token, switches to it, and records checks with it', async () => {
    const { api, mock } = ctx();
    assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: 'staging', baseUrl: mock.url, token: MOCK_TOKEN }), true);
    assert.deepEqual(
      api.internals.profiles.list().map((p) => p.name),
      ['default', 'staging'],
    );
    assert.equal(await vscode.commands.executeCommand('d7otp.switchProfile', 'staging'), true);
    assert.equal(api.internals.profiles.active().name, 'staging');
    const result = await api.checkStatus(SCENARIOS.approved);
    assert.equal(result.ok, true);
    assert.equal(result.profile, 'staging');
    // The default profile's token is untouched: clear staging's, default still works.
    await vscode.commands.executeCommand('d7otp.clearToken');
    assert.equal((await api.checkStatus(SCENARIOS.open)).error?.kind, 'config');
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    assert.equal((await api.checkStatus(SCENARIOS.open)).ok, true);
  });

  it('a profile token is per profile: a wrong one gives 401 only there', async () => {
    const { api, mock } = ctx();
    sinon.stub(vscode.window, 'showErrorMessage').resolves(undefined);
    await vscode.commands.executeCommand('d7otp.addProfile', { name: 'prod', baseUrl: mock.url, token: 'wrong-token' });
    await vscode.commands.executeCommand('d7otp.switchProfile', 'prod');
    assert.equal((await api.checkStatus(SCENARIOS.open)).error?.kind, 'unauthorized');
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    assert.equal((await api.checkStatus(SCENARIOS.open)).ok, true);
  });

  it('removes a profile with its secret, and refuses bad names, URLs and removing default', async () => {
    const { api, mock } = ctx();
    sinon.stub(vscode.window, 'showErrorMessage').resolves(undefined);
    await vscode.commands.executeCommand('d7otp.addProfile', { name: 'temp', baseUrl: mock.url, token: MOCK_TOKEN });
    await vscode.commands.executeCommand('d7otp.switchProfile', 'temp');
    assert.equal(await vscode.commands.executeCommand('d7otp.removeProfile', 'temp'), true);
    assert.equal(api.internals.profiles.active().name, 'default', 'falls back to default');
    // Re-adding it without a token proves its secret went with it.
    await vscode.commands.executeCommand('d7otp.addProfile', { name: 'temp', baseUrl: mock.url });
    await vscode.commands.executeCommand('d7otp.switchProfile', 'temp');
    assert.match((await api.checkStatus(SCENARIOS.open)).error?.message ?? '', /No API token set/);
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: '../bad', baseUrl: mock.url }), false);
    assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: 'cleartext', baseUrl: 'http://example.com' }), false);
    assert.equal(await vscode.commands.executeCommand('d7otp.removeProfile', 'default'), false);
    assert.equal(await vscode.commands.executeCommand('d7otp.switchProfile', 'nope'), false);
  });
});
