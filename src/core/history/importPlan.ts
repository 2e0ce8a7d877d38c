/**
 * An import (or a restore of set-aside entries) planned in one pass over the merged state: duplicates skipped, the
 * caps applied with the user's own entries first, and what does not fit — imported entries pushed out included —
 * returned to be set aside rather than dropped. No `vscode` import.
 */
import type { FiledCheck, HistoryEntry } from '../check';
import { otpIdKey } from '../otpId';
import type { HistoryLimits } from './model';
import type { Op } from './ops';
import { publicCheck, scratchCopy, type HistoryState, type Row } from './state';
import { HistoryView, type EntryView } from './view';

export interface ImportStats {
  /** otp_ids that were not in the history before. */
  addedEntries: number;
  /** Checks added (in new and in existing entries). */
  addedChecks: number;
  /** Checks skipped because the history (or the file, earlier) already had that otp_id with the same check time. */
  duplicates: number;
  /** Checks the caps had no room for (this import's, and earlier imported ones it pushed out): set aside. */
  droppedByLimits: number;
}

export interface ImportPlan extends ImportStats {
  /** What to append: the imported checks that fit, and their labels. */
  ops: Op[];
  /** What to set aside, as entries. */
  dropped: HistoryEntry[];
}

const rowId = (key: string, row: Row) => `${key}|${Date.parse(row.check.checkedAt)}`;

type AddOp = Extract<Op, { o: 'add' }>;
type LabelOp = Extract<Op, { o: 'label' }>;

/** Plans merging `incoming` into `state` at time `at`, under `limits`; `view` is the store's (its cache is reused). */
export async function planImport(
  state: HistoryState,
  view: HistoryView,
  limits: HistoryLimits,
  incoming: readonly HistoryEntry[],
  at: number,
): Promise<ImportPlan> {
  const before = keptRows(await view.viewsSliced(limits));
  const keys = new Set<string>();
  for (const entry of incoming) keys.add(otpIdKey(entry.otpId));
  const scratch = scratchCopy(state, keys);
  const tried = await tryAll(scratch, incoming, at);
  const after = keptRows(await new HistoryView(scratch, view).viewsSliced(limits));
  const ops: Op[] = [];
  const added = new Set<string>();
  const dropped = new Dropped();
  let addedChecks = 0;
  for (const [id, { op, key }] of tried.candidates) {
    if (after.has(id)) {
      ops.push(op);
      addedChecks++;
      if (!state.entries.get(key)?.rows.size) added.add(key);
    } else dropped.add(key, { otpId: op.c.otpId, label: tried.labels.get(key)?.label, resendOf: op.resendOf, checks: [] }, op.c);
  }
  // Earlier imported rows this import pushed out of the caps: set aside too.
  for (const [id, { key, row, entry }] of before) if (!after.has(id)) dropped.add(key, entry, publicCheck(row));
  const keptKeys = new Set<string>();
  for (const { key } of after.values()) keptKeys.add(key);
  for (const [key, label] of tried.labels) if (keptKeys.has(key)) ops.push(label);
  return { ops, dropped: dropped.entries(), addedEntries: added.size, addedChecks, duplicates: tried.duplicates, droppedByLimits: dropped.checks };
}

/** Applies every incoming check (and label) to the scratch state: the new ones are the candidates. */
async function tryAll(scratch: HistoryState, incoming: readonly HistoryEntry[], at: number) {
  const candidates = new Map<string, { op: AddOp; key: string }>();
  const labels = new Map<string, LabelOp>();
  let duplicates = 0;
  let tried = 0;
  for (const entry of incoming) {
    const key = otpIdKey(entry.otpId);
    let resendOf = entry.resendOf;
    for (const check of entry.checks) {
      if (++tried % 5000 === 0) await new Promise((resolve) => setImmediate(resolve)); // a large import never holds the host up
      const op: AddOp = { o: 'add', at, c: check, src: 'import', ...(resendOf ? { resendOf } : {}) };
      if (scratch.entries.get(key)?.rows.has(Date.parse(check.checkedAt)) || !scratch.apply(op, '')) {
        duplicates++;
        continue;
      }
      resendOf = undefined;
      candidates.set(`${key}|${Date.parse(check.checkedAt)}`, { op, key });
    }
    const label: LabelOp | undefined = entry.label ? { o: 'label', at: 0, k: entry.otpId, label: entry.label } : undefined;
    if (label && scratch.apply(label, '')) labels.set(key, label);
  }
  return { candidates, labels, duplicates };
}

/** What the caps had no room for, grouped by entry. */
class Dropped {
  checks = 0;
  private readonly byKey = new Map<string, HistoryEntry>();

  add(key: string, entry: Partial<HistoryEntry> & Pick<HistoryEntry, 'otpId'>, check: FiledCheck): void {
    let group = this.byKey.get(key);
    if (!group) {
      group = { otpId: entry.otpId, ...(entry.label ? { label: entry.label } : {}), ...(entry.resendOf ? { resendOf: entry.resendOf } : {}), checks: [] };
      this.byKey.set(key, group);
    }
    group.checks.push(check);
    this.checks++;
  }

  entries(): HistoryEntry[] {
    return [...this.byKey.values()];
  }
}

/** The rows the caps keep, by row id, with their entry. */
function keptRows(views: readonly EntryView[]): Map<string, { key: string; row: Row; entry: HistoryEntry }> {
  const kept = new Map<string, { key: string; row: Row; entry: HistoryEntry }>();
  for (const v of views) for (const row of v.rows) kept.set(rowId(v.key, row), { key: v.key, row, entry: v.entry });
  return kept;
}
