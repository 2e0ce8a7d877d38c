/** Reading the optional argument every command accepts: an otp_id string, a tree node, or `{ otpId }`. */
import type { HistoryEntry, StatusCheck } from '../core/types';

export function otpIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const value = arg as { otpId?: unknown; entry?: HistoryEntry };
    if (value.entry && typeof value.entry.otpId === 'string') return value.entry.otpId;
    if (typeof value.otpId === 'string') return value.otpId;
  }
  return undefined;
}

/** The check a tree node stands for (a check node's own, an entry node's latest). */
export function checkFromArg(arg: unknown): StatusCheck | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const value = arg as { check?: StatusCheck; entry?: HistoryEntry };
  return value.check ?? value.entry?.checks[0];
}
