/**
 * What the agent tools answer: a record or a history entry as plain JSON a model reads easily — status, time, HTTP
 * code and, for a failure, the error's kind, code and message. Records never hold the token, and nothing else is
 * added here. No `vscode` import.
 */
import { operationOf, seenAt, type HistoryEntry, type StatusCheck } from './check';
import { english } from './messages';
import { describeStatus } from './status';
import { buildTimeline, formatTimeline } from './timeline';

export interface CheckOutput {
  otpId: string;
  operation: string;
  ok: boolean;
  status?: string;
  /** True when the status is final (anything but OPEN). */
  terminal?: boolean;
  checkedAt: string;
  httpStatus?: number;
  durationMs: number;
  profile?: string;
  error?: { kind: string; code?: string; message: string };
}

/** One record as the tools answer it. */
export function checkOutput(check: StatusCheck): CheckOutput {
  const out: CheckOutput = {
    otpId: check.otpId,
    operation: operationOf(check),
    ok: check.ok,
    checkedAt: seenAt(check),
    durationMs: Math.round(check.durationMs),
  };
  if (check.ok) {
    out.status = check.status;
    out.terminal = describeStatus(check.status).terminal;
  }
  if (check.httpStatus !== undefined) out.httpStatus = check.httpStatus;
  if (check.profile) out.profile = check.profile;
  if (!check.ok) out.error = { kind: check.error.kind, ...(check.error.code ? { code: check.error.code } : {}), message: check.error.message };
  return out;
}

/** What the history knows of one otp_id: label, resend link, timeline (UTC) and its checks, newest first. */
export function entryOutput(entry: HistoryEntry, maxChecks = 20) {
  const steps = buildTimeline(entry);
  return {
    otpId: entry.otpId,
    ...(entry.label ? { label: entry.label } : {}),
    ...(entry.resendOf ? { resendOf: entry.resendOf } : {}),
    ...(steps.length ? { timeline: formatTimeline(steps, (iso) => `${iso.slice(11, 19)}Z`, english) } : {}),
    checksRecorded: entry.checks.length,
    checks: entry.checks.slice(0, maxChecks).map(checkOutput),
  };
}

/** A one-line summary of an entry for a list: its latest record. */
export function entryLine(entry: HistoryEntry) {
  const latest = entry.checks[0];
  return { otpId: entry.otpId, ...(entry.label ? { label: entry.label } : {}), latest: latest ? checkOutput(latest) : undefined };
}
