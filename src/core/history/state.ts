/**
 * The history as every window holds it in memory: rows keyed by otp_id and check time, each window's repeat counts,
 * labels (the latest wins), and tombstones for Remove and Clear. Applying an operation twice, or two windows'
 * operations in either order, gives the same state: this is what lets windows merge instead of overwrite. No `vscode`.
 */
import type { FiledCheck } from '../check';
import { otpIdKey, type OtpId } from '../otpId';
import { ChangeLog } from './changeLog';
import type { Op, RowSource } from './ops';

/** One writer's running repeat count on a row, as of `at` (a tombstone after it takes it). */
export interface Rep {
  n: number;
  last: string;
  dur: number;
  at: number;
}

export interface Row {
  check: FiledCheck;
  /** When it was stored (ms): a tombstone removes the rows stored up to its time. */
  at: number;
  src?: RowSource;
  /** Repeat counts by writer (a window's id). */
  reps?: Record<string, Rep>;
  /** The highest count a copy of this row carried (a synced or migrated document): the total is at least this. */
  copy?: Rep;
}

interface Label {
  text: string;
  at: number;
  w: string;
}

export interface EntryState {
  otpId: OtpId;
  rows: Map<number, Row>;
  label?: Label;
  /** The otp_id it was resent from: that of the earliest stored add naming one. */
  resendOf?: OtpId;
  /** Every add that named one (a tombstone takes those stored up to it), earliest first. */
  resends?: { at: number; id: OtpId }[];
  /** Bumped on every change (the view caches by it). */
  version: number;
}

const time = (iso: string) => Date.parse(iso);

export class HistoryState {
  readonly entries = new Map<string, EntryState>();
  clearedAt = 0;
  readonly removed = new Map<string, number>();
  /** Bumped on every change. */
  revision = 0;
  /** The latest store time of any row applied (a Clear is never older than what it clears). */
  latestAt = 0;
  readonly changes = new ChangeLog(); // which entries the last revisions changed: the view moves only those
  /** Repeats that arrived before their row (another window's log read first). */
  private orphans = new Map<string, { w: string; op: Extract<Op, { o: 'rep' }> }[]>();

  /** Takes over another state's content (after a failed write: the state as stored). */
  replaceWith(other: HistoryState): void {
    this.entries.clear();
    for (const [key, entry] of other.entries) this.entries.set(key, entry);
    this.removed.clear();
    for (const [key, at] of other.removed) this.removed.set(key, at);
    this.clearedAt = other.clearedAt;
    this.latestAt = other.latestAt;
    this.orphans = other.orphans;
    this.changes.note(++this.revision, undefined);
  }

  /** Applies one operation written by `w`; true when anything changed. */
  apply(op: Op, w: string): boolean {
    const changed = this.applyOp(op, w);
    if (changed) this.changes.note(++this.revision, op.o === 'clear' ? undefined : otpIdKey(op.o === 'add' ? op.c.otpId : op.k));
    return changed;
  }

  /** The time up to which rows of `key` are removed. */
  tombstone(key: string): number {
    return Math.max(this.clearedAt, this.removed.get(key) ?? 0);
  }

  /** The latest store time of the rows of `otpId` (0 when there are none). */
  latestOf(otpId: OtpId): number {
    let latest = 0;
    for (const row of this.entries.get(otpIdKey(otpId))?.rows.values() ?? []) latest = Math.max(latest, row.at);
    return latest;
  }

  /** This writer's repeat count on the row of `otpId` checked at `checkedAt`; undefined when there is no such row. */
  repeatsBy(otpId: OtpId, checkedAt: string, w: string): number | undefined {
    const row = this.entries.get(otpIdKey(otpId))?.rows.get(time(checkedAt));
    return row ? (row.reps?.[w]?.n ?? 0) : undefined;
  }

