import * as assert from 'node:assert/strict';
import { Limits } from '../../../../src/core/defaults';
import fc from 'fast-check';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { readLines, readOp, toLines } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, uuid } from '../../helpers';

const LIMITS = { maxEntries: 200, maxChecksPerEntry: 20 };
const T = Date.parse(at(0));

/** A state with these operations applied (each as written by `w`), and its view. */
function build(ops: readonly (Op | [Op, string])[], limits = LIMITS) {
  const state = new HistoryState();
  for (const item of ops) {
    const [op, w] = Array.isArray(item) ? item : [item, 'w1'];
    state.apply(op, w);
  }
  const view = new HistoryView(state);
  return { state, view, entries: view.entries(limits) };
}

const add = (c: FiledCheck, storedAt = Date.parse(c.checkedAt) + 100, extra: Partial<Extract<Op, { o: 'add' }>> = {}): Op => ({
  o: 'add',
  at: storedAt,
  c,
  ...extra,
});
const ids = (entries: readonly { otpId: string }[]) => entries.map((e) => e.otpId);

describe('core/history/state and view', () => {
  describe('order, one entry per otp_id', () => {
    it('newest entry first (by its latest check), its checks newest first', () => {
      const { entries } = build([
        add(check(uuid(1), { checkedAt: at(1) })),
        add(check(uuid(2), { checkedAt: at(2) })),
        add(check(uuid(1), { checkedAt: at(3), status: 'APPROVED' })),
      ]);
      assert.deepEqual(ids(entries), [uuid(1), uuid(2)]);
      assert.deepEqual(
        entries[0].checks.map((c) => c.status),
        ['APPROVED', 'OPEN'],
      );
    });

    it('otp_ids compare case-insensitively; the first spelling is kept; each check keeps its own', () => {
      const lower = uuid(0xab);
      const upper = lower.toUpperCase() as typeof lower;
      const { entries } = build([add(check(lower, { checkedAt: at(1) })), add(check(upper, { checkedAt: at(2) }))]);
      assert.deepEqual([entries.length, entries[0].otpId, entries[0].checks[0].otpId], [1, lower, upper]);
    });

    it('the same check (otp_id and instant) stored twice, in any ISO spelling, is one row', () => {
      const c = check(uuid(1), { checkedAt: '2026-11-25T10:00:00.000Z' });
      const { entries } = build([add(c), add({ ...c, checkedAt: '2026-11-25T12:00:00+02:00' }), add(c)]);
      assert.equal(entries[0].checks.length, 1);
    });

    it('records the entry an id was resent from, once (the first stored wins, in any order of reading)', () => {
      const first = add(check(uuid(2), { checkedAt: at(1) }), undefined, { resendOf: uuid(1) });
      const second = add(check(uuid(2), { checkedAt: at(2) }), undefined, { resendOf: uuid(9) });
      assert.equal(build([first, second]).entries[0].resendOf, uuid(1));
      assert.equal(build([second, first]).entries[0].resendOf, uuid(1));
    });
  });

  describe('resent from: ties and tombstones', () => {
    it('two adds stored at the same instant naming different origins (one import): the smaller otp_id wins, in either order', () => {
      const stamp = T + 5000;
      const one = add(check(uuid(2), { checkedAt: at(1) }), stamp, { resendOf: uuid(9) });
      const two = add(check(uuid(2), { checkedAt: at(2) }), stamp, { resendOf: uuid(3) });
      assert.equal(build([one, two]).entries[0].resendOf, uuid(3));
      assert.equal(build([two, one]).entries[0].resendOf, uuid(3));
      const same = add(check(uuid(2), { checkedAt: at(3) }), stamp, { resendOf: uuid(3) });
      assert.equal(build([two, same, one]).entries[0].resendOf, uuid(3));
    });

    it('the four earliest adds naming an origin are remembered: a Remove of the earliest makes the next one the origin', () => {
      const adds = [1, 2, 3, 4, 5].map((n) => add(check(uuid(2), { checkedAt: at(n) }), T + n * 1000, { resendOf: uuid(10 + n) }));
      const { state } = build(adds);
      assert.equal(state.entries.get(uuid(2) as string)?.resendOf, uuid(11));
      assert.deepEqual(
        state.entries.get(uuid(2) as string)?.resends?.map((r) => r.id),
        [uuid(11), uuid(12), uuid(13), uuid(14)],
      );
      state.apply({ o: 'rm', at: T + 1500, k: uuid(2) }, 'w1');
      assert.equal(state.entries.get(uuid(2) as string)?.resendOf, uuid(12), 'the next earliest is the origin now');
    });
  });

  describe('caps', () => {
    it('keeps the newest entries and checks (at least one of each), dropping the oldest', () => {
      const ops: Op[] = [];
      for (let i = 0; i < 5; i++) ops.push(add(check(uuid(i), { checkedAt: at(i) })));
      for (let i = 0; i < 4; i++) ops.push(add(check(uuid(4), { checkedAt: at(10 + i), status: `S${i}` })));
      const { view } = build(ops);
      const capped = view.entries({ maxEntries: 3, maxChecksPerEntry: 2 });
      assert.deepEqual(ids(capped), [uuid(4), uuid(3), uuid(2)]);
      assert.deepEqual(
        capped[0].checks.map((c) => c.status),
        ['S3', 'S2'],
      );
      assert.equal(view.entries({ maxEntries: 0, maxChecksPerEntry: 0 }).length, 1);
    });

    it("the user's own entries and checks come first: imported ones only fill the room left", () => {
      const ops: Op[] = [];
      for (let i = 0; i < 3; i++) ops.push(add(check(uuid(i), { checkedAt: at(i) })));
      // Imported, and dated later than every own check.
      for (let i = 0; i < 3; i++) ops.push(add(check(uuid(100 + i), { checkedAt: at(1000 + i) }), T + 5000, { src: 'import' }));
      ops.push(add(check(uuid(0), { checkedAt: at(2000) }), T + 5000, { src: 'import' }));
      const { view } = build(ops);
      assert.deepEqual(ids(view.entries({ maxEntries: 3, maxChecksPerEntry: 1 })), [uuid(2), uuid(1), uuid(0)], 'own entries kept');
      assert.equal(view.entries({ maxEntries: 3, maxChecksPerEntry: 1 }).at(-1)?.checks[0].checkedAt, at(0), 'own check kept');
      assert.deepEqual(ids(view.entries({ maxEntries: 4, maxChecksPerEntry: 2 })), [uuid(0), uuid(102), uuid(2), uuid(1)], 'then the newest imported');
    });

    it('an imported row checked again here becomes the user’s own', () => {
      const c = check(uuid(5), { checkedAt: at(5) });
      const { view } = build([add(check(uuid(1), { checkedAt: at(1) })), add(c, T, { src: 'import' }), add(c, T + 1)]);
      assert.deepEqual(ids(view.entries({ maxEntries: 1, maxChecksPerEntry: 1 })), [uuid(5)]);
    });
  });

  describe('repeats', () => {
    const first = check(uuid(3), { checkedAt: at(1), durationMs: 10 });
    const rep = (n: number, seconds: number, dur = 20): Op => ({
      o: 'rep',
      at: T + seconds * 1000,
      k: uuid(3),
      of: first.checkedAt,
      n,
      last: at(seconds),
      dur,
    });

    it('a writer’s running count: applied twice it counts once; the latest poll and its duration shown', () => {
      const { entries } = build([add(first), rep(1, 5), rep(2, 9, 30), rep(2, 9, 30), rep(1, 5)]);
      assert.deepEqual(entries[0].checks, [{ ...first, repeat: 3, lastCheckedAt: at(9), durationMs: 30 }]);
    });

    it('two windows repeating the same row: both counts add up, in either order of reading', () => {
      const a: [Op, string][] = [
        [rep(1, 5), 'a'],
        [rep(2, 6), 'a'],
      ];
      const b: [Op, string][] = [[rep(1, 7), 'b']];
      const one = build([add(first), ...a, ...b]).entries[0].checks[0];
      const two = build([...b, add(first), ...a]).entries[0].checks[0];
      assert.deepEqual([one.repeat, one.lastCheckedAt], [4, at(7)]);
      assert.deepEqual(two, one, 'a repeat read before its row is kept until the row arrives');
    });

    it('a Remove takes back the repeats counted up to it, also on a row stored after it: a change, which the view shows', () => {
      const state = new HistoryState();
      const view = new HistoryView(state);
      const late = add(first, T + 20_000); // the row itself stored (again, by another window) after the Remove
      for (const op of [late, rep(2, 5), rep(1, 6)]) state.apply(op, 'a');
      assert.equal(view.entries(LIMITS)[0].checks[0].repeat, 3);
      assert.equal(state.apply({ o: 'rm', at: T + 10_000, k: uuid(3) }, 'a'), true, 'the Remove changed the state');
      assert.deepEqual(view.entries(LIMITS)[0].checks[0].repeat ?? 1, 1, 'the repeats before it are gone, the row stays');
    });

    it('a copy’s count (a synced or migrated row) raises the total, never adds to it twice', () => {
      const copy = { ...first, repeat: 4, lastCheckedAt: at(8) };
      const { entries } = build([add(first), [rep(2, 5), 'a'], add(copy), add(copy)]);
      assert.deepEqual([entries[0].checks[0].repeat, entries[0].checks[0].lastCheckedAt], [4, at(8)]);
    });
  });

  describe('tombstones and labels', () => {
    it('Remove drops what was stored up to it; a later check of the id comes back on its own', () => {
      const { entries } = build([
        add(check(uuid(1), { checkedAt: at(1) })),
        add(check(uuid(2), { checkedAt: at(2) })),
        { o: 'rm', at: T + 10_000, k: uuid(1).toUpperCase() as ReturnType<typeof uuid> },
        add(check(uuid(1), { checkedAt: at(1) }), T + 5000),
        add(check(uuid(1), { checkedAt: at(20) }), T + 20_000),
      ]);
      assert.deepEqual(
        entries.map((e) => [e.otpId, e.checks.length]),
        [
          [uuid(1), 1],
          [uuid(2), 1],
        ],
      );
      assert.equal(entries[0].checks[0].checkedAt, at(20), 'the removed row (stored before the removal) does not come back');
    });

    it('Clear drops everything stored up to it; an import after it (old checks, stored later) stays', () => {
      const { entries } = build([
        add(check(uuid(1), { checkedAt: at(1) })),
        { o: 'clear', at: T + 10_000 },
        add(check(uuid(2), { checkedAt: at(2) }), T + 9_000),
        add(check(uuid(3), { checkedAt: at(3) }), T + 11_000, { src: 'import' }),
      ]);
      assert.deepEqual(ids(entries), [uuid(3)]);
    });

    it('labels: the latest wins (ties by writer); an import’s label only fills a missing one; a removal takes it', () => {
      const c = check(uuid(1), { checkedAt: at(1) });
      const label = (text: string, when: number): Op => ({ o: 'label', at: when, k: uuid(1), label: text });
      assert.equal(build([add(c), label('b', T + 5), label('a', T + 3)]).entries[0].label, 'b');
      assert.equal(build([add(c), [label('x', T + 5), 'w2'], [label('y', T + 5), 'w1']]).entries[0].label, 'x');
      assert.equal(build([add(c), label('mine', T + 5), label('imported', 0)]).entries[0].label, 'mine');
      assert.equal(build([add(c), label('imported', 0)]).entries[0].label, 'imported');
      assert.equal(build([add(c), label('', T + 6), label('imported', 0)]).entries[0].label, undefined, 'cleared stays cleared');
      const removed = build([add(c), label('x', T + 5), { o: 'rm', at: T + 6, k: uuid(1) }, add(check(uuid(1), { checkedAt: at(9) }), T + 9000)]);
      assert.equal(removed.entries[0].label, undefined);
    });
  });

  describe('convergence', () => {
    /** Random operations of a few otp_ids by two writers (fast-check). */
    const opArb = fc.oneof(
      fc.record({ id: fc.integer({ min: 0, max: 4 }), t: fc.integer({ min: 0, max: 50 }), s: fc.integer({ min: 0, max: 60 }) }).map(({ id, t, s }): Op => ({
        o: 'add',
        at: T + s * 1000,
        c: check(uuid(id), { checkedAt: at(t) }),
        ...(t % 3 === 0 ? { resendOf: uuid(10 + (s % 3)) } : {}),
      })),
      fc
        .record({ id: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 60 }) })
        .map(({ id, s }): Op => ({ o: 'rm', at: T + s * 1000, k: uuid(id) })),
      fc.integer({ min: 0, max: 60 }).map((s): Op => ({ o: 'clear', at: T + s * 1000 })),
      fc
        .record({ id: fc.integer({ min: 0, max: 4 }), s: fc.integer({ min: 0, max: 60 }), l: fc.constantFrom('a', 'b', '') })
        .map(({ id, s, l }): Op => ({ o: 'label', at: T + s * 1000, k: uuid(id), label: l })),
      // A writer's count on a row only grows with time, as a window's own log has it.
      fc
        .record({ id: fc.integer({ min: 0, max: 4 }), t: fc.integer({ min: 0, max: 50 }), s: fc.integer({ min: 0, max: 60 }) })
        .map(({ id, t, s }): Op => ({ o: 'rep', at: T + s * 1000, k: uuid(id), of: at(t), n: s + 1, last: at(t + s), dur: s })),
    );

    it('two windows’ logs read in any interleaving, and any of it read twice, give the same history', () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 30 }), fc.array(fc.boolean(), { maxLength: 60 }), (a, b, picks) => {
          const inOrder = build([...a.map((op): [Op, string] => [op, 'a']), ...b.map((op): [Op, string] => [op, 'b'])]).entries;
          const mixed: [Op, string][] = [];
          let [i, j] = [0, 0];
          for (const pickA of picks) {
            if (pickA && i < a.length) mixed.push([a[i++], 'a']);
            else if (j < b.length) mixed.push([b[j++], 'b']);
          }
          while (i < a.length) mixed.push([a[i++], 'a']);
          while (j < b.length) mixed.push([b[j++], 'b']);
          const again = mixed.slice(0, Math.floor(mixed.length / 2));
          assert.deepEqual(build([...mixed, ...again]).entries, inOrder);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('log lines', () => {
    it('empty lines and lines of blanks are skipped, not unreadable, wherever they are', () => {
      const [a, b] = [add(check(uuid(1))), add(check(uuid(2)))];
      const text = `\n${toLines([a]).toString()}   \n\r\n${toLines([b]).toString()}`;
      const read = readLines(Buffer.from(text));
      assert.deepEqual(
        read.ops.map((o) => o.op),
        [a, b],
      );
      assert.deepEqual(read.bad, []);
    });

    it('round-trips operations; a line still being written is left; unreadable lines are named', () => {
      const ops: Op[] = [add(check(uuid(1))), { o: 'clear', at: T }, { o: 'label', at: T, k: uuid(1), label: '  x  ' }];
      const bytes = toLines(ops);
      const withTail = Buffer.concat([bytes, Buffer.from('not json\n{"o":"add","at":1,"c":{"otpId":"x"}}\n{"o":"cle')]);
      const read = readLines(withTail);
      assert.deepEqual(
        read.ops.map((o) => o.op),
        [ops[0], ops[1], { ...ops[2], label: 'x' }],
      );
      assert.deepEqual(read.bad, ['not json', '{"o":"add","at":1,"c":{"otpId":"x"}}']);
      assert.equal(read.consumed, withTail.lastIndexOf(0x0a) + 1);
      assert.deepEqual(readLines(withTail, true).bad.at(-1), '{"o":"cle', 'read as final (its window is gone): the torn line is named');
    });

    it('every field of an operation is checked: wrong types are not operations', () => {
      for (const raw of [
        { o: 'add', at: -1, c: check(uuid(1)) },
        { o: 'add', at: 1, c: { ...check(uuid(1)), durationMs: 'x' } },
        { o: 'add', at: 1, c: check(uuid(1)), src: 'elsewhere' },
        { o: 'add', at: 1, c: check(uuid(1)), resendOf: '../../x' },
        { o: 'add', at: 1, c: check(uuid(1)), resendOf: null },
        { o: 'rep', at: 1, k: uuid(1), of: at(0), n: 0, last: at(0), dur: 1 },
        // a repeat's dates are ISO text: a number (which Date.parse would read as a year) is not one
        { o: 'rep', at: 1, k: uuid(1), of: 2024, n: 2, last: at(0), dur: 1 },
        { o: 'rep', at: 1, k: uuid(1), of: at(0), n: 2, last: 2024, dur: 1 },
        { o: 'rep', at: 1, k: uuid(1), of: 'yesterday', n: 2, last: at(0), dur: 1 },
        { o: 'rm', at: 1, k: 'not-an-id' },
        { o: 'label', at: 1, k: uuid(1), label: 7 },
        { o: 'drop-table', at: 1 },
        { o: 'clear', at: '1' },
      ]) {
        assert.equal(readOp(raw), undefined, JSON.stringify(raw));
      }
      assert.equal(
        (readOp({ o: 'label', at: 1, k: uuid(1), label: ` ${'l'.repeat(500)} ` }) as { label: string }).label,
        'l'.repeat(Limits.maxLabel),
        'a label from a log is cut to the cap, as one set here',
      );
      assert.deepEqual(
        readOp({ o: 'rep', at: 1, k: uuid(1), of: at(0), n: 2, last: at(1), dur: 1 }),
        { o: 'rep', at: 1, k: uuid(1), of: at(0), n: 2, last: at(1), dur: 1 },
        'the same repeat with ISO dates is one',
      );
    });
  });
  describe('a view kept up to date (one add costs the same at 200 entries as at 20,000)', () => {
    const op = fc.oneof(
      fc
        .record({ id: fc.integer({ min: 1, max: 12 }), t: fc.integer({ min: 1, max: 40 }), src: fc.boolean() })
        .map(({ id, t, src }): Op => add(check(uuid(id), { checkedAt: at(t) }), T + t * 1000 + 100, src ? { src: 'import' } : {})),
      fc
        .record({ id: fc.integer({ min: 1, max: 12 }), t: fc.integer({ min: 1, max: 40 }) })
        .map(({ id, t }): Op => ({ o: 'rm', at: T + t * 1000, k: uuid(id) })),
      fc
        .record({ id: fc.integer({ min: 1, max: 12 }), label: fc.string({ maxLength: 3 }) })
        .map(({ id, label }): Op => ({ o: 'label', at: T, k: uuid(id), label })),
      fc.integer({ min: 1, max: 40 }).map((t): Op => ({ o: 'clear', at: T + t * 1000 - 50 })),
    );

    it('after any operations, read between them, it lists what a view built from scratch lists (the caps too)', () => {
      fc.assert(
        fc.property(fc.array(fc.array(op, { maxLength: 5 }), { maxLength: 15 }), fc.integer({ min: 1, max: 6 }), (batches, maxEntries) => {
          const limits = { maxEntries, maxChecksPerEntry: 3 };
          const state = new HistoryState();
          const kept = new HistoryView(state);
          for (const batch of batches) {
            for (const o of batch) state.apply(o, 'w1');
            assert.deepEqual(kept.entries(limits), new HistoryView(state).entries(limits));
          }
        }),
        { numRuns: 300 },
      );
    });

    it('knows which entries changed since a revision, and says "unknown" after a Clear or more than it keeps', () => {
      const state = new HistoryState();
      state.apply(add(check(uuid(1), { checkedAt: at(1) })), 'w1');
      const r = state.revision;
      state.apply(add(check(uuid(2), { checkedAt: at(2) })), 'w1');
      state.apply({ o: 'label', at: T, k: uuid(1), label: 'x' }, 'w1');
      assert.deepEqual([...(state.changes.since(r, state.revision) ?? [])].sort(), [uuid(1), uuid(2)].sort());
      assert.equal(state.changes.since(state.revision, state.revision)?.size, 0);
      state.apply({ o: 'clear', at: T + 10_000 }, 'w1');
      assert.equal(state.changes.since(r, state.revision), undefined, 'a Clear touches every entry');
      const after = state.revision;
      for (let i = 0; i < 65; i++) state.apply(add(check(uuid(3), { checkedAt: at(20 + i) })), 'w1');
      assert.equal(state.changes.since(after, state.revision), undefined, 'more changes than the log keeps');
      state.revision++; // a bump from outside (the store re-applying the caps)
      assert.equal(state.changes.since(state.revision - 1, state.revision), undefined);
    });
  });
});
