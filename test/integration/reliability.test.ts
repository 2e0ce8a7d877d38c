/**
 * Reliability matrix in the extension host: every hostile response of the mock through
 * `executeCommand('d7otp.checkStatus', id)` (recorded, no crash, at most one message of one inert line), the tree
 * items of hostile values walked node by node (no control characters, tooltips untrusted and escaped), the
 * tree's text helpers under a property test, a cancelled watch that records nothing, and a bulk refresh over
 * hostile entries. Prints `[reliability-count] <class>=<n>` lines.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import type { StatusCheck } from '../../src/core/types';
import { oneLine, outcomeText, safeMarkdown } from '../../src/tree/presentation';
import { SCENARIOS, UNKNOWN_ID, check, children, ctx, entryOf, item, labelOf, resetState, rootNode, setSetting, waitFor, type HistoryNode } from './helpers';

/** C0/C1 controls, line and paragraph separators, bidi controls. */
const UNSAFE_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The link syntax VS Code's notifications render as a clickable link (copied from the workbench). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

const counts = new Map<string, number>();
function tally(cls: string, n = 1): void {
  counts.set(cls, (counts.get(cls) ?? 0) + n);
}

type Scenario = keyof typeof SCENARIOS;
type Expected = 'ok' | NonNullable<StatusCheck['error']>['kind'];

/** What each scenario must end as, with 1 s timeout and no automatic retry. */
const EXPECTED: Record<Scenario, Expected> = {
  open: 'ok',
  approved: 'ok',
  expired: 'ok',
  failed: 'ok',
  alreadyVerified: 'ok',
  unknownStatus: 'ok',
  withExtraFields: 'ok',
  turnsApproved: 'ok',
  rateLimited: 'rate-limited',
  rateLimitedOnce: 'rate-limited',
  serviceUnavailableOnce: 'server',
  serverError: 'server',
  slow: 'timeout',
  empty200: 'bad-response',
  text200: 'bad-response',
  html200: 'bad-response',
  array200: 'bad-response',
  string200: 'bad-response',
  number200: 'bad-response',
  null200: 'bad-response',
  statusMissing: 'bad-response',
  statusNumber: 'bad-response',
  longStatus: 'ok',
  markup: 'ok',
  controlChars: 'ok',
  unicode: 'ok',
  huge: 'bad-response',
  truncated: 'network',
  reset: 'network',
  hang: 'timeout',
  trickle: 'timeout',
  redirectSameHost: 'ok',
  redirectOtherHost: 'bad-response',
  status201: 'ok',
  status202: 'ok',
  status204: 'bad-response',
  status301: 'ok',
  status304: 'bad-response',
  status307: 'ok',
  status400: 'validation',
  status403: 'unauthorized',
  status405: 'bad-response',
  status408: 'timeout',
  status409: 'bad-response',
  status410: 'bad-response',
  status413: 'bad-response',
  status500: 'server',
  status503: 'server',
  status504: 'server',
};

interface Captured {
  kind: 'error' | 'warning' | 'info' | 'statusBar';
  text: string;
}

/** Replaces the message functions with stubs that record what would have been shown. */
function captureMessages(): Captured[] {
  const captured: Captured[] = [];
  const record = (kind: Captured['kind']) => (text: string) => {
    captured.push({ kind, text: String(text) });
    return Promise.resolve(undefined);
  };
  sinon.stub(vscode.window, 'showErrorMessage').callsFake(record('error'));
  sinon.stub(vscode.window, 'showWarningMessage').callsFake(record('warning'));
  sinon.stub(vscode.window, 'showInformationMessage').callsFake(record('info'));
  sinon.stub(vscode.window, 'setStatusBarMessage').callsFake((text: string) => {
    captured.push({ kind: 'statusBar', text: String(text) });
    return { dispose: () => undefined };
  });
  return captured;
}

