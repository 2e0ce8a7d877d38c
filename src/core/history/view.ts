/**
 * The history as readers see it, from the merged state: entries newest first (by their latest check), checks newest
 * first, and the caps (`maxEntries`, `maxChecksPerEntry`) applied the same way in every window. The caps take the
 * user's own entries and checks first: imported ones only fill what room is left, so an import never pushes the
 * user's own history out. No `vscode` import.
 */
import type { HistoryEntry } from '../check';
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

const rowTime = (row: Row) => Date.parse(row.check.checkedAt);
const byRowDesc = (a: Row, b: Row) => rowTime(b) - rowTime(a) || b.at - a.at;
const byEntryDesc = (a: EntryView, b: EntryView) => b.latest - a.latest || b.stored - a.stored || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

interface Cached {
  version: number;
  limit: number;
  view: EntryView | undefined;
}

/** Caches each entry's view (by its version) and the whole list (by the state's revision and the caps). */
export class HistoryView {
  private readonly cache: WeakMap<EntryState, Cached>;
  private list: { revision: number; limits: string; views: EntryView[]; entries: HistoryEntry[] } | undefined;

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

  /** `views`, built a slice of entries at a time, yielding to the event loop between slices (a large import). */
  async viewsSliced(limits: HistoryLimits): Promise<readonly EntryView[]> {
    let i = 0;
    for (const state of this.state.entries.values()) {
      this.entryView(state, limits.maxChecksPerEntry);
      if (++i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return this.views(limits);
  }

  /** One entry (its checks capped), whether or not the entry cap shows it. */
  find(otpId: OtpId, limits: HistoryLimits): HistoryEntry | undefined {
    const state = this.state.entries.get(otpIdKey(otpId));
    return state ? this.entryView(state, limits.maxChecksPerEntry)?.entry : undefined;
  }

  private compute(limits: HistoryLimits): { views: EntryView[]; entries: HistoryEntry[] } {
    const key = `${limits.maxEntries}/${limits.maxChecksPerEntry}`;
    if (this.list && this.list.revision === this.state.revision && this.list.limits === key) return this.list;
    const own: EntryView[] = [];
    const imported: EntryView[] = [];
    for (const state of this.state.entries.values()) {
      const view = this.entryView(state, limits.maxChecksPerEntry);
      if (view) (view.own ? own : imported).push(view);
    }
    const max = Math.max(1, limits.maxEntries);
    own.sort(byEntryDesc);
    let views = own.slice(0, max);
    if (views.length < max && imported.length > 0) {
      imported.sort(byEntryDesc);
      views = views.concat(imported.slice(0, max - views.length)).sort(byEntryDesc);
    }
    this.list = { revision: this.state.revision, limits: key, views, entries: views.map((v) => v.entry) };
    return this.list;
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

function buildView(state: EntryState, limit: number): EntryView | undefined {
  if (state.rows.size === 0) return undefined;
  const own: Row[] = [];
  const imported: Row[] = [];
  for (const row of state.rows.values()) (row.src ? imported : own).push(row);
  own.sort(byRowDesc);
  let rows = own.slice(0, limit);
  if (rows.length < limit && imported.length > 0) {
    imported.sort(byRowDesc);
    rows = rows.concat(imported.slice(0, limit - rows.length)).sort(byRowDesc);
  }
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
