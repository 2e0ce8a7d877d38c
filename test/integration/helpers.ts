/**
 * Shared set-up for the extension-host integration suite.
 *
 * Importing this module registers ROOT hooks (mocha applies a top-level `before`/`after` to every file of the
 * run): before the first test, the extension is activated and the mock D7 server is started on a free 127.0.0.1
 * port, and `d7otp.baseUrl` is pointed at it in the user (global) settings; after the last test every setting
 * this suite touched is put back, the history cleared, the token removed and the mock closed.
 *
 * Each `describe` calls `resetState()` in its `beforeEach`, so every test starts from: empty history, the mock's
 * token stored, baseline settings, the mock's request log and counters cleared.
 *
 * The suite's shared factories live here: settings (`setSetting` for the baseline keys `resetState` puts back,
 * `setUserSetting`/`restoreSettings` for any other `d7otp.*` key), checks and their assertions, captured messages,
 * and the tree as the view reads it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import type { D7OtpInspectorApi, Internals } from '../../src/api';
import type { HistoryNode } from '../../src/features/history/nodes';
import type { FiledCheck, HistoryEntry, StatusCheck } from '../../src/core/check';
import { HistoryStore, type HistoryStoreOptions } from '../../src/core/history/store';
import { readOtpId, type OtpId } from '../../src/core/otpId';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockServer } from '../mock/server';

export { MOCK_TOKEN, SCENARIOS };
export { closedPort } from '../mock/ports';
export type { FiledCheck, HistoryEntry, HistoryNode, OtpId, StatusCheck };

/** A fixture's otp_id as the parser would make it (fails when it is not a UUID). */
export function asOtpId(value: string): OtpId {
  const otpId = readOtpId(value);
  assert.ok(otpId, `${value} is a UUID`);
  return otpId;
}

/** The API as the tests see it: the extension runs in Test mode, so `internals` is there (asserted at activation). */
export type TestApi = D7OtpInspectorApi & { internals: Internals };

export const EXTENSION_ID = 'd7-otp-inspector.d7-otp-inspector';
export const HISTORY_KEY = 'd7otp.history';
const HISTORY_BACKUP_KEY = 'd7otp.history.backup';
/** The value `test/fixtures/workspace/.vscode/settings.json` puts in `d7otp.baseUrl` (to be ignored). */
export const WORKSPACE_ATTACKER_URL = 'http://attacker.invalid';
/** How long the mock's `slow` scenario takes to answer. */
export const SLOW_MS = 5000;

/** A UUID no scenario uses: the mock answers it 404 MESSAGE_LOG_NOT_EXISTS. */
export const UNKNOWN_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

interface Env {
  api: TestApi;
  mock: MockServer;
}

let env: Env | undefined;

/** The activated extension's API and the running mock (only valid inside tests and hooks). */
export function ctx(): Env {
  assert.ok(env, 'the root before hook has not run');
  return env;
}

// ---- settings -------------------------------------------------------------------------------------------------

type SettingKey = 'baseUrl' | 'requestTimeoutSeconds' | 'retry.maxRetries' | 'history.maxEntries' | 'history.maxChecksPerEntry';
const TOUCHED: SettingKey[] = ['baseUrl', 'requestTimeoutSeconds', 'retry.maxRetries', 'history.maxEntries', 'history.maxChecksPerEntry'];
/** Global values before the run, restored by the root `after`. */
const original = new Map<SettingKey, unknown>();
/** Global values every test starts with. */
const baseline = new Map<SettingKey, unknown>();

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('d7otp');
}

function globalValue(key: SettingKey): unknown {
  return section().inspect(key)?.globalValue;
}

/** Writes a user (global) setting and waits until this extension host reads it back. */
export async function setSetting(key: SettingKey, value: unknown): Promise<void> {
  if (isDeepStrictEqual(globalValue(key), value)) return;
  await section().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => isDeepStrictEqual(globalValue(key), value), `setting d7otp.${key} to read back ${JSON.stringify(value)}`);
}

/** Puts every touched setting back to the test baseline. */
async function restoreBaseline(): Promise<void> {
  for (const key of TOUCHED) await setSetting(key, baseline.get(key));
}

