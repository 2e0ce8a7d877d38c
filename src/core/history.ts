/**
 * The history model: pure functions over plain JSON with a schema version. No `vscode` import.
 * Entries are newest first, one per otp_id (compared case-insensitively); each entry's checks are newest first.
 */
import { otpIdKey } from './otpId';
import type { CheckError, HistoryEntry, StatusCheck } from './types';

export const HISTORY_SCHEMA_VERSION = 1;

export interface HistoryDocument {
  version: typeof HISTORY_SCHEMA_VERSION;
  entries: HistoryEntry[];
}

export interface HistoryLimits {
  maxEntries: number;
  maxChecksPerEntry: number;
}

/** Longest string kept from a response body in history; the rest is cut with a marker. */
export const MAX_STORED_STRING = 4096;
/** Largest body kept in history (serialised); a larger one is stored as a cut string. */
export const MAX_STORED_BODY = 64 * 1024;

export function emptyHistory(): HistoryDocument {
  return { version: HISTORY_SCHEMA_VERSION, entries: [] };
}

/** Adds a check at the top: its entry moves first, the check first in it, then the caps apply. */
export function addCheck(
  doc: HistoryDocument,
  check: StatusCheck,
  limits: HistoryLimits,
  extra: { resendOf?: string; coalesce?: boolean } = {},
): HistoryDocument {
  const stored = compactCheck(check);
  const key = otpIdKey(stored.otpId);
  const index = doc.entries.findIndex((e) => otpIdKey(e.otpId) === key);
  const existing = index >= 0 ? doc.entries[index] : undefined;
  const latest = existing?.checks[0];
  if (extra.coalesce && existing && latest && sameOutcome(latest, stored)) {
    // A repeated, unchanged result (a watch polling): count it on the latest row instead of adding one.
    const merged: StatusCheck = {
      ...latest,
      repeat: (latest.repeat ?? 1) + 1,
      lastCheckedAt: stored.checkedAt,
      durationMs: stored.durationMs,
    };
    const entries = doc.entries.slice();
    entries[index] = { ...existing, checks: [merged, ...existing.checks.slice(1)] };
    return { version: HISTORY_SCHEMA_VERSION, entries };
  }
  const entry: HistoryEntry = {
    ...(existing ?? { otpId: stored.otpId }),
    ...(extra.resendOf && !existing?.resendOf ? { resendOf: extra.resendOf } : {}),
    checks: [stored, ...(existing?.checks ?? [])].slice(0, Math.max(1, limits.maxChecksPerEntry)),
  };
  const rest = index >= 0 ? [...doc.entries.slice(0, index), ...doc.entries.slice(index + 1)] : doc.entries;
  return { version: HISTORY_SCHEMA_VERSION, entries: [entry, ...rest].slice(0, Math.max(1, limits.maxEntries)) };
}

/** True when two records say the same thing (same call, same status or same error). */
export function sameOutcome(a: StatusCheck, b: StatusCheck): boolean {
  if ((a.operation ?? 'status') !== (b.operation ?? 'status') || a.ok !== b.ok || a.httpStatus !== b.httpStatus) return false;
  if (a.ok) return (a.status ?? '').toUpperCase() === (b.status ?? '').toUpperCase() && a.profile === b.profile;
  return a.error?.kind === b.error?.kind && a.error?.code === b.error?.code && a.error?.message === b.error?.message;
}

/** Removes an otp_id's entry. */
export function removeEntry(doc: HistoryDocument, otpId: string): HistoryDocument {
  const key = otpIdKey(otpId);
  return { version: HISTORY_SCHEMA_VERSION, entries: doc.entries.filter((e) => otpIdKey(e.otpId) !== key) };
}

/** Sets (or, with an empty string, clears) an entry's label. */
export function setLabel(doc: HistoryDocument, otpId: string, label: string): HistoryDocument {
  const key = otpIdKey(otpId);
  const trimmed = label.trim().slice(0, 200);
  return {
    version: HISTORY_SCHEMA_VERSION,
    entries: doc.entries.map((e) => {
      if (otpIdKey(e.otpId) !== key) return e;
      const { label: _old, ...rest } = e;
      return trimmed ? { ...rest, label: trimmed } : rest;
    }),
  };
}

/** Applies the caps (after a settings change, say). */
export function applyLimits(doc: HistoryDocument, limits: HistoryLimits): HistoryDocument {
  return {
    version: HISTORY_SCHEMA_VERSION,
    entries: doc.entries
      .slice(0, Math.max(1, limits.maxEntries))
      .map((e) => (e.checks.length > limits.maxChecksPerEntry ? { ...e, checks: e.checks.slice(0, Math.max(1, limits.maxChecksPerEntry)) } : e)),
  };
}

/** Finds an entry by otp_id. */
export function findEntry(doc: HistoryDocument, otpId: string): HistoryEntry | undefined {
  const key = otpIdKey(otpId);
  return doc.entries.find((e) => otpIdKey(e.otpId) === key);
}

