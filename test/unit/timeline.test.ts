import * as assert from 'node:assert/strict';
import { addCheck, emptyHistory } from '../../src/core/history';
import { buildTimeline, formatDuration, formatTimeline } from '../../src/core/timeline';
import type { StatusCheck } from '../../src/core/types';

const ID = '8d963dbf-d655-4fe6-9157-48885a036050';
const limits = { maxEntries: 10, maxChecksPerEntry: 50 };
const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 10, 1, s)).toISOString();
const ok = (s: number, status: string, extra: Partial<StatusCheck> = {}): StatusCheck => ({ otpId: ID, checkedAt: at(s), ok: true, status, httpStatus: 200, durationMs: 5, ...extra });

describe('timeline', () => {
  it('merges repeats and measures the time between transitions', () => {
    let doc = emptyHistory();
    for (const c of [ok(3, 'OPEN'), ok(8, 'OPEN'), ok(13, 'open'), ok(40, 'APPROVED')]) doc = addCheck(doc, c, limits, { coalesce: true });
    const entry = doc.entries[0];
    assert.equal(entry.checks.length, 2, 'unchanged polls are counted, not added');
    assert.equal(entry.checks[1].repeat, 3);
    assert.equal(entry.checks[1].lastCheckedAt, at(13));
    const steps = buildTimeline(entry);
    assert.deepEqual(steps.map((s) => [s.label, s.count, s.sinceMs]), [['OPEN', 3, undefined], ['APPROVED', 1, 37_000]]);
    assert.equal(formatTimeline(steps, (iso) => iso.slice(11, 19)), 'OPEN 10:01:03 → APPROVED 10:01:40 (37 s)');
  });

  it('shows verify refusals and skips failed lookups', () => {
    let doc = emptyHistory();
    const checks: StatusCheck[] = [
      ok(0, 'OPEN', { operation: 'send' }),
      { otpId: ID, checkedAt: at(5), ok: false, durationMs: 1, error: { kind: 'network', message: 'x' } },
      { otpId: ID, checkedAt: at(10), ok: false, httpStatus: 400, durationMs: 1, operation: 'verify', error: { kind: 'validation', code: 'INVALID_OTP_CODE', message: 'x' } },
      ok(20, 'APPROVED', { operation: 'verify' }),
    ];
    for (const c of checks) doc = addCheck(doc, c, limits);
    assert.deepEqual(buildTimeline(doc.entries[0]).map((s) => s.label), ['OPEN', 'INVALID_OTP_CODE', 'APPROVED']);
  });

  it('formats durations', () => {
    assert.equal(formatDuration(37_000), '37 s');
    assert.equal(formatDuration(245_000), '4 min 5 s');
    assert.equal(formatDuration(7_380_000), '2 h 3 min');
  });
});
