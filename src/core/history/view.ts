/**
 * The history as readers see it, from the merged state: entries newest first (by their latest check), checks newest
 * first, and the caps (`maxEntries`, `maxChecksPerEntry`) applied the same way in every window. The caps take the
 * user's own entries and checks first: imported ones only fill what room is left, so an import never pushes the
 * user's own history out. No `vscode` import.
 */
import type { HistoryEntry, StatusCheck } from '../check';
import { otpIdKey, type OtpId } from '../otpId';
import type { HistoryLimits } from './model';
import { publicCheck, type EntryState, type HistoryState, type Row } from './state';

/** One entry as shown, and the rows it keeps (what a compaction writes). */
export interface EntryView {
  key: string;
  entry: HistoryEntry;
  rows: Row[];
  /** Holds at least one of the user's own checks (not only imported ones). */
  own: boolean;
  /** Its latest check time (ms). */
  latest: number;
  /** Its latest store time (ms): the tie-break. */
  stored: number;
}

/** A row and its check time (ms): the key it is kept under, so sorting never parses a date. */
type Timed = [ms: number, row: Row];
const byTimeDesc = (a: Timed, b: Timed) => b[0] - a[0] || b[1].at - a[1].at;
const byEntryDesc = (a: EntryView, b: EntryView) => b.latest - a.latest || b.stored - a.stored || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface Cached {
  version: number;
  limit: number;
  view: EntryView | undefined;
}

interface Sorted {
  revision: number;
  maxChecks: number;
  own: EntryView[];
  imported: EntryView[];
  byKey: Map<string, EntryView>;
}

