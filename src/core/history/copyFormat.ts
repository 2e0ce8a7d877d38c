/**
 * The history's copy in globalState, under the key it has always had (`d7otp.history`): with `d7otp.history.sync`
 * on, VS Code's Settings Sync carries it to the user's other machines. It is a version-1 history document (so an
 * older version of the extension reads it) plus what merging needs: when each check was stored, when each label was
 * set, and the tombstones of Remove and Clear. It is bounded (the newest entries, at most `SYNC_BUDGET` bytes) and
 * written in the background, never on a check's way to disk.
 *
 * The same key, written by an older version (no `sync` part), is that version's whole history: it is read as a
 * migration. Either way the copy becomes operations merged like any window's. No `vscode` import.
 */
import { createHash } from 'node:crypto';
import type { FiledCheck } from '../check';
import { isRecord } from '../json';
import type { Message } from '../messages';
import { readOtpId, type OtpId } from '../otpId';
import { HISTORY_SCHEMA_VERSION, parseHistory } from './model';
import type { Op } from './ops';
import { readCheck } from './rules';
import { publicCheck, type HistoryState } from './state';
import type { EntryView } from './view';

const SYNC_FORMAT = 'd7otp-history-sync';
/** The largest synced copy (serialised). VS Code syncs all extensions' synced state as one resource, which its server caps. */
export const SYNC_BUDGET = 128 * 1024;
/** Removals carried in the copy (the newest). */
const SYNC_TOMBSTONES = 500;

export interface ReadCopy {
  kind: 'none' | 'sync' | 'legacy';
  ops: Op[];
  /** The copy's digest (a synced copy): equal digests mean equal copies. */
  digest?: string;
  problem?: Message;
  rejected?: unknown;
}

const rowTime = (c: FiledCheck) => Date.parse(c.lastCheckedAt ?? c.checkedAt);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The operations a stored copy stands for: a synced copy of this version, or an older version's whole history. No
 * store time is later than `now` (another machine's clock, or a check dated ahead, must not put a row, and so the
 * next Clear, in the future).
 */
export function readCopy(raw: unknown, now: number): ReadCopy {
  if (raw === undefined || raw === null) return { kind: 'none', ops: [] };
  if (isRecord(raw) && isRecord(raw.sync) && raw.sync.format === SYNC_FORMAT && Array.isArray(raw.entries)) return readSynced(raw, raw.sync, now);
  const parsed = parseHistory(raw);
  const ops: Op[] = [];
  for (const entry of parsed.doc.entries) {
    // An older version's checks were stored when they were made: a Clear or Remove made since removes them.
    entry.checks.forEach((c, i) =>
      ops.push({ o: 'add', at: Math.min(rowTime(c), now), c, ...(i === entry.checks.length - 1 && entry.resendOf ? { resendOf: entry.resendOf } : {}) }),
    );
    if (entry.label) ops.push({ o: 'label', at: 0, k: entry.otpId, label: entry.label });
  }
  return { kind: 'legacy', ops, ...(parsed.problem ? { problem: parsed.problem, rejected: parsed.rejected } : {}) };
}

function readSynced(raw: Record<string, unknown>, sync: Record<string, unknown>, now: number): ReadCopy {
  const ops: Op[] = [];
  for (const item of raw.entries as unknown[]) {
    if (!isRecord(item) || !Array.isArray(item.checks)) continue;
    const otpId = readOtpId(item.otpId);
    if (!otpId) continue;
    const resendOf = readOtpId(item.resendOf);
    for (const rawCheck of item.checks as unknown[]) {
      const read = readCheck(rawCheck, otpId);
      if (!read.ok) continue;
      const storedAt = isRecord(rawCheck) && isTime(rawCheck.storedAt) ? rawCheck.storedAt : rowTime(read.value);
      ops.push({ o: 'add', at: Math.min(storedAt, now), c: read.value, ...(resendOf ? { resendOf } : {}) });
    }
    if (typeof item.label === 'string') ops.push({ o: 'label', at: isTime(item.labelAt) ? Math.min(item.labelAt, now) : 0, k: otpId, label: item.label });
  }
  if (isTime(sync.clearedAt) && sync.clearedAt > 0) ops.push({ o: 'clear', at: Math.min(sync.clearedAt, now) });
  if (isRecord(sync.removed)) {
    for (const [key, at] of Object.entries(sync.removed)) {
      const k = readOtpId(key);
      if (k && isTime(at)) ops.push({ o: 'rm', at: Math.min(at, now), k });
    }
  }
  return { kind: 'sync', ops, ...(typeof sync.digest === 'string' ? { digest: sync.digest } : {}) };
}

/** The copy to store for Settings Sync: the newest entries that fit the budget (response bodies left out when they do not). */
export function copyOf(state: HistoryState, views: readonly EntryView[]): { value: Record<string, unknown>; digest: string } {
  let entries = copyEntries(state, views, true);
  if (entries.bytes > SYNC_BUDGET) entries = copyEntries(state, views, false);
  const removed: Record<string, number> = {};
  for (const [key, at] of [...state.removed].sort((a, b) => b[1] - a[1]).slice(0, SYNC_TOMBSTONES)) removed[key] = at;
  const digest = createHash('sha1')
    .update(JSON.stringify([entries.list, state.clearedAt, removed]))
    .digest('base64');
  const sync = { format: SYNC_FORMAT, clearedAt: state.clearedAt, removed, digest };
  return { value: { version: HISTORY_SCHEMA_VERSION, entries: entries.list, sync }, digest };
}

function copyEntries(state: HistoryState, views: readonly EntryView[], bodies: boolean): { list: unknown[]; bytes: number } {
  const list: unknown[] = [];
  let bytes = 200;
  for (const view of views) {
    const label = state.entries.get(view.key)?.label;
    const checks = view.rows.map((row) => {
      const { body, ...rest } = publicCheck(row);
      return { ...rest, ...(bodies && body !== undefined ? { body } : {}), storedAt: row.at };
    });
    const entry = {
      otpId: view.entry.otpId as OtpId,
      ...(label?.text ? { label: label.text, labelAt: label.at } : {}),
      ...(view.entry.resendOf ? { resendOf: view.entry.resendOf } : {}),
      checks,
    };
    const size = JSON.stringify(entry).length + 1;
    if (bytes + size > SYNC_BUDGET) break;
    bytes += size;
    list.push(entry);
  }
  return { list, bytes: bodies && list.length < views.length ? Infinity : bytes };
}
