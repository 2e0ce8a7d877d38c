/**
 * Settings as src/config.ts reads them. `d7otp.baseUrl`: the token goes wherever it points, so plain http:// is
 * refused for anything but loopback, and a workspace cannot redirect it (the fixture workspace's
 * .vscode/settings.json sets it to http://attacker.invalid).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SCENARIOS, WORKSPACE_ATTACKER_URL, check, ctx, resetState, setSetting } from './helpers';

describe('settings: d7otp.baseUrl', () => {
  beforeEach(() => resetState());

  // What the client refuses before any request (http:// off loopback, ftp://, a path, a password, garbage, empty):
  // test/unit/config/baseUrlSetting.test.ts. Here: the user value is the one read, a workspace value never is.

  it('http:// to 127.0.0.1 (the mock) is accepted, with or without a trailing slash', async () => {
    await setSetting('baseUrl', `${ctx().mock.url}/`);
    const result = await check(SCENARIOS.open);
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(ctx().mock.requests[0].path, `/verify/v1/report/${SCENARIOS.open}`);
  });

  it('the workspace value (http://attacker.invalid) is ignored: checks go to the user setting', async () => {
    // The fixture workspace really carries the attacker's value ...
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const settingsFile = vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json');
    const text = Buffer.from(await vscode.workspace.fs.readFile(settingsFile)).toString('utf8');
    assert.ok(text.includes(`"d7otp.baseUrl": "${WORKSPACE_ATTACKER_URL}"`), 'the fixture sets d7otp.baseUrl');
    // ... which VS Code itself drops, since the setting has scope "application" (inspect() does not even report a
    // workspaceValue). config.baseUrl() reads the user value only, a second line of defence this cannot reach.
    const inspected = vscode.workspace.getConfiguration('d7otp').inspect<string>('baseUrl');
    assert.equal(inspected?.workspaceValue, undefined, 'the application-scoped setting has no workspace value');
    assert.equal(inspected?.globalValue, ctx().mock.url);
    assert.equal(vscode.workspace.getConfiguration('d7otp').get('baseUrl'), ctx().mock.url);
    // ... and the check reaches the mock.
    const result = await check(SCENARIOS.approved);
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(result.status, 'APPROVED');
    assert.equal(ctx().mock.requests.length, 1);
  });

  it('a workspace value of d7otp.baseUrl is never used: the requests reach the user-set mock', async () => {
    const inspected = vscode.workspace.getConfiguration('d7otp').inspect<string>('baseUrl');
    assert.equal(inspected?.globalValue, ctx().mock.url);
    await check(SCENARIOS.open);
    assert.equal(ctx().mock.requests.length, 1, 'the lookup reached the mock, not the workspace value');
  });
});