export interface ParsedHistory {
  doc: HistoryDocument;
  /** What could not be read, in one sentence; undefined when everything was fine. */
  problem?: string;
  /** The unreadable part, to be set aside (never silently deleted). */
  rejected?: unknown;
}

/**
 * Reads stored history defensively. Unknown shapes, future versions and invalid entries are never thrown:
 * what is readable is kept, the rest is returned as `rejected` with a one-sentence `problem`.
 * A bare array of entries (the pre-versioned layout) is upgraded.
 */
export function parseHistory(raw: unknown): ParsedHistory {
  if (raw === undefined || raw === null) return { doc: emptyHistory() };
  let entries: unknown;
  if (Array.isArray(raw)) {
    entries = raw; // pre-versioned layout: upgrade
  } else if (typeof raw === 'object' && 'version' in raw) {
    const version = (raw as { version: unknown }).version;
    if (version !== HISTORY_SCHEMA_VERSION) {
      return {
        doc: emptyHistory(),
        problem:
          typeof version === 'number' && version > HISTORY_SCHEMA_VERSION
            ? `Stored history was written by a newer version (schema ${version}); it was set aside unchanged.`
            : `Stored history has an unknown schema (${printableJson(version)}); it was set aside unchanged.`,
        rejected: raw,
      };
    }
    entries = (raw as { entries?: unknown }).entries;
  } else {
    return { doc: emptyHistory(), problem: 'Stored history is not readable; it was set aside unchanged.', rejected: raw };
  }
  if (!Array.isArray(entries)) {
    return { doc: emptyHistory(), problem: 'Stored history has no list of entries; it was set aside unchanged.', rejected: raw };
  }
  const good: HistoryEntry[] = [];
  const bad: unknown[] = [];
  const seen = new Set<string>();
  for (const item of entries) {
    const entry = toEntry(item);
    if (entry && !seen.has(otpIdKey(entry.otpId))) {
      seen.add(otpIdKey(entry.otpId));
      good.push(entry);
    } else if (!entry) {
      bad.push(item);
    }
  }
  const doc: HistoryDocument = { version: HISTORY_SCHEMA_VERSION, entries: good };
  if (bad.length) {
    return { doc, problem: `${bad.length} stored history entr${bad.length === 1 ? 'y was' : 'ies were'} unreadable and set aside.`, rejected: bad };
  }
  return { doc };
}

function toEntry(item: unknown): HistoryEntry | undefined {
  if (!isRecord(item) || typeof item.otpId !== 'string' || item.otpId === '' || !Array.isArray(item.checks)) return undefined;
  const checks = item.checks.map(toCheck);
  if (checks.length === 0 || checks.some((c) => c === undefined)) return undefined;
  return {
    otpId: item.otpId,
    ...(typeof item.label === 'string' && item.label ? { label: item.label } : {}),
    ...(typeof item.resendOf === 'string' ? { resendOf: item.resendOf } : {}),
    checks: checks as StatusCheck[],
  };
}

function toCheck(item: unknown): StatusCheck | undefined {
  if (!isRecord(item)) return undefined;
  const { otpId, checkedAt, ok, durationMs } = item;
  if (typeof otpId !== 'string' || typeof checkedAt !== 'string' || Number.isNaN(Date.parse(checkedAt))) return undefined;
  if (typeof ok !== 'boolean' || typeof durationMs !== 'number' || !Number.isFinite(durationMs)) return undefined;
  if (item.status !== undefined && typeof item.status !== 'string') return undefined;
  if (item.httpStatus !== undefined && typeof item.httpStatus !== 'number') return undefined;
  if (item.error !== undefined && !isError(item.error)) return undefined;
  if (!ok && item.error === undefined) return undefined;
  return item as unknown as StatusCheck;
}

function isError(value: unknown): value is CheckError {
  return isRecord(value) && typeof value.kind === 'string' && typeof value.message === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function printableJson(value: unknown): string {
  try {
    return String(JSON.stringify(value)).slice(0, 40);
  } catch {
    return '?';
  }
}

/** A copy of a check fit for storage: long strings cut, oversized bodies replaced by a cut string. */
export function compactCheck(check: StatusCheck): StatusCheck {
  const out: StatusCheck = { ...check };
  if (out.status !== undefined) out.status = cut(out.status, 1024);
  if (out.error) out.error = { ...out.error, message: cut(out.error.message, 2048) };
  if (out.body !== undefined) {
    const body = capStrings(out.body, 0);
    const serialised = JSON.stringify(body) ?? '';
    out.body = serialised.length > MAX_STORED_BODY ? cut(serialised, MAX_STORED_BODY) : body;
  }
  return out;
}

function capStrings(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return cut(value, MAX_STORED_STRING);
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.slice(0, 1000).map((v) => capStrings(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value).slice(0, 1000)) out[cut(k, 256)] = capStrings(v, depth + 1);
  return out;
}

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}… [${value.length - max} more characters not kept]` : value;
}
