/**
 * History export (JSON, CSV) and import (validated by the one rule set). No `vscode` import.
 * The JSON export is the stored history document plus a format marker, so an export imports back unchanged.
 */
import type { FiledCheck, HistoryEntry } from '../check';
import { isRecord } from '../json';
import { msg, type Message } from '../messages';
import { maskedCheck } from '../recipient';
import { inert } from '../text';
import { compactCheck, HISTORY_SCHEMA_VERSION } from './model';
import { readEntry } from './rules';

export const EXPORT_FORMAT = 'd7otp-history';

/** Whether an export's phone numbers are masked (`+97150•••4567`, the default) or shown in full; the export says which. */
export type Recipients = 'masked' | 'shown';

interface HistoryExport {
  format: typeof EXPORT_FORMAT;
  version: typeof HISTORY_SCHEMA_VERSION;
  exportedAt: string;
  recipients: Recipients;
  entries: HistoryEntry[];
}

/** The JSON export of `entries`, pretty-printed, phone numbers masked unless `recipients` is `shown`. */
export function toExportJson(entries: readonly HistoryEntry[], now = new Date(), recipients: Recipients = 'masked'): string {
  const doc: HistoryExport = {
    format: EXPORT_FORMAT,
    version: HISTORY_SCHEMA_VERSION,
    exportedAt: now.toISOString(),
    recipients,
    entries: recipients === 'shown' ? [...entries] : entries.map(maskedEntry),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function maskedEntry(entry: HistoryEntry): HistoryEntry {
  return { ...entry, checks: entry.checks.map((check) => maskedCheck(check)) };
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
  'recipients',
] as const;

/**
 * The CSV export: a header, then one row per check (entries newest first, checks newest first), CRLF line ends.
 * Phone numbers are masked unless `recipients` is `shown`; the last column of every row says which.
 */
export function toCsv(entries: readonly HistoryEntry[], recipients: Recipients = 'masked'): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const entry of entries) {
    for (const check of entry.checks) {
      lines.push([...csvRow(entry, recipients === 'shown' ? check : maskedCheck(check)), recipients].map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}

function csvRow(entry: HistoryEntry, check: FiledCheck): unknown[] {
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
    check.body, // csvCell writes text as it is and anything else as JSON
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
  const text = guardFormula(typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value)));
  return /[",;\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Prefixes `'` to text a spreadsheet would otherwise run as a formula. */
export function guardFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

export type ParsedImport =
  | { ok: false; message: Message }
  | {
      ok: true;
      /** Every readable entry, with only its readable checks (an otp_id may appear more than once). */
      entries: HistoryEntry[];
      /** Readable checks. */
      checks: number;
      /** Unreadable rows skipped: a check, or an entry that could not be read at all. */
      badRows: number;
      /** Why the first bad row was skipped. */
      firstProblem?: Message;
      /** Rows (checks) after the first `MAX_IMPORT_CHECKS` of the file, not read. */
      notRead: number;
    };

/** The most checks one import reads (the rest of the file is counted, not read): an import never holds the host up for long. */
export const MAX_IMPORT_CHECKS = 100_000;

/**
 * Reads an exported history file (or a bare array of entries). Each entry and each check goes through the one rule
 * set (`readEntry`); a bad check is skipped without losing the good checks of its entry, and a bad entry without
 * losing the others. Only the document as a whole can make the import fail. At most `maxChecks` rows are read.
 */
export async function parseImport(text: string, maxChecks = MAX_IMPORT_CHECKS): Promise<ParsedImport> {
  const items = importItems(text);
  if (!Array.isArray(items)) return items;
  const entries: HistoryEntry[] = [];
  let checks = 0;
  let badRows = 0;
  let notRead = 0;
  let rows = 0;
  let firstProblem: Message | undefined;
  const bad = (where: Message, why: Message) => {
    badRows++;
    firstProblem ??= msg('rowProblem', where, why);
  };
  for (let i = 0; i < items.length; i++) {
    if (i % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve)); // a large file never holds the host up
    const item = items[i];
    const room = maxChecks - rows;
    if (room <= 0) {
      notRead += isRecord(item) && Array.isArray(item.checks) ? Math.max(1, item.checks.length) : 1;
      continue;
    }
    const capped = isRecord(item) && Array.isArray(item.checks) && item.checks.length > room ? { ...item, checks: item.checks.slice(0, room) } : item;
    if (capped !== item) notRead += (item as { checks: unknown[] }).checks.length - room;
    const read = readEntry(capped);
    const id = isRecord(item) && typeof item.otpId === 'string' ? inert(item.otpId, 40) : '';
    if (!read.entry && read.why) {
      bad(id && read.why.id === 'noChecks' ? msg('atEntryId', i + 1, id) : msg('atEntry', i + 1), read.why);
      continue;
    }
    for (const b of read.badChecks) bad(msg('atCheck', i + 1, id, b.index + 1), b.why);
    rows += read.badChecks.length + (read.entry?.checks.length ?? 0);
    if (!read.entry) continue;
    checks += read.entry.checks.length;
    entries.push({ ...read.entry, checks: read.entry.checks.map(compactCheck) });
  }
  return { ok: true, entries, checks, badRows, notRead, ...(firstProblem ? { firstProblem } : {}) };
}

/** The list of entries in an import file, or why there is none. */
function importItems(text: string): unknown[] | { ok: false; message: Message } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { ok: false, message: msg('importNotJson', inert(error instanceof Error ? error.message : String(error), 120)) };
  }
  if (Array.isArray(raw)) return raw;
  if (!isRecord(raw)) return { ok: false, message: msg('importNotExport') };
  if (raw.version !== HISTORY_SCHEMA_VERSION) {
    const version = raw.version;
    if (typeof version === 'number' && version > HISTORY_SCHEMA_VERSION) return { ok: false, message: msg('importNewer', version) };
    return { ok: false, message: msg('importWrongVersion', inert(String(JSON.stringify(version) ?? 'missing'), 20)) };
  }
  if (!Array.isArray(raw.entries)) return { ok: false, message: msg('importNoList') };
  return raw.entries;
}
