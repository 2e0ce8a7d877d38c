/**
 * The "OTP Status" tree, read through the extension's TreeDataProvider (`api.internals.tree`) the way the view
 * reads it, and the tree-item commands run with the nodes it returns.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  HISTORY_KEY,
  SCENARIOS,
  UNKNOWN_ID,
  assertUntrustedMarkdown,
  check,
  checkNodes,
  children,
  closedPort,
  ctx,
  entryOf,
  fieldRows,
  iconOf,
  item,
  labelOf,
  resetState,
  rootNode,
  setSetting,
  type HistoryNode,
  type StatusCheck,
} from './helpers';

/** Replaces the stored history with these entries and makes the extension read them. */
async function storeHistory(entries: { otpId: string; checks: StatusCheck[] }[]): Promise<void> {
  await ctx().api.internals.globalState.update(HISTORY_KEY, { version: 1, entries });
  ctx().api.internals.history.reload();
  assert.equal(ctx().api.getHistory().length, entries.length);
}

/** The child row of `node` with this label. */
async function childNamed(node: HistoryNode, label: string): Promise<HistoryNode> {
  for (const child of await children(node)) if (labelOf(await item(child)) === label) return child;
  assert.fail(`no row ${label}`);
}

describe('tree: items', () => {
  beforeEach(() => resetState());

  const icons: [string, () => Promise<unknown>, string, string, RegExp][] = [
    ['OPEN', () => check(SCENARIOS.open), 'clock', 'charts.blue', /^OPEN · just now$/],
    ['APPROVED', () => check(SCENARIOS.approved), 'pass-filled', 'testing.iconPassed', /^APPROVED · just now$/],
    ['ALREADY_VERIFIED', () => check(SCENARIOS.alreadyVerified), 'pass-filled', 'testing.iconPassed', /^ALREADY_VERIFIED · just now$/],
    ['EXPIRED', () => check(SCENARIOS.expired), 'warning', 'list.warningForeground', /^EXPIRED · just now$/],
    ['FAILED', () => check(SCENARIOS.failed), 'circle-slash', 'testing.iconFailed', /^FAILED · just now$/],
    ['unknown PENDING_REVIEW', () => check(SCENARIOS.unknownStatus), 'question', 'charts.purple', /^unknown: PENDING_REVIEW · just now$/],
    ['a failed lookup (404)', () => check(UNKNOWN_ID), 'error', 'list.errorForeground', /^not found: MESSAGE_LOG_NOT_EXISTS · just now$/],
    ['a failed lookup (502)', () => check(SCENARIOS.serverError), 'error', 'list.errorForeground', /^server error · just now$/],
  ];
  for (const [what, run, iconId, colorId, description] of icons) {
    it(`root item for ${what}: label, description, icon ${iconId} in ${colorId}, contextValue entry`, async () => {
      await run();
      const roots = await children();
      assert.equal(roots.length, 1);
      const treeItem = await item(roots[0]);
      const otpId = ctx().api.getHistory()[0].otpId;
      assert.equal(labelOf(treeItem), otpId, 'label = the otp_id');
      assert.match(String(treeItem.description), description);
      assert.deepStrictEqual(iconOf(treeItem), [iconId, colorId]);
      assert.equal(treeItem.contextValue, 'entry');
      assert.equal(treeItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assertUntrustedMarkdown(treeItem.tooltip, '1 check(s) recorded');
    });
  }

  it('roots are newest first, one per otp_id', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.failed);
    await check(SCENARIOS.open.toUpperCase());
    const labels = await Promise.all((await children()).map(async (n) => labelOf(await item(n))));
    assert.deepStrictEqual(labels, [SCENARIOS.open, SCENARIOS.failed], 'deduplicated, label keeps the first-seen case');
  });

  it('the description follows the latest check', async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    const treeItem = await item(await rootNode(SCENARIOS.turnsApproved));
    assert.match(String(treeItem.description), /^APPROVED · /);
    assert.deepStrictEqual(iconOf(treeItem), ['pass-filled', 'testing.iconPassed']);
  });

  it('children of a root are its checks, newest first: time, outcome, HTTP code, duration', async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.turnsApproved);
    const entry = entryOf(SCENARIOS.turnsApproved);
    const root = await rootNode(SCENARIOS.turnsApproved);
    const rows = await Promise.all((await children(root)).map(item));
    const firstCheck = rows.findIndex((r) => r.contextValue === 'check');
    assert.ok(
      rows.slice(0, firstCheck).every((r) => r.contextValue === 'info' || r.contextValue === 'link'),
      'only info rows (timeline, resend links) come before the checks',
    );
    assert.ok(rows.slice(firstCheck).every((r) => r.contextValue === 'check'), 'the checks come last');
    const items = await Promise.all((await checkNodes(root)).map(item));
    assert.equal(items.length, 3);
    items.forEach((treeItem, i) => {
      const recorded = entry.checks[i];
      assert.equal(treeItem.contextValue, 'check');
      assert.match(labelOf(treeItem), /\d{1,2}:\d{2}:\d{2}/, 'label = time of the check');
      assert.equal(treeItem.description, `${recorded.status} · HTTP 200 · ${Math.round(recorded.durationMs)} ms`);
      assert.equal(treeItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assertUntrustedMarkdown(treeItem.tooltip, recorded.status ?? '');
    });
    assert.deepStrictEqual(
      items.map((t) => String(t.description).split(' · ')[0]),
      ['APPROVED', 'OPEN', 'OPEN'],
    );
    assert.deepStrictEqual(iconOf(items[0]), ['pass-filled', 'testing.iconPassed']);
    assert.deepStrictEqual(iconOf(items[1]), ['clock', 'charts.blue']);
  });

  it('children of a check are the body fields', async () => {
    await check(SCENARIOS.withExtraFields);
    const [checkNode] = await checkNodes(await rootNode(SCENARIOS.withExtraFields));
    const { profile, attempts, ...bodyRows } = await fieldRows(checkNode);
    assert.deepStrictEqual(bodyRows, {
      status: 'OPEN',
      otp_id: SCENARIOS.withExtraFields,
      recipient: '+9715XXXXXXX',
      expiry: '600',
    });
    // Bookkeeping rows follow the body: the profile the call was made with, automatic retries.
    assert.ok(profile === undefined || profile === 'default', `profile row ${profile}`);
    assert.equal(attempts, undefined, 'no retries happened');
    for (const field of await children(checkNode)) {
      const treeItem = await item(field);
      assert.equal(treeItem.contextValue, 'field');
      assert.equal(treeItem.collapsibleState, vscode.TreeItemCollapsibleState.None);
      assertUntrustedMarkdown(treeItem.tooltip, labelOf(treeItem).replace(/_/g, '\\_'));
    }
  });

  it('a failed check shows error, kind and code (404)', async () => {
    const result = await check(UNKNOWN_ID);
    const [checkNode] = await checkNodes(await rootNode(UNKNOWN_ID));
    const treeItem = await item(checkNode);
    assert.equal(treeItem.description, `not found: MESSAGE_LOG_NOT_EXISTS · HTTP 404 · ${Math.round(result.durationMs)} ms`);
    assert.deepStrictEqual(iconOf(treeItem), ['error', 'list.errorForeground']);
    const rows = await fieldRows(checkNode);
    assert.equal(rows.error, result.error?.message);
    assert.equal(rows.kind, 'not-found');
    assert.equal(rows.code, 'MESSAGE_LOG_NOT_EXISTS');
    assertUntrustedMarkdown(treeItem.tooltip, 'MESSAGE\\_LOG\\_NOT\\_EXISTS');
  });

  it('a failed check without an HTTP answer shows no HTTP code (network)', async () => {
    await setSetting('baseUrl', `http://127.0.0.1:${await closedPort()}`);
    const result = await check(SCENARIOS.open);
    const [checkNode] = await checkNodes(await rootNode(SCENARIOS.open));
    const treeItem = await item(checkNode);
    assert.equal(treeItem.description, `network error · ${Math.round(result.durationMs)} ms`);
    const rows = await fieldRows(checkNode);
    assert.equal(rows.kind, 'network');
  });

  it('a 429 shows the Retry-After it asked for', async () => {
    await setSetting('retry.maxRetries', 0);
    await check(SCENARIOS.rateLimited);
    const rows = await fieldRows((await checkNodes(await rootNode(SCENARIOS.rateLimited)))[0]);
    assert.equal(rows.kind, 'rate-limited');
    assert.equal(rows['retry after'], '1 s');
    assert.equal(rows.detail, 'Too Many Requests');
  });

  it('each 422 issue of D7\'s detail list is a row (loc: msg (type))', async () => {
    const otpId = SCENARIOS.open;
    const issues = [
      { loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' },
      { loc: ['query', 'x'], msg: 'extra fields not permitted', type: 'value_error.extra' },
    ];
    await storeHistory([
      {
        otpId,
        checks: [
          {
            otpId,
            checkedAt: new Date().toISOString(),
            ok: false,
            httpStatus: 422,
            durationMs: 12,
            body: { detail: issues },
            error: { kind: 'validation', message: 'D7 refused the request (HTTP 422): path.otp_id: value is not a valid uuid', issues },
          },
        ],
      },
    ]);
    const root = await rootNode(otpId);
    assert.match(String((await item(root)).description), /^refused · /);
    const [checkNode] = await checkNodes(root);
    assert.deepStrictEqual(await fieldRows(checkNode), {
      error: 'D7 refused the request (HTTP 422): path.otp_id: value is not a valid uuid',
      kind: 'validation',
      'path.otp_id': 'value is not a valid uuid (type_error.uuid)',
      'query.x': 'extra fields not permitted (value_error.extra)',
    });
    // appendText turns spaces into &nbsp; and escapes Markdown punctuation.
    assertUntrustedMarkdown((await item(checkNode)).tooltip, '- query.x:&nbsp;extra&nbsp;fields&nbsp;not&nbsp;permitted');
  });

  it('nested body values expand into their own rows', async () => {
    const otpId = SCENARIOS.open;
    const body = { status: 'OPEN', meta: { channel: 'sms', tries: [1, 2] } };
    await storeHistory([
      { otpId, checks: [{ otpId, checkedAt: new Date().toISOString(), ok: true, status: 'OPEN', httpStatus: 200, durationMs: 3, body }] },
    ]);
    const [checkNode] = await checkNodes(await rootNode(otpId));
    const metaNode = await childNamed(checkNode, 'meta');
    assert.equal((await item(metaNode)).description, '{…}');
    assert.equal((await item(metaNode)).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepStrictEqual(await fieldRows(metaNode), { channel: 'sms', tries: '[2]' });
    assert.deepStrictEqual(await fieldRows(await childNamed(metaNode, 'tries')), { 0: '1', 1: '2' });
  });

  it('markup in a status is shown as text: untrusted tooltip, one-line label', async () => {
    const result = await check(SCENARIOS.markup);
    assert.equal(result.ok, true);
    const root = await rootNode(SCENARIOS.markup);
    const treeItem = await item(root);
    assert.deepStrictEqual(iconOf(treeItem), ['question', 'charts.purple']);
    assert.doesNotMatch(String(treeItem.description), /[\r\n]/);
    const tooltip = treeItem.tooltip as vscode.MarkdownString;
    // Raw HTML stays in the text, but with supportHtml off the workbench renders it escaped, as text.
    assertUntrustedMarkdown(tooltip, 'onerror');
    assert.ok(!tooltip.value.includes('**bold**'), 'Markdown emphasis is escaped');
    assert.ok(!tooltip.value.includes('](command:'), 'no command link in the tooltip');
    assert.ok(!tooltip.value.includes('$(alert)'), 'no theme icon syntax in the tooltip');
  });

  it('control characters in a status never reach a description', async () => {
    await check(SCENARIOS.controlChars);
    const treeItem = await item(await rootNode(SCENARIOS.controlChars));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(String(treeItem.description), /[\u0000-\u001f\u007f-\u009f]/);
    const [checkNode] = await checkNodes(await rootNode(SCENARIOS.controlChars));
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch((await fieldRows(checkNode)).status, /[\u0000-\u001f\u007f-\u009f]/);
  });

  it('the root tooltip shows the otp_id as code, without Markdown escapes inside the code span', async () => {
    await check(SCENARIOS.open);
    const tooltip = (await item(await rootNode(SCENARIOS.open))).tooltip as vscode.MarkdownString;
    // Backslash escapes are not processed inside a code span: `8d963dbf\-d655…` would show the backslashes.
    assert.ok(tooltip.value.includes(`\`${SCENARIOS.open}\``), `tooltip ${JSON.stringify(tooltip.value)} has the otp_id in a code span as is`);
  });

  it('fires onDidChangeTreeData when a check is recorded', async () => {
    let fired = 0;
    const subscription = ctx().api.internals.tree.onDidChangeTreeData(() => fired++);
    try {
      await check(SCENARIOS.open);
    } finally {
      subscription.dispose();
    }
    assert.ok(fired >= 1);
  });
});

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

  it('copy JSON (a check node) copies that check\'s body; an error body too', async () => {
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
      ctx().api.getHistory().map((e) => e.otpId),
      [SCENARIOS.failed],
    );
    const labels = await Promise.all((await children()).map(async (n) => labelOf(await item(n))));
    assert.deepStrictEqual(labels, [SCENARIOS.failed]);
    await ctx().api.internals.history.flush();
    const stored = ctx().api.internals.globalState.get<{ entries: { otpId: string }[] }>(HISTORY_KEY);
    assert.deepStrictEqual(
      stored?.entries.map((e) => e.otpId),
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
    await ctx().api.internals.history.flush();
    // The stored document also carries the store's revision stamp (rev, writer): compare the history part.
    const stored = ctx().api.internals.globalState.get<{ version: number; entries: unknown[] }>(HISTORY_KEY);
    assert.deepStrictEqual({ version: stored?.version, entries: stored?.entries }, { version: 1, entries: [] });
  });

  it('refresh all checks every otp_id in the history again', async () => {
    await check(SCENARIOS.turnsApproved);
    await check(SCENARIOS.open);
    await check(UNKNOWN_ID);
    ctx().mock.reset();
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.refreshAll');
    assert.equal(results?.length, 3);
    assert.equal(ctx().mock.requests.length, 3);
    for (const entry of ctx().api.getHistory()) assert.equal(entry.checks.length, 2, `${entry.otpId} checked again`);
  });
});
