/**
 * The editor feature (src/features/editor): the otp_id hover (history only, no request; trusted only for two
 * commands), the editor context-menu command, and Check Status of All IDs in Selection/File.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { hoverMarkdown } from '../../../src/features/editor/hover';
import {
  EXTENSION_ID,
  SCENARIOS,
  UNKNOWN_ID,
  asOtpId,
  check,
  closeEditors,
  ctx,
  entryOf,
  resetState,
  restoreSettings,
  setUserSetting,
  waitFor,
  type StatusCheck,
} from '../helpers';

/**
 * Shows a document and waits until it is the active editor: in a remote extension host, window.activeTextEditor
 * can lag behind showTextDocument's promise for a moment, and the commands under test read it.
 */
async function show(doc: vscode.TextDocument): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(doc);
  await waitFor(() => vscode.window.activeTextEditor?.document === doc, 'the document to be the active editor');
  // After a round trip every event the workbench sent before it is in: the document is still the active one.
  await vscode.commands.executeCommand('setContext', 'd7otp.test.showRoundTrip', Date.now());
  assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString(), 'the shown document is still the active editor');
  return editor;
}

/**
 * Puts the selection into `editor` and returns once the workbench applied it, with the editor the commands read
 * holding it. Setting `editor.selection` changes the extension host's copy at once and asks the workbench to follow;
 * a selection event the workbench sent before that request reached it (the one of showing the document, in a remote
 * host) still arrives afterwards and puts the old cursor back into the copy until the workbench's answer follows.
 * A command run on the workbench is answered after it handled every earlier request and sent every earlier event:
 * after that round trip the copy is the workbench's. A failure says which editor held what.
 */
async function select(editor: vscode.TextEditor, selection: vscode.Selection): Promise<void> {
  editor.selection = selection;
  await vscode.commands.executeCommand('setContext', 'd7otp.test.selectionRoundTrip', Date.now());
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const shown = vscode.window.visibleTextEditors.filter((e) => e.document === editor.document);
  assert.ok(shown.length > 0, `the document is shown (active: ${active ?? 'none'})`);
  for (const e of shown) assert.ok(e.selection.isEqual(selection), `the editor's selection is the one set: ${JSON.stringify(e.selection)}`);
}

/** The editor feature's settings at their defaults (put back by `restoreSettings`). */
async function defaultEditorSettings(): Promise<void> {
  for (const key of ['bulk.concurrency', 'hover.enabled', 'hover.languages']) await setUserSetting(key, undefined);
}

async function untitled(content: string, language = 'plaintext'): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({ content, language });
}

