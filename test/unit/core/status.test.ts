import * as assert from 'node:assert/strict';
import { describeStatus, sameStatus, statusKey } from '../../../src/core/status';

describe('core/status', () => {
  describe('describeStatus', () => {
    it('describes every known status, in any case, as its capitals', () => {
      const known: [string, string, string, boolean][] = [
        ['OPEN', 'OPEN', 'waiting', false],
        ['approved', 'APPROVED', 'success', true],
        ['ALREADY_VERIFIED', 'ALREADY_VERIFIED', 'success', true],
        [' Expired ', 'EXPIRED', 'warning', true],
        ['FAILED', 'FAILED', 'error', true],
      ];
      for (const [raw, text, tone, terminal] of known) assert.deepEqual(describeStatus(raw), { known: true, text, tone, terminal }, raw);
    });

    it('keeps an unknown status raw, tone unknown, terminal', () => {
      assert.deepEqual(describeStatus('PENDING_REVIEW'), { known: false, text: 'PENDING_REVIEW', tone: 'unknown', terminal: true });
      assert.deepEqual(describeStatus(' pending '), { known: false, text: ' pending ', tone: 'unknown', terminal: true });
    });

    it('does not take Object.prototype keys for known statuses', () => {
      for (const raw of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) assert.equal(describeStatus(raw).known, false, raw);
    });
  });

  describe('statusKey and sameStatus', () => {
    it('compare trimmed and case-insensitively; an absent status is never the same', () => {
      assert.equal(statusKey('  open\n'), 'OPEN');
      assert.equal(sameStatus('open ', 'OPEN'), true);
      assert.equal(sameStatus('OPEN', 'APPROVED'), false);
      assert.equal(sameStatus(undefined, 'OPEN'), false);
      assert.equal(sameStatus(undefined, undefined), false);
    });
  });
});
