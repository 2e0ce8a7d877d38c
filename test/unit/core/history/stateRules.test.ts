/**
 * The merge rules of HistoryState one at a time, each at its boundary: Clear, Remove, labels, a copy's count and the
 * record readers see. (state.test.ts proves the rules together: windows converging in any order.)
 */
import * as assert from 'node:assert/strict';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState, publicCheck } from '../../../../src/core/history/state';
import { at, check, uuid } from '../../helpers';

const T = Date.parse(at(0));
const A = uuid(1);
const B = uuid(2);
const add = (c: FiledCheck, storedAt: number): Op => ({ o: 'add', at: storedAt, c });
const checkOf = (id: typeof A, seconds: number, extra: Partial<FiledCheck> = {}) => check(id, { checkedAt: at(seconds), ...extra });
const rows = (state: HistoryState, id: typeof A) => [...(state.entries.get(id)?.rows.values() ?? [])].map((r) => r.check.checkedAt).sort();

describe('core/history/state: the merge rules at their boundaries', () => {
  describe('Clear', () => {
    it('drops what was stored up to it, keeps what was stored after; the same or an older Clear again changes nothing', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      state.apply(add(checkOf(A, 2), T + 20), 'w');
      state.apply(add(checkOf(B, 3), T + 30), 'w');
      const before = state.revision;
      assert.equal(state.apply({ o: 'clear', at: T + 20 }, 'w'), true);
      assert.ok(state.revision > before, 'a change moves the revision on');
      assert.deepEqual([rows(state, A), rows(state, B)], [[], [at(3)]], 'stored at the Clear is cleared, after it is kept');
      assert.equal(state.entries.has(A), false, 'an entry left with nothing is gone');
      const after = state.revision;
      assert.equal(state.apply({ o: 'clear', at: T + 20 }, 'w'), false, 'the same Clear again');
      assert.equal(state.apply({ o: 'clear', at: T + 5 }, 'w'), false, 'an older Clear');
      assert.equal(state.revision, after, 'no change, no new revision');
      assert.equal(state.apply(add(checkOf(A, 4), T + 20), 'w'), false, 'an add stored at the Clear is cleared by it');
      assert.equal(state.apply(add(checkOf(A, 4), T + 21), 'w'), true, 'one stored after it stays');
    });

    it('forgets the removals it covers (up to and at it), keeps later ones', () => {
      const state = new HistoryState();
      for (const [id, stamp] of [
        [A, T + 10],
        [B, T + 20],
        [uuid(3), T + 30],
      ] as const) {
        state.apply({ o: 'rm', at: stamp, k: id }, 'w');
      }
      state.apply({ o: 'clear', at: T + 20 }, 'w');
      assert.deepEqual([...state.removed.keys()], [uuid(3)]);
      assert.deepEqual([state.tombstone(A), state.tombstone(B), state.tombstone(uuid(3))], [T + 20, T + 20, T + 30]);
    });
  });

  describe('Remove', () => {
    it('drops an entry up to its time; the same or an older Remove again changes nothing; an add after it stays', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      assert.equal(state.apply({ o: 'rm', at: T + 10, k: A }, 'w'), true);
      assert.equal(state.entries.has(A), false);
      assert.equal(state.apply({ o: 'rm', at: T + 10, k: A }, 'w'), false, 'the same Remove');
      assert.equal(state.apply({ o: 'rm', at: T + 9, k: A }, 'w'), false, 'an older one');
      assert.equal(state.apply({ o: 'rm', at: T + 11, k: B }, 'w'), false, 'a Remove of nothing changes nothing (it is still remembered)');
      assert.equal(state.tombstone(B), T + 11);
      assert.equal(state.apply(add(checkOf(A, 2), T + 10), 'w'), false, 'stored at the Remove: removed');
      assert.equal(state.apply(add(checkOf(A, 2), T + 11), 'w'), true);
      assert.equal(state.apply({ o: 'rep', at: T + 10, k: A, of: at(2), n: 2, last: at(3), dur: 5 }, 'w'), false, 'a repeat up to the Remove too');
    });
  });

  describe('labels', () => {
    const label = (text: string, stamp: number): Op => ({ o: 'label', at: stamp, k: A, label: text });
    const text = (state: HistoryState) => state.entries.get(A)?.label?.text;

    it('the latest label wins; at the same instant, the writer id that sorts last (every window picks the same)', () => {
      const state = new HistoryState();
      assert.equal(state.apply(label('first', T + 10), 'b'), true);
      assert.equal(state.apply(label('older', T + 5), 'z'), false);
      assert.equal(state.apply(label('same instant, lower writer', T + 10), 'a'), false);
      assert.equal(state.apply(label('same instant, same writer', T + 10), 'b'), false);
      assert.equal(text(state), 'first');
      assert.equal(state.apply(label('same instant, higher writer', T + 10), 'c'), true);
      assert.equal(text(state), 'same instant, higher writer');
      assert.equal(state.apply(label('later', T + 11), 'a'), true);
      assert.equal(text(state), 'later');
    });

    it("an import's label (at 0) only fills a missing one; a label up to a Remove is removed with it", () => {
      const state = new HistoryState();
      assert.equal(state.apply(label('imported', 0), 'import'), true, 'fills a missing label');
      assert.equal(state.apply(label('imported again', 0), 'zz'), false, 'never replaces one');
      assert.equal(state.apply(label('mine', T + 1), 'w'), true);
      assert.equal(state.apply(label('imported', 0), 'import'), false);
      state.apply({ o: 'rm', at: T + 5, k: A }, 'w');
      assert.equal(text(state), undefined, 'the Remove took the label');
      assert.equal(state.apply(label('before the Remove', T + 5), 'w'), false);
      assert.equal(state.apply(label('after the Remove', T + 6), 'w'), true);
    });
  });

  describe("a copy's count (Settings Sync, a migrated row)", () => {
    it("raises the row's total only when higher than the row's own and any earlier copy's", () => {
      const state = new HistoryState();
      const row = checkOf(A, 1, { repeat: 2 });
      state.apply(add(row, T + 10), 'w');
      const apply = (repeat: number, stamp: number) => state.apply(add({ ...row, repeat, lastCheckedAt: at(repeat * 10) }, stamp), 'w');
      assert.equal(apply(2, T + 11), false, 'the same count as the row: no change');
      assert.equal(apply(1, T + 12), false, 'a lower one');
      assert.equal(apply(5, T + 13), true, 'a higher one');
      assert.equal(apply(5, T + 14), false, 'the same copy again');
      assert.equal(apply(4, T + 15), false, "lower than the earlier copy's");
      const shown = publicCheck([...(state.entries.get(A)?.rows.values() ?? [])][0]);
      assert.deepEqual([shown.repeat, shown.lastCheckedAt], [5, at(50)]);
    });
  });

  describe('publicCheck (the record readers see)', () => {
    it('is the stored record itself when no count changes it, a copy with the total and the latest sighting when one does', () => {
      const state = new HistoryState();
      const c = checkOf(A, 1, { durationMs: 10 });
      state.apply(add(c, T + 10), 'w');
      const row = () => [...(state.entries.get(A)?.rows.values() ?? [])][0];
      assert.equal(publicCheck(row()), c);
      state.apply({ o: 'rep', at: T + 20, k: A, of: at(1), n: 2, last: at(9), dur: 30 }, 'w');
      assert.deepEqual(publicCheck(row()), { ...c, repeat: 3, lastCheckedAt: at(9), durationMs: 30 });
      state.apply({ o: 'rep', at: T + 21, k: A, of: at(1), n: 1, last: at(5), dur: 40 }, 'v');
      assert.deepEqual(publicCheck(row()), { ...c, repeat: 4, lastCheckedAt: at(9), durationMs: 30 }, 'an earlier sighting adds to the count, not to the time');
    });

    it('counts that leave the time as it was still change the count; counts taken back leave the record itself', () => {
      const state = new HistoryState();
      const c = checkOf(A, 10, { durationMs: 10 });
      state.apply(add(c, T + 10), 'w');
      const row = () => [...(state.entries.get(A)?.rows.values() ?? [])][0];
      state.apply({ o: 'rep', at: T + 20, k: A, of: at(10), n: 2, last: at(5), dur: 30 }, 'v');
      assert.deepEqual(publicCheck(row()), { ...c, repeat: 3, lastCheckedAt: at(10), durationMs: 10 }, 'an earlier sighting: the count, not the time');
      state.apply(add(c, T + 40), 'w'); // stored again (another window) after the Remove below
      state.apply({ o: 'rm', at: T + 30, k: A }, 'w');
      assert.equal(publicCheck(row()), c, 'the repeats before the Remove are taken back: the record as stored');
    });
  });

  describe('resent from', () => {
    it('the earliest stored add naming one; at most four kept, earliest first', () => {
      const state = new HistoryState();
      for (const [n, stamp] of [
        [5, T + 50],
        [3, T + 30],
        [4, T + 40],
        [6, T + 60],
        [2, T + 20],
      ] as const) {
        state.apply({ o: 'add', at: stamp, c: checkOf(A, n), resendOf: uuid(100 + n) }, 'w');
      }
      const entry = state.entries.get(A);
      assert.equal(entry?.resendOf, uuid(102));
      assert.deepEqual(
        entry?.resends?.map((r) => r.id),
        [uuid(102), uuid(103), uuid(104), uuid(105)],
      );
      state.apply({ o: 'rm', at: T + 30, k: A }, 'w');
      assert.equal(state.entries.get(A)?.resendOf, uuid(104), 'a Remove takes those stored up to it');
    });
  });
});
