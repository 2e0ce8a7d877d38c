import * as assert from 'node:assert/strict';
import { english } from '../../../src/core/messages';
import { buildTimeline, formatDuration, formatTimeline, timelineLabel } from '../../../src/core/timeline';
import { at, check, entryOf, uuid, type CheckSpec } from '../helpers';

const ID = uuid(1);
const time = (iso: string) => iso.slice(11, 19);
const failed = (seconds: number, error: CheckSpec['error'], extra: CheckSpec = {}) => check(ID, { checkedAt: at(seconds), error, ...extra });

describe('core/timeline', () => {
  describe('buildTimeline and formatTimeline', () => {
    it('merges repeats and measures the time between transitions', () => {
      // Newest first, as stored: three polls counted on one row (the recorder's coalescing), then APPROVED.
      const entry = entryOf([check(ID, { checkedAt: at(100), status: 'APPROVED' }), check(ID, { checkedAt: at(63), repeat: 3, lastCheckedAt: at(73) })]);
      const steps = buildTimeline(entry);
      assert.deepEqual(
        steps.map((s) => [s.label, s.count, s.sinceMs]),
        [
          ['OPEN', 3, undefined],
          ['APPROVED', 1, 37_000],
        ],
      );
      assert.equal(steps[0].lastAt, at(73));
      assert.equal(formatTimeline(steps, time, english), 'OPEN 10:01:03 → APPROVED 10:01:40 (37 s)');
    });

    it('merges consecutive rows of one status whatever its case, counting their repeats', () => {
      const entry = entryOf([
        check(ID, { checkedAt: at(20), status: 'open ' }),
        check(ID, { checkedAt: at(10), repeat: 2, lastCheckedAt: at(15) }),
        check(ID, { checkedAt: at(0) }),
      ]);
      assert.deepEqual(buildTimeline(entry), [{ label: 'OPEN', at: at(0), lastAt: at(20), count: 4 }]);
    });

    it('shows verify refusals and skips failed lookups', () => {
      const entry = entryOf([
        check(ID, { checkedAt: at(20), status: 'APPROVED', operation: 'verify' }),
        failed(10, { kind: 'validation', code: 'INVALID_OTP_CODE', message: 'x' }, { httpStatus: 400, operation: 'verify' }),
        failed(5, { kind: 'network', message: 'x' }),
        check(ID, { checkedAt: at(0), operation: 'send' }),
      ]);
      const steps = buildTimeline(entry);
      assert.deepEqual(
        steps.map((s) => [s.label, s.operation]),
        [
          ['OPEN', 'send'],
          ['INVALID_OTP_CODE', 'verify'],
          ['APPROVED', 'verify'],
        ],
      );
    });

    it('makes every verify its own step, even with the same outcome', () => {
      const wrong = (s: number) => failed(s, { kind: 'validation', code: 'INVALID_OTP_CODE', message: 'x' }, { operation: 'verify' });
      assert.deepEqual(
        buildTimeline(entryOf([wrong(20), wrong(10), check(ID)])).map((s) => s.label),
        ['OPEN', 'INVALID_OTP_CODE', 'INVALID_OTP_CODE'],
      );
    });

    it('is empty for an entry of failed lookups only', () => {
      assert.deepEqual(buildTimeline(entryOf([failed(5, { kind: 'timeout', message: 'x' }), failed(0, { kind: 'server', message: 'x' })])), []);
    });
  });

  describe('timelineLabel', () => {
    it('names what each record says about the OTP, or nothing', () => {
      assert.equal(timelineLabel(check(ID, { status: ' expired ' })), 'EXPIRED');
      assert.equal(timelineLabel(check(ID, { status: 'PENDING_REVIEW' })), 'PENDING_REVIEW');
      assert.equal(timelineLabel(check(ID, { status: '  pending review ' })), 'pending review', 'an unknown status, kept as sent but for the blanks around it');
      assert.equal(timelineLabel(failed(0, { kind: 'validation', message: 'x' }, { operation: 'resend' })), 'RESEND_REFUSED');
      assert.equal(timelineLabel(failed(0, { kind: 'validation', message: 'x' }, { operation: 'verify' })), 'VERIFY_REFUSED');
      assert.equal(timelineLabel(failed(0, { kind: 'not-found', message: 'x' })), 'NOT_FOUND');
      assert.equal(timelineLabel(failed(0, { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: 'x' })), 'MESSAGE_LOG_NOT_EXISTS');
      assert.equal(timelineLabel(failed(0, { kind: 'unauthorized', message: 'x' })), undefined);
    });
  });

  describe('formatDuration', () => {
    it('formats seconds, minutes and hours', () => {
      const cases: [number, string][] = [
        [37_000, '37 s'],
        [245_000, '4 min 5 s'],
        [7_380_000, '2 h 3 min'],
        [60_000, '1 min'],
        [3_600_000, '1 h'],
        [59_600, '1 min'],
        [400, '0 s'],
        [-5000, '0 s'],
      ];
      for (const [ms, text] of cases) assert.equal(english(formatDuration(ms)), text, String(ms));
    });
  });
});