  private applyOp(op: Op, w: string): boolean {
    switch (op.o) {
      case 'add':
        return this.add(op);
      case 'rep':
        return this.repeat(op, w);
      case 'rm':
        return this.remove(otpIdKey(op.k), op.at);
      case 'clear':
        return this.clear(op.at);
      case 'label':
        return this.label(op, w);
    }
  }

  private entry(otpId: OtpId): EntryState {
    const key = otpIdKey(otpId);
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { otpId, rows: new Map(), version: 0 }));
    return entry;
  }

  private add(op: Extract<Op, { o: 'add' }>): boolean {
    const key = otpIdKey(op.c.otpId);
    if (op.at <= this.tombstone(key)) return false;
    if (op.at > this.latestAt) this.latestAt = op.at;
    const entry = this.entry(op.c.otpId);
    const ms = time(op.c.checkedAt);
    const row = entry.rows.get(ms);
    let changed = false;
    if (op.resendOf && !entry.resends?.some((r) => r.at === op.at && r.id === op.resendOf)) {
      const resends = (entry.resends ??= []);
      resends.push({ at: op.at, id: op.resendOf });
      resends.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      if (resends.length > 4) resends.pop();
      changed = entry.resendOf !== resends[0].id || changed;
      entry.resendOf = resends[0].id;
    }
    if (!row) {
      entry.rows.set(ms, { check: op.c, at: op.at, ...(op.src ? { src: op.src } : {}) });
      this.adopt(key, ms, entry);
      entry.version++;
      return true;
    }
    if (row.src && !op.src) {
      delete row.src; // checked here too: the user's own
      changed = true;
    }
    if (op.at > row.at) row.at = op.at;
    changed = mergeCount(row, op) || changed;
    if (changed) entry.version++;
    return changed;
  }

  private repeat(op: Extract<Op, { o: 'rep' }>, w: string): boolean {
    const key = otpIdKey(op.k);
    if (op.at <= this.tombstone(key)) return false;
    const entry = this.entries.get(key);
    const ms = time(op.of);
    const row = entry?.rows.get(ms);
    if (!entry || !row) {
      const id = `${key}|${ms}`;
      const list = this.orphans.get(id);
      if (list && list.length < 100) list.push({ w, op });
      else if (!list && this.orphans.size < 10_000) this.orphans.set(id, [{ w, op }]); // (a row not kept leaves nothing)
      return false;
    }
    const reps = (row.reps ??= Object.create(null) as Record<string, Rep>);
    if ((reps[w]?.n ?? 0) >= op.n) return false;
    reps[w] = { n: op.n, last: op.last, dur: op.dur, at: op.at };
    entry.version++;
    return true;
  }

  private adopt(key: string, ms: number, entry: EntryState): void {
    const waiting = this.orphans.get(`${key}|${ms}`);
    if (!waiting) return;
    this.orphans.delete(`${key}|${ms}`);
    for (const { w, op } of waiting) this.repeat(op, w);
    entry.version++;
  }

  private remove(key: string, at: number): boolean {
    if (at <= (this.removed.get(key) ?? 0)) return false;
    this.removed.set(key, at);
    const entry = this.entries.get(key);
    return entry ? this.drop(key, entry, at) : false;
  }

  private clear(at: number): boolean {
    if (at <= this.clearedAt) return false;
    this.clearedAt = at;
    for (const [key, entry] of this.entries) this.drop(key, entry, at);
    for (const [key, removedAt] of this.removed) if (removedAt <= at) this.removed.delete(key);
    return true;
  }

  /** Drops what of an entry was stored up to `at`. */
  private drop(key: string, entry: EntryState, at: number): boolean {
    let changed = false;
    for (const [ms, row] of entry.rows) {
      if (row.at <= at) {
        entry.rows.delete(ms);
        changed = true;
      } else if (dropCounts(row, at)) changed = true;
    }
    if (entry.label && entry.label.at <= at) {
      delete entry.label;
      changed = true;
    }
    if (entry.resends?.some((r) => r.at <= at)) {
      entry.resends = entry.resends.filter((r) => r.at > at);
      entry.resendOf = entry.resends[0]?.id;
      if (!entry.resendOf) delete entry.resendOf;
      changed = true;
    }
    if (entry.rows.size === 0 && !entry.label) this.entries.delete(key);
    if (changed) entry.version++;
    return changed;
  }

  private label(op: Extract<Op, { o: 'label' }>, w: string): boolean {
    const key = otpIdKey(op.k);
    if (op.at > 0 && op.at <= this.tombstone(key)) return false;
    const entry = this.entry(op.k);
    const current = entry.label;
    if (current && (current.at > op.at || (current.at === op.at && current.w >= w))) return false;
    if (op.at === 0 && current) return false;
    entry.label = { text: op.label, at: op.at, w };
    entry.version++;
    return true;
  }
}