/** Where `view` goes in `list` (sorted by byEntryDesc, a total order): the first index not before it. */
function position(list: readonly EntryView[], view: EntryView): number {
  let [lo, hi] = [0, list.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (byEntryDesc(list[mid], view) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Both lists (each sorted by byEntryDesc) in one, in that order, with at most `fromB` views of `b`: linear, no sort. */
function mergeSorted(a: readonly EntryView[], b: readonly EntryView[], fromB: number): EntryView[] {
  const bEnd = Math.min(b.length, fromB);
  const out: EntryView[] = [];
  let [i, j] = [0, 0];
  while (i < a.length && j < bEnd) out.push(byEntryDesc(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < bEnd) out.push(b[j++]);
  return out;
}

function insertSorted(list: EntryView[], view: EntryView): void {
  list.splice(position(list, view), 0, view);
}

function removeSorted(list: EntryView[], view: EntryView): void {
  const at = position(list, view);
  const found = list[at] === view ? at : list.indexOf(view); // elsewhere than its order says: never expected
  if (found >= 0) list.splice(found, 1);
}

/** Caches each entry's view (by its version) and the whole list (by the state's revision and the caps). */
export class HistoryView {
  private readonly cache: WeakMap<EntryState, Cached>;
  private list: { revision: number; limits: string; views: EntryView[]; entries: HistoryEntry[] } | undefined;
  private sorted: Sorted | undefined;

  /** `sharing`: another view whose per-entry cache this one reuses (a scratch copy's view shares the store's). */
  constructor(
    private readonly state: HistoryState,
    sharing?: HistoryView,
  ) {
    this.cache = sharing ? sharing.cache : new WeakMap();
  }

  /** Every entry shown, newest first, the caps applied. */
  entries(limits: HistoryLimits): readonly HistoryEntry[] {
    return this.compute(limits).entries;
  }

  /** The entries shown with the rows they keep (what a compaction writes). */
  views(limits: HistoryLimits): readonly EntryView[] {
    return this.compute(limits).views;
  }

  /**
   * Drops from the state what the caps do not keep (entries not shown, rows past an entry's cap): after a compaction
   * wrote the snapshot without them, memory holds what the disk holds, not every check made since the window opened.
   * Returns the rows dropped.
   */
  forgetUnkept(limits: HistoryLimits): number {
    const kept = new Map(this.views(limits).map((view) => [view.key, view]));
    let dropped = 0;
    for (const [key, entry] of this.state.entries) {
      const view = kept.get(key);
      if (!view) {
        this.state.entries.delete(key);
        dropped += entry.rows.size;
      } else if (entry.rows.size > view.rows.length) {
        const rows = new Set(view.rows);
        for (const [ms, row] of entry.rows) if (!rows.has(row) && entry.rows.delete(ms)) dropped++;
        entry.version++;
      }
    }
    if (dropped > 0) this.state.changes.note(++this.state.revision, undefined);
    return dropped;
  }

  /** `views`, built a slice of entries at a time, yielding to the event loop between slices (a large import). */
  async viewsSliced(limits: HistoryLimits): Promise<readonly EntryView[]> {
    let i = 0;
    for (const state of this.state.entries.values()) {
      this.entryView(state, limits.maxChecksPerEntry);
      if (++i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return this.views(limits);
  }

  /**
   * Whether nothing is shown: no entry holds a check (the caps always show at least one entry that does). Builds no
   * list — a listener of every change asks it, and the list of 20,000 entries is two arrays of 160 KB each time.
   */
  isEmpty(): boolean {
    for (const entry of this.state.entries.values()) if (entry.rows.size > 0) return false;
    return true;
  }

  /**
   * What the recorder asks before it files a check, without building the entry's view (a watch polls an entry of
   * up to `maxChecksPerEntry` checks every few seconds; two passes over its rows, no list): the newest check `find`
   * would show, the newest successful one it would show, and whether a check time is taken by any row of the entry,
   * shown or not. Undefined when the entry has no row.
   */
  recent(otpId: OtpId, limits: HistoryLimits): RecentChecks | undefined {
    const rows = this.state.entries.get(otpIdKey(otpId))?.rows;
    if (!rows || rows.size === 0) return undefined;
    return { ...newestShown(rows, Math.max(1, limits.maxChecksPerEntry)), taken: (ms) => rows.has(ms) };
  }

  /** One entry (its checks capped), whether or not the entry cap shows it. */
  find(otpId: OtpId, limits: HistoryLimits): HistoryEntry | undefined {
    const state = this.state.entries.get(otpIdKey(otpId));
    return state ? this.entryView(state, limits.maxChecksPerEntry)?.entry : undefined;
  }

  private compute(limits: HistoryLimits): { views: EntryView[]; entries: HistoryEntry[] } {
    const key = `${limits.maxEntries}/${limits.maxChecksPerEntry}`;
    if (this.list && this.list.revision === this.state.revision && this.list.limits === key) return this.list;
    const { own, imported } = this.sortedViews(Math.max(1, limits.maxChecksPerEntry));
    const max = Math.max(1, limits.maxEntries);
    if (own.length < max && imported.length > 0) {
      const views = mergeSorted(own, imported, max - own.length);
      this.list = { revision: this.state.revision, limits: key, views, entries: views.map((v) => v.entry) };
      return this.list;
    }
    // The common case, in one pass (this runs after every check: two passes over 20,000 entries showed in the bench).
    const n = Math.min(max, own.length);
    const views = new Array<EntryView>(n);
    const entries = new Array<HistoryEntry>(n);
    for (let i = 0; i < n; i++) entries[i] = (views[i] = own[i]).entry;
    this.list = { revision: this.state.revision, limits: key, views, entries };
    return this.list;
  }

  /**
   * Every entry's view, newest first, the user's own apart from the imported-only ones. After a few entries changed
   * (an add, a repeat, a label, a Remove) only those are moved, by binary search, so one more check costs the same
   * whatever the history's size; after a Clear or an unknown change everything is sorted again.
   */
  private sortedViews(maxChecks: number): Sorted {
    const sorted = this.sorted;
    const changed = sorted && sorted.maxChecks === maxChecks ? this.state.changes.since(sorted.revision, this.state.revision) : undefined;
    if (!sorted || !changed) return (this.sorted = this.sortAll(maxChecks));
    for (const key of changed) {
      const old = sorted.byKey.get(key);
      if (old) removeSorted(old.own ? sorted.own : sorted.imported, old);
      const state = this.state.entries.get(key);
      const view = state ? this.entryView(state, maxChecks) : undefined;
      if (view) insertSorted(view.own ? sorted.own : sorted.imported, view);
      if (view) sorted.byKey.set(key, view);
      else sorted.byKey.delete(key);
    }
    sorted.revision = this.state.revision;
    return sorted;
  }

  private sortAll(maxChecks: number): Sorted {
    const sorted: Sorted = { revision: this.state.revision, maxChecks, own: [], imported: [], byKey: new Map() };
    for (const [key, state] of this.state.entries) {
      const view = this.entryView(state, maxChecks);
      if (!view) continue;
      (view.own ? sorted.own : sorted.imported).push(view);
      sorted.byKey.set(key, view);
    }
    sorted.own.sort(byEntryDesc);
    sorted.imported.sort(byEntryDesc);
    return sorted;
  }

  private entryView(state: EntryState, maxChecks: number): EntryView | undefined {
    const limit = Math.max(1, maxChecks);
    const cached = this.cache.get(state);
    if (cached && cached.version === state.version && cached.limit === limit) return cached.view;
    const view = buildView(state, limit);
    this.cache.set(state, { version: state.version, limit, view });
    return view;
  }
}

/** See `HistoryView.recent`. */
export interface RecentChecks {
  newest: StatusCheck;
  newestOk: StatusCheck | undefined;
  taken(ms: number): boolean;
}

/**
 * The newest row and the newest successful row among those `buildView` keeps (the newest `limit` of the user's own
 * rows, imported ones filling what is left), in two passes over the rows and without a list.
 */
function newestShown(rows: ReadonlyMap<number, Row>, limit: number): { newest: StatusCheck; newestOk: StatusCheck | undefined } {
  let own = 0;
  const top = { own: -Infinity, imported: -Infinity, ownOk: -Infinity, importedOk: -Infinity };
  rows.forEach((row, ms) => {
    if (row.src) {
      top.imported = Math.max(top.imported, ms);
      if (row.check.ok) top.importedOk = Math.max(top.importedOk, ms);
    } else {
      own++;
      top.own = Math.max(top.own, ms);
      if (row.check.ok) top.ownOk = Math.max(top.ownOk, ms);
    }
  });
  const importedRoom = Math.max(0, limit - own);
  // A row is kept when fewer than its class's room of the same class are newer: counted only when that can fail
  // (a class over its room, its newest success not its newest row).
  let newerOwn = 0;
  let newerImported = 0;
  const imported = rows.size - own;
  if ((own > limit && top.ownOk < top.own) || (imported > importedRoom && top.importedOk < top.imported)) {
    rows.forEach((row, ms) => {
      if (row.src) newerImported += ms > top.importedOk ? 1 : 0;
      else newerOwn += ms > top.ownOk ? 1 : 0;
    });
  }
  const ownOk = top.ownOk > -Infinity && newerOwn < limit ? top.ownOk : -Infinity;
  const importedOk = top.importedOk > -Infinity && newerImported < importedRoom ? top.importedOk : -Infinity;
  const newest = importedRoom > 0 ? Math.max(top.own, top.imported) : top.own;
  const ok = Math.max(ownOk, importedOk);
  return { newest: publicCheck(rows.get(newest) as Row), newestOk: ok > -Infinity ? publicCheck(rows.get(ok) as Row) : undefined };
}

function buildView(state: EntryState, limit: number): EntryView | undefined {
  if (state.rows.size === 0) return undefined;
  const own: Timed[] = [];
  const imported: Timed[] = [];
  for (const timed of state.rows) (timed[1].src ? imported : own).push(timed);
  own.sort(byTimeDesc);
  let kept = own.slice(0, limit);
  if (kept.length < limit && imported.length > 0) {
    imported.sort(byTimeDesc);
    kept = kept.concat(imported.slice(0, limit - kept.length)).sort(byTimeDesc);
  }
  const rows = kept.map((timed) => timed[1]);
  const checks = rows.map(publicCheck);
  let latest = 0;
  let stored = 0;
  for (const [i, check] of checks.entries()) {
    latest = Math.max(latest, Date.parse(check.lastCheckedAt ?? check.checkedAt));
    stored = Math.max(stored, rows[i].at);
  }
  const entry: HistoryEntry = {
    otpId: state.otpId,
    ...(state.label?.text ? { label: state.label.text } : {}),
    ...(state.resendOf ? { resendOf: state.resendOf } : {}),
    checks,
  };
  return { key: otpIdKey(state.otpId), entry, rows, own: own.length > 0, latest, stored };
}
