/**
 * Stored history that cannot be read as it is: what the history store must set aside (never delete) while keeping
 * the readable part. Pure data (no `vscode`, no npm package). scripts/reliability-figures.js counts them.
 */

const HISTORY_SCHEMA_VERSION = 1;

/** otp_ids of these cases. */
export function storedId(n: number): string {
  return `0000abcd-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/** A valid stored check. */
function storedCheck(n: number, status = 'OPEN'): Record<string, unknown> {
  return { otpId: storedId(n), checkedAt: '2025-01-01T00:00:00.000Z', ok: true, status, httpStatus: 200, durationMs: 1, body: { status } };
}

/** A valid stored entry of one check. */
export function storedEntry(n: number): Record<string, unknown> {
  return { otpId: storedId(n), checks: [storedCheck(n)] };
}

const withBadCheck = (check: Record<string, unknown>) => ({ version: 1, entries: [storedEntry(1), { otpId: storedId(2), checks: [check] }] });

/** `[what, stored value, readable entries, warning]`. */
export const UNREADABLE_STORED_HISTORY: readonly (readonly [string, unknown, number, RegExp])[] = [
  ['truncated JSON text (a string)', '{"version":1,"entries":[{"otpId":"0000abcd-0000-4000-8000-00', 0, /not readable/],
  ['a number', 42, 0, /not readable/],
  ['a boolean', true, 0, /not readable/],
  ['an object without a version', { entries: [storedEntry(1)] }, 0, /not readable/],
  ['entries that are not a list', { version: 1, entries: 'x' }, 0, /no list of entries/],
  ['no entries at all', { version: 1 }, 0, /no list of entries/],
  ['a future version', { version: HISTORY_SCHEMA_VERSION + 1, entries: [storedEntry(1)], extra: 'new field' }, 0, /newer version \(schema 2\)/],
  ['an unknown version', { version: 'one', entries: [storedEntry(1)] }, 0, /unknown schema \("one"\)/],
  ['a version 0', { version: 0, entries: [storedEntry(1)] }, 0, /unknown schema \(0\)/],
  [
    'some garbage entries among good ones',
    { version: 1, entries: [storedEntry(1), 'garbage', null, 7, storedEntry(2), { otpId: 5 }] },
    2,
    /4 stored history entries/,
  ],
  ['an entry cut off mid-write (a check without fields)', withBadCheck({ otpId: storedId(2), checkedAt: '2025-01-01T00:00:00Z' }), 1, /1 stored history entry/],
  ['an entry without checks', { version: 1, entries: [storedEntry(1), { otpId: storedId(2), checks: [] }] }, 1, /1 stored history entry/],
  ['a check with an invalid date', withBadCheck({ ...storedCheck(2), checkedAt: 'yesterday' }), 1, /1 stored history entry/],
  ['a check with a non-string status', withBadCheck({ ...storedCheck(2), status: { x: 1 } }), 1, /1 stored history entry/],
  ['a failed check without an error', withBadCheck({ ...storedCheck(2), ok: false }), 1, /1 stored history entry/],
  ['a durationMs that is not finite', withBadCheck({ ...storedCheck(2), durationMs: null }), 1, /1 stored history entry/],
];
