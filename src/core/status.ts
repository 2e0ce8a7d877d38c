/** What a D7 `status` value means to a person. `status` is an open string: unknown values are shown raw. */

export type StatusTone = 'waiting' | 'success' | 'warning' | 'error' | 'unknown';

export interface StatusInfo {
  /** True for a value this version knows. */
  known: boolean;
  /** Short human label: "Approved", or "unknown: <raw>" for a value we do not know. */
  label: string;
  tone: StatusTone;
  /** OPEN is the only non-terminal value known; anything else ends a watch. */
  terminal: boolean;
}

const KNOWN: Record<string, Omit<StatusInfo, 'known'>> = {
  OPEN: { label: 'Open (waiting)', tone: 'waiting', terminal: false },
  APPROVED: { label: 'Approved', tone: 'success', terminal: true },
  ALREADY_VERIFIED: { label: 'Already verified', tone: 'success', terminal: true },
  EXPIRED: { label: 'Expired', tone: 'warning', terminal: true },
  FAILED: { label: 'Failed', tone: 'error', terminal: true },
};

/** Classifies a raw status value (case-insensitive). */
export function describeStatus(status: string): StatusInfo {
  const known = KNOWN[status.trim().toUpperCase()];
  if (known) return { known: true, ...known };
  return { known: false, label: `unknown: ${status}`, tone: 'unknown', terminal: true };
}
