/**
 * An entry's timeline: its status transitions, oldest first, with the time between them.
 * "OPEN 10:01:03 → APPROVED 10:01:40 (37 s)". No `vscode` import.
 */
import type { HistoryEntry, StatusCheck } from './types';

export interface TimelineStep {
  /** The status (upper-cased when known), or the refusal code of a verify/resend ("INVALID_OTP_CODE"). */
  label: string;
  /** When this state was first seen (ISO). */
  at: string;
  /** When it was last seen (ISO); equals `at` when seen once. */
  lastAt: string;
  /** How many records this step stands for. */
  count: number;
  /** Milliseconds since the previous step began (absent for the first). */
  sinceMs?: number;
  operation?: StatusCheck['operation'];
}

/** The label a record contributes to the timeline, or undefined when it says nothing about the OTP's state. */
export function timelineLabel(check: StatusCheck): string | undefined {
  if (check.ok && check.status !== undefined) {
    const status = check.status.trim();
    return /^[a-z_]+$/i.test(status) ? status.toUpperCase() : status;
  }
  if (check.operation === 'verify' || check.operation === 'resend') {
    return check.error?.code ?? (check.operation === 'resend' ? 'RESEND_REFUSED' : 'VERIFY_REFUSED');
  }
  if (check.error?.kind === 'not-found') return check.error.code ?? 'NOT_FOUND';
  return undefined; // a failed lookup (network, timeout…) does not change what we know
}

/** Builds the timeline of an entry: consecutive records with the same label are merged. */
export function buildTimeline(entry: HistoryEntry): TimelineStep[] {
  const steps: TimelineStep[] = [];
  for (const check of [...entry.checks].reverse()) {
    const label = timelineLabel(check);
    if (label === undefined) continue;
    const last = steps[steps.length - 1];
    const seen = check.lastCheckedAt ?? check.checkedAt;
    if (last && last.label === label && check.operation !== 'verify') {
      last.lastAt = seen;
      last.count += check.repeat ?? 1;
      continue;
    }
    const step: TimelineStep = { label, at: check.checkedAt, lastAt: seen, count: check.repeat ?? 1 };
    if (check.operation) step.operation = check.operation;
    if (last) step.sinceMs = Date.parse(check.checkedAt) - Date.parse(last.at);
    steps.push(step);
  }
  return steps;
}

/** "37 s", "4 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** One line: "OPEN 10:01:03 → APPROVED 10:01:40 (37 s)". */
export function formatTimeline(steps: TimelineStep[], time: (iso: string) => string): string {
  return steps
    .map((s) => `${s.label} ${time(s.at)}${s.sinceMs !== undefined ? ` (${formatDuration(s.sinceMs)})` : ''}`)
    .join(' → ');
}
