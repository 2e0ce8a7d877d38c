/**
 * The history's record shapes: the version-1 document (what versions before 0.2 stored in globalState, what the
 * synced copy and the JSON export still are), reading it defensively, and a check made fit for storage.
 * No `vscode` import. The stored history itself is operations (ops.ts) merged into a state (state.ts).
 */
import type { HistoryEntry, StatusCheck } from '../check';
import { isRecord } from '../json';
import { msg, type Message } from '../messages';
import { otpIdKey, type OtpId } from '../otpId';
import { readEntry } from './rules';

export const HISTORY_SCHEMA_VERSION = 1;

interface HistoryDocument {
  version: typeof HISTORY_SCHEMA_VERSION;
  entries: HistoryEntry[];
}

export interface HistoryLimits {
  maxEntries: number;
  maxChecksPerEntry: number;
}

/** Longest string kept from a response body in history; the rest is cut with a marker. */
export const MAX_STORED_STRING = 4096;
/** Largest check kept in history (serialised, body included); a larger body is stored as a cut string. */
export const MAX_STORED_BODY = 64 * 1024;
/** At most this many of D7's 422 issues are kept, each bounded. */
const MAX_STORED_ISSUES = 20;
/** Deepest nesting of a stored body; deeper values are replaced by a marker. */
const MAX_STORED_DEPTH = 20;

const emptyHistory = (): HistoryDocument => ({ version: HISTORY_SCHEMA_VERSION, entries: [] });

const doc = (entries: HistoryEntry[]): HistoryDocument => ({ version: HISTORY_SCHEMA_VERSION, entries });

export interface AddOptions {
  /** The otp_id a resend created this one from. */
  resendOf?: OtpId;
  /** The `checkedAt` of the row this result repeats (the recorder's decision): counted on that row. */
  repeatOf?: string;
}

/** The number of checks of `entries`. */
export function countChecks(entries: readonly HistoryEntry[]): number {
  let n = 0;
  for (const e of entries) n += e.checks.length;
  return n;
}

export interface ParsedHistory {
  doc: HistoryDocument;
  /** What could not be read, in one sentence; undefined when everything was fine. */
  problem?: Message;
  /** The unreadable part, to be set aside (never silently deleted). */
  rejected?: unknown;
}

/**
 * Reads stored history defensively. Unknown shapes, future versions and invalid entries are never thrown:
 * what is readable is kept (each entry with its readable checks), the rest is returned as `rejected` with a
 * `problem`. A bare array of entries (the pre-versioned layout) is upgraded.
 */
export function parseHistory(raw: unknown): ParsedHistory {
  if (raw === undefined || raw === null) return { doc: emptyHistory() };
  const setAside = (problem: Message): ParsedHistory => ({ doc: emptyHistory(), problem, rejected: raw });
  let items: unknown;
  if (Array.isArray(raw)) items = raw;
  else if (isRecord(raw) && 'version' in raw) {
    if (raw.version !== HISTORY_SCHEMA_VERSION) {
      const newer = typeof raw.version === 'number' && raw.version > HISTORY_SCHEMA_VERSION;
      return setAside(newer ? msg('historyNewer', raw.version as number) : msg('historyUnknownSchema', jsonStart(raw.version)));
    }
    items = raw.entries;
  } else return setAside(msg('historyUnreadable'));
  if (!Array.isArray(items)) return setAside(msg('historyNoList'));
  const good: HistoryEntry[] = [];
  const bad: unknown[] = [];
  const seen = new Set<string>();
  for (const item of items as unknown[]) {
    const read = readEntry(item);
    if (read.entry && !seen.has(otpIdKey(read.entry.otpId))) {
      seen.add(otpIdKey(read.entry.otpId));
      good.push(read.entry);
      if (read.badChecks.length) bad.push({ otpId: read.entry.otpId, checks: read.badChecks.map((b) => b.raw) });
    } else bad.push(item);
  }
  if (!bad.length) return { doc: doc(good) };
  return { doc: doc(good), problem: bad.length === 1 ? msg('historyEntrySetAside') : msg('historyEntriesSetAside', bad.length), rejected: bad };
}

function jsonStart(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 40);
  } catch {
    return '?';
  }
}

/** Records `compactCheck` made: compacting one again changes nothing (records are never changed in place). */
const compacted = new WeakSet<StatusCheck>();

/**
 * A copy of a check fit for storage: long strings cut, nesting bounded, oversized bodies replaced by a cut string,
 * and objects built key by key (a body key `__proto__` stays a plain key, never a prototype).
 */
export function compactCheck<T extends StatusCheck>(check: T): T {
  if (compacted.has(check)) return check; // the recorder's record, compacted once, reaching the store
  const out = { ...check };
  if (out.ok) out.status = cutMarked(out.status, 1024);
  else {
    const { issues, ...error } = out.error;
    out.error = { ...error, message: cutMarked(error.message, 2048), ...(error.code !== undefined ? { code: cutMarked(error.code, 256) } : {}) };
    if (issues) {
      out.error.issues = issues.slice(0, MAX_STORED_ISSUES).map((i) => ({
        loc: i.loc.slice(0, 10).map((p) => (typeof p === 'string' ? cutMarked(p, 64) : p)),
        msg: cutMarked(i.msg, 512),
        type: cutMarked(i.type, 128),
      }));
    }
  }
  if (out.body !== undefined) out.body = fitBody(capValue(out.body, 0), MAX_STORED_BODY - JSON.stringify({ ...out, body: undefined }).length);
  compacted.add(out);
  return out;
}

/** The body as it fits in `room` characters of the stored check: as it is, or its JSON text cut (escapes counted). */
function fitBody(body: unknown, room: number): unknown {
  const serialised = JSON.stringify(body) ?? '';
  if (serialised.length + 8 <= room) return body;
  let keep = Math.max(0, room - 80);
  let cut = cutMarked(serialised, keep);
  // Stored as a string, the JSON text's quotes and backslashes are escaped again: shrink until it fits.
  while (keep > 0 && (JSON.stringify(cut)?.length ?? 0) + 8 > room) {
    keep = Math.floor(keep * 0.75);
    cut = cutMarked(serialised, keep);
  }
  return cut;
}

function capValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cutMarked(value, MAX_STORED_STRING);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_STORED_DEPTH) return '… [nested deeper than 20 levels; not kept]';
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => capValue(v, depth + 1));
  const out: Record<string, unknown> = {};
  let keys = 0;
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (++keys > 1000) break;
    Object.defineProperty(out, cutMarked(key, 256), {
      value: capValue((value as Record<string, unknown>)[key], depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

const CUT_MARK = /… \[\d+ more characters not kept\]$/;

/** `value` cut to `max` characters with a marker saying how much was dropped; a value cut before is left as it is. */
function cutMarked(value: string, max: number): string {
  if (value.length <= max || (value.length <= max + 48 && CUT_MARK.test(value))) return value;
  return `${value.slice(0, max)}… [${value.length - max} more characters not kept]`;
}
