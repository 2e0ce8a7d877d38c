/**
 * The history view (src/features/history/historyView.ts, treeProvider.ts, nodes.ts), read through the extension's
 * TreeDataProvider (`api.internals.tree`) the way the view reads it: what only VS Code can show of the rows
 * (test/unit/features/history/rows.test.ts holds the row model itself): TreeItems with their ThemeIcon, ThemeColor,
 * contextValue and collapsible state, children built by the nodes, tooltips rendered as untrusted `MarkdownString`s
 * (hostile values included), `onDidChangeTreeData`, and the profile filter.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { safeMarkdown } from '../../../src/ui/markdown';
import { RAW_STATUSES } from '../../cases/responses';
import {
  HISTORY_KEY,
  MOCK_TOKEN,
  SCENARIOS,
  assertInertMessage,
  assertUntrustedMarkdown,
  captureMessages,
  check,
  checkNodes,
  children,
  ctx,
  entryOf,
  fieldRows,
  iconOf,
  item,
  labelOf,
  rootIdOf,
  resetState,
  restoreSettings,
  rootNode,
  setSetting,
  setUserSetting,
  waitFor,
  walk,
  type HistoryNode,
} from '../helpers';

/** Stored data as another version (or a hand edit) could have written it: any shape, validated on load. */
async function storeHistory(entries: { otpId: string; checks: Record<string, unknown>[] }[]): Promise<void> {
  // As version 0.1 kept it (globalState): read, validated and merged like a migration.
  await ctx().api.internals.globalState.update(HISTORY_KEY, { version: 1, entries });
  await ctx().api.internals.history.reload();
  assert.equal(ctx().api.getHistory().length, entries.length);
}

/** The child row of `node` with this label. */
async function childNamed(node: HistoryNode, label: string): Promise<HistoryNode> {
  for (const child of await children(node)) if (labelOf(await item(child)) === label) return child;
  assert.fail(`no row ${label}`);
}

/** Markdown outside fenced code blocks (inside them everything is shown as text anyway). */
function outsideCodeBlocks(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
}

