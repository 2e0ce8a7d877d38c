/**
 * The history holds its own size in memory: after a compaction wrote the snapshot without what the caps drop,
 * memory drops it too (issue 15: a bulk run of 1,000 ids into a history of 200 kept all 1,000 in memory).
 */
import * as assert from 'node:assert/strict';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, uuid } from '../../helpers';
import { tempDir, testStore } from '../../historyFixtures';

const add = (c: FiledCheck, extra: Partial<Extract<Op, { o: 'add' }>> = {}): Op => ({ o: 'add', at: Date.parse(c.checkedAt) + 100, c, ...extra });
const rowsHeld = (state: HistoryState) => [...state.entries.values()].reduce((n, e) => n + e.rows.size, 0);

describe('core/history: memory holds what the caps keep', () => {
  it('forgetUnkept drops the entries past maxEntries and the rows past maxChecksPerEntry, and nothing that is shown', () => {
    const state = new HistoryState();
    for (let i = 0; i < 10; i++) state.apply(add(check(uuid(i), { checkedAt: at(i) })), 'w1');
    for (let i = 0; i < 6; i++) state.apply(add(check(uuid(9), { checkedAt: at(100 + i), status: `S${i}` })), 'w1');
    const view = new HistoryView(state);
    const limits = { maxEntries: 3, maxChecksPerEntry: 2 };
    const shown = JSON.stringify(view.entries(limits));
    assert.equal(rowsHeld(state), 16);

    assert.equal(view.forgetUnkept(limits), 12, 'entries 0–6 (one row each), and five of the seven rows of entry 9');
    assert.deepEqual([...state.entries.keys()].sort(), [uuid(7), uuid(8), uuid(9)].map((id) => id.toLowerCase()).sort());
    assert.equal(rowsHeld(state), 2 + 1 + 1);
    assert.equal(JSON.stringify(view.entries(limits)), shown, 'what is shown is unchanged');
    assert.equal(view.forgetUnkept(limits), 0, 'a second call drops nothing');
  });

  it('keeps an imported row that fills the room the own rows leave (as the snapshot does)', () => {
    const state = new HistoryState();
    state.apply(add(check(uuid(1), { checkedAt: at(1) })), 'w1');
    state.apply(add(check(uuid(1), { checkedAt: at(2) }), { src: 'import' }), 'w1');
    state.apply(add(check(uuid(1), { checkedAt: at(3) }), { src: 'import' }), 'w1');
    const view = new HistoryView(state);
    view.forgetUnkept({ maxEntries: 5, maxChecksPerEntry: 2 });
    assert.deepEqual(
      view.entries({ maxEntries: 5, maxChecksPerEntry: 2 })[0].checks.map((c) => c.checkedAt),
      [at(3), at(1)],
    );
    assert.equal(rowsHeld(state), 2);
  });

  it('a store forgets what its compaction dropped: an entry past the cap is no longer found, and a new check of it starts afresh', async () => {
    const s = testStore({ dir: tempDir(), limits: () => ({ maxEntries: 3, maxChecksPerEntry: 2 }), compactAfter: Infinity });
    await s.ready;
    for (let i = 0; i < 5; i++) await s.add(check(uuid(i), { checkedAt: at(i) }));
    assert.ok(s.find(uuid(0)), 'before the compaction a hidden entry is still in memory');
    assert.equal(await s.compact(), true);
    assert.equal(s.find(uuid(0)), undefined);
    assert.deepEqual(
      s.entries.map((e) => e.otpId),
      [uuid(4), uuid(3), uuid(2)],
    );
    await s.add(check(uuid(0), { checkedAt: at(10), status: 'APPROVED' }));
    assert.deepEqual(
      s.entries.map((e) => e.otpId),
      [uuid(0), uuid(4), uuid(3)],
    );
    assert.deepEqual(
      s.find(uuid(0))?.checks.map((c) => c.status),
      ['APPROVED'],
    );
    await s.close();
  });
});
