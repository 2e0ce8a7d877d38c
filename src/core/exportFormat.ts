/**
 * History export (JSON, CSV) and import (validated, merged). No `vscode` import.
 * The JSON export is the stored history document plus a format marker, so an export imports back unchanged.
 */
import { applyLimits, compactCheck, HISTORY_SCHEMA_VERSION, parseHistory, type HistoryDocument, type HistoryLimits } from './history';
import { isUuid, otpIdKey, printable } from './otpId';
import type { HistoryEntry, StatusCheck } from './types';

export const EXPORT_FORMAT = 'd7otp-history';
/** Longest label kept (as in `setLabel`). */
const MAX_LABEL = 200;

export interface HistoryExport {
  format: typeof EXPORT_FORMAT;
  version: typeof HISTORY_SCHEMA_VERSION;
  exportedAt: string;
  entries: HistoryEntry[];
}

/** The JSON export of `entries`, pretty-printed. */
export function toExportJson(entries: readonly HistoryEntry[], now = new Date()): string {
  const doc: HistoryExport = { format: EXPORT_FORMAT, version: HISTORY_SCHEMA_VERSION, exportedAt: now.toISOString(), entries: [...entries] };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The CSV header, one column per field of a check. */
export const CSV_COLUMNS = [
  'otp_id',
  'label',
  'resend_of',
  'checked_at',
  'last_checked_at',
  'repeat',
  'operation',
  'profile',
  'ok',
  'status',
  'http_status',
  'duration_ms',
  'attempts',
  'error_kind',
  'error_code',
  'error_message',
  'retry_after_seconds',
  'body',
] as const;

/** The CSV export: a header, then one row per check (entries newest first, checks newest first), CRLF line ends. */
export function toCsv(entries: readonly HistoryEntry[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    for (const check of entry.checks) lines.push(csvRow(entry, check).map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvRow(entry: HistoryEntry, check: StatusCheck): unknown[] {
  return [
    entry.otpId,
    entry.label,
    entry.resendOf,
    check.checkedAt,
    check.lastCheckedAt,
    check.repeat,
    check.operation ?? 'status',
    check.profile,
    check.ok,
    check.status,
    check.httpStatus,
    check.durationMs,
    check.attempts,
    check.error?.kind,
    check.error?.code,
    check.error?.message,
    check.error?.retryAfterSeconds,
    check.body === undefined ? undefined : typeof check.body === 'string' ? check.body : JSON.stringify(check.body),
  ];
}

/**
 * One CSV cell. Numbers and booleans are written as they are; text gets the formula-injection guard (a leading
 * `'` before = + - @ tab or CR, so a spreadsheet shows it as text) and RFC 4180 quoting when it holds a comma,
 * semicolon, quote, line break or surrounding space.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = guardFormula(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  return /[",;\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Prefixes `'` to text a spreadsheet would otherwise run as a formula. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

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
 * Merges `incoming` into `current`: entries matched by otp_id (case-insensitively), checks deduplicated by
 * otp_id + checkedAt (the current one wins), an existing label kept (an imported one fills a missing label).
 * Entries end newest first by their latest check, checks newest first; then the caps apply, and what they drop
 * is counted.
 */
export function mergeHistory(current: HistoryDocument, incoming: readonly HistoryEntry[], limits?: HistoryLimits): MergeResult {
  const stats: MergeStats = { addedEntries: 0, addedChecks: 0, duplicates: 0, droppedByLimits: 0 };
  const byKey = new Map<string, HistoryEntry>();
  for (const entry of current.entries) byKey.set(otpIdKey(entry.otpId), { ...entry, checks: [...entry.checks] });
  for (const entry of incoming) {
    const key = otpIdKey(entry.otpId);
    let target = byKey.get(key);
    if (!target) {
      target = { otpId: entry.otpId, checks: [] };
      byKey.set(key, target);
      stats.addedEntries++;
    }
    if (!target.label && entry.label) target.label = entry.label;
    if (!target.resendOf && entry.resendOf) target.resendOf = entry.resendOf;
    const seen = new Set(target.checks.map(checkKey));
    for (const check of entry.checks) {
      const k = checkKey(check);
      if (seen.has(k)) {
        stats.duplicates++;
        continue;
      }
      seen.add(k);
      target.checks.push(check);
      stats.addedChecks++;
    }
  }
  const entries = [...byKey.values()].filter((e) => e.checks.length > 0);
  for (const entry of entries) entry.checks = stableSortDesc(entry.checks, (c) => time(c.checkedAt));
  const sorted = stableSortDesc(entries, (e) => Math.max(...e.checks.map((c) => time(c.lastCheckedAt ?? c.checkedAt))));
  let doc: HistoryDocument = { version: HISTORY_SCHEMA_VERSION, entries: sorted };
  if (limits) {
    const before = countChecks(doc.entries);
    doc = applyLimits(doc, limits);
    stats.droppedByLimits = before - countChecks(doc.entries);
  }
  return { doc, ...stats };
}

function checkKey(check: StatusCheck): string {
  const t = Date.parse(check.checkedAt);
  return Number.isNaN(t) ? check.checkedAt : String(t);
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

function stableSortDesc<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item, index) => ({ item, index, k: key(item) }))
    .sort((a, b) => b.k - a.k || a.index - b.index)
    .map((x) => x.item);
}

function countChecks(entries: readonly HistoryEntry[]): number {
  return entries.reduce((n, e) => n + e.checks.length, 0);
}

export type ParsedImport =
  | { ok: false; message: string }
  | {
      ok: true;
      /** Every readable entry, with only its readable checks (an otp_id may appear more than once). */
      entries: HistoryEntry[];
      /** Readable checks. */
      checks: number;
      /** Unreadable rows skipped: a check, or an entry that could not be read at all. */
      badRows: number;
      /** Why the first bad row was skipped, in one sentence. */
      firstProblem?: string;
    };

/**
 * Reads an exported history file (or a bare array of entries). Each entry and each check is validated with the
 * history model's own `parseHistory`; a bad check is skipped without losing the good checks of its entry, and
 * a bad entry without losing the others. Only the document as a whole can make the import fail.
 */
export function parseImport(text: string): ParsedImport {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, message: `The file is not JSON (${printable(error instanceof Error ? error.message : String(error), 120)}). Import reads the JSON export.` };
  }
  let items: unknown[];
  if (Array.isArray(raw)) {
    items = raw;
  } else if (isRecord(raw)) {
    if (raw.version !== HISTORY_SCHEMA_VERSION) {
      const version = raw.version;
      return {
        ok: false,
        message:
          typeof version === 'number' && version > HISTORY_SCHEMA_VERSION
            ? `The file was written by a newer version (schema ${version}); update the extension to import it.`
            : `The file is not a D7 OTP history export (schema version ${printable(String(JSON.stringify(version) ?? 'missing'), 20)}).`,
      };
    }
    if (!Array.isArray(raw.entries)) return { ok: false, message: 'The file has no list of entries.' };
    items = raw.entries;
  } else {
    return { ok: false, message: 'The file is not a D7 OTP history export.' };
  }

  const entries: HistoryEntry[] = [];
  let checks = 0;
  let badRows = 0;
  let firstProblem: string | undefined;
  const bad = (where: string, why: string) => {
    badRows++;
    firstProblem ??= `${where}: ${why}`;
  };
  items.forEach((item, i) => {
    const where = `entry ${i + 1}`;
    if (!isRecord(item)) return bad(where, 'not an object');
    if (typeof item.otpId !== 'string' || !isUuid(item.otpId)) return bad(where, 'otpId is missing or not a UUID');
    if (!Array.isArray(item.checks) || item.checks.length === 0) return bad(`${where} (${item.otpId})`, 'no list of checks');
    const otpId = item.otpId;
    const good: StatusCheck[] = [];
    item.checks.forEach((check: unknown, j) => {
      const at = `${where} (${otpId}), check ${j + 1}`;
      const parsed = parseHistory({ version: HISTORY_SCHEMA_VERSION, entries: [{ otpId, checks: [check] }] });
      const accepted = parsed.doc.entries[0]?.checks[0];
      if (!accepted) return bad(at, whyBadCheck(check));
      if (otpIdKey(accepted.otpId) !== otpIdKey(otpId)) return bad(at, `its otpId is not ${otpId}`);
      good.push(compactCheck(accepted));
    });
    if (good.length === 0) return;
    checks += good.length;
    entries.push({
      otpId,
      ...(typeof item.label === 'string' && item.label.trim() ? { label: item.label.trim().slice(0, MAX_LABEL) } : {}),
      ...(typeof item.resendOf === 'string' && isUuid(item.resendOf) ? { resendOf: item.resendOf } : {}),
      checks: good,
    });
  });
  return { ok: true, entries, checks, badRows, ...(firstProblem ? { firstProblem } : {}) };
}

/** Why `parseHistory` refused a check, in words (the same rules, in the same order). */
function whyBadCheck(check: unknown): string {
  if (!isRecord(check)) return 'not an object';
  if (typeof check.otpId !== 'string') return 'otpId is missing';
  if (typeof check.checkedAt !== 'string' || Number.isNaN(Date.parse(check.checkedAt))) return 'checkedAt is missing or not a date';
  if (typeof check.ok !== 'boolean') return 'ok is not true or false';
  if (typeof check.durationMs !== 'number' || !Number.isFinite(check.durationMs)) return 'durationMs is not a number';
  if (check.status !== undefined && typeof check.status !== 'string') return 'status is not text';
  if (check.httpStatus !== undefined && typeof check.httpStatus !== 'number') return 'httpStatus is not a number';
  if (check.error !== undefined) return 'error has no kind or message';
  return 'a failed check without an error';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}
