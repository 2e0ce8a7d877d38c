/**
 * No leak: a unique token is set through `d7otp.setToken`, then every command and error path reachable without a
 * person runs with it (every mock scenario, check again, copy id, copy JSON, copy as curl, as Markdown and as a link,
 * open as JSON, watch and stop, check all, export JSON and CSV, token info, the agent tools, send, resend, verify,
 * profiles, labels, bad settings, a refused token, no token). Every command the manifest contributes is run (a
 * command that is not registered fails the test: a leak path is never skipped), or named in NOT_RUN with the reason.
 * Every message function is stubbed to capture what would be shown. Then globalState (every key), the log, the clipboard
 * contents, the captured messages, the exported files and every returned record are searched for the token in
 * clear, base64 (alone and as "Bearer <token>"), base64url and URL-encoded. A second mock accepts only this token,
 * and its request log proves the token was really used, only in the Authorization header, only to that origin.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { startMockServer, type MockServer } from '../mock/server';
import {
  EXTENSION_ID,
  SCENARIOS,
  UNKNOWN_ID,
  check,
  children,
  closedPort,
  ctx,
  historyFiles,
  item,
  resetState,
  rootNode,
  setSetting,
  useBaseUrl,
  waitFor,
  type StatusCheck,
} from './helpers';

/** Characters that change under base64 and URL encoding, so every form differs from the clear one. */
const TOKEN = `noleak-${randomBytes(16).toString('hex')}.+/=~_!`;

function forms(token: string): Record<string, string> {
  return {
    clear: token,
    'URL-encoded': encodeURIComponent(token),
    'URL-encoded (form)': new URLSearchParams({ t: token }).toString().slice(2),
    base64: Buffer.from(token).toString('base64'),
    base64url: Buffer.from(token).toString('base64url'),
    'base64 of "Bearer <token>"': Buffer.from(`Bearer ${token}`).toString('base64'),
    'the random part alone': token.slice(7, 39),
  };
}

/** Contributed commands this suite does not run, and why that is no leak path left out. */
const NOT_RUN: Record<string, string> = {
  'd7otp.history.clear': 'run by every resetState(); it only writes an empty history, which is searched too',
  'd7otp.tryDemo':
    "adds a profile named demo with the demo server's own token and switches to it; it never reads the user's token " +
    '(newcomer.test.ts runs it, and checks the demo profile is removed again)',
};

/** The agent tools through VS Code's API, as an agent calls them (the result text is evidence). */
async function invokeTool(name: string, input: object): Promise<string> {
  const lm = vscode.lm as unknown as { invokeTool(name: string, options: object): Thenable<{ content: { value?: string }[] }> };
  const result = await lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return result.content.map((part) => part.value ?? '').join('');
}

/** Where each piece of evidence came from, and its text. */
const evidence: [string, string][] = [];
function keep(where: string, value: unknown): void {
  evidence.push([where, typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))]);
}

