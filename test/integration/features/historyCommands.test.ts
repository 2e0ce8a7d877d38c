/**
 * The history's item commands (src/features/history/historyCommands.ts; Check Again is the lookup feature's
 * `d7otp.history.checkAgain`) run with the nodes the tree returns, or an otp_id: check again, copy id, copy JSON,
 * remove, clear, set label.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import {
  storedHistory,
  SCENARIOS,
  UNKNOWN_ID,
  check,
  checkNodes,
  children,
  ctx,
  entryOf,
  item,
  labelOf,
  rootIdOf,
  resetState,
  rootNode,
  type StatusCheck,
} from '../helpers';

describe('tree: item commands', () => {
  beforeEach(() => resetState());

  it('check again (an entry node) adds a check at the top of that entry', async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.open);
    const root = await rootNode(SCENARIOS.turnsApproved);
    const result = await vscode.commands.executeCommand<StatusCheck>('d7otp.history.checkAgain', root);
    assert.equal(result?.otpId, SCENARIOS.turnsApproved);
    const entry = entryOf(SCENARIOS.turnsApproved);
    assert.equal(entry.checks.length, 2);
    assert.deepStrictEqual(entry.checks[0], result);
    assert.equal(ctx().api.getHistory()[0].otpId, SCENARIOS.turnsApproved, 'moved to the top');
    assert.equal(ctx().mock.requests.length, 3);
  });

  it('check again (an otp_id string) adds a check', async () => {
    await check(SCENARIOS.approved);
    await vscode.commands.executeCommand('d7otp.history.checkAgain', SCENARIOS.approved);
    assert.equal(entryOf(SCENARIOS.approved).checks.length, 2);
  });

  it('copy id (an entry node, a check node) puts the otp_id on the clipboard', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.failed);
    await vscode.env.clipboard.writeText('before');
    await vscode.commands.executeCommand('d7otp.history.copyId', await rootNode(SCENARIOS.open));
    assert.equal(await vscode.env.clipboard.readText(), SCENARIOS.open);
    const [checkNode] = await checkNodes(await rootNode(SCENARIOS.failed));
    await vscode.commands.executeCommand('d7otp.history.copyId', checkNode);
    assert.equal(await vscode.env.clipboard.readText(), SCENARIOS.failed);
  });

  it('copy JSON (an entry node) copies the latest response body as JSON', async () => {
    await check(SCENARIOS.withExtraFields);
    await vscode.commands.executeCommand('d7otp.history.copyJson', await rootNode(SCENARIOS.withExtraFields));
    assert.deepStrictEqual(JSON.parse(await vscode.env.clipboard.readText()), {
      status: 'OPEN',
      otp_id: SCENARIOS.withExtraFields,
      recipient: '+9715XXXXXXX',
      expiry: 600,
    });
  });

  it("copy JSON (a check node) copies that check's body; an error body too", async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    const checks = await checkNodes(await rootNode(SCENARIOS.turnsApproved));
    await vscode.commands.executeCommand('d7otp.history.copyJson', checks[2]);
    assert.deepStrictEqual(JSON.parse(await vscode.env.clipboard.readText()), { status: 'OPEN' });
    await vscode.commands.executeCommand('d7otp.history.copyJson', checks[0]);
    assert.deepStrictEqual(JSON.parse(await vscode.env.clipboard.readText()), { status: 'APPROVED' });
    await check(UNKNOWN_ID);
    await vscode.commands.executeCommand('d7otp.history.copyJson', await rootNode(UNKNOWN_ID));
    assert.deepStrictEqual(JSON.parse(await vscode.env.clipboard.readText()), {
      detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists in the system. Please Try Again!' },
    });
  });

  it('copy JSON of a non-JSON body copies the raw text', async () => {
    await check(SCENARIOS.serverError);
    await vscode.commands.executeCommand('d7otp.history.copyJson', await rootNode(SCENARIOS.serverError));
    assert.match(await vscode.env.clipboard.readText(), /<h1>502 Bad Gateway<\/h1>/);
  });

  it('remove (an entry node) removes that otp_id only, also from storage', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.failed);
    await vscode.commands.executeCommand('d7otp.history.remove', await rootNode(SCENARIOS.open));
    assert.deepStrictEqual(
      ctx()
        .api.getHistory()
        .map((e) => e.otpId),
      [SCENARIOS.failed],
    );
    const labels = await Promise.all((await children()).map(async (n) => rootIdOf(await item(n))));
    assert.deepStrictEqual(labels, [SCENARIOS.failed]);
    assert.deepStrictEqual(
      (await storedHistory()).map((e) => e.otpId),
      [SCENARIOS.failed],
    );
  });

  it('clear ({ confirm: false }) empties the history, the tree and the storage', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.failed);
    const cleared = await vscode.commands.executeCommand<boolean>('d7otp.history.clear', { confirm: false });
    assert.equal(cleared, true);
    assert.deepStrictEqual(ctx().api.getHistory(), []);
    assert.deepStrictEqual(await children(), []);
    assert.deepStrictEqual(await storedHistory(), []);
  });
});

describe('set label', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('sets, shows in the tree, and removes a label (otp_id or tree node argument)', async () => {
    await check(SCENARIOS.open);
    const label = await vscode.commands.executeCommand<string>('d7otp.history.setLabel', SCENARIOS.open, '  signup test, iPhone ');
    assert.equal(label, 'signup test, iPhone');
    assert.equal(entryOf(SCENARIOS.open).label, 'signup test, iPhone');
    const [node] = await children();
    const treeItem = await item(node);
    // In the item's label, not its description: the tree's type-to-filter matches labels only.
    assert.equal(labelOf(treeItem), `OPEN · now · signup test, iPhone · ${SCENARIOS.open}`);
    assert.equal(await vscode.commands.executeCommand<string>('d7otp.history.setLabel', node, ''), '');
    assert.equal(entryOf(SCENARIOS.open).label, undefined);
  });

  it('prompts with the current label when no label is given', async () => {
    await check(SCENARIOS.open);
    await vscode.commands.executeCommand('d7otp.history.setLabel', SCENARIOS.open, 'old');
    const input = sinon.stub(vscode.window, 'showInputBox').resolves('new');
    assert.equal(await vscode.commands.executeCommand<string>('d7otp.history.setLabel', SCENARIOS.open), 'new');
    assert.equal(input.firstCall.args[0]?.value, 'old');
  });
});
