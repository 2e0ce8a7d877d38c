/** Activation (src/extension.ts): the extension is there, activates in the expected host, and contributes its commands. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from './helpers';

describe('smoke: the extension in a real extension host', () => {
  it('is installed from source and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers d7otp.setToken, d7otp.clearToken and d7otp.checkStatus', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['d7otp.setToken', 'd7otp.clearToken', 'd7otp.checkStatus']) {
      assert.ok(commands.includes(id), `command ${id} is not registered`);
    }
  });

  it('runs in the host the runner expects', () => {
    // code-server: web UI, remote Node extension host; desktop (test-electron): desktop UI.
    const expected = process.env.D7OTP_INTEGRATION === '1' ? vscode.UIKind.Web : vscode.UIKind.Desktop;
    assert.equal(vscode.env.uiKind, expected);
    assert.ok(
      vscode.workspace.workspaceFolders?.some((f) => f.uri.path.endsWith('/test/fixtures/workspace')),
      'the fixture workspace is open',
    );
  });
});
