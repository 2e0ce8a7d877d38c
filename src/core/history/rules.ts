/**
 * The one rule set for a check or an entry that comes from storage or an import file: every field checked for its
 * type, the record rebuilt from the fields that passed (nothing else of the input survives), or the reason it was
 * refused. No `vscode` import.
 */
import { ERROR_KINDS, OPERATIONS, type CheckError, type ErrorKind, type FiledCheck, type HistoryEntry, type Operation, type ValidationIssue } from '../check';
import { Limits } from '../defaults';
import { isRecord } from '../json';
import { MESSAGES, msg, type Message, type MessageId } from '../messages';
import { readOtpId, sameOtpId, type OtpId } from '../otpId';

export type Read<T> = { ok: true; value: T } | { ok: false; why: Message };

const refuse = (why: Message): { ok: false; why: Message } => ({ ok: false, why });
const invalid = (field: string, expected: MessageId) => refuse(msg('fieldInvalid', field, msg(expected)));

const isDate = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;
const isHttpStatus = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599;
const isDuration = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Optional fields: absent, or of this type. */
const OPTIONAL: [string, (v: unknown) => boolean, MessageId][] = [
  ['httpStatus', isHttpStatus, 'expectHttpStatus'],
  ['bodyTruncated', (v) => typeof v === 'boolean', 'expectBoolean'],
  ['operation', (v) => OPERATIONS.includes(v as Operation), 'expectOperation'],
  ['profile', (v) => typeof v === 'string' && v.length >= 1 && v.length <= 40, 'expectProfile'],
  ['repeat', isCount, 'expectCount'],
  ['lastCheckedAt', isDate, 'expectDate'],
  ['attempts', isCount, 'expectCount'],
];

/** A check as stored: `entryId`, when given, is the otp_id of the entry it must belong to. */
export function readCheck(raw: unknown, entryId?: OtpId): Read<FiledCheck> {
  if (!isRecord(raw)) return refuse(msg('notAnObject'));
  const otpId = readOtpId(raw.otpId);
  if (!otpId) return invalid('otpId', 'expectUuid');
  if (entryId && !sameOtpId(otpId, entryId)) return refuse(msg('otherOtpId', entryId));
  if (!isDate(raw.checkedAt)) return invalid('checkedAt', 'expectDate');
  if (typeof raw.ok !== 'boolean') return invalid('ok', 'expectBoolean');
  if (!isDuration(raw.durationMs)) return invalid('durationMs', 'expectNumber');
  const fields: Record<string, unknown> = { otpId, checkedAt: raw.checkedAt, durationMs: raw.durationMs };
  for (const [name, test, expected] of OPTIONAL) {
    if (raw[name] === undefined) continue;
    if (!test(raw[name])) return invalid(name, expected);
    fields[name] = raw[name];
  }
  if (raw.body !== undefined) fields.body = raw.body;
  if (raw.ok) {
    // A successful resend recorded on its original by version 0.1 has no status: D7's answer still names it.
    const status = raw.status ?? (isRecord(raw.body) ? raw.body.status : undefined);
    if (status === undefined) return refuse(msg('okWithoutStatus'));
    if (typeof status !== 'string') return invalid('status', 'expectText');
    return { ok: true, value: { ...fields, ok: true, status } as FiledCheck };
  }
  if (raw.error === undefined) return refuse(msg('failedWithoutError'));
  const error = readError(raw.error);
  if (!error.ok) return error;
  return { ok: true, value: { ...fields, ok: false, error: error.value } as FiledCheck };
}

function readError(raw: unknown): Read<CheckError> {
  if (!isRecord(raw)) return invalid('error', 'expectObject');
  if (!ERROR_KINDS.includes(raw.kind as ErrorKind)) return invalid('error.kind', 'expectKind');
  if (typeof raw.message !== 'string') return invalid('error.message', 'expectText');
  if (raw.code !== undefined && typeof raw.code !== 'string') return invalid('error.code', 'expectText');
  if (raw.retryAfterSeconds !== undefined && !isDuration(raw.retryAfterSeconds)) return invalid('error.retryAfterSeconds', 'expectNumber');
  if (raw.issues !== undefined && !(Array.isArray(raw.issues) && raw.issues.every(isIssue))) return invalid('error.issues', 'expectIssues');
  const messageId =
    typeof raw.messageId === 'string' && Object.prototype.hasOwnProperty.call(MESSAGES, raw.messageId) ? (raw.messageId as MessageId) : undefined;
  return {
    ok: true,
    value: {
      kind: raw.kind as ErrorKind,
      ...(raw.code !== undefined ? { code: raw.code } : {}),
      message: raw.message,
      ...(messageId ? { messageId } : {}),
      ...(raw.issues !== undefined ? { issues: (raw.issues as ValidationIssue[]).map((i) => ({ loc: [...i.loc], msg: i.msg, type: i.type })) } : {}),
      ...(raw.retryAfterSeconds !== undefined ? { retryAfterSeconds: raw.retryAfterSeconds as number } : {}),
    },
  };
}

function isIssue(value: unknown): value is ValidationIssue {
  return (
    isRecord(value) &&
    Array.isArray(value.loc) &&
    value.loc.every((p) => typeof p === 'string' || typeof p === 'number') &&
    typeof value.msg === 'string' &&
    typeof value.type === 'string'
  );
}

/** An entry, its good checks kept and each bad one listed with why (by its index in the input). */
export interface ReadEntry {
  entry?: HistoryEntry;
  /** Why the entry as a whole was refused. */
  why?: Message;
  badChecks: { index: number; raw: unknown; why: Message }[];
}

export function readEntry(raw: unknown): ReadEntry {
  const badChecks: ReadEntry['badChecks'] = [];
  if (!isRecord(raw)) return { why: msg('notAnObject'), badChecks };
  const otpId = readOtpId(raw.otpId);
  if (!otpId) return { why: msg('fieldInvalid', 'otpId', msg('expectUuid')), badChecks };
  if (!Array.isArray(raw.checks) || raw.checks.length === 0) return { why: msg('noChecks'), badChecks };
  const checks: FiledCheck[] = [];
  raw.checks.forEach((item: unknown, index) => {
    const read = readCheck(item, otpId);
    if (read.ok) checks.push(read.value);
    else badChecks.push({ index, raw: item, why: read.why });
  });
  if (checks.length === 0) return { badChecks };
  const label = typeof raw.label === 'string' ? raw.label.trim().slice(0, Limits.maxLabel) : '';
  const resendOf = readOtpId(raw.resendOf);
  return { entry: { otpId, ...(label ? { label } : {}), ...(resendOf ? { resendOf } : {}), checks }, badChecks };
}
