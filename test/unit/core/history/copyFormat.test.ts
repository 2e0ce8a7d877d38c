import * as assert from 'node:assert/strict';
import { copyOf, readCopy, SYNC_BUDGET } from '../../../../src/core/history/copyFormat';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, uuid } from '../../helpers';

const SYNC = 'd7otp-history-sync';
const NOW = Date.parse('2027-06-01T00:00:00.000Z');
/** A synced copy of one entry whose one check was stored at `storedAt`. */
const synced = (storedAt: unknown, extra: Record<string, unknown> = {}, sync: Record<string, unknown> = {}) => ({
  version: 1,
  entries: [{ otpId: uuid(1), checks: [{ ...check(uuid(1), { checkedAt: at(10) }), storedAt }], ...extra }],
  sync: { format: SYNC, ...sync },
});

describe('core/history/copyFormat', () => {
  describe('readCopy', () => {
    it('nothing stored (undefined or null) is no copy', () => {
      assert.deepEqual(readCopy(undefined, NOW), { kind: 'none', ops: [] });
      assert.deepEqual(readCopy(null, NOW), { kind: 'none', ops: [] });
    });

    it('a store time is a finite number ≥ 0 (0 included); anything else falls back to the check time; none is later than now', () => {
      const storedAt = (value: unknown) => readCopy(synced(value), NOW).ops[0]?.at;
      assert.equal(storedAt(0), 0);
      assert.equal(storedAt(12345), 12345);
      for (const bad of [-1, Number.NaN, Infinity, '12345', null]) assert.equal(storedAt(bad), Date.parse(at(10)), String(bad));
      assert.equal(storedAt(NOW + 60_000), NOW, 'another clock ahead does not put a row in the future');
    });

    it("a synced entry's resendOf and its label (with the label's time) become operations; a label's time defaults to 0", () => {
      const ops = readCopy(synced(5, { resendOf: uuid(2), label: 'mine', labelAt: 7 }), NOW).ops;
      assert.deepEqual(
        ops.map((op) => [op.o, op.at, op.o === 'add' ? op.resendOf : op.o === 'label' ? op.label : undefined]),
        [
          ['add', 5, uuid(2)],
          ['label', 7, 'mine'],
        ],
      );
      const undated = readCopy(synced(5, { label: 'x', labelAt: 'soon' }), NOW).ops;
      assert.deepEqual(undated[1], { o: 'label', at: 0, k: uuid(1), label: 'x' });
    });

    it("a synced copy's Clear and removals become tombstones (never later than now); a Clear at 0 is none", () => {
      const ops = readCopy(synced(5, {}, { clearedAt: 9, removed: { [uuid(3)]: 8, 'not-an-id': 8, [uuid(4)]: -1, [uuid(5)]: NOW * 2 } }), NOW).ops;
      assert.deepEqual(
        ops.filter((op) => op.o !== 'add'),
        [
          { o: 'clear', at: 9 },
          { o: 'rm', at: 8, k: uuid(3) },
          { o: 'rm', at: NOW, k: uuid(5) },
        ],
      );
      assert.equal(
        readCopy(synced(5, {}, { clearedAt: 0 }), NOW).ops.some((op) => op.o === 'clear'),
        false,
      );
    });

    it("an older version's entry: its checks (stored when made), its label as one to fill a missing one, its resendOf with its oldest check only", () => {
      const checks = [check(uuid(1), { checkedAt: at(30) }), check(uuid(1), { checkedAt: at(20) }), check(uuid(1), { checkedAt: at(10) })];
      const read = readCopy([{ otpId: uuid(1), label: 'old', resendOf: uuid(2), checks }], NOW);
      assert.equal(read.kind, 'legacy');
      assert.deepEqual(
        read.ops.map((op) => [op.o, op.at, op.o === 'add' ? (op.resendOf ?? '-') : op.o === 'label' ? op.label : '']),
        [
          ['add', Date.parse(at(30)), '-'],
          ['add', Date.parse(at(20)), '-'],
          ['add', Date.parse(at(10)), uuid(2)],
          ['label', 0, 'old'],
        ],
      );
    });

    it('a document marked as a synced copy but without a list of entries is read as an older version would (and set aside)', () => {
      const read = readCopy({ version: 1, entries: 'none', sync: { format: SYNC } }, NOW);
      assert.equal(read.kind, 'legacy');
      assert.equal(read.problem?.id, 'historyNoList');
      assert.equal(readCopy({ version: 1, entries: [], sync: { format: 'other' } }, NOW).kind, 'legacy');
    });
  });

  describe('copyOf', () => {
    const LIMITS = { maxEntries: 5000, maxChecksPerEntry: 10 };
    type Copied = { entries: { otpId: string; resendOf?: string; checks: { body?: unknown }[] }[] };
    const stateOf = (n: number, body?: (i: number) => unknown) => {
      const state = new HistoryState();
      for (let i = 0; i < n; i++) {
        const c = check(uuid(i), { checkedAt: at(i), ...(body ? { body: body(i) } : {}) });
        state.apply({ o: 'add', at: i + 1, c, ...(i % 2 ? { resendOf: uuid(100_000 + i) } : {}) }, 'w');
      }
      return state;
    };

    it('holds the newest entries that fit in SYNC_BUDGET bytes, with their resendOf, and leaves no room for one more', () => {
      const state = stateOf(1000);
      const copy = copyOf(state, new HistoryView(state).views(LIMITS));
      const value = copy.value as Copied;
      const bytes = JSON.stringify(copy.value).length;
      const perEntry = JSON.stringify(value.entries[0]).length + 1;
      assert.ok(value.entries.length > 100 && value.entries.length < 1000, `${value.entries.length} of 1,000 entries`);
      assert.ok(bytes <= SYNC_BUDGET, `${bytes} bytes, over the budget of ${SYNC_BUDGET}`);
      assert.ok(bytes + perEntry > SYNC_BUDGET - 200, `${bytes} bytes: room was left for another entry of ${perEntry}`);
      assert.deepEqual(
        value.entries.slice(0, 2).map((e) => [e.otpId, e.resendOf]),
        [
          [uuid(999), uuid(100_999)],
          [uuid(998), undefined],
        ],
        'newest first, a resent one with its resendOf',
      );
    });

    it('leaves the response bodies out when they do not fit, and keeps every entry that then does', () => {
      const state = stateOf(300, (i) => ({ status: 'OPEN', note: `${i}`.padEnd(1000, '.') }));
      const copy = copyOf(state, new HistoryView(state).views(LIMITS));
      const value = copy.value as Copied;
      assert.equal(value.entries.length, 300);
      assert.ok(
        value.entries.every((e) => e.checks.every((c) => !('body' in c))),
        'no body',
      );
      assert.ok(JSON.stringify(copy.value).length <= SYNC_BUDGET);
    });

    it('keeps the response bodies when the copy fits the budget, and reads back with its digest', () => {
      const state = new HistoryState();
      state.apply({ o: 'add', at: 1, c: check(uuid(1), { checkedAt: at(1), body: { status: 'OPEN', note: 'n' } }) }, 'w');
      const copy = copyOf(state, new HistoryView(state).views({ maxEntries: 10, maxChecksPerEntry: 10 }));
      const value = copy.value as { entries: { checks: { body?: unknown }[] }[] };
      assert.deepEqual(value.entries[0].checks[0].body, { status: 'OPEN', note: 'n' });
      const read = readCopy(copy.value, NOW);
      assert.equal(read.kind, 'sync');
      assert.equal((read as { digest?: string }).digest, copy.digest, 'the digest it was written with');
    });

    it('carries the 500 newest removals, newest first', () => {
      const state = new HistoryState();
      for (let i = 1; i <= 501; i++) state.removed.set(uuid(i), i);
      const removed = copyOf(state, []).value.sync as { removed: Record<string, number> };
      const keys = Object.keys(removed.removed);
      assert.equal(keys.length, 500);
      assert.equal(keys[0], uuid(501));
      assert.ok(!keys.includes(uuid(1)), 'the oldest removal is left out');
    });
  });
});
