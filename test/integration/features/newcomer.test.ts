/**
 * What a user sees from the first minute (issue 13), in a real extension host: one message per event, a prompt
 * that reads no clipboard in a browser, phone numbers masked everywhere they are shown or written, the keyboard,
 * the small things a user trips on, and the built-in demo server.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { cacheFileName, readCache } from '../../../src/boot/codeCache';
import {
  asOtpId,
  captureMessages,
  checkNodes,
  closedPort,
  ctx,
  entryOf,
  EXTENSION_ID,
  fieldRows,
  MOCK_TOKEN,
  resetState,
  restoreSettings,
  rootNode,
  SCENARIOS,
  setSetting,
  setUserSetting,
  waitFor,
  walk,
  type StatusCheck,
} from '../helpers';

const PARAMS = { recipient: '+971501234567', originator: 'SignOTP', content: 'Your code is {}', confirm: false };
const MASKED = '+97150•••4567';

async function send(): Promise<StatusCheck> {
  const sent = await vscode.commands.executeCommand<StatusCheck>('d7otp.sendOtp', PARAMS);
  assert.ok(sent?.ok, JSON.stringify(sent?.error));
  return sent;
}

describe('What a user sees (issue 13)', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-newcomer-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => resetState());
  afterEach(async () => {
    ctx().api.internals.watches.stopAll();
    sinon.restore();
    await restoreSettings();
  });

  describe('one event, one message', () => {
    it('Verify Code on a watched OTP: "APPROVED" once, no second "OPEN → APPROVED" from the watch', async () => {
      await setUserSetting('send.watchAfterSend', true);
      await setUserSetting('watch.intervalSeconds', 1);
      const messages = captureMessages();
      const sent = await send();
      assert.ok(ctx().api.internals.watches.get(asOtpId(sent.otpId)), 'watched after the send');
      const verified = await vscode.commands.executeCommand<StatusCheck>('d7otp.verifyOtp', sent.otpId, ctx().mock.codeOf(sent.otpId));
      assert.equal(verified?.status, 'APPROVED');
      await waitFor(() => ctx().api.internals.watches.count === 0, 'the watch to see APPROVED and end', 10_000);
      const about = messages.filter((m) => m.kind !== 'statusBar' && m.text.includes(sent.otpId) && /APPROVED/.test(m.text));
      assert.deepEqual(
        about.map((m) => m.text),
        [`OTP ${sent.otpId}: APPROVED`],
      );
    });

    it('a change only a watch poll found is still announced by the watch', async () => {
      await setUserSetting('watch.intervalSeconds', 1);
      const messages = captureMessages();
      assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.turnsApproved), true);
      await waitFor(() => messages.some((m) => m.text.includes('OPEN → APPROVED')), 'the watch to announce OPEN → APPROVED', 10_000);
    });
  });

  describe('the Check Status prompt in a browser workbench', () => {
    it('reads no clipboard in a browser (no permission toast); the editor selection is still offered', async () => {
      await vscode.env.clipboard.writeText(SCENARIOS.approved);
      const box = sinon.stub(vscode.window, 'showInputBox').resolves(undefined);
      await vscode.commands.executeCommand('d7otp.checkStatus');
      const offered = box.firstCall.args[0]?.value;
      if (vscode.env.uiKind === vscode.UIKind.Web) {
        assert.equal(offered, undefined, 'nothing from the clipboard in a browser (the UI test sees that no toast appears)');
      } else assert.equal(offered, SCENARIOS.approved, 'a desktop offers the clipboard');
      const doc = await vscode.workspace.openTextDocument({ content: `log: otp ${SCENARIOS.open} sent` });
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length);
      await vscode.commands.executeCommand('d7otp.checkStatus');
      assert.equal(box.secondCall.args[0]?.value, SCENARIOS.open);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  describe('phone numbers', () => {
    /** Imports an entry whose body holds a full phone number (as an older version, or another machine, stored it). */
    async function importWithPhone(): Promise<string> {
      const otpId = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
      const file = path.join(dir, 'with-phone.json');
      const check = { otpId, checkedAt: new Date().toISOString(), ok: true, status: 'OPEN', httpStatus: 200, durationMs: 5, operation: 'send' };
      const body = { otp_id: otpId, status: 'OPEN', recipient: PARAMS.recipient };
      fs.writeFileSync(file, JSON.stringify({ format: 'd7otp-history', version: 1, entries: [{ otpId, checks: [{ ...check, body }] }] }));
      await vscode.commands.executeCommand('d7otp.history.import', { uri: vscode.Uri.file(file).toString() });
      assert.ok(entryOf(otpId), 'imported');
      return otpId;
    }

    it('are masked by default in the Send messages, the tree, Copy JSON, Open as JSON and exports (which say so)', async () => {
      await setUserSetting('send.watchAfterSend', false);
      const messages = captureMessages();
      await send();
      const sentMessage = messages.find((m) => m.text.startsWith('OTP sent to'));
      assert.ok(sentMessage?.text.startsWith(`OTP sent to ${MASKED}:`), sentMessage?.text);
      assert.ok(!messages.some((m) => m.text.includes(PARAMS.recipient)), 'no message shows the number');
      const otpId = await importWithPhone();
      const [checkNode] = await checkNodes(await rootNode(otpId));
      assert.equal((await fieldRows(checkNode)).recipient, MASKED);
      await vscode.commands.executeCommand('d7otp.history.copyJson', otpId);
      assert.equal(JSON.parse(await vscode.env.clipboard.readText()).recipient, MASKED);
      const uri = await vscode.commands.executeCommand<vscode.Uri>('d7otp.history.openJson', otpId);
      const shown = (await vscode.workspace.openTextDocument(uri)).getText();
      assert.ok(shown.includes(MASKED) && !shown.includes(PARAMS.recipient), 'Open as JSON is masked');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      const target = vscode.Uri.file(path.join(dir, 'masked.json')).toString();
      await vscode.commands.executeCommand('d7otp.history.export', { uri: target, format: 'json' });
      const exported = fs.readFileSync(vscode.Uri.parse(target).fsPath, 'utf8');
      assert.equal(JSON.parse(exported).recipients, 'masked');
      assert.ok(!exported.includes(PARAMS.recipient));
      const csv = vscode.Uri.file(path.join(dir, 'masked.csv')).toString();
      await vscode.commands.executeCommand('d7otp.history.export', { uri: csv, format: 'csv' });
      const rows = fs.readFileSync(vscode.Uri.parse(csv).fsPath, 'utf8').trim().split('\r\n');
      assert.ok(rows[0].endsWith(',recipients') && rows.slice(1).every((r) => r.endsWith(',masked')), rows.join('\n'));
      assert.ok(!rows.join('\n').includes(PARAMS.recipient));
    });

    it('are shown in full with d7otp.privacy.showPhoneNumbers, and an export then says "shown"', async () => {
      await setUserSetting('privacy.showPhoneNumbers', true);
      await setUserSetting('send.watchAfterSend', false);
      const messages = captureMessages();
      await send();
      assert.ok(messages.some((m) => m.text.startsWith(`OTP sent to ${PARAMS.recipient}:`)));
      const otpId = await importWithPhone();
      const [checkNode] = await checkNodes(await rootNode(otpId));
      assert.equal((await fieldRows(checkNode)).recipient, PARAMS.recipient);
      const target = vscode.Uri.file(path.join(dir, 'shown.json')).toString();
      await vscode.commands.executeCommand('d7otp.history.export', { uri: target, format: 'json' });
      const exported = JSON.parse(fs.readFileSync(vscode.Uri.parse(target).fsPath, 'utf8'));
      assert.equal(exported.recipients, 'shown');
    });

    it('the last Send inputs keep no phone number unless phone numbers are shown', async () => {
      const boxes = sinon.stub(vscode.window, 'showInputBox');
      boxes.onCall(0).resolves(PARAMS.recipient);
      boxes.onCall(1).resolves('SignOTP');
      boxes.onCall(2).resolves('Your code is {}');
      // The "Send / More options…" step (a QuickPick object, src/ui/steps.ts): "Send" is accepted as it shows.
      sinon.stub(vscode.window, 'createQuickPick').callsFake(() => {
        const accepted: (() => void)[] = [];
        const fake = {
          items: [] as vscode.QuickPickItem[],
          selectedItems: [] as vscode.QuickPickItem[],
          onDidAccept: (fn: () => void) => accepted.push(fn),
          onDidHide: () => ({ dispose: () => undefined }),
          show: () => {
            fake.selectedItems = [fake.items[0]];
            for (const fn of accepted) fn();
          },
          hide: () => undefined,
          dispose: () => undefined,
        };
        return fake as unknown as vscode.QuickPick<vscode.QuickPickItem>;
      });
      sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined as never); // the billing question: not sent
      await vscode.commands.executeCommand('d7otp.sendOtp');
      const kept = ctx().api.internals.globalState.get<Record<string, unknown>>('d7otp.sendDefaults.default');
      assert.deepEqual([kept?.originator, kept?.recipient], ['SignOTP', undefined]);
    });
  });

  describe('small things a user trips on', () => {
    it('Stop Watching from the palette without an argument asks which; dismissed, nothing stops', async () => {
      await setUserSetting('send.watchAfterSend', true);
      const sent = await send();
      assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.open), true);
      const pick = sinon.stub(vscode.window, 'showQuickPick');
      pick.onCall(0).resolves(undefined);
      assert.equal(await vscode.commands.executeCommand('d7otp.stopWatching'), false);
      assert.equal(ctx().api.internals.watches.count, 2, 'dismissed: both still watched');
      const offered = (await pick.firstCall.args[0]) as { label: string; otpId?: string }[];
      assert.deepEqual(
        offered.map((i) => i.otpId),
        [sent.otpId, SCENARIOS.open, undefined],
        'each watch, then "all"',
      );
      pick.onCall(1).callsFake(async (items) => (await items)[1]);
      assert.equal(await vscode.commands.executeCommand('d7otp.stopWatching'), true);
      assert.deepEqual(
        ctx()
          .api.internals.watches.list()
          .map((w) => w.otpId),
        [sent.otpId],
      );
    });

    it('Clear History also forgets what was set aside and the last Send inputs', async () => {
      const { globalState } = ctx().api.internals;
      await vscode.commands.executeCommand('d7otp.checkStatus', SCENARIOS.open);
      await globalState.update('d7otp.history.backup', { setAside: true });
      await globalState.update('d7otp.sendDefaults.default', { recipient: PARAMS.recipient, originator: 'SignOTP' });
      await globalState.update('d7otp.sendDefaults.staging', { recipient: PARAMS.recipient });
      assert.equal(await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false }), true);
      for (const key of ['d7otp.history.backup', 'd7otp.sendDefaults.default', 'd7otp.sendDefaults.staging']) {
        assert.equal(globalState.get(key), undefined, key);
      }
    });

    it('Retry after a failed Send starts the send again; after a failed Verify, verifies that otp_id again', async () => {
      await setSetting('baseUrl', `http://127.0.0.1:${await closedPort()}`);
      await setSetting('retry.maxRetries', 0);
      assert.equal(await vscode.commands.executeCommand('d7otp.setToken', MOCK_TOKEN), true, 'a token for that origin (tokens are bound to theirs)');
      const run = sinon.spy(vscode.commands, 'executeCommand');
      sinon
        .stub(vscode.window, 'showErrorMessage')
        .callsFake(((_message: string, ...actions: string[]) => Promise.resolve(actions.includes('Retry') ? 'Retry' : undefined)) as never);
      const box = sinon.stub(vscode.window, 'showInputBox').resolves(undefined); // the retried prompts: dismissed
      await vscode.commands.executeCommand('d7otp.sendOtp', PARAMS);
      await waitFor(() => run.calledWith('d7otp.sendOtp') && run.withArgs('d7otp.sendOtp').callCount === 2, 'Retry to run Send OTP again');
      await vscode.commands.executeCommand('d7otp.verifyOtp', SCENARIOS.open, '123456');
      await waitFor(() => run.withArgs('d7otp.verifyOtp', SCENARIOS.open).callCount === 2, 'Retry to run Verify Code on the otp_id');
      await waitFor(() => box.called, 'the retried verify to ask for the code');
    });

    it('a bad URL in d7otp.profiles is reported as d7otp.profiles, not as d7otp.baseUrl', async () => {
      await setUserSetting('profiles', [{ name: 'broken', baseUrl: 'http://example.com' }]);
      try {
        assert.equal(await vscode.commands.executeCommand('d7otp.switchProfile', 'broken'), true);
        await vscode.commands.executeCommand('d7otp.setToken', MOCK_TOKEN);
        const result = await ctx().api.checkStatus(SCENARIOS.open);
        assert.match(result.error?.message ?? '', /d7otp\.profiles \(broken\)/);
        assert.doesNotMatch(result.error?.message ?? '', /d7otp\.baseUrl/);
      } finally {
        await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
      }
    });
  });

  describe('accessibility and the keyboard', () => {
    it('every row says its status and time to a screen reader', async () => {
      for (const id of [SCENARIOS.open, SCENARIOS.failed, SCENARIOS.unknownStatus, '99999999-9999-4999-8999-999999999999']) await ctx().api.checkStatus(id);
      await vscode.commands.executeCommand('d7otp.checkStatus', SCENARIOS.open);
      const rows = await walk();
      assert.ok(rows.length > 10, `${rows.length} rows`);
      for (const [, treeItem] of rows) {
        const said = treeItem.accessibilityInformation?.label ?? '';
        assert.ok(said.length > 0, `${String(treeItem.label)} has accessibilityInformation`);
        if (treeItem.contextValue === 'entry') assert.match(said, /, (just now|\d+ s ago), /, said);
        if (treeItem.contextValue === 'check') assert.match(said, /, checked \S+/, said);
      }
    });

    it('Check Again and Watch without an argument (their keybindings in the view) act on the selected row', async () => {
      await setUserSetting('watch.intervalSeconds', 60);
      await ctx().api.checkStatus(SCENARIOS.open);
      await ctx().api.checkStatus(SCENARIOS.approved);
      await vscode.commands.executeCommand('d7otp.history.reveal', SCENARIOS.open); // opens the view and selects the row
      await waitFor(async () => {
        await vscode.commands.executeCommand('d7otp.history.checkAgain');
        return entryOf(SCENARIOS.open).checks.length >= 2;
      }, 'Check Again of the selected row');
      assert.equal(entryOf(SCENARIOS.approved).checks.length, 1, 'the other entry was not checked');
      await vscode.commands.executeCommand('d7otp.history.watch');
      assert.ok(ctx().api.internals.watches.get(asOtpId(SCENARIOS.open)), 'watching the selected row');
      await vscode.commands.executeCommand('d7otp.history.watch');
      assert.equal(ctx().api.internals.watches.count, 0, 'the same key stops it');
    });

    it("the default keybindings clash with none of VS Code's own on this platform", async () => {
      await vscode.commands.executeCommand('workbench.action.openDefaultKeybindingsFile');
      await waitFor(() => /keybindings/i.test(vscode.window.activeTextEditor?.document.uri.toString() ?? ''), 'the default keybindings document');
      const text = vscode.window.activeTextEditor?.document.getText() ?? '';
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      const bound = [...text.matchAll(/"key":\s*"([^"]+)",\s*"command":\s*"([^"]+)"/g)].map(([, key, command]) => ({ key, command }));
      assert.ok(bound.length > 500, `${bound.length} default keybindings read`);
      const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { keybindings: { key: string; mac: string; command: string; when: string }[] };
      };
      const checkAndWatch = pkg.contributes.keybindings.filter((b) => /checkStatus|checkAgain|watch/i.test(b.command));
      const ours = checkAndWatch.map((b) => (process.platform === 'darwin' ? b.mac : b.key));
      assert.deepEqual(new Set(ours).size, 2, 'one key for Check Status, one for Watch');
      // Delete (Remove from History) is VS Code's own key for removing in a list, so it is bound only in this view.
      const remove = pkg.contributes.keybindings.filter((b) => b.command === 'd7otp.history.remove');
      assert.deepEqual(
        remove.map((b) => b.when),
        ['focusedView == d7otp.history && !inputFocus'],
      );
      for (const key of new Set(ours)) {
        const clash = bound.filter((b) => !b.command.startsWith('d7otp.') && !b.command.startsWith('-') && (b.key === key || b.key.startsWith(`${key} `)));
        assert.deepEqual(clash, [], `${key} is free`);
      }
    });
  });

  describe('what activation loads (issue 15)', () => {
    it('keeps the D7 client and node-fetch out of dist/extension.js: they load from dist/chunks/ on the first request', async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const main = fs.readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
      assert.ok(!main.includes('FetchError'), "node-fetch's code is not in the main bundle");
      assert.equal((await ctx().api.checkStatus(SCENARIOS.open)).status, 'OPEN');
      const loaded = Object.keys(require.cache).map((f) => path.relative(ext.extensionPath, f));
      for (const chunk of ['core.client.client.js', 'node-fetch.js']) {
        assert.ok(loaded.includes(path.join('dist', 'chunks', chunk)), `dist/chunks/${chunk} is loaded after a check`);
      }
    });

    it("is loaded by dist/start.js, which writes V8's code cache of dist/extension.js to global storage a moment after activation", async () => {
      const ext = vscode.extensions.getExtension(EXTENSION_ID);
      assert.ok(ext);
      const load = performance.getEntriesByName('d7otp.load', 'measure').at(-1) as { duration: number; detail?: { cache?: string } } | undefined;
      assert.ok(load, "dist/start.js's measure of loading the bundle");
      assert.ok(['none', 'used', 'refused'].includes(load.detail?.cache ?? ''), `what became of the cache: ${load.detail?.cache}`);
      const dir = path.join(path.dirname(ctx().api.internals.historyDir), 'code-cache');
      const file = path.join(dir, cacheFileName(fs.readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8')));
      await waitFor(() => fs.existsSync(file), 'the code cache file, named by the bundle and V8', 10_000);
      assert.ok((readCache(file)?.length ?? 0) > 10_000, 'whole: its hash matches, and it holds compiled code');
      assert.deepEqual(fs.readdirSync(dir), [path.basename(file)], 'one file, no temporary one left');
    });
  });

  describe('the built-in demo server', () => {
    const get = (url: string) =>
      new Promise<number>((resolve) => {
        http
          .get(url, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', () => resolve(-1));
      });

    it('is loaded only when asked; it adds a "demo" profile with its own token on 127.0.0.1, touches nothing else; removing the profile stops it', async () => {
      const demoLoaded = () => Object.keys(require.cache).some((f) => f.endsWith(path.join('dist', 'demo.js')));
      assert.equal(demoLoaded(), false, 'dist/demo.js is not loaded before anyone asks');
      const { api, mock } = ctx();
      const before = { baseUrl: vscode.workspace.getConfiguration('d7otp').inspect('baseUrl')?.globalValue, history: api.getHistory().length };
      const messages = captureMessages();
      const url = await vscode.commands.executeCommand<string>('d7otp.tryDemo');
      assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(demoLoaded(), 'loaded now');
      assert.ok(messages.some((m) => m.kind === 'info' && m.text.includes(url ?? '-') && m.text.includes('"demo"')));
      assert.deepEqual(api.internals.profiles.active(), { name: 'demo', baseUrl: url });
      const check = await api.checkStatus(SCENARIOS.approved);
      assert.deepEqual([check.status, check.profile], ['APPROVED', 'demo']);
      assert.equal(mock.requests.length, 0, 'the request went to the demo server, not the test mock');
      assert.equal(vscode.workspace.getConfiguration('d7otp').inspect('baseUrl')?.globalValue, before.baseUrl, 'd7otp.baseUrl untouched');
      assert.equal(await vscode.commands.executeCommand<string>('d7otp.tryDemo'), url, 'asked again: the same server');
      assert.equal(await get(`${url}/__mock/scenarios`), 200);
      assert.equal(await vscode.commands.executeCommand('d7otp.removeProfile', 'demo'), true);
      await waitFor(async () => (await get(`${url}/__mock/scenarios`)) === -1, 'the demo server to stop');
      assert.equal(api.internals.profiles.active().name, 'default');
      const info = await vscode.commands.executeCommand<{ hasToken: boolean; sub?: string }>('d7otp.showTokenInfo');
      assert.equal(info.hasToken, true, "the default profile's token is still there");
      assert.equal((await api.checkStatus(SCENARIOS.open)).status, 'OPEN', 'and still works against the test mock');
      assert.equal(api.getHistory().length, before.history + 2);
    });
  });
});
