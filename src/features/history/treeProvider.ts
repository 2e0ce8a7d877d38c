/** The "OTP Status" tree's data provider: roots from the history (optionally one profile's), the rest delegated to the nodes. */
import * as vscode from 'vscode';
import { DEFAULT_PROFILE } from '../../core/defaults';
import type { HistoryEntry } from '../../core/check';
import { Disposable } from '../../core/lifecycle';
import { msg } from '../../core/messages';
import type { OtpId } from '../../core/otpId';
import { richMarkdown } from '../../ui/markdown';
import { CheckNode, EntryNode, guarded, MessageNode, type HistoryNode, type NodeContext } from './nodes';

export interface TreeSource {
  /** The history, newest first. */
  entries(): readonly HistoryEntry[];
  find(otpId: OtpId): HistoryEntry | undefined;
  /** When it names a profile, the root shows only entries with a check made with that profile. */
  profileFilter(): string | undefined;
}

export class HistoryTreeProvider extends Disposable implements vscode.TreeDataProvider<HistoryNode> {
  private readonly changed = this.register(new vscode.EventEmitter<HistoryNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;

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
    return shown.map((entry) => guarded(() => new EntryNode(entry, this.ctx), word));
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