/** A copy's count of a row (its `repeat`) raises the row's total to it: kept as the highest seen, never added twice. */
function mergeCount(row: Row, op: Extract<Op, { o: 'add' }>): boolean {
  const incoming = op.c.repeat ?? 1;
  if (incoming <= (row.check.repeat ?? 1) || incoming <= (row.copy?.n ?? 0)) return false;
  row.copy = { n: incoming, last: op.c.lastCheckedAt ?? op.c.checkedAt, dur: op.c.durationMs, at: op.at };
  return true;
}

/** Drops the counts made up to a tombstone's time from a row that outlives it (it was stored again since). */
function dropCounts(row: Row, at: number): boolean {
  let changed = false;
  for (const w in row.reps ?? {}) {
    if ((row.reps as Record<string, Rep>)[w].at > at) continue;
    delete (row.reps as Record<string, Rep>)[w];
    changed = true;
  }
  if (row.copy && row.copy.at <= at) {
    delete row.copy;
    changed = true;
  }
  return changed;
}

/** A row's repeat count: its own (from a copy or an import) plus every writer's, or a copy's when that is higher. */
function totalRepeats(row: Row): number {
  let total = row.check.repeat ?? 1;
  if (row.reps) for (const w in row.reps) total += row.reps[w].n;
  return Math.max(total, row.copy?.n ?? 0);
}

/** A row as readers see it: the repeat counts added up, the latest repeat's time and duration. */
export function publicCheck(row: Row): FiledCheck {
  if (!row.reps && !row.copy) return row.check;
  let last = row.check.lastCheckedAt ?? row.check.checkedAt;
  let lastMs = time(last);
  let dur = row.check.durationMs;
  const counts = row.reps ? Object.values(row.reps) : [];
  if (row.copy) counts.push(row.copy);
  for (const rep of counts) {
    const ms = time(rep.last);
    if (ms > lastMs) [last, lastMs, dur] = [rep.last, ms, rep.dur];
  }
  const repeat = totalRepeats(row);
  if (repeat === (row.check.repeat ?? 1) && last === (row.check.lastCheckedAt ?? row.check.checkedAt)) return row.check;
  return { ...row.check, repeat, lastCheckedAt: last, durationMs: dur };
}

/**
 * A copy of `state` to try operations on (an import's plan): the entries of `keys` are copied, the others shared,
 * so trying costs what the touched entries cost.
 */
export function scratchCopy(state: HistoryState, keys: Iterable<string>): HistoryState {
  const copy = new HistoryState();
  copy.clearedAt = state.clearedAt;
  for (const [key, at] of state.removed) copy.removed.set(key, at);
  for (const [key, entry] of state.entries) copy.entries.set(key, entry);
  for (const key of keys) {
    const entry = state.entries.get(key);
    if (!entry) continue;
    const rows = new Map<number, Row>();
    for (const [ms, row] of entry.rows) {
      rows.set(ms, { ...row, ...(row.reps ? { reps: Object.assign(Object.create(null) as Record<string, Rep>, row.reps) } : {}) });
    }
    // (row.copy is replaced, never changed in place)
    copy.entries.set(key, { ...entry, rows, ...(entry.label ? { label: { ...entry.label } } : {}) });
  }
  return copy;
}
