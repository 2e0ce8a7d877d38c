/**
 * The "OTP Status" tree: one node per otp_id (newest first), its checks under it (newest first), and under
 * each check every field of the response body and of D7's error detail.
 */
import * as vscode from 'vscode';
import { formatIssue } from '../core/errors';
import { otpIdKey } from '../core/otpId';
import { buildTimeline, formatDuration, formatTimeline } from '../core/timeline';
import { DEFAULT_PROFILE } from '../profiles/profiles';
import type { HistoryEntry, StatusCheck } from '../core/types';
import type { HistoryStore } from '../stores/historyStore';
import { clockTime, iconFor, oneLine, outcomeText, relativeTime, safeMarkdown } from './presentation';

export type HistoryNode = EntryNode | CheckNode | FieldNode | InfoNode | MessageNode;

/** What the tree needs to know about watches. */
export interface WatchLookup {
  get(otpId: string): { startedAt: number } | undefined;
}

export class EntryNode extends vscode.TreeItem {
  readonly kind = 'entry';
  constructor(
    readonly entry: HistoryEntry,
    watching?: { startedAt: number },
  ) {
    // A label goes into the item's label (not its description) so that the tree's type-to-filter finds it.
    super(entry.label ? `${oneLine(entry.label, 60)} · ${oneLine(entry.otpId, 100)}` : oneLine(entry.otpId, 100), vscode.TreeItemCollapsibleState.Collapsed);
    const latest = entry.checks[0];
    this.id = `entry:${otpIdKey(entry.otpId)}`;
    this.contextValue = watching ? 'entry.watching' : 'entry';
    this.iconPath = watching ? new vscode.ThemeIcon('loading~spin') : iconFor(latest);
    const parts = [outcomeText(latest), relativeTime(latest.lastCheckedAt ?? latest.checkedAt)];
    if (watching) parts.unshift(vscode.l10n.t('watching {0}', formatDuration(Date.now() - watching.startedAt)));
    this.description = parts.join(' · ');
    // The Markdown tooltip is built in resolveTreeItem, on hover: building it for every row made refreshes slow.
    this.accessibilityInformation = { label: `${entry.label ? `${entry.label}, ` : ''}${entry.otpId}, ${this.description}` };
  }
}

export class CheckNode extends vscode.TreeItem {
  readonly kind = 'check';
  constructor(
    readonly entry: HistoryEntry,
    readonly check: StatusCheck,
    index: number,
  ) {
    super(clockTime(check.checkedAt), fieldsOf(check).length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `check:${otpIdKey(entry.otpId)}:${check.checkedAt}:${index}`;
    this.contextValue = 'check';
    this.iconPath = iconFor(check);
    const parts = check.operation && check.operation !== 'status' ? [check.operation, outcomeText(check)] : [outcomeText(check)];
    if (check.httpStatus !== undefined) parts.push(`HTTP ${check.httpStatus}`);
    parts.push(`${Math.round(check.durationMs)} ms`);
    if (check.repeat && check.repeat > 1) parts.push(`×${check.repeat}`);
    this.description = parts.join(' · ');
  }
}

export class FieldNode extends vscode.TreeItem {
  readonly kind = 'field';
  constructor(
    readonly parentId: string,
    readonly name: string,
    readonly value: unknown,
  ) {
    const nested = value !== null && typeof value === 'object' && Object.keys(value).length > 0;
    super(oneLine(name, 80), nested ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = `${parentId}/${name}`;
    this.contextValue = 'field';
    this.description = nested ? (Array.isArray(value) ? `[${value.length}]` : '{…}') : oneLine(scalarText(value), 200);
    const tip = safeMarkdown();
    tip.appendMarkdown('**').appendText(name).appendMarkdown('**\n\n');
    tip.appendCodeblock(truncate(typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? String(value), 4000), 'json');
    this.tooltip = tip;
  }
}

/** The timeline row, or a link to the otp_id a resend created this one from (or into). */
export class InfoNode extends vscode.TreeItem {
  readonly kind = 'info';
  constructor(id: string, label: string, description: string, icon: string, tooltip?: string, linkedOtpId?: string) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = id;
    this.description = description;
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = linkedOtpId ? 'link' : 'info';
    if (tooltip) {
      const md = safeMarkdown();
      md.appendText(tooltip);
      this.tooltip = md;
    }
    if (linkedOtpId) {
      this.command = { command: 'd7otp.history.reveal', title: vscode.l10n.t('Show'), arguments: [linkedOtpId] };
    }
  }
}

/** A row that says something instead of crashing: "could not read history", say. */
export class MessageNode extends vscode.TreeItem {
  readonly kind = 'message';
  constructor(message: string) {
    super(message, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon('warning');
    this.contextValue = 'message';
  }
}

export class HistoryTreeProvider implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly history: HistoryStore,
    private readonly watches: WatchLookup = { get: () => undefined },
    /** When it names a profile, the root shows only entries with a check made with that profile. */
    private readonly profileFilter: () => string | undefined = () => undefined,
  ) {
    this.subscription = history.onDidChange(() => this.refresh());
  }

  /** The root node of an otp_id, as the tree shows it now. */
  entryNode(otpId: string): EntryNode | undefined {
    const entry = this.history.find(otpId);
    return entry ? new EntryNode(entry, this.watches.get(entry.otpId)) : undefined;
  }

  refresh(node?: HistoryNode): void {
    this.changed.fire(node);
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    return node;
  }