describe('no leak: the token appears nowhere but in the Authorization header to the configured origin', function () {
  let secretMock: MockServer;
  const captured: string[] = [];
  let tmp: string;

  before(async function () {
    this.timeout(60_000);
    secretMock = await startMockServer({ token: TOKEN, slowMs: 5000 });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-noleak-'));
    await resetState();
    await useBaseUrl(secretMock.url, TOKEN);
    await setSetting('retry.maxRetries', 0);
    await setSetting('requestTimeoutSeconds', 1);
    const record =
      (kind: string) =>
      (message: unknown, ...rest: unknown[]) => {
        captured.push(`${kind}: ${String(message)} ${JSON.stringify(rest)}`);
        return Promise.resolve(undefined);
      };
    sinon.stub(vscode.window, 'showErrorMessage').callsFake(record('error'));
    sinon.stub(vscode.window, 'showWarningMessage').callsFake(record('warning'));
    sinon.stub(vscode.window, 'showInformationMessage').callsFake(record('info'));
    sinon.stub(vscode.window, 'setStatusBarMessage').callsFake((text: string) => {
      captured.push(`statusBar: ${text}`);
      return { dispose: () => undefined };
    });
    // Nothing may wait for a person: any prompt is answered "dismissed".
    sinon.stub(vscode.window, 'showInputBox').resolves(undefined);
    sinon.stub(vscode.window, 'showQuickPick').resolves(undefined);
    sinon.stub(vscode.window, 'showSaveDialog').resolves(undefined);
    sinon.stub(vscode.window, 'showOpenDialog').resolves(undefined);
  });

  after(async function () {
    this.timeout(60_000);
    sinon.restore();
    ctx().api.internals.watches.stopAll();
    await secretMock?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
    await resetState();
  });

  it('runs every command and error path with a unique token, then finds it nowhere', async function () {
    this.timeout(120_000);
    const { api } = ctx();
    const results: unknown[] = [];
    const run = async (what: string, action: () => Thenable<unknown> | Promise<unknown>) => {
      const result = await action();
      results.push(result);
      keep(`result of ${what}`, result);
      return result;
    };
    const clipboard = async (what: string) => keep(`clipboard after ${what}`, await vscode.env.clipboard.readText());
    const registered = new Set(await vscode.commands.getCommands(true));
    const ran = new Set<string>();
    /** Runs a command of this extension; one that is not registered fails the test instead of being skipped. */
    const exec = <T = unknown>(id: string, ...args: unknown[]): Thenable<T> => {
      assert.ok(registered.has(id), `${id} is registered (a leak path is never skipped)`);
      ran.add(id);
      return vscode.commands.executeCommand<T>(id, ...args);
    };

    // The token, set as a user would paste it (with a "Bearer " prefix and a line break).
    assert.equal(await exec('d7otp.setToken', `Bearer ${TOKEN}\n`), true);

    // Every scenario of the mock, through the palette command.
    for (const id of Object.values(SCENARIOS)) await run(`check ${id}`, () => check(id));
    await run('check an unknown id', () => check(UNKNOWN_ID));
    ran.add('d7otp.checkStatus');
    await run('check a hostile id', () => exec('d7otp.checkStatus', '../../etc/passwd'));

    // Tree actions on real nodes.
    const root = await rootNode(SCENARIOS.open);
    const [firstCheck] = (await children(root)).filter((n) => (n as { kind?: string }).kind === 'check');
    await run('check again (node)', () => exec('d7otp.history.checkAgain', root));
    await run('copy id (node)', () => exec('d7otp.history.copyId', root));
    await clipboard('copy id');
    await run('copy JSON (entry)', () => exec('d7otp.history.copyJson', root));
    await clipboard('copy JSON of an entry');
    await run('copy JSON (check)', () => exec('d7otp.history.copyJson', firstCheck));
    await clipboard('copy JSON of a check');
    for (const scenario of ['status403', 'html200', 'redirectOtherHost'] as const) {
      await run(`copy JSON (${scenario})`, async () => exec('d7otp.history.copyJson', await rootNode(SCENARIOS[scenario])));
      await clipboard(`copy JSON of ${scenario}`);
    }
    for (const command of ['copyCurl', 'copyMarkdown', 'copyLink']) {
      await run(`${command} (node)`, () => exec(`d7otp.history.${command}`, root));
      await clipboard(command);
    }
    await run('set a label', () => exec('d7otp.history.setLabel', SCENARIOS.open, `label ${TOKEN.slice(0, 6)}`));
    await run('reveal', () => exec('d7otp.history.reveal', SCENARIOS.open));
    await run('filter by profile', () => exec('d7otp.history.filterByProfile'));
    await run('show all profiles', () => exec('d7otp.history.showAllProfiles'));
    for (const node of await children(root)) keep('tree item under open', await item(node));
    keep('tree item open', await item(root));

    const uri = await run('open as JSON', () => exec<vscode.Uri | undefined>('d7otp.history.openJson', SCENARIOS.open));
    assert.ok(uri instanceof vscode.Uri, 'Open as JSON returned the document it opened');
    keep('the JSON document', (await vscode.workspace.openTextDocument(uri)).getText());

    // The editor commands, on a document holding two ids.
    const doc = await vscode.workspace.openTextDocument({ content: `${SCENARIOS.open} ${SCENARIOS.approved}` });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    await run('check at cursor', () => exec('d7otp.checkStatusAtCursor', doc.uri));
    await run('check all in selection', () => exec('d7otp.checkAllInSelection'));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');

    // The agent tools (the billable ones would ask for a confirmation nobody gives here).
    for (const [tool, input] of [
      ['d7otp_getStatus', { otpId: SCENARIOS.approved }],
      ['d7otp_getStatus', { otpId: SCENARIOS.status403 }],
      ['d7otp_getHistory', {}],
      ['d7otp_watchStatus', { otpId: SCENARIOS.expired, timeoutSeconds: 1 }],
    ] as const) {
      keep(`the ${tool} tool's result`, await invokeTool(tool, input));
    }

    // Watch and stop, through the commands and the API.
    await run('watch', () => exec('d7otp.watchStatus', SCENARIOS.open));
    await waitFor(() => secretMock.requests.filter((r) => r.path.endsWith(SCENARIOS.open)).length >= 3, 'a watch poll');
    await run('stop watching', () => exec('d7otp.stopWatching', SCENARIOS.open));
    await run('watch (tree item)', () => exec('d7otp.history.watch', root));
    await run('stop watching (tree item)', () => exec('d7otp.history.stopWatching', root));
    const apiWatch = api.watch(SCENARIOS.turnsApproved);
    await waitFor(
      () => api.internals.watches.count === 0 || secretMock.requests.some((r) => r.path.endsWith(SCENARIOS.turnsApproved)),
      'the API watch to poll',
    );
    apiWatch.dispose();
    await run('stop all watches', () => exec('d7otp.stopAllWatches'));

    // Check all again (fewer than 20 entries would skip the confirmation; more are dismissed by the stub).
    await run('check all again', () => exec('d7otp.refreshAll'));

    // Send, resend, verify through the API (and a refused send).
    await setSetting('retry.maxRetries', 0);
    const sent = (await run('sendOtp', () => api.sendOtp({ originator: 'NoLeak', recipient: '+971501234567', content: 'Code {}' }))) as StatusCheck;
    assert.equal(sent.ok, true, sent.error?.message);
    await run('resendOtp too early', () => api.resendOtp(sent.otpId));
    await run('verifyOtp wrong code', () => api.verifyOtp(sent.otpId, secretMock.codeOf(sent.otpId) === '000000' ? '111111' : '000000'));
    await run('verifyOtp right code', () => api.verifyOtp(sent.otpId, secretMock.codeOf(sent.otpId) ?? ''));
    await run('sendOtp refused (422)', () => api.sendOtp({ originator: '', recipient: 'nope' }));
    await run('resendOtp hostile id', () => api.resendOtp('%2e%2e/'));
    await run('verifyOtp hostile code', () => api.verifyOtp(sent.otpId, TOKEN));
    // The commands of the same calls: the wizard and the billing confirmation are dismissed (stubbed), so nothing is sent.
    await run('Send OTP… (dismissed)', () => exec('d7otp.sendOtp'));
    await run('Resend OTP (not confirmed)', () => exec('d7otp.resendOtp', sent.otpId));
    await run('Verify Code (command)', () => exec('d7otp.verifyOtp', sent.otpId, TOKEN));
    await run('Resend (tree item, not confirmed)', () => exec('d7otp.history.resend', sent.otpId));
    await run('Verify (tree item, no code given)', () => exec('d7otp.history.verify', sent.otpId));
    api.internals.watches.stopAll();

    // Export (JSON and CSV, to files), import (the open dialog is dismissed), token info, the log, profiles.
    for (const format of ['json', 'csv'] as const) {
      const file = path.join(tmp, `history.${format}`);
      await run(`export ${format}`, () => exec('d7otp.history.export', { uri: vscode.Uri.file(file).toString(), format }));
      assert.ok(fs.existsSync(file), `exported ${format}`);
      keep(`the exported ${format}`, fs.readFileSync(file, 'utf8'));
    }
    await run('import (dismissed)', () => exec('d7otp.history.import'));
    await run('restore set-aside (the pick dismissed)', () => exec('d7otp.history.restoreSetAside'));
    await run('restore set-aside (an id that is not set aside)', () => exec('d7otp.history.restoreSetAside', { id: `x-${TOKEN.slice(0, 6)}` }));
    await run('token info', () => exec('d7otp.showTokenInfo'));
    await run('show the log', () => exec('d7otp.showLog'));
    await run('switch profile (dismissed)', () => exec('d7otp.switchProfile'));
    await run('add a profile (dismissed)', () => exec('d7otp.addProfile'));
    await run('remove a profile (dismissed)', () => exec('d7otp.removeProfile'));
    await run('remove an entry', () => exec('d7otp.history.remove', SCENARIOS.status403));

    // Error paths of settings and tokens.
    await useBaseUrl(ctx().mock.url, TOKEN);
    await run('401 from a server that wants another token', () => check(SCENARIOS.approved));
    await useBaseUrl(`http://127.0.0.1:${await closedPort()}`, TOKEN);
    await run('connection refused', () => check(SCENARIOS.expired));
    await setSetting('baseUrl', `https://user:${TOKEN}@127.0.0.1`);
    await run('a base URL with the token as password', () => check(SCENARIOS.failed));
    await setSetting('baseUrl', `http://example.com/${TOKEN}`);
    await run('a refused base URL', () => check(SCENARIOS.failed));
    await useBaseUrl(secretMock.url, TOKEN);
    await run('a refused token (inner space)', () => exec('d7otp.setToken', `${TOKEN} ${TOKEN}`));
    await run('a refused token (line break)', () => exec('d7otp.setToken', `${TOKEN}\r\nX-Injected: 1`));
    await run('clear token', () => exec('d7otp.clearToken'));
    await run('check without a token', () => check(SCENARIOS.open));
    await run('set the token again', () => exec('d7otp.setToken', TOKEN));
    await run('a final check', () => check(SCENARIOS.open));

    // Every command the manifest contributes ran, or is named in NOT_RUN with the reason.
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }
    ).contributes.commands.map((c) => c.command);
    assert.deepEqual(
      contributed.filter((id) => !ran.has(id) && !(id in NOT_RUN)),
      [],
      'contributed commands this suite never ran',
    );

    // ---- the evidence ----
    await api.internals.history.flush();
    const state = api.internals.globalState;
    for (const key of state.keys()) keep(`globalState ${key}`, state.get(key));
    for (const [file, text] of historyFiles()) keep(`the history file ${file}`, text);
    keep('getHistory()', api.getHistory());
    keep('the log', api.internals.logLines().join('\n'));
    keep('the captured messages', captured.join('\n'));

    // The token was really used: sent, in the Authorization header only, to the configured origin only.
    const host = new URL(secretMock.url).host;
    const withToken = secretMock.requests.filter((r) => r.headers.authorization === `Bearer ${TOKEN}`);
    assert.ok(withToken.length >= 40, `${withToken.length} requests carried the token`);
    for (const request of secretMock.requests) {
      assert.equal(request.headers.host, host, 'every request went to the configured origin');
      const { authorization: _auth, ...otherHeaders } = request.headers;
      for (const [name, form] of Object.entries(forms(TOKEN))) {
        assert.ok(
          !request.path.includes(form) && !request.body.includes(form) && !JSON.stringify(otherHeaders).includes(form),
          `the token (${name}) in a request's path, body or other header`,
        );
      }
    }
    assert.equal(
      ctx().mock.requests.filter((r) => r.headers.authorization?.includes(TOKEN)).length,
      1,
      'the other mock got it once: the check made while it was the configured base URL (the token stored for it)',
    );

    // The search: each form of the token, in each piece of evidence.
    const found: string[] = [];
    for (const [where, text] of evidence) {
      for (const [name, form] of Object.entries(forms(TOKEN))) if (text.includes(form)) found.push(`${name} in ${where}`);
    }
    assert.deepEqual(found, [], 'the token was found');
    assert.ok(captured.length >= 20, `${captured.length} messages captured`);
    assert.ok(evidence.length >= 80, `${evidence.length} pieces of evidence`);
  });

  it('a token pasted into the otp_id box by mistake is never stored, logged or exported', async function () {
    this.timeout(60_000);
    const { api } = ctx();
    await useBaseUrl(secretMock.url, TOKEN);
    const requestsBefore = secretMock.requests.length;
    const pasted = [TOKEN, `../${TOKEN}`, `Bearer ${TOKEN}`];
    for (const input of pasted) {
      await vscode.commands.executeCommand('d7otp.checkStatus', input);
      await api.checkStatus(input);
      await api.resendOtp(input);
      await api.verifyOtp(input, '123456');
      await vscode.commands.executeCommand('d7otp.watchStatus', input);
      await vscode.commands.executeCommand('d7otp.history.checkAgain', input);
    }
    api.internals.watches.stopAll();
    assert.equal(secretMock.requests.length, requestsBefore, 'nothing was sent');
    await api.internals.history.flush();
    const stored: [string, string][] = api.internals.globalState
      .keys()
      .map((key) => [`globalState ${key}`, JSON.stringify(api.internals.globalState.get(key)) ?? '']);
    stored.push(['getHistory()', JSON.stringify(api.getHistory())], ['the log', api.internals.logLines().join('\n')]);
    for (const [name, text] of historyFiles()) stored.push([`the history file ${name}`, text]);
    const file = path.join(tmp, 'after-paste.json');
    await vscode.commands.executeCommand('d7otp.history.export', { uri: vscode.Uri.file(file).toString(), format: 'json' });
    stored.push(['the export', fs.readFileSync(file, 'utf8')]);
    const found = stored.flatMap(([where, text]) =>
      Object.entries(forms(TOKEN))
        .filter(([, form]) => text.includes(form))
        .map(([name]) => `${name} in ${where}`),
    );
    assert.deepEqual(found, [], 'the pasted token was kept somewhere');
  });

  it('a token pasted into the otp_id box is not quoted back in the error notification or the returned record', async () => {
    const { api } = ctx();
    const said: string[] = [];
    const capture = (message: string) => {
      said.push(message);
      return Promise.resolve(undefined);
    };
    sinon.restore(); // this describe's before hook stubbed the messages for the other tests; capture afresh
    sinon.stub(vscode.window, 'showErrorMessage').callsFake(capture);
    sinon.stub(vscode.window, 'showWarningMessage').callsFake(capture);
    try {
      const records = [
        await vscode.commands.executeCommand('d7otp.checkStatus', TOKEN),
        await api.checkStatus(` ${TOKEN} `),
        await api.resendOtp(TOKEN),
        await api.verifyOtp(TOKEN, '123456'),
      ];
      const text = JSON.stringify({ said, records });
      const found = Object.entries(forms(TOKEN))
        .filter(([, form]) => text.includes(form))
        .map(([name]) => name);
      assert.deepEqual(found, [], `the pasted token was quoted back: ${found.join(', ')}`);
      assert.ok(
        said.some((m) => /is not an otp_id/.test(m)),
        JSON.stringify(said),
      );
    } finally {
      sinon.restore();
    }
  });
});
