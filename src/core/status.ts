/**
 * What a D7 `status` means. `status` is an open string: the raw value is kept and shown; `statusKey` is the one
 * rule for comparing two statuses. No `vscode` import.
 */

export type StatusTone = 'waiting' | 'success' | 'warning' | 'error' | 'unknown';

export interface StatusInfo {
  /** True for a value this version knows. */
  known: boolean;
  /** What the tree and messages show: the known value in capitals, or the raw value of an unknown one. */
  text: string;
  tone: StatusTone;
  /** OPEN is the only non-terminal value known; anything else ends a watch. */
  terminal: boolean;
}

const KNOWN: Record<string, { tone: StatusTone; terminal: boolean }> = {
  OPEN: { tone: 'waiting', terminal: false },
  APPROVED: { tone: 'success', terminal: true },
  ALREADY_VERIFIED: { tone: 'success', terminal: true },
  EXPIRED: { tone: 'warning', terminal: true },
  FAILED: { tone: 'error', terminal: true },
};

/** The form two statuses are compared in: D7's values are case-insensitive and may carry stray whitespace. */
export function statusKey(status: string): string {
  return status.trim().toUpperCase();
}

export function sameStatus(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && statusKey(a) === statusKey(b);
}

/** Classifies a raw status value. */
export function describeStatus(status: string): StatusInfo {
  const key = statusKey(status);
  const known = Object.prototype.hasOwnProperty.call(KNOWN, key) ? KNOWN[key] : undefined;
  if (known) return { known: true, text: key, ...known };
  return { known: false, text: status, tone: 'unknown', terminal: true };
}
