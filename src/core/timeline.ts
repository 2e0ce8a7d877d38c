/**
 * An entry's timeline: its status transitions, oldest first, with the time between them.
 * "OPEN 10:01:03 → APPROVED 10:01:40 (37 s)". No `vscode` import.
 */
import type { HistoryEntry, StatusCheck } from './check';
import { seenAt } from './check';
import { msg, type Message, type Wording } from './messages';
import { describeStatus, statusKey } from './status';

export interface TimelineStep {
  /** The status (in capitals when known, raw otherwise), or the refusal code of a verify/resend ("INVALID_OTP_CODE"). */
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
  if (check.ok) return describeStatus(check.status).text.trim();
  if (check.operation === 'verify' || check.operation === 'resend') {
    return check.error.code ?? (check.operation === 'resend' ? 'RESEND_REFUSED' : 'VERIFY_REFUSED');
  }
  if (check.error.kind === 'not-found') return check.error.code ?? 'NOT_FOUND';
  return undefined; // a failed lookup (network, timeout…) does not change what we know
}

/** Builds the timeline of an entry: consecutive records with the same label are merged (every verify is a step). */
export function buildTimeline(entry: HistoryEntry): TimelineStep[] {
  const steps: TimelineStep[] = [];
  for (let i = entry.checks.length - 1; i >= 0; i--) {
    const check = entry.checks[i];
    const label = timelineLabel(check);
    if (label === undefined) continue;
    const last = steps[steps.length - 1];
    if (last && statusKey(last.label) === statusKey(label) && check.operation !== 'verify') {
      last.lastAt = seenAt(check);
      last.count += check.repeat ?? 1;
      continue;
    }
    const step: TimelineStep = { label, at: check.checkedAt, lastAt: seenAt(check), count: check.repeat ?? 1 };
    if (check.operation) step.operation = check.operation;
    if (last) step.sinceMs = Date.parse(check.checkedAt) - Date.parse(last.at);
    steps.push(step);
  }
  return steps;
}

/** "37 s", "4 min 5 s", "2 h 3 min". */
export function formatDuration(ms: number): Message {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return msg('seconds', seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? msg('minutesSeconds', minutes, seconds % 60) : msg('minutes', minutes);
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? msg('hoursMinutes', hours, minutes % 60) : msg('hours', hours);
}

/** One line: "OPEN 10:01:03 → APPROVED 10:01:40 (37 s)". */
export function formatTimeline(steps: TimelineStep[], time: (iso: string) => string, word: Wording): string {
  return steps.map((s) => `${s.label} ${time(s.at)}${s.sinceMs !== undefined ? ` (${word(formatDuration(s.sinceMs))})` : ''}`).join(' → ');
}