  /** Tooltips are built when VS Code asks for them (on hover), not for every row of every refresh. */
  resolveTreeItem(item: vscode.TreeItem, node: HistoryNode): vscode.TreeItem {
    if (item.tooltip === undefined) {
      if (node instanceof EntryNode) item.tooltip = entryTooltip(node.entry);
      else if (node instanceof CheckNode) item.tooltip = checkTooltip(node.check);
    }
    return item;
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    try {
      if (!node) {
        const profile = this.profileFilter();
        const entries = profile === undefined ? this.history.entries : this.history.entries.filter((e) => e.checks.some((c) => (c.profile ?? DEFAULT_PROFILE) === profile));
        return entries.map((entry) => new EntryNode(entry, this.watches.get(entry.otpId)));
      }
      if (node instanceof EntryNode) return [...this.infoRows(node.entry), ...node.entry.checks.map((check, i) => new CheckNode(node.entry, check, i))];
      if (node instanceof CheckNode) return fieldsOf(node.check).map(([name, value]) => new FieldNode(node.id ?? '', name, value));
      if (node instanceof FieldNode && node.value !== null && typeof node.value === 'object') {
        return Object.entries(node.value as Record<string, unknown>).map(([k, v]) => new FieldNode(node.id ?? '', k, v));
      }
      return [];
    } catch (error) {
      return [new MessageNode(vscode.l10n.t('Could not show this part of the history: {0}', String(error)))];
    }
  }

  /** The node of an otp_id at the root (for reveal). */
  getParent(node: HistoryNode): HistoryNode | undefined {
    if (node instanceof CheckNode) return new EntryNode(node.entry, this.watches.get(node.entry.otpId));
    return undefined;
  }

  /** Timeline and resend links shown above an entry's checks. */
  private infoRows(entry: HistoryEntry): InfoNode[] {
    const key = otpIdKey(entry.otpId);
    const rows: InfoNode[] = [];
    const steps = buildTimeline(entry);
    if (steps.length > 0) {
      const text = formatTimeline(steps, (iso) => new Date(iso).toLocaleTimeString(undefined, { hour12: false }));
      rows.push(new InfoNode(`timeline:${key}`, vscode.l10n.t('Timeline'), oneLine(text, 300), 'git-commit', text));
    }
    if (entry.resendOf) {
      rows.push(new InfoNode(`from:${key}`, vscode.l10n.t('Resent from'), entry.resendOf, 'arrow-up', undefined, entry.resendOf));
    }
    for (const other of this.history.entries) {
      if (other.resendOf && otpIdKey(other.resendOf) === key) {
        rows.push(new InfoNode(`to:${key}:${otpIdKey(other.otpId)}`, vscode.l10n.t('Resent as'), other.otpId, 'arrow-down', undefined, other.otpId));
      }
    }
    return rows;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The rows under a check: each body field, then the error and each part of D7's detail. */
export function fieldsOf(check: StatusCheck): [string, unknown][] {
  const rows: [string, unknown][] = [];
  if (check.error) {
    rows.push(['error', check.error.message]);
    rows.push(['kind', check.error.kind]);
    if (check.error.code) rows.push(['code', check.error.code]);
    for (const issue of check.error.issues ?? []) rows.push([issue.loc.join('.') || 'detail', `${issue.msg}${issue.type ? ` (${issue.type})` : ''}`]);
    if (check.error.retryAfterSeconds !== undefined) rows.push(['retry after', `${check.error.retryAfterSeconds} s`]);
  }
  const body = check.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'detail' && check.error && (check.error.code || check.error.issues)) continue; // shown above
      rows.push([k, v]);
    }
  } else if (body !== undefined) {
    rows.push(['body', body]);
  }
  if (check.bodyTruncated) rows.push(['body size', 'larger than the cap; cut']);
  if (check.attempts && check.attempts > 1) rows.push(['attempts', check.attempts]);
  if (check.profile && check.profile !== DEFAULT_PROFILE) rows.push(['profile', check.profile]);
  return rows;
}

function entryTooltip(entry: HistoryEntry): vscode.MarkdownString {
  const latest = entry.checks[0];
  const md = safeMarkdown();
  md.appendMarkdown('**otp_id** `').appendText(entry.otpId).appendMarkdown('`\n\n');
  if (entry.label) md.appendMarkdown('**Label** ').appendText(entry.label).appendMarkdown('\n\n');
  appendCheckSummary(md, latest);
  const steps = buildTimeline(entry);
  if (steps.length > 1) {
    md.appendMarkdown('\n\n**Timeline** ').appendText(formatTimeline(steps, (iso) => new Date(iso).toLocaleTimeString(undefined, { hour12: false })));
  }
  md.appendMarkdown(`\n\n${vscode.l10n.t('{0} check(s) recorded', entry.checks.length)}`);
  return md;
}

function checkTooltip(check: StatusCheck): vscode.MarkdownString {
  const md = safeMarkdown();
  appendCheckSummary(md, check);
  return md;
}

function appendCheckSummary(md: vscode.MarkdownString, check: StatusCheck): void {
  md.appendMarkdown('**').appendText(outcomeText(check)).appendMarkdown('**');
  md.appendMarkdown('\n\n').appendText(
    [
      new Date(check.checkedAt).toLocaleString(),
      check.httpStatus !== undefined ? `HTTP ${check.httpStatus}` : undefined,
      `${Math.round(check.durationMs)} ms`,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  if (check.error) {
    md.appendMarkdown('\n\n').appendText(truncate(check.error.message, 1000));
    for (const issue of check.error.issues ?? []) md.appendMarkdown('\n- ').appendText(truncate(formatIssue(issue), 300));
  }
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