/** Every hover VS Code shows at `position`, as Markdown source with `appendText`'s escapes undone (`&nbsp;`, `\(`). */
async function hoversAt(doc: vscode.TextDocument, position: vscode.Position): Promise<string[]> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
  return hovers.map((h) =>
    h.contents
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n')
      .replace(/&nbsp;/g, ' ')
      .replace(/\\([\\`*_{}[\]()#+\-.!~|<>])/g, '$1'),
  );
}

/** Our hover at the first occurrence of `otpId` in `doc` (a position inside the UUID), or undefined. */
async function ourHover(doc: vscode.TextDocument, otpId: string): Promise<string | undefined> {
  const offset = doc.getText().indexOf(otpId);
  assert.ok(offset >= 0, `${otpId} is in the document`);
  const found = (await hoversAt(doc, doc.positionAt(offset + 10))).filter((h) => h.includes('D7 OTP'));
  assert.ok(found.length <= 1, 'at most one D7 OTP hover');
  return found[0];
}

function commandLink(command: string, otpId: string): string {
  return `command:${command}?${encodeURIComponent(JSON.stringify([otpId]))}`;
}

describe('editor: otp_id hover', () => {
  beforeEach(async () => {
    await resetState();
    await defaultEditorSettings();
  });
  afterEach(async () => {
    await restoreSettings();
    await closeEditors();
  });

  it('shows the last known status, HTTP code, label, count and both links for a checked id', async () => {
    const otpId = SCENARIOS.approved;
    await check(otpId);
    await check(otpId);
    await vscode.commands.executeCommand('d7otp.history.setLabel', otpId, 'signup test, iPhone');
    const doc = await untitled(`2026-11-25 10:00:01 INFO sent otp\n2026-11-25 10:00:02 INFO otp_id=${otpId} status?\n`);
    const hover = await ourHover(doc, otpId);
    assert.ok(hover, 'a D7 OTP hover is shown');
    assert.match(hover, /\$\(pass-filled\) \*\*APPROVED\*\*/);
    assert.match(hover, /just now/);
    assert.match(hover, /HTTP 200/);
    assert.match(hover, /signup test, iPhone/);
    assert.match(hover, /2 check\(s\) recorded/);
    assert.ok(hover.includes(commandLink('d7otp.checkStatus', otpId)), 'a Check status link with the id');
    assert.ok(hover.includes(commandLink('d7otp.watchStatus', otpId)), 'a Watch link with the id');
  });

  it('says "not checked yet" for an unknown id, and makes no request', async () => {
    const doc = await untitled(`{"otp_id": "${UNKNOWN_ID}"}`, 'json');
    const hover = await ourHover(doc, UNKNOWN_ID);
    assert.ok(hover);
    assert.match(hover, /Not checked yet/);
    assert.ok(hover.includes(commandLink('d7otp.checkStatus', UNKNOWN_ID)));
    assert.equal(ctx().mock.requests.length, 0, 'the hover made no request');
    assert.equal(ctx().api.getHistory().length, 0, 'and recorded nothing');
  });

  it('is trusted only for Check Status and Watch, and escapes untrusted text', async () => {
    const otpId = SCENARIOS.open;
    await check(otpId);
    await vscode.commands.executeCommand('d7otp.history.setLabel', otpId, '[click](command:d7otp.clearToken) <img src=x> $(alert)');
    const md = hoverMarkdown(asOtpId(otpId), entryOf(otpId));
    assert.deepStrictEqual(md.isTrusted, { enabledCommands: ['d7otp.checkStatus', 'd7otp.watchStatus'] });
    assert.ok(!md.supportHtml, 'no HTML');
    assert.ok(!md.value.includes('[click](command:d7otp.clearToken)'), 'the label cannot make a link');
    assert.ok(!md.value.includes('$(alert)'), 'the label cannot make an icon');
    const links = [...md.value.matchAll(/\]\((command:[^)?]+)/g)].map((m) => m[1]);
    assert.deepStrictEqual(links, ['command:d7otp.checkStatus', 'command:d7otp.watchStatus']);
  });

  it('appears only on a whole UUID', async () => {
    const doc = await untitled(`prefix-${SCENARIOS.open} ${SCENARIOS.open}ff x${SCENARIOS.expired}\n`);
    for (const at of [10, 50, 90]) {
      const hovers = (await hoversAt(doc, new vscode.Position(0, at))).filter((h) => h.includes('D7 OTP'));
      assert.equal(hovers.length, 0, `no hover at column ${at}`);
    }
  });

  it('is turned off by d7otp.hover.enabled and limited by d7otp.hover.languages', async () => {
    const otpId = SCENARIOS.open;
    const text = await untitled(`id ${otpId}`, 'plaintext');
    const json = await untitled(`{"id": "${otpId}"}`, 'json');
    await setUserSetting('hover.enabled', false);
    assert.equal(await ourHover(text, otpId), undefined, 'off');
    await setUserSetting('hover.enabled', undefined);
    await setUserSetting('hover.languages', ['json']);
    assert.equal(await ourHover(text, otpId), undefined, 'not for plaintext');
    assert.ok(await ourHover(json, otpId), 'still for json');
    await setUserSetting('hover.languages', undefined);
    assert.ok(await ourHover(text, otpId), 'back for every language');
  });
});

describe('editor: Check OTP Status (context menu)', () => {
  beforeEach(() => resetState());
  afterEach(async () => {
    sinon.restore();
    await closeEditors();
  });

  it('checks the UUID under the cursor, or the one UUID in the selection', async () => {
    const doc = await untitled(`first ${SCENARIOS.open}\nsecond: ${SCENARIOS.expired} done\n`);
    const editor = await show(doc);
    const onOpen = doc.positionAt(doc.getText().indexOf(SCENARIOS.open) + 3);
    await select(editor, new vscode.Selection(onOpen, onOpen));
    const first = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatusAtCursor');
    assert.equal(first?.otpId, SCENARIOS.open);
    assert.equal(first?.status, 'OPEN');
    await select(editor, new vscode.Selection(new vscode.Position(1, 0), new vscode.Position(1, doc.lineAt(1).text.length)));
    const second = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatusAtCursor');
    assert.equal(second?.otpId, SCENARIOS.expired);
    assert.equal(second?.status, 'EXPIRED');
    assert.deepStrictEqual(
      ctx()
        .api.getHistory()
        .map((e) => e.otpId),
      [SCENARIOS.expired, SCENARIOS.open],
    );
  });

  it("from the context menu (the document's URI as argument), reads that document's editor, not the active one", async () => {
    const left = await untitled(`left ${SCENARIOS.approved}`);
    const right = await untitled(`right ${SCENARIOS.failed}`);
    const leftEditor = await show(left);
    await select(leftEditor, new vscode.Selection(0, 8, 0, 8));
    const rightEditor = await vscode.window.showTextDocument(right, vscode.ViewColumn.Two);
    await waitFor(() => vscode.window.activeTextEditor?.document === right, 'the right editor to be active');
    await select(rightEditor, new vscode.Selection(0, 9, 0, 9));
    const fromMenu = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatusAtCursor', left.uri);
    assert.equal(fromMenu?.otpId, SCENARIOS.approved, 'the document the menu was opened on');
    const fromPalette = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatusAtCursor');
    assert.equal(fromPalette?.otpId, SCENARIOS.failed, 'without an argument: the active editor');
  });

  it("off an otp_id, offers the document's otp_ids (the nearest first); dismissed, it sends nothing", async () => {
    const pick = sinon.stub(vscode.window, 'showQuickPick').resolves(undefined);
    const doc = await untitled(`${SCENARIOS.expired} far away\n\n\nno id here ${SCENARIOS.open}`);
    const editor = await show(doc);
    const near = doc.positionAt(doc.getText().indexOf('no id here') + 2);
    await select(editor, new vscode.Selection(near, near));
    assert.equal(await vscode.commands.executeCommand('d7otp.checkStatusAtCursor'), undefined);
    const offered = (await pick.firstCall.args[0]) as { label: string }[];
    assert.deepEqual(
      offered.map((i) => i.label),
      [SCENARIOS.open, SCENARIOS.expired],
    );
    assert.equal(ctx().mock.requests.length, 0);
    pick.resolves({ label: SCENARIOS.expired } as never);
    const checked = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatusAtCursor');
    assert.equal(checked?.status, 'EXPIRED');
  });

  it('says what to do in a document without an otp_id, and sends nothing', async () => {
    const info = sinon.stub(vscode.window, 'showInformationMessage').resolves(undefined);
    const editor = await show(await untitled('no id here'));
    await select(editor, new vscode.Selection(new vscode.Position(0, 1), new vscode.Position(0, 1)));
    assert.equal(await vscode.commands.executeCommand('d7otp.checkStatusAtCursor'), undefined);
    assert.equal(info.callCount, 1);
    assert.equal(ctx().mock.requests.length, 0);
  });

  it('is in the editor context menu of a document holding an otp_id (known before the right-click moves the cursor)', async () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { menus: Record<string, { command: string; when?: string }[]> };
    };
    const item = pkg.contributes.menus['editor/context'].find((m) => m.command === 'd7otp.checkStatusAtCursor');
    assert.equal(item?.when, 'd7otp.documentHasOtpId');
  });
});

describe('editor: Check Status of All IDs in Selection/File', () => {
  let messages: string[];
  beforeEach(async () => {
    await resetState();
    await defaultEditorSettings();
    messages = [];
    sinon.stub(vscode.window, 'showInformationMessage').callsFake(((message: string) => {
      messages.push(message);
      return Promise.resolve(undefined);
    }) as never);
  });
  afterEach(async () => {
    sinon.restore();
    await restoreSettings();
    await closeEditors();
  });

  const logText = [
    `10:00:01 sent ${SCENARIOS.open}`,
    `10:00:02 sent ${SCENARIOS.approved}`,
    `10:00:03 again ${SCENARIOS.open.toUpperCase()}`,
    `10:00:04 {"otp_id":"${UNKNOWN_ID}"} and not-an-id 1234-5678`,
  ].join('\n');

  it('checks every distinct UUID of the document once and sums up', async () => {
    const editor = await show(await untitled(logText, 'log'));
    await select(editor, new vscode.Selection(0, 0, 0, 0));
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection');
    assert.equal(results.length, 3);
    assert.deepStrictEqual(new Set(results.map((r) => r.otpId)), new Set([SCENARIOS.open, SCENARIOS.approved, UNKNOWN_ID]));
    assert.equal(ctx().mock.requests.length, 3, 'one request per distinct id');
    assert.equal(ctx().api.getHistory().length, 3, 'each recorded');
    const summary = messages.find((m) => /checked/.test(m));
    assert.ok(summary, `a summary among ${JSON.stringify(messages)}`);
    assert.match(summary, /^3 checked: /);
    assert.match(summary, /1 OPEN/);
    assert.match(summary, /1 APPROVED/);
    assert.match(summary, /1 not found/);
  });

  it('only the selection when there is one', async () => {
    const doc = await untitled(logText, 'log');
    const editor = await show(doc);
    await select(editor, new vscode.Selection(1, 0, 1, doc.lineAt(1).text.length));
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection');
    assert.deepStrictEqual(
      results.map((r) => r.otpId),
      [SCENARIOS.approved],
    );
  });

  it('takes text or a list of ids as its argument (no prompt), deduplicated', async () => {
    const fromText = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', logText);
    assert.equal(fromText.length, 3);
    ctx().mock.reset();
    const fromList = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', [
      SCENARIOS.expired,
      ` "${SCENARIOS.expired.toUpperCase()}" `,
      'nope',
      42,
      SCENARIOS.failed,
    ]);
    assert.deepStrictEqual(fromList.map((r) => r.status).sort(), ['EXPIRED', 'FAILED']);
    assert.equal(ctx().mock.requests.length, 2);
  });

  it('asks before checking more than 20 ids from the editor, and a "no" sends nothing', async () => {
    const warn = sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    const ids = Array.from({ length: 21 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const editor = await show(await untitled(ids.join('\n'), 'log'));
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection');
    assert.deepStrictEqual(results, []);
    assert.equal(warn.callCount, 1);
    assert.match(String(warn.firstCall.args[0]), /21/);
    assert.equal(ctx().mock.requests.length, 0);
  });

  it('given the ids as its argument, checks more than 20 without asking (the caller decided)', async () => {
    const warn = sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    const ids = Array.from({ length: 25 }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
    const fromList = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', ids);
    assert.equal(fromList.length, 25);
    assert.equal(ctx().mock.requests.length, 25);
    const fromText = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', ids.join(' '));
    assert.equal(fromText.length, 25);
    assert.equal(warn.callCount, 0, `no question: ${JSON.stringify(warn.args)}`);
  });

  it('keeps at most d7otp.bulk.concurrency requests in flight', async () => {
    const latency = 150;
    ctx().mock.setLatency(latency);
    await setUserSetting('bulk.concurrency', 2);
    const ids = [SCENARIOS.open, SCENARIOS.approved, SCENARIOS.expired, SCENARIOS.failed, SCENARIOS.alreadyVerified, SCENARIOS.unknownStatus];
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', ids);
    assert.equal(results.length, ids.length);
    const starts = ctx().mock.requests.map((r) => r.receivedAt);
    const inFlight = (t: number) => starts.filter((s) => s <= t && t < s + latency).length;
    const most = Math.max(...starts.map(inFlight));
    assert.equal(most, 2, `at most 2 at once (saw ${most})`);
  });

  it('with no token: says so and sends nothing', async () => {
    await resetState({ token: null });
    const warn = sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', logText);
    assert.deepStrictEqual(results, []);
    assert.match(String(warn.firstCall.args[0]), /No D7 API token/);
    assert.equal(ctx().mock.requests.length, 0);
  });

  it('without an editor, searches pasted text (line breaks the input box dropped are recovered from the clipboard)', async () => {
    await closeEditors();
    const pasted = `${SCENARIOS.open}\n${SCENARIOS.expired}\n`;
    await vscode.env.clipboard.writeText(pasted);
    const input = sinon.stub(vscode.window, 'showInputBox').resolves(pasted.replace(/\n/g, ''));
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection');
    assert.equal(input.callCount, 1);
    assert.deepStrictEqual(results.map((r) => r.otpId).sort(), [SCENARIOS.expired, SCENARIOS.open].sort());
  });
});