/** Global values of the keys written through `setUserSetting` before the first write, for `restoreSettings`. */
const userTouched = new Map<string, unknown>();

/** Writes any user (global) `d7otp.*` setting, remembering the original for `restoreSettings`, and waits until it reads back. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  const read = () => vscode.workspace.getConfiguration('d7otp').inspect(key)?.globalValue;
  if (!userTouched.has(key)) userTouched.set(key, read());
  await vscode.workspace.getConfiguration('d7otp').update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => isDeepStrictEqual(read(), value), `d7otp.${key} to read back ${JSON.stringify(value)}`);
}

/** Puts back every setting written through `setUserSetting` (for an `afterEach`), waiting until each reads back. */
export async function restoreSettings(): Promise<void> {
  for (const [key, value] of userTouched) {
    await vscode.workspace.getConfiguration('d7otp').update(key, value, vscode.ConfigurationTarget.Global);
    await waitFor(() => isDeepStrictEqual(vscode.workspace.getConfiguration('d7otp').inspect(key)?.globalValue, value), `d7otp.${key} to be put back`);
  }
  userTouched.clear();
}

// ---- root hooks -----------------------------------------------------------------------------------------------

before(async function () {
  this.timeout(60_000);
  const ext = vscode.extensions.getExtension<D7OtpInspectorApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api && typeof api.checkStatus === 'function', 'activate() returned the API');
  assert.ok(api.internals, 'internals are there outside Production mode');
  const mock = await startMockServer({ slowMs: SLOW_MS });
  env = { api: api as TestApi, mock };
  for (const key of TOUCHED) original.set(key, globalValue(key));
  for (const key of TOUCHED) baseline.set(key, undefined);
  baseline.set('baseUrl', mock.url);
  await restoreBaseline();
});

after(async function () {
  this.timeout(60_000);
  if (!env) return;
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  await vscode.commands.executeCommand('d7otp.clearToken');
  for (const key of TOUCHED) await setSetting(key, original.get(key));
  await env.mock.close();
  env = undefined;
});

/** For each describe's beforeEach: baseline settings, empty history, the mock's token stored, mock reset. */
export async function resetState(options: { token?: string | null } = {}): Promise<void> {
  const { api, mock } = ctx();
  await restoreBaseline();
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  await api.internals.history.flush();
  assert.equal(api.getHistory().length, 0, 'history is empty');
  if (options.token === null) await vscode.commands.executeCommand('d7otp.clearToken');
  else assert.equal(await vscode.commands.executeCommand<boolean>('d7otp.setToken', options.token ?? MOCK_TOKEN), true, 'token stored');
  mock.setLatency(0);
  mock.reset();
}

// ---- the history as stored --------------------------------------------------------------------------------------

/** A globalState stand-in for stores the tests open themselves (they must not touch the extension's). */
const quietMemento = { get: () => undefined, update: async () => undefined };

/** A store over the extension's history folder, as another window (or a restart) opens one; close it after use. */
export function historyStoreAt(options: Partial<HistoryStoreOptions> = {}): HistoryStore {
  const config = vscode.workspace.getConfiguration('d7otp');
  return new HistoryStore({
    dir: ctx().api.internals.historyDir,
    memento: quietMemento,
    key: HISTORY_KEY,
    backupKey: HISTORY_BACKUP_KEY,
    limits: () => ({ maxEntries: config.get<number>('history.maxEntries') ?? 200, maxChecksPerEntry: config.get<number>('history.maxChecksPerEntry') ?? 20 }),
    warn: () => undefined,
    pollMs: 0,
    ...options,
  });
}

/** The history as stored on disk: what a window opened now (a restart) reads. */
export async function storedHistory(): Promise<readonly HistoryEntry[]> {
  const store = historyStoreAt();
  await store.ready;
  const entries = store.entries;
  await store.close();
  return entries;
}

