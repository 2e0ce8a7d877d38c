/**
 * HistoryView.recent: what the recorder reads before it files a check (the newest check shown, the newest
 * successful one shown, the check times taken) — the same as the entry `find` builds, whether or not that view is
 * built already, over the user's own rows, imported ones filling what the cap leaves, and failures among them.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, uuid } from '../../helpers';

const A = uuid(1);
const T = Date.parse(at(0));

interface RowSpec {
  seconds: number;
  ok: boolean;
  imported: boolean;
}

const rowOp = (r: RowSpec, i: number): Op => ({
  o: 'add',
  at: T + i,
  c: check(A, { checkedAt: at(r.seconds), ...(r.ok ? { status: `S${r.seconds}` } : { error: { kind: 'server', message: 'down' } }) }) as FiledCheck,
  ...(r.imported ? { src: 'import' as const } : {}),
});

function built(rows: RowSpec[]): { state: HistoryState; view: HistoryView } {
  const state = new HistoryState();
  rows.forEach((r, i) => state.apply(rowOp(r, i), 'w'));
  return { state, view: new HistoryView(state) };
}

describe('core/history/view: recent', () => {
  it('says what the entry find builds would show first, before and after that view is built, for any rows and cap', () => {
    const row = fc.record({ seconds: fc.integer({ min: 0, max: 60 }), ok: fc.boolean(), imported: fc.boolean() });
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 12 }), (rows, maxChecksPerEntry) => {
        const limits = { maxEntries: 100, maxChecksPerEntry };
        const { view, state } = built(rows);
        const scanned = view.recent(A, limits);
        const entry = view.find(A, limits);
        const cached = view.recent(A, limits);
        for (const recent of [scanned, cached]) {
          assert.ok(recent && entry);
          assert.deepEqual(recent.newest, entry.checks[0]);
          assert.deepEqual(
            recent.newestOk,
            entry.checks.find((c) => c.ok),
          );
          for (const r of rows) assert.equal(recent.taken(Date.parse(at(r.seconds))), true, 'a row shown or not is taken');
          assert.equal(recent.taken(Date.parse(at(61))), false);
        }
        state.apply(rowOp({ seconds: 62, ok: true, imported: false }, rows.length), 'w'); // the view built above is out of date now
        assert.equal(view.recent(A, limits)?.newest.checkedAt, at(62));
        assert.equal(view.recent(A, limits)?.newestOk?.checkedAt, at(62));
      }),
      { numRuns: 400 },
    );
  });

  it('an imported success newer than the cap of own rows is not shown, so it is not the newest success either', () => {
    const { view } = built([
      { seconds: 1, ok: false, imported: false },
      { seconds: 2, ok: false, imported: false },
      { seconds: 9, ok: true, imported: true },
    ]);
    const recent = view.recent(A, { maxEntries: 10, maxChecksPerEntry: 2 });
    assert.equal(recent?.newest.checkedAt, at(2));
    assert.equal(recent?.newestOk, undefined);
    assert.equal(view.recent(A, { maxEntries: 10, maxChecksPerEntry: 3 })?.newestOk?.checkedAt, at(9), 'with room for it: shown');
  });

  it('an entry without rows, or none at all: nothing', () => {
    const { view, state } = built([{ seconds: 1, ok: true, imported: false }]);
    assert.equal(view.recent(uuid(2), { maxEntries: 10, maxChecksPerEntry: 5 }), undefined);
    state.apply({ o: 'rm', at: T + 100, k: A }, 'w');
    assert.equal(view.recent(A, { maxEntries: 10, maxChecksPerEntry: 5 }), undefined);
  });
});
