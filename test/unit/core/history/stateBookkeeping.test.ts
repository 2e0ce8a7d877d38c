/**
 * HistoryState's bookkeeping, one rule at a time: what `apply` reports as a change (the stores write and the windows
 * refresh by it), the per-entry `version` the view caches by, the latest store time, the repeats that wait for their
 * row and their caps, resends in a fixed order, what a tombstone takes from a row that outlives it, and the scratch
 * copy an import plans on. (stateRules.test.ts has the merge rules; state.test.ts the windows converging.)
 */
import * as assert from 'node:assert/strict';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState, publicCheck, scratchCopy, type EntryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import type { OtpId } from '../../../../src/core/otpId';
import { at, check, uuid } from '../../helpers';

const T = Date.parse(at(0));
const A = uuid(1);
const B = uuid(2);
const X = uuid(0xa);
const Y = uuid(0xb);
const Z = uuid(0xc);
const checkOf = (id: OtpId, seconds: number, extra: Partial<FiledCheck> = {}) => check(id, { checkedAt: at(seconds), ...extra });
const add = (c: FiledCheck, storedAt: number, extra: Partial<Extract<Op, { o: 'add' }>> = {}): Op => ({ o: 'add', at: storedAt, c, ...extra });
const rep = (id: OtpId, ofSeconds: number, n: number, storedAt: number, last = at(ofSeconds + n)): Op => ({
  o: 'rep',
  at: storedAt,
  k: id,
  of: at(ofSeconds),
  n,
  last,
  dur: 40 + n,
});
const entry = (state: HistoryState, id: OtpId): EntryState => {
  const e = state.entries.get(id);
  assert.ok(e, `an entry for ${id}`);
  return e;
};
const rowOf = (state: HistoryState, id: OtpId, seconds: number) => entry(state, id).rows.get(Date.parse(at(seconds)));
// The repeats still waiting for their row: private, read here because their cap is a memory rule.
const waiting = (state: HistoryState) => (state as unknown as { orphans: Map<string, unknown[]> }).orphans;

