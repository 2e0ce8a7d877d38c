import * as assert from 'node:assert/strict';
import { clockTime, localDateTime } from '../../../src/ui/time';

const TIMES = ['2026-11-25T10:00:00.000Z', '2026-03-29T00:59:59.999Z', '2026-12-31T23:59:59Z', '1999-01-01T00:00:00.5+05:30', '2026-06-01T12:34:56.789Z'];

describe('ui/time: the history’s clock and date times', () => {
  it('say what toLocaleTimeString(undefined, { hour12: false }) and toLocaleString() say, formatter made once', () => {
    for (const iso of TIMES) {
      assert.equal(clockTime(iso), new Date(iso).toLocaleTimeString(undefined, { hour12: false }), iso);
      assert.equal(localDateTime(iso), new Date(iso).toLocaleString(), iso);
    }
  });

  it('a time that is not one is "Invalid Date", as Date says it (a formatter would throw)', () => {
    for (const bad of ['', 'not a time', '2026-13-45T99:00:00Z']) {
      assert.equal(clockTime(bad), 'Invalid Date');
      assert.equal(localDateTime(bad), 'Invalid Date');
    }
  });
});
