/**
 * The history view's nodes: each kind builds its `TreeItem` from its row (rows.ts) and its own children; the
 * provider only delegates. Command handlers read a node's `entry` or `check` (src/core/args.ts).
 */
import * as vscode from 'vscode';
import type { FiledCheck, HistoryEntry } from '../../core/check';
import { msg, type Wording } from '../../core/messages';
import type { OtpId } from '../../core/otpId';
import type { TextPart } from '../../core/text';
import { Commands } from '../../constants';
import { checkFields, checkRow, entryRow, fieldRow, infoRows, type Row, type RowContext } from './rows';

/** What nodes need: wording and clock, the watches, and every entry (for resend links). */
export interface NodeContext {
  rows: RowContext;
  watchedSince(otpId: OtpId): number | undefined;
  entries(): readonly HistoryEntry[];
}

abstract class Node extends vscode.TreeItem {
  /** Built on hover (resolveTreeItem). */
  readonly tooltipParts?: () => TextPart[];

  constructor(row: Row) {
    super(row.label, row.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    this.id = row.id;
    this.description = row.description;
    this.contextValue = row.contextValue;
    if (row.icon) this.iconPath = new vscode.ThemeIcon(row.icon.id, row.icon.color ? new vscode.ThemeColor(row.icon.color) : undefined);
    if (row.accessibility) this.accessibilityInformation = { label: row.accessibility };
    this.tooltipParts = row.tooltip;
    if (row.reveals) this.command = { command: Commands.historyReveal, title: row.label, arguments: [row.reveals] };
  }

  children(): HistoryNode[] {
    return [];
  }
}

export class EntryNode extends Node {
  readonly kind = 'entry';
  constructor(
    readonly entry: HistoryEntry,
    private readonly ctx: NodeContext,
  ) {
    super(entryRow(entry, ctx.rows, ctx.watchedSince(entry.otpId)));
  }

  override children(): HistoryNode[] {
    const info = infoRows(this.entry, this.ctx.entries(), this.ctx.rows).map((row) => new InfoNode(row));
    return [...info, ...this.entry.checks.map((check, i) => new CheckNode(this.entry, check, i, this.ctx))];
  }
}

export class CheckNode extends Node {
  readonly kind = 'check';
  constructor(
    readonly entry: HistoryEntry,
    readonly check: FiledCheck,
    index: number,
    private readonly ctx: NodeContext,
  ) {
    super(checkRow(entry, check, index, ctx.rows));
  }

  override children(): HistoryNode[] {
    return checkFields(this.check, this.ctx.rows).map(([name, value], i) => new FieldNode(this.id ?? '', i, name, value));
  }

  /** The entry node it sits under (for reveal). */
  parent(): EntryNode {
    return new EntryNode(this.entry, this.ctx);
  }
}

class FieldNode extends Node {
  readonly kind = 'field';
  constructor(
    parentId: string,
    index: number,
    readonly name: string,
    readonly value: unknown,
  ) {
    super(fieldRow(parentId, index, name, value));
  }

  override children(): HistoryNode[] {
    if (this.value === null || typeof this.value !== 'object') return [];
    return Object.entries(this.value as Record<string, unknown>).map(([k, v], i) => new FieldNode(this.id ?? '', i, k, v));
  }
}

/** The timeline row, or a link to the otp_id a resend created this one from (or into). */
class InfoNode extends Node {
  readonly kind = 'info';
}

/** A row that says something instead of failing: an entry that could not be shown, say. */
export class MessageNode extends vscode.TreeItem {
  readonly kind = 'message';
  constructor(text: string) {
    super(text, vscode.TreeItemCollapsibleState.None);
    this.iconPath = new vscode.ThemeIcon('warning');
    this.contextValue = 'message';
  }

  children(): HistoryNode[] {
    return [];
  }
}

export type HistoryNode = EntryNode | CheckNode | FieldNode | InfoNode | MessageNode;

/** A node, or a message row saying why it could not be built: one bad entry never blanks the view. */
export function guarded(build: () => HistoryNode, word: Wording): HistoryNode {
  try {
    return build();
  } catch (error) {
    return new MessageNode(word(msg('entryUnreadable', String(error).slice(0, 200))));
  }
}