function assertInertMessage(text: string, where: string): void {
  assert.doesNotMatch(text, UNSAFE_CHARS, `${where}: one printable line: ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, NOTIFICATION_LINK, `${where}: no link a notification would render: ${JSON.stringify(text)}`);
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

/** Every node under `node` (the roots when omitted), depth first, with the item the view would show. */
async function walk(node?: HistoryNode, depth = 0): Promise<[HistoryNode, vscode.TreeItem][]> {
  const out: [HistoryNode, vscode.TreeItem][] = [];
  if (depth > 6) return out;
  for (const child of await children(node)) {
    out.push([child, await item(child)]);
    out.push(...(await walk(child, depth + 1)));
  }
  return out;
}

describe('reliability (extension host)', () => {
  after(() => {
    for (const [cls, n] of counts) console.log(`[reliability-count] ${cls}=${n}`);
  });

  describe('hostile responses through the command', function () {
    before(async () => {
      await resetState();
    });
    beforeEach(async () => {
      await resetState();
      await setSetting('requestTimeoutSeconds', 1);
      await setSetting('retry.maxRetries', 0);
    });
    afterEach(() => sinon.restore());

    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      const expected = EXPECTED[scenario];
      it(`${scenario}: ${expected}, recorded in history, at most one inert message, the tree renders it`, async () => {
        tally('host.responses');
        const otpId = SCENARIOS[scenario];
        const captured = captureMessages();
        const result = await check(otpId);
        assert.equal(result.error?.kind ?? 'ok', expected, result.error?.message);
        if (result.error) assertInertMessage(result.error.message, 'the error message');
        // Recorded: the newest check of its entry says the same.
        await ctx().api.internals.history.flush();
        const stored = entryOf(otpId).checks[0];
        assert.equal(stored.error?.kind ?? 'ok', expected);
        assert.equal(stored.httpStatus, result.httpStatus);
        if (scenario === 'longStatus') {
          assert.equal(result.status?.length, 100_000, 'the returned record keeps the raw status');
          assert.ok(stored.status?.startsWith('X'.repeat(1024)) && stored.status.length < 1100, 'stored capped');
        } else {
          assert.equal(stored.status, result.status, 'the raw status is stored as sent');
        }
        // The messages it caused: an error or warning for a failure, nothing for a success; each one inert line.
        const notifications = captured.filter((c) => c.kind !== 'statusBar');
        assert.ok(notifications.length <= 1, `one message at most: ${JSON.stringify(captured)}`);
        if (expected !== 'ok') assert.equal(notifications.length, 1, 'a failure is explained');
        for (const c of captured) {
          assertInertMessage(c.text, `${c.kind} message`);
          if (c.kind === 'statusBar') assert.ok(!c.text.replace(/^\$\(check\) /, '').includes('$('), `no icon from D7's text in the status bar: ${c.text}`);
        }
        // The tree renders every node of it.
        const root = await rootNode(otpId);
        for (const [, treeItem] of [[root, await item(root)] as const, ...(await walk(root))]) {
          assert.doesNotMatch(labelOf(treeItem), UNSAFE_CHARS);
          assert.doesNotMatch(String(treeItem.description ?? ''), UNSAFE_CHARS);
        }
      });
    }

    it('an unknown otp_id (404) and a rejected token (401) are recorded too', async () => {
      tally('host.responses', 2);
      captureMessages();
      assert.equal((await check(UNKNOWN_ID)).error?.kind, 'not-found');
      assert.equal(entryOf(UNKNOWN_ID).checks[0].error?.kind, 'not-found');
      assert.equal(await vscode.commands.executeCommand('d7otp.setToken', 'not-the-mock-token'), true);
      assert.equal((await check(SCENARIOS.approved)).error?.kind, 'unauthorized');
      assert.equal(entryOf(SCENARIOS.approved).checks[0].error?.kind, 'unauthorized');
    });

    it('429 with the default retries: waits and retries twice, says so in the log, then records rate-limited', async () => {
      tally('host.responses');
      await setSetting('retry.maxRetries', undefined);
      captureMessages();
      const logBefore = ctx().api.internals.logLines().length;
      const result = await check(SCENARIOS.rateLimited);
      assert.equal(result.error?.kind, 'rate-limited');
      assert.equal(result.attempts, 3);
      assert.equal(ctx().mock.requests.length, 3);
      const log = ctx().api.internals.logLines().slice(logBefore);
      assert.equal(log.filter((l) => / retry /.test(l)).length, 2, log.join('\n'));
    });

    it('429 while a person waits: the notification says it is waiting to retry; cancelling it ends the call, nothing recorded', async () => {
      tally('host.responses');
      await setSetting('retry.maxRetries', undefined);
      captureMessages();
      const reports: string[] = [];
      const cancellable: vscode.CancellationTokenSource[] = [];
      sinon.stub(vscode.window, 'withProgress').callsFake(((options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string }>, t: vscode.CancellationToken) => Thenable<unknown>) => {
        const source = new vscode.CancellationTokenSource();
        if (options.cancellable) cancellable.push(source);
        return task({ report: (value) => void (value.message && reports.push(value.message)) }, source.token);
      }) as typeof vscode.window.withProgress);
      const started = Date.now();
      const pending = check(SCENARIOS.rateLimited);
      await waitFor(() => cancellable.length > 0 && reports.some((r) => /waiting 1 s before retry 1/.test(r)), 'the waiting notice', 3000);
      cancellable[0].cancel();
      const result = await pending;
      assert.equal(result.error?.kind, 'cancelled');
      assert.ok(Date.now() - started < 1900, 'ended before the retries would have');
      assert.ok(ctx().mock.requests.length <= 2);
      assert.equal(ctx().api.getHistory().length, 0, 'a cancelled call is not recorded');
    });

    it('a workspace value of d7otp.baseUrl is never used: the requests reach the user-set mock', async () => {
      tally('host.responses');
      const inspected = vscode.workspace.getConfiguration('d7otp').inspect<string>('baseUrl');
      assert.equal(inspected?.globalValue, ctx().mock.url);
      await check(SCENARIOS.open);
      assert.equal(ctx().mock.requests.length, 1, 'the lookup reached the mock, not the workspace value');
    });
  });

  describe('hostile values in the tree', () => {
    beforeEach(async () => {
      await resetState();
      await setSetting('retry.maxRetries', 0);
      captureMessages();
    });
    afterEach(() => sinon.restore());

    for (const scenario of ['markup', 'controlChars', 'unicode', 'longStatus', 'html200', 'huge', 'redirectOtherHost'] as const) {
      it(`${scenario}: every label and description one printable line, every tooltip untrusted and escaped`, async () => {
        const otpId = SCENARIOS[scenario];
        await check(otpId);
        await check(otpId); // two checks: the entry gets a timeline row too
        const root = await rootNode(otpId);
        const nodes: [HistoryNode, vscode.TreeItem][] = [[root, await item(root)], ...(await walk(root))];
        assert.ok(nodes.length >= 4, `${nodes.length} nodes`);
        for (const [, treeItem] of nodes) {
          tally('host.tree');
          const where = `${scenario} / ${labelOf(treeItem).slice(0, 40)}`;
          assert.doesNotMatch(labelOf(treeItem), UNSAFE_CHARS, `${where}: label`);
          assert.doesNotMatch(String(treeItem.description ?? ''), UNSAFE_CHARS, `${where}: description`);
          assert.ok(labelOf(treeItem).length <= 300 && String(treeItem.description ?? '').length <= 400, `${where}: bounded`);
          if (treeItem.accessibilityInformation) assert.doesNotMatch(treeItem.accessibilityInformation.label, UNSAFE_CHARS, `${where}: accessibility label`);
          assertInertTooltip(treeItem.tooltip, `${where}: tooltip`);
        }
      });
    }

    it('markup: the tooltip still shows the markup, as text', async () => {
      tally('host.tree');
      await check(SCENARIOS.markup);
      const tooltip = (await item(await rootNode(SCENARIOS.markup))).tooltip as vscode.MarkdownString;
      assert.ok(tooltip.value.includes('onerror'), 'the text is kept');
      assert.ok(tooltip.value.includes('&lt;img'), `the tag is escaped: ${JSON.stringify(tooltip.value)}`);
    });
  });

  describe('the tree text helpers', () => {
    const hostile = [
      'OPEN\u0000\u001b[31m\r\nINJECTED\u001b[0m\u0007\b\t\u000b\f\u007f\u0085\u2028\u2029END',
      '\u202eDEVORPPA\u202c \u2066x\u2069 \u061c \u200e\u200f',
      '<img src=x onerror=alert(1)>**bold** [x](command:workbench.action.quit) $(alert)',
      'X'.repeat(100_000),
      '',
    ];

    it('oneLine: no control, separator or bidi character, bounded, for each hostile value', () => {
      for (const value of hostile) {
        tally('host.helpers');
        const line = oneLine(value, 80);
        assert.doesNotMatch(line, UNSAFE_CHARS, JSON.stringify(line));
        assert.ok(line.length <= 81);
      }
    });

    it('oneLine, property (3000 runs over any UTF-16 string, unsafe characters mixed in): never an unsafe one, never longer than max + 1', () => {
      const unsafe = fc.constantFrom('\u0000', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u061c', '\u200e', '\u2028', '\u2029', '\u202e', '\u2066', '\u2069');
      const text = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), unsafe), maxLength: 300 });
      fc.assert(
        fc.property(text, fc.integer({ min: 1, max: 200 }), (value, max) => {
          const line = oneLine(value, max);
          return !UNSAFE_CHARS.test(line) && line.length <= max + 1;
        }),
        { numRuns: 3000 },
      );
      tally('host.helpers', 3000);
    });

    it('outcomeText: one printable line for hostile statuses and error codes', () => {
      for (const value of hostile) {
        for (const c of [
          { otpId: 'x', checkedAt: '2025-01-01T00:00:00Z', ok: true, status: value, durationMs: 1 },
          { otpId: 'x', checkedAt: '2025-01-01T00:00:00Z', ok: false, durationMs: 1, error: { kind: 'not-found' as const, code: value, message: value } },
        ]) {
          tally('host.helpers');
          assert.doesNotMatch(outcomeText(c), UNSAFE_CHARS);
        }
      }
    });

    it('safeMarkdown().appendText, property (2000 runs): the text never becomes HTML or a link', () => {
      const piece = fc.oneof(fc.constantFrom('<img src=x>', '<script>', '</b>', '<!--', '&lt;', '&amp;', '[x](command:y)', '](', '$(alert)', '**', '`', '```', '\n', '<'), fc.string({ maxLength: 5 }));
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 10 }), (pieces) => {
          const md = safeMarkdown();
          md.appendMarkdown('**a** ').appendText(pieces.join(''));
          const prose = outsideCodeBlocks(md.value);
          return !md.isTrusted && !md.supportHtml && !/<[a-z!/?]/i.test(prose) && !/(?<!\\)\[[^\]]*(?<!\\)\]\((?:command|https?|file):/i.test(prose);
        }),
        { numRuns: 2000 },
      );
      tally('host.helpers', 2000);
    });
  });

  describe('cancel and bulk', () => {
    beforeEach(async () => {
      await resetState();
      captureMessages();
    });
    afterEach(() => {
      ctx().api.internals.watches.stopAll();
      sinon.restore();
    });

    it('a watch stopped while its lookup is in flight records nothing and leaves no watch timer', async () => {
      tally('host.cancel');
      const { api, mock } = ctx();
      await setSetting('requestTimeoutSeconds', 30);
      const watch = api.watch(SCENARIOS.slow);
      await waitFor(() => mock.requests.length === 1, 'the first poll to reach the mock');
      watch.dispose();
      assert.equal(api.internals.watches.count, 0);
      await new Promise((r) => setTimeout(r, 5500)); // longer than the slow answer takes (5 s)
      assert.equal(api.getHistory().filter((e) => e.otpId === SCENARIOS.slow).length, 0, 'nothing recorded');
      assert.equal(api.internals.watches.scheduler.timersAlive(), 0, 'no timer left');
      assert.equal(mock.requests.length, 1, 'no further poll');
    });

    it('check all again over hostile entries: every entry gets its new check, one inert summary', async () => {
      tally('host.cancel');
      await setSetting('requestTimeoutSeconds', 1);
      await setSetting('retry.maxRetries', 0);
      const ids = (['markup', 'controlChars', 'unicode', 'html200', 'truncated', 'reset', 'status500', 'redirectOtherHost', 'open'] as const).map((s) => SCENARIOS[s]);
      for (const id of ids) await check(id);
      sinon.restore();
      const captured = captureMessages();
      const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.refreshAll');
      assert.equal(results?.length, ids.length);
      for (const id of ids) assert.equal(entryOf(id).checks.length, 2, id);
      const infos = captured.filter((c) => c.kind === 'info');
      assert.equal(infos.length, 1, JSON.stringify(captured));
      assertInertMessage(infos[0].text, 'the summary');
    });
  });
});