/** Every file of the history folder with its text (snapshot, logs, set-asides): where a secret must never be. */
export function historyFiles(dir = ctx().api.internals.historyDir): [string, string][] {
  const out: [string, string][] = [];
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...historyFiles(full));
    else out.push([full, fs.readFileSync(full, 'utf8')]);
  }
  return out;
}

/**
 * Points `d7otp.baseUrl` at `url` and stores `token` for it: a token is bound to the origin it was stored for
 * (issue 11.6), so a test that moves the base URL stores the token again, as a user would.
 */
export async function useBaseUrl(url: string, token: string): Promise<void> {
  await setSetting('baseUrl', url);
  assert.equal(await vscode.commands.executeCommand<boolean>('d7otp.setToken', token), true, `token stored for ${url}`);
}

// ---- small tools ----------------------------------------------------------------------------------------------

/** Polls `predicate` every 20 ms until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `d7otp.checkStatus` with an otp_id argument (no prompt); resolves with the recorded check. */
export async function check(otpId: string): Promise<StatusCheck> {
  const result = await vscode.commands.executeCommand<StatusCheck | undefined>('d7otp.checkStatus', otpId);
  assert.ok(result, `d7otp.checkStatus ${otpId} returned a check`);
  return result;
}

/** The history entry of an otp_id (case-insensitive), failing when there is none. */
export function entryOf(otpId: string): HistoryEntry {
  const entry = ctx()
    .api.getHistory()
    .find((e) => e.otpId.toLowerCase() === otpId.toLowerCase());
  assert.ok(entry, `history has an entry for ${otpId}`);
  return entry;
}

/** Asserts the fields every recorded check has: otp_id, an ISO checkedAt near now, a durationMs no longer than the call took. */
export function assertWellFormed(result: StatusCheck, otpId: string, startedAt: number): void {
  assert.equal(result.otpId, otpId);
  assert.equal(typeof result.checkedAt, 'string');
  assert.equal(new Date(result.checkedAt).toISOString(), result.checkedAt, 'checkedAt is ISO 8601 (UTC)');
  const at = Date.parse(result.checkedAt);
  assert.ok(at >= startedAt - 1000 && at <= Date.now() + 1000, `checkedAt ${result.checkedAt} is the time of the check`);
  assert.equal(typeof result.durationMs, 'number');
  const took = Date.now() - startedAt;
  assert.ok(Number.isFinite(result.durationMs) && result.durationMs <= took + 1, `durationMs ${result.durationMs} is at most the ${took} ms the call took`);
}

/** Asserts `result` is the check recorded first (newest) under its otp_id. */
export function assertRecorded(result: StatusCheck): void {
  assert.deepStrictEqual(entryOf(result.otpId).checks[0], result, 'the returned check is the one recorded in history');
}

/** Closes every editor (an `afterEach` of the tests that open documents). */
/**
 * Closes every editor and returns once the extension host has seen them go: no tab in any group, no visible editor,
 * and a round trip to the workbench after that, so no late event of a closed editor (an "active editor changed" sent
 * before the close reached the workbench) lands in the next test and makes a closed document the active one again.
 */
export async function closeEditors(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await waitFor(() => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0) && vscode.window.visibleTextEditors.length === 0, 'every editor closed');
  await vscode.commands.executeCommand('setContext', 'd7otp.test.closeRoundTrip', Date.now());
  await waitFor(() => vscode.window.activeTextEditor === undefined, 'no active editor after the round trip');
}

// ---- messages -------------------------------------------------------------------------------------------------

/** C0/C1 controls, line and paragraph separators, bidi controls. */
export const UNSAFE_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The link syntax VS Code's notifications render as a clickable link (copied from the workbench). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

export interface Captured {
  kind: 'error' | 'warning' | 'info' | 'statusBar';
  text: string;
}

