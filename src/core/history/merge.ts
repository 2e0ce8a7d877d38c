/** Merging entries into a history (an import, another window's document). No `vscode` import. */
import type { FiledCheck, HistoryEntry } from '../check';
import { otpIdKey } from '../otpId';
import { applyLimits, HISTORY_SCHEMA_VERSION, type HistoryDocument, type HistoryLimits } from './model';

export interface MergeStats {
  /** otp_ids that were not in the history before. */
  addedEntries: number;
  /** Checks added (in new and in existing entries). */
  addedChecks: number;
  /** Checks skipped because the history already had that otp_id with the same checkedAt. */
  duplicates: number;
  /** Checks (counting those of dropped entries) not kept because of the history's caps. */
  droppedByLimits: number;
}

export interface MergeResult extends MergeStats {
  doc: HistoryDocument;
}

/**
 * Merges `incoming` into `current`: entries matched by otp_id, checks deduplicated by otp_id + checkedAt (the
 * current one wins), an existing label kept (an imported one fills a missing label). Entries end newest first by
 * their latest check, checks newest first; then the caps apply, and what they drop is counted.
 */
export function mergeHistory(current: HistoryDocument, incoming: readonly HistoryEntry[], limits?: HistoryLimits): MergeResult {
  const stats: MergeStats = { addedEntries: 0, addedChecks: 0, duplicates: 0, droppedByLimits: 0 };
  const byKey = new Map<string, HistoryEntry>();
  const seen = new Map<string, Set<string>>();
  const existing = new Set(current.entries.map((e) => otpIdKey(e.otpId)));
  for (const entry of current.entries) {
    byKey.set(otpIdKey(entry.otpId), { ...entry, checks: [...entry.checks] });
    seen.set(otpIdKey(entry.otpId), new Set(entry.checks.map(checkKey)));
  }
  for (const entry of incoming) {
    const key = otpIdKey(entry.otpId);
    let target = byKey.get(key);
    if (!target) {
      target = { otpId: entry.otpId, checks: [] };
      byKey.set(key, target);
      seen.set(key, new Set());
    }
    const before = target.checks.length;
    if (!target.label && entry.label) target.label = entry.label;
    if (!target.resendOf && entry.resendOf) target.resendOf = entry.resendOf;
    const keys = seen.get(key) as Set<string>;
    for (const check of entry.checks) {
      const k = checkKey(check);
      if (keys.has(k)) {
        stats.duplicates++;
        continue;
      }
      keys.add(k);
      target.checks.push(check);
      stats.addedChecks++;
    }
    if (before === 0 && target.checks.length > 0 && !existing.has(key)) stats.addedEntries++;
  }
  const entries = [...byKey.values()].filter((e) => e.checks.length > 0);
  for (const entry of entries) entry.checks = stableSortDesc(entry.checks, (c) => time(c.checkedAt));
  const sorted = stableSortDesc(entries, latestTime);
  let doc: HistoryDocument = { version: HISTORY_SCHEMA_VERSION, entries: sorted };
  if (limits) {
    const before = countChecks(doc.entries);
    doc = applyLimits(doc, limits);
    stats.droppedByLimits = before - countChecks(doc.entries);
  }
  return { doc, ...stats };
}

function checkKey(check: FiledCheck): string {
  const t = Date.parse(check.checkedAt);
  return Number.isNaN(t) ? check.checkedAt : String(t);
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

/** The time an entry was last seen (a loop, not a spread: an entry may hold any number of checks). */
function latestTime(entry: HistoryEntry): number {
  let latest = 0;
  for (const c of entry.checks) latest = Math.max(latest, time(c.lastCheckedAt ?? c.checkedAt));
  return latest;
}

function stableSortDesc<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, k: key(item) }))
    .sort((a, b) => b.k - a.k || a.index - b.index)
    .map((x) => x.item);
}

export function countChecks(entries: readonly HistoryEntry[]): number {
  return entries.reduce((n, e) => n + e.checks.length, 0);
}