/** Asserts a tooltip renders untrusted text as text: untrusted, no HTML, no unescaped tag or link. */
function assertInertTooltip(tooltip: vscode.TreeItem['tooltip'], where: string): void {
  if (tooltip === undefined) return;
  if (typeof tooltip === 'string') {
    assertInertMessage(tooltip, where);
    return;
  }
  assert.ok(tooltip instanceof vscode.MarkdownString, `${where}: a MarkdownString`);
  assert.ok(!tooltip.isTrusted, `${where}: isTrusted is off`);
  assert.ok(!tooltip.supportHtml, `${where}: supportHtml is off`);
  const prose = outsideCodeBlocks(tooltip.value);
  assert.doesNotMatch(prose, /<[a-z!/?]/i, `${where}: no raw HTML tag in ${JSON.stringify(prose.slice(0, 300))}`);
  assert.doesNotMatch(prose, /(?<!\\)\[[^\]]*(?<!\\)\]\((?:command|https?|file):/i, `${where}: no Markdown link in ${JSON.stringify(prose.slice(0, 300))}`);
  assert.doesNotMatch(prose, /(?<!\\)\$\((?!\\)/, `${where}: no theme icon syntax`);
}

describe('tree: items', () => {
  beforeEach(() => resetState());

  // One root item proves the row → TreeItem wiring; every status's row is in rows.test.ts ("entryRow").
  it('root item for OPEN: label "status · when · otp_id", accessibility, icon clock in charts.blue, contextValue entry', async () => {
    await check(SCENARIOS.open);
    const roots = await children();
    assert.equal(roots.length, 1);
    const treeItem = await item(roots[0]);
    const otpId = ctx().api.getHistory()[0].otpId;
    assert.equal(labelOf(treeItem), `OPEN · now · ${otpId}`, 'the status first, the otp_id last');
    assert.equal(treeItem.description, '');
    assert.equal(treeItem.accessibilityInformation?.label, `OPEN, just now, otp_id ${otpId}`);
    assert.deepStrictEqual(iconOf(treeItem), ['clock', 'charts.blue']);
    assert.equal(treeItem.contextValue, 'entry');
    assert.equal(treeItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    // Our own text is appended as text too: appendText turns spaces into &nbsp; and escapes the parentheses.
    assertUntrustedMarkdown(treeItem.tooltip, '1&nbsp;check\\(s\\)&nbsp;recorded');
  });

  it('children of a root are its checks, newest first: outcome and time, HTTP code, duration', async () => {
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
    assert.ok(
      rows.slice(firstCheck).every((r) => r.contextValue === 'check'),
      'the checks come last',
    );
    const items = await Promise.all((await checkNodes(root)).map(item));
    assert.equal(items.length, 3);
    items.forEach((treeItem, i) => {
      const recorded = entry.checks[i];
      assert.equal(treeItem.contextValue, 'check');
      assert.match(labelOf(treeItem), new RegExp(`^${recorded.status} · \\d{1,2}:\\d{2}:\\d{2}$`), 'label = outcome · time of the check');
      assert.equal(treeItem.description, `HTTP 200 · ${Math.round(recorded.durationMs)} ms`);
      assert.match(treeItem.accessibilityInformation?.label ?? '', new RegExp(`^${recorded.status}, checked `));
      assert.equal(treeItem.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assertUntrustedMarkdown(treeItem.tooltip, recorded.status ?? '');
    });
    assert.deepStrictEqual(
      items.map((t) => labelOf(t).split(' · ')[0]),
      ['APPROVED', 'OPEN', 'OPEN'],
    );
    assert.deepStrictEqual(iconOf(items[0]), ['pass-filled', 'charts.green']);
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

  it("each 422 issue of D7's detail list is a row (loc: msg (type))", async () => {
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
    assert.match(labelOf(await item(root)), /^refused · /);
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

  // FieldNode.children() (nodes.ts) builds these rows; rows.test.ts re-implements that walk, so only this proves it.
  it('nested body values expand into their own rows', async () => {
    const otpId = SCENARIOS.open;
    const body = { status: 'OPEN', meta: { channel: 'sms', tries: [1, 2] } };
    await storeHistory([{ otpId, checks: [{ otpId, checkedAt: new Date().toISOString(), ok: true, status: 'OPEN', httpStatus: 200, durationMs: 3, body }] }]);
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
      // At once, or at the end of the refresh interval when the tree refreshed just before (at most ten a second).
      await waitFor(() => fired >= 1, 'the tree to refresh');
    } finally {
      subscription.dispose();
    }
  });
});

describe('reliability (extension host): hostile values in the tree', () => {
  beforeEach(async () => {
    await resetState();
    await setSetting('retry.maxRetries', 0);
    captureMessages();
  });
  afterEach(() => sinon.restore());

  // Labels and descriptions of the same values: rows.test.ts ("hostile values in every row"), and every scenario's
  // rows through the command in lookup.test.ts.
  const scenarios: (keyof typeof SCENARIOS)[] = [...RAW_STATUSES.map(([name]) => name), 'html200', 'huge', 'redirectOtherHost'];
  for (const scenario of scenarios) {
    it(`${scenario}: every tooltip untrusted and escaped`, async () => {
      const otpId = SCENARIOS[scenario];
      await check(otpId);
      await check(otpId); // two checks: the entry gets a timeline row too
      const root = await rootNode(otpId);
      const nodes: [HistoryNode, vscode.TreeItem][] = [[root, await item(root)], ...(await walk(root))];
      assert.ok(nodes.length >= 4, `${nodes.length} nodes`);
      for (const [, treeItem] of nodes) assertInertTooltip(treeItem.tooltip, `${scenario} / ${labelOf(treeItem).slice(0, 40)}: tooltip`);
    });
  }

  it('markup: the tooltip still shows the markup, as text', async () => {
    await check(SCENARIOS.markup);
    const tooltip = (await item(await rootNode(SCENARIOS.markup))).tooltip as vscode.MarkdownString;
    assert.ok(tooltip.value.includes('onerror'), 'the text is kept');
    assert.ok(tooltip.value.includes('&lt;img'), `the tag is escaped: ${JSON.stringify(tooltip.value)}`);
  });

  it('safeMarkdown().appendText, property (2000 runs): the text never becomes HTML or a link', () => {
    const piece = fc.oneof(
      fc.constantFrom('<img src=x>', '<script>', '</b>', '<!--', '&lt;', '&amp;', '[x](command:y)', '](', '$(alert)', '**', '`', '```', '\n', '<'),
      fc.string({ maxLength: 5 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
        const md = safeMarkdown();
        md.appendMarkdown('**a** ').appendText(pieces.join(''));
        const prose = outsideCodeBlocks(md.value);
        return !md.isTrusted && !md.supportHtml && !/<[a-z!/?]/i.test(prose) && !/(?<!\\)\[[^\]]*(?<!\\)\]\((?:command|https?|file):/i.test(prose);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('tree: the profile filter', () => {
  beforeEach(async () => {
    await resetState();
    await setUserSetting('profiles', []);
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('d7otp.history.showAllProfiles');
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    await restoreSettings();
  });

  it("filters the tree to the active profile's entries, and back to all", async () => {
    const { api, mock } = ctx();
    await api.checkStatus(SCENARIOS.open); // default profile
    await vscode.commands.executeCommand('d7otp.addProfile', { name: 'staging', baseUrl: mock.url, token: MOCK_TOKEN });
    await vscode.commands.executeCommand('d7otp.switchProfile', 'staging');
    await api.checkStatus(SCENARIOS.approved);
    const roots = async () => Promise.all((await children()).map(async (n) => rootIdOf(await item(n))));
    assert.deepEqual(await roots(), [SCENARIOS.approved, SCENARIOS.open]);
    await vscode.commands.executeCommand('d7otp.history.filterByProfile');
    assert.deepEqual(await roots(), [SCENARIOS.approved]);
    await vscode.commands.executeCommand('d7otp.switchProfile', 'default');
    assert.deepEqual(await roots(), [SCENARIOS.open]);
    await vscode.commands.executeCommand('d7otp.history.showAllProfiles');
    assert.deepEqual(await roots(), [SCENARIOS.approved, SCENARIOS.open]);
  });
});
