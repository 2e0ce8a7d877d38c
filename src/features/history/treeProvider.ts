/** The "OTP Status" tree's data provider: roots from the history (optionally one profile's), the rest delegated to the nodes. */
import * as vscode from 'vscode';
import { DEFAULT_PROFILE } from '../../core/defaults';
import type { HistoryEntry } from '../../core/check';
import { Disposable } from '../../core/lifecycle';
import { msg } from '../../core/messages';
import type { OtpId } from '../../core/otpId';
import { richMarkdown } from '../../ui/markdown';
import { CheckNode, EntryNode, guarded, MessageNode, type HistoryNode, type NodeContext } from './nodes';
import { rowTimeKey } from './rows';

export interface TreeSource {
  /** The history, newest first. */
  entries(): readonly HistoryEntry[];
  find(otpId: OtpId): HistoryEntry | undefined;
  /** When it names a profile, the root shows only entries with a check made with that profile. */
  profileFilter(): string | undefined;
}

/** A root node built for an entry, and what it was built from (see `rootNode`). */
interface BuiltRoot {
  node: HistoryNode;
  latest: HistoryEntry['checks'][number];
  count: number;
  label: string | undefined;
  timeKey: string;
}

export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = this.register(new vscode.EventEmitter<HistoryNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  /** Root nodes by entry object: an entry unchanged since, shown with the same times, keeps its node. */
  private readonly built = new WeakMap<HistoryEntry, BuiltRoot>();

  constructor(
    private readonly source: TreeSource,
    private readonly ctx: NodeContext,
  ) {
    super();
  }

  /** The root node of an otp_id, as the tree shows it now. */
  entryNode(otpId: OtpId): EntryNode | undefined {
    const entry = this.source.find(otpId);
    return entry ? new EntryNode(entry, this.ctx) : undefined;
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    return node;
  }

  /** Tooltips are built when VS Code asks for them (on hover), not for every row of every refresh. */
  resolveTreeItem(item: vscode.TreeItem, node: HistoryNode): vscode.TreeItem {
    if (item.tooltip === undefined && !(node instanceof MessageNode) && node.tooltipParts) item.tooltip = richMarkdown(node.tooltipParts());
    return item;
  }

  getChildren(node?: HistoryNode): HistoryNode[] {
    const word = this.ctx.rows.word;
    if (node) return guardedList(() => node.children(), word);
    const profile = this.source.profileFilter();
    const all = this.source.entries();
    const shown = profile === undefined ? all : all.filter((e) => e.checks.some((c) => (c.profile ?? DEFAULT_PROFILE) === profile));
    const now = this.ctx.rows.now();
    const masked = this.ctx.rows.masked?.() ?? true;
    return shown.map((entry) => guarded(() => this.rootNode(entry, now, masked), word));
  }

  /**
   * The root node of an entry: the one built before when the entry, its latest check, its label and how its
   * times read are the same (a refresh of 2,000 entries where one changed builds one node), else a new one.
   * Watched entries (their row counts seconds) are always built again.
   */
  private rootNode(entry: HistoryEntry, now: number, masked: boolean): HistoryNode {
    if (this.ctx.watchedSince(entry.otpId) !== undefined) return new EntryNode(entry, this.ctx);
    const timeKey = rowTimeKey(entry, now, masked);
    const old = this.built.get(entry);
    if (old && old.latest === entry.checks[0] && old.count === entry.checks.length && old.label === entry.label && old.timeKey === timeKey) return old.node;
    const node = new EntryNode(entry, this.ctx);
    this.built.set(entry, { node, latest: entry.checks[0], count: entry.checks.length, label: entry.label, timeKey });
    return node;
  }

  /** The parent of a check (for reveal); entries are roots. */
  getParent(node: HistoryNode): HistoryNode | undefined {
    return node instanceof CheckNode ? node.parent() : undefined;
  }
}

function guardedList(build: () => HistoryNode[], word: (m: ReturnType<typeof msg>) => string): HistoryNode[] {
  try {
    return build();
  } catch (error) {
    return [new MessageNode(word(msg('partUnreadable', String(error).slice(0, 200))))];
  }
}