/** Replaces the message functions with stubs that record what would have been shown (undone by `sinon.restore()`). */
export function captureMessages(): Captured[] {
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

/** Asserts a message is one printable line that a notification would not render as a link. */
export function assertInertMessage(text: string, where: string): void {
  assert.doesNotMatch(text, UNSAFE_CHARS, `${where}: one printable line: ${JSON.stringify(text)}`);
  assert.doesNotMatch(text, NOTIFICATION_LINK, `${where}: no link a notification would render: ${JSON.stringify(text)}`);
}

// ---- tree -----------------------------------------------------------------------------------------------------

/** The tree's children of `node` (the roots when omitted), as the view would ask for them. */
export async function children(node?: HistoryNode): Promise<HistoryNode[]> {
  const result = await ctx().api.internals.tree.getChildren(node);
  return (result ?? []) as HistoryNode[];
}

/** The tree item of a node, resolved as VS Code does on hover (tooltips are filled in by resolveTreeItem). */
export async function item(node: HistoryNode): Promise<vscode.TreeItem> {
  const tree = ctx().api.internals.tree;
  const treeItem = await tree.getTreeItem(node);
  return tree.resolveTreeItem(treeItem, node);
}

export function labelOf(treeItem: vscode.TreeItem): string {
  const label = treeItem.label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** The otp_id a root row names: the last part of its label ("APPROVED · 2 min ago · <otp_id>"). */
export function rootIdOf(treeItem: vscode.TreeItem): string {
  return labelOf(treeItem).split(' · ').at(-1) ?? '';
}

/** A tree item's icon as `[themeIconId, themeColorId]`. */
export function iconOf(treeItem: vscode.TreeItem): [string, string | undefined] {
  const icon = treeItem.iconPath;
  assert.ok(icon instanceof vscode.ThemeIcon, `${labelOf(treeItem)} has a ThemeIcon`);
  // ThemeColor's id is not in @types/vscode 1.90, but the runtime object carries it.
  return [icon.id, (icon.color as unknown as { id?: string } | undefined)?.id];
}

/** The root node of an otp_id. */
export async function rootNode(otpId: string): Promise<HistoryNode> {
  for (const node of await children()) {
    // A labelled entry's label is "<label> · <otp_id>", so match on the entry, not the label text.
    const entry = (node as { kind?: string; entry?: { otpId: string } }).kind === 'entry' ? (node as { entry: { otpId: string } }).entry : undefined;
    if (entry?.otpId.toLowerCase() === otpId.toLowerCase()) return node;
  }
  assert.fail(`no root node for ${otpId}`);
}

/**
 * The check rows under a root node, newest first. Rows that are not checks (timeline, resend links: contextValue
 * `info` or `link`) come before them and are skipped here.
 */
export async function checkNodes(root: HistoryNode): Promise<HistoryNode[]> {
  const rows: HistoryNode[] = [];
  for (const node of await children(root)) if ((await item(node)).contextValue === 'check') rows.push(node);
  return rows;
}

/** Every node under `node` (the roots when omitted), depth first, with the item the view would show. */
export async function walk(node?: HistoryNode, depth = 0): Promise<[HistoryNode, vscode.TreeItem][]> {
  const out: [HistoryNode, vscode.TreeItem][] = [];
  if (depth > 6) return out;
  for (const child of await children(node)) {
    out.push([child, await item(child)]);
    out.push(...(await walk(child, depth + 1)));
  }
  return out;
}

/** `{ label: description }` of a check node's field rows. */
export async function fieldRows(checkNode: HistoryNode): Promise<Record<string, string>> {
  const rows: Record<string, string> = {};
  for (const node of await children(checkNode)) {
    const treeItem = await item(node);
    rows[labelOf(treeItem)] = String(treeItem.description ?? '');
  }
  return rows;
}

/** Asserts a tooltip is a MarkdownString that renders as untrusted text (no command links, no HTML). */
export function assertUntrustedMarkdown(tooltip: vscode.TreeItem['tooltip'], mustContain: string): void {
  assert.ok(tooltip instanceof vscode.MarkdownString, 'tooltip is a MarkdownString');
  assert.ok(!tooltip.isTrusted, 'tooltip is not trusted');
  assert.ok(!tooltip.supportHtml, 'tooltip does not render HTML');
  assert.ok(!tooltip.supportThemeIcons, 'tooltip does not render $(icons)');
  assert.ok(tooltip.value.includes(mustContain), `tooltip ${JSON.stringify(tooltip.value)} mentions ${mustContain}`);
}