describe('core/history/state: bookkeeping', () => {
  describe('what apply reports, and the entry version', () => {
    it('an add of a row already there changes nothing unless it brings something: no change reported, version kept', () => {
      const state = new HistoryState();
      assert.equal(state.apply(add(checkOf(A, 1), T + 10), 'w'), true);
      const version = entry(state, A).version;
      assert.ok(version > 0, 'a new row moves the version on');
      assert.equal(state.apply(add(checkOf(A, 1), T + 20), 'w'), false, 'the same check stored again');
      assert.equal(entry(state, A).version, version);
      assert.equal(rowOf(state, A, 1)?.at, T + 20, 'but the row is now stored as of the later add');
      assert.equal(state.apply(add(checkOf(A, 1), T + 15), 'w'), false);
      assert.equal(rowOf(state, A, 1)?.at, T + 20, 'an older add does not move the store time back');
    });

    it('a row that came from an import and is then checked here loses its mark: a change', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10, { src: 'import' }), 'w');
      const version = entry(state, A).version;
      assert.equal(state.apply(add(checkOf(A, 1), T + 11), 'w'), true);
      assert.equal(rowOf(state, A, 1)?.src, undefined);
      assert.ok(entry(state, A).version > version);
    });

    it('a higher count from a copy is a change that moves the version on', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      const version = entry(state, A).version;
      assert.equal(state.apply(add(checkOf(A, 1, { repeat: 3 }), T + 11), 'w'), true);
      assert.ok(entry(state, A).version > version);
      assert.equal(publicCheck(rowOf(state, A, 1)!).repeat, 3);
    });

    it('a repeat: applied once is a change (version on), the same or a lower count again is none', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      const version = entry(state, A).version;
      assert.equal(state.apply(rep(A, 1, 2, T + 12), 'w1'), true);
      const after = entry(state, A).version;
      assert.ok(after > version);
      assert.equal(state.apply(rep(A, 1, 2, T + 13), 'w1'), false, 'the same count again');
      assert.equal(state.apply(rep(A, 1, 1, T + 14), 'w1'), false, 'a lower one');
      assert.equal(entry(state, A).version, after);
      assert.equal(state.repeatsBy(A, at(1), 'w1'), 2);
      assert.equal(state.repeatsBy(A, at(1), 'another window'), 0, 'a writer with no count on a counted row: 0');
      assert.equal(state.repeatsBy(A, at(9), 'w1'), undefined, 'no such row');
    });

    it('a Clear moves the version of the entries it changes and no other', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      state.apply(add(checkOf(B, 1), T + 30), 'w');
      state.apply(add(checkOf(A, 2), T + 30), 'w');
      const [a, b] = [entry(state, A).version, entry(state, B).version];
      state.apply({ o: 'clear', at: T + 20 }, 'w');
      assert.ok(entry(state, A).version > a, 'A lost a row');
      assert.equal(entry(state, B).version, b, 'B had nothing stored up to the Clear');
    });

    it('a Remove older than everything in the entry changes nothing', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 20), 'w');
      state.apply(rep(A, 1, 2, T + 25), 'w1');
      const version = entry(state, A).version;
      assert.equal(state.apply({ o: 'rm', at: T + 10, k: A }, 'w'), false);
      assert.equal(entry(state, A).version, version);
    });

    it('taking over a stored state is a new revision that may have changed any entry', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      const other = new HistoryState();
      other.apply(add(checkOf(B, 1), T + 10), 'w');
      const before = state.revision;
      state.replaceWith(other);
      assert.ok(state.revision > before);
      assert.equal(state.changes.since(before, state.revision), undefined, 'not one known entry: the view redraws all');
      assert.deepEqual([...state.entries.keys()], [B]);
    });
  });

  describe('the version the view caches by: a change never lands on a version already seen', () => {
    const LIMITS = { maxEntries: 10, maxChecksPerEntry: 10 };
    const shown = (view: HistoryView) => {
      const e = view.find(A, LIMITS);
      return { label: e?.label, checks: e?.checks.map((c) => [c.checkedAt, c.repeat ?? 1]) };
    };

    it('a label, then a repeat: both shown', () => {
      const state = new HistoryState();
      const view = new HistoryView(state);
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      shown(view);
      state.apply({ o: 'label', at: T + 11, k: A, label: 'login' }, 'w');
      state.apply(rep(A, 1, 1, T + 12), 'w1');
      assert.deepEqual(shown(view), { label: 'login', checks: [[at(1), 2]] });
    });

    it('a row whose waiting repeats a Remove has taken since: the row shows', () => {
      const state = new HistoryState();
      const view = new HistoryView(state);
      state.apply(add(checkOf(A, 1), T + 30), 'w');
      state.apply(rep(A, 2, 1, T + 15), 'w1'); // for a row not here yet: it waits
      state.apply({ o: 'rm', at: T + 20, k: A }, 'w'); // takes that repeat, not the row stored after it
      assert.deepEqual(shown(view), { label: undefined, checks: [[at(1), 1]] });
      state.apply(add(checkOf(A, 2), T + 40), 'w'); // its repeat is no longer counted
      assert.deepEqual(shown(view), {
        label: undefined,
        checks: [
          [at(2), 1],
          [at(1), 1],
        ],
      });
    });
  });

  describe('store times', () => {
    it('latestAt is the latest store time applied, never moved back by an older add', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 20), 'w');
      state.apply(add(checkOf(B, 1), T + 10), 'w');
      assert.equal(state.latestAt, T + 20);
      state.apply(add(checkOf(B, 2), T + 30), 'w');
      assert.equal(state.latestAt, T + 30);
    });

    it('latestOf is the latest store time of the rows of one otp_id', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 20), 'w');
      state.apply(add(checkOf(A, 2), T + 10), 'w');
      state.apply(add(checkOf(B, 1), T + 50), 'w');
      assert.equal(state.latestOf(A), T + 20);
      assert.equal(state.latestOf(uuid(9)), 0);
    });
  });

  describe('repeats that arrive before their row', () => {
    it('are applied when the row comes (version moved on), reported as no change until then, and then forgotten', () => {
      const state = new HistoryState();
      assert.equal(state.apply(rep(A, 1, 2, T + 12), 'w1'), false, 'nothing to show yet');
      assert.equal(waiting(state).size, 1);
      assert.equal(state.apply(add(checkOf(A, 1), T + 10), 'w'), true);
      assert.equal(publicCheck(rowOf(state, A, 1)!).repeat, 3, 'the row counts the waiting repeat');
      assert.ok(entry(state, A).version > 0);
      assert.equal(waiting(state).size, 0, 'adopted repeats are not kept waiting');
    });

    it('keep at most 100 per row', () => {
      const state = new HistoryState();
      for (let i = 0; i < 101; i++) state.apply(rep(A, 1, 1, T + 12), `w${i}`);
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      assert.equal(Object.keys(rowOf(state, A, 1)?.reps ?? {}).length, 100);
    });

    it('wait for at most 10,000 rows, and one that is not kept leaves nothing behind', () => {
      const state = new HistoryState();
      for (let i = 0; i < 10_000; i++) state.apply(rep(A, 1000 + i, 1, T + 12), 'w1');
      assert.equal(waiting(state).size, 10_000);
      state.apply(rep(A, 1, 1, T + 12), 'w1');
      assert.equal(waiting(state).size, 10_000, 'the 10,001st row is not remembered, not even as an empty list');
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      assert.equal(rowOf(state, A, 1)?.reps, undefined, 'its repeat was not kept');
      state.apply(add(checkOf(A, 1000), T + 10), 'w');
      assert.equal(publicCheck(rowOf(state, A, 1000)!).repeat, 2, 'one of the 10,000 was');
    });
  });

  describe('resends', () => {
    it('are kept earliest first, by otp_id at the same instant, whatever order they arrive in', () => {
      const orders = [
        [Z, X, Y],
        [Y, Z, X],
        [X, Y, Z],
        [Z, Y, X],
      ];
      for (const order of orders) {
        const state = new HistoryState();
        order.forEach((id, i) => state.apply(add(checkOf(A, i + 1), T + 10, { resendOf: id }), 'w'));
        assert.deepEqual(
          entry(state, A).resends?.map((r) => r.id),
          [X, Y, Z],
          `arriving as ${order.join(', ')}`,
        );
        assert.equal(entry(state, A).resendOf, X);
      }
    });

    it('the same otp_id named again by a later add is kept again: a tombstone between takes only the first', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10, { resendOf: X }), 'w');
      state.apply(add(checkOf(A, 2), T + 20, { resendOf: X }), 'w');
      state.apply({ o: 'rm', at: T + 15, k: A }, 'w');
      assert.deepEqual(entry(state, A).resends, [{ at: T + 20, id: X }]);
      assert.equal(entry(state, A).resendOf, X);
    });

    it('the same resend again is not kept twice', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10, { resendOf: X }), 'w');
      state.apply(add(checkOf(A, 2), T + 20, { resendOf: Y }), 'w');
      state.apply(add(checkOf(A, 1), T + 10, { resendOf: X }), 'w');
      state.apply(add(checkOf(A, 2), T + 20, { resendOf: Y }), 'w');
      assert.deepEqual(entry(state, A).resends, [
        { at: T + 10, id: X },
        { at: T + 20, id: Y },
      ]);
    });

    it('an add that names an earlier resend on a row already there is a change; one that names a later one is not', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 20, { resendOf: Y }), 'w');
      const version = entry(state, A).version;
      assert.equal(state.apply(add(checkOf(A, 1), T + 30, { resendOf: Z }), 'w'), false, 'still resent from Y');
      assert.equal(entry(state, A).version, version);
      assert.equal(state.apply(add(checkOf(A, 1), T + 10, { resendOf: X }), 'w'), true, 'now from X');
      assert.equal(entry(state, A).resendOf, X);
      assert.ok(entry(state, A).version > version);
    });

    it('a tombstone takes the resends stored up to it, not later ones, and says so', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10, { resendOf: X }), 'w');
      state.apply(add(checkOf(A, 1), T + 30), 'w'); // the row outlives the Remove below
      assert.equal(state.apply({ o: 'rm', at: T + 10, k: A }, 'w'), true, 'the resend stored at the Remove goes');
      assert.equal(Object.hasOwn(entry(state, A), 'resendOf'), false, 'no resendOf key left behind');
      assert.equal(entry(state, A).resends?.length, 0);

      const later = new HistoryState();
      later.apply(add(checkOf(A, 1), T + 30, { resendOf: X }), 'w');
      assert.equal(later.apply({ o: 'rm', at: T + 20, k: A }, 'w'), false, 'a resend stored after it stays');
      assert.equal(entry(later, A).resendOf, X);
    });
  });

  describe('what a tombstone takes from a row stored again after it', () => {
    it("the counts made up to it (at it included), not the later ones; a copy's count up to it too", () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      state.apply(rep(A, 1, 2, T + 20), 'at the tombstone');
      state.apply(rep(A, 1, 3, T + 40), 'after it');
      state.apply(add(checkOf(A, 1), T + 30), 'w'); // stored again after the tombstone
      assert.equal(state.apply({ o: 'rm', at: T + 20, k: A }, 'w'), true);
      assert.deepEqual(Object.keys(rowOf(state, A, 1)?.reps ?? {}), ['after it']);

      const copied = new HistoryState();
      copied.apply(add(checkOf(A, 1), T + 10), 'w');
      copied.apply(add(checkOf(A, 1, { repeat: 5 }), T + 20), 'w'); // a copy's higher count, as of T+20
      copied.apply(add(checkOf(A, 1), T + 30), 'w');
      assert.equal(copied.apply({ o: 'rm', at: T + 20, k: A }, 'w'), true, 'the copy is all that goes: still a change');
      assert.equal(rowOf(copied, A, 1)?.copy, undefined);
      assert.equal(publicCheck(rowOf(copied, A, 1)!).repeat ?? 1, 1);
    });

    it('a label set at its instant', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 30), 'w');
      state.apply({ o: 'label', at: T + 20, k: A, label: 'login' }, 'w');
      state.apply({ o: 'rm', at: T + 20, k: A }, 'w');
      assert.equal(entry(state, A).label, undefined);
    });
  });

  describe('the record readers see', () => {
    it("a repeat no later than the check keeps the check's own duration", () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1, { durationMs: 12 }), T + 10), 'w');
      state.apply(rep(A, 1, 1, T + 11, at(1)), 'w1'); // last = the check's own time
      const seen = publicCheck(rowOf(state, A, 1)!);
      assert.deepEqual([seen.repeat, seen.lastCheckedAt, seen.durationMs], [2, at(1), 12]);
    });
  });

  describe('the scratch copy an import plans on', () => {
    it('changes to the copied entries stay in the copy: rows, repeat counts and labels', () => {
      const state = new HistoryState();
      state.apply(add(checkOf(A, 1), T + 10), 'w');
      state.apply(rep(A, 1, 2, T + 11), 'w1');
      state.apply({ o: 'label', at: T + 12, k: A, label: 'kept' }, 'w');
      const copy = scratchCopy(state, [A]);
      copy.apply(rep(A, 1, 7, T + 13), 'w1');
      copy.apply(rep(A, 1, 1, T + 13), 'w2');
      copy.apply(add(checkOf(A, 2), T + 14), 'w');
      copy.apply({ o: 'rm', at: T + 12, k: A }, 'w');
      assert.equal(state.repeatsBy(A, at(1), 'w1'), 2);
      assert.equal(state.repeatsBy(A, at(1), 'w2'), 0);
      assert.deepEqual([...entry(state, A).rows.keys()], [Date.parse(at(1))]);
      assert.equal(entry(state, A).label?.text, 'kept');
    });
  });
});
