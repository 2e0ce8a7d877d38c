/**
 * HistoryView's order and caps at their edges: entries that tie on their latest check (the later stored first, then
 * by otp_id, the same in every window and however the list was built), the entry cap over the user's own entries,
 * forgetting what the caps do not keep (and only then), and building a large history in slices.
 */
import * as assert from 'node:assert/strict';
import type { FiledCheck } from '../../../../src/core/check';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import type { OtpId } from '../../../../src/core/otpId';
import { at, check, turnProbe, uuid } from '../../helpers';

const T = Date.parse(at(0));
const add = (id: OtpId, seconds: number, storedAt: number, extra: Partial<FiledCheck> = {}, src?: 'import'): Op => ({
  o: 'add',
  at: storedAt,
  c: check(id, { checkedAt: at(seconds), ...extra }),
  ...(src ? { src } : {}),
});
const ids = (view: HistoryView, maxEntries = 100, maxChecksPerEntry = 10) => view.entries({ maxEntries, maxChecksPerEntry }).map((e) => e.otpId);

describe('core/history/view: order and caps at their edges', () => {
  it('entries checked at the same instant: the one stored later first', () => {
    const state = new HistoryState();
    const view = new HistoryView(state);
    state.apply(add(uuid(1), 5, T + 20), 'w');
    state.apply(add(uuid(2), 5, T + 10), 'w');
    assert.deepEqual(ids(new HistoryView(state)), [uuid(1), uuid(2)], 'sorted whole');
    state.apply(add(uuid(3), 5, T + 15), 'w');
    assert.deepEqual(ids(view), [uuid(1), uuid(3), uuid(2)], 'one moved into place');
  });

  it('entries that tie on both times are in otp_id order, however they arrived and however the list was built', () => {
    const orders = [
      [3, 1, 4, 2],
      [4, 3, 2, 1],
      [1, 2, 3, 4],
      [2, 4, 1, 3],
    ];
    const expected = [1, 2, 3, 4].map((n) => uuid(n));
    for (const order of orders) {
      const state = new HistoryState();
      const incremental = new HistoryView(state);
      for (const n of order) {
        state.apply(add(uuid(n), 5, T + 10), 'w');
        ids(incremental); // built once per add: each new entry is moved into place
      }
      assert.deepEqual(ids(incremental), expected, `moved into place, arriving as ${order.join(', ')}`);
      assert.deepEqual(ids(new HistoryView(state)), expected, `sorted whole, arriving as ${order.join(', ')}`);
    }
  });

  it("the entry cap shows the newest of the user's own entries, and no imported one when those fill it", () => {
    const state = new HistoryState();
    for (let n = 1; n <= 5; n++) state.apply(add(uuid(n), n, T + n), 'w');
    state.apply(add(uuid(9), 100, T + 100, {}, 'import'), 'w');
    assert.deepEqual(ids(new HistoryView(state), 3), [uuid(5), uuid(4), uuid(3)]);
    assert.deepEqual(ids(new HistoryView(state), 5), [uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)], 'own entries fill the cap exactly');
    assert.deepEqual(ids(new HistoryView(state), 6), [uuid(9), uuid(5), uuid(4), uuid(3), uuid(2), uuid(1)], 'room left: the import, by time');
    const noImports = new HistoryState();
    for (let n = 1; n <= 5; n++) noImports.apply(add(uuid(n), n, T + n), 'w');
    assert.deepEqual(ids(new HistoryView(noImports), 2), [uuid(5), uuid(4)]);
  });

  it("imported entries fill the room left after the user's own, in one order with them: by time, then store time, then otp_id", () => {
    const state = new HistoryState();
    // own: 1 (t=10), 3 (t=30), 5 (t=50); imported: 2 (t=20), 4 (t=30, stored as 3), 6 (t=60), 7 (t=5)
    for (const [n, t] of [
      [1, 10],
      [3, 30],
      [5, 50],
    ] as const) {
      state.apply(add(uuid(n), t, T + 100 + (n === 3 ? 0 : n)), 'w');
    }
    for (const [n, t] of [
      [2, 20],
      [4, 30],
      [6, 60],
      [7, 5],
    ] as const) {
      state.apply(add(uuid(n), t, T + 100 + (n === 4 ? 0 : n), {}, 'import'), 'w');
    }
    assert.deepEqual(
      ids(new HistoryView(state), 7),
      [6, 5, 3, 4, 2, 1, 7].map((n) => uuid(n)),
      'all: one order',
    );
    assert.deepEqual(
      ids(new HistoryView(state), 5),
      [6, 5, 3, 4, 1].map((n) => uuid(n)),
      'room for two imported: the newest two',
    );
    assert.deepEqual(
      ids(new HistoryView(state), 4),
      [6, 5, 3, 1].map((n) => uuid(n)),
      'room for one',
    );
  });

  describe('forgetUnkept', () => {
    it('drops the entries and rows past the caps, as a new revision, and the next list is built without them', () => {
      const state = new HistoryState();
      const view = new HistoryView(state);
      state.apply(add(uuid(1), 1, T + 1), 'w');
      state.apply(add(uuid(2), 2, T + 2), 'w');
      state.apply(add(uuid(2), 3, T + 3), 'w');
      state.apply(add(uuid(2), 4, T + 4), 'w');
      ids(view);
      const [revision, version] = [state.revision, state.entries.get(uuid(2))!.version];
      assert.equal(view.forgetUnkept({ maxEntries: 1, maxChecksPerEntry: 2 }), 2, 'uuid(1) and the oldest check of uuid(2)');
      assert.ok(state.revision > revision, 'a new revision');
      assert.ok(state.entries.get(uuid(2))!.version > version, 'the trimmed entry has a new version');
      assert.deepEqual(ids(view), [uuid(2)], 'the forgotten entry is not in the next list, even with room for it');
      assert.deepEqual(
        view.find(uuid(2), { maxEntries: 100, maxChecksPerEntry: 10 })?.checks.map((c) => c.checkedAt),
        [at(4), at(3)],
      );
    });

    it('with nothing past the caps: nothing dropped, no new revision, no entry changed', () => {
      const state = new HistoryState();
      const view = new HistoryView(state);
      state.apply(add(uuid(1), 1, T + 1), 'w');
      state.apply(add(uuid(1), 2, T + 2), 'w');
      state.apply(add(uuid(2), 2, T + 2), 'w');
      const [revision, v1, v2] = [state.revision, state.entries.get(uuid(1))!.version, state.entries.get(uuid(2))!.version];
      assert.equal(view.forgetUnkept({ maxEntries: 2, maxChecksPerEntry: 2 }), 0);
      assert.equal(state.revision, revision);
      assert.deepEqual([state.entries.get(uuid(1))!.version, state.entries.get(uuid(2))!.version], [v1, v2]);
    });
  });

  it('isEmpty says what an empty list would, without building it: a label alone is not an entry; the caps never hide all', () => {
    const state = new HistoryState();
    const view = new HistoryView(state);
    const listEmpty = (limits = { maxEntries: 1, maxChecksPerEntry: 1 }) => view.entries(limits).length === 0;
    assert.deepEqual([view.isEmpty(), listEmpty()], [true, true]);
    state.apply({ o: 'label', at: T + 1, k: uuid(1), label: 'only a label' }, 'w');
    assert.deepEqual([view.isEmpty(), listEmpty()], [true, true], 'a label with no check shows nothing');
    state.apply(add(uuid(1), 1, T + 2), 'w');
    state.apply(add(uuid(2), 2, T + 3, {}, 'import'), 'w');
    assert.deepEqual([view.isEmpty(), listEmpty()], [false, false]);
    state.apply({ o: 'rm', at: T + 2, k: uuid(1) }, 'w');
    assert.deepEqual([view.isEmpty(), listEmpty()], [false, false], 'an imported entry is shown too');
    state.apply({ o: 'clear', at: T + 3 }, 'w');
    assert.deepEqual([view.isEmpty(), listEmpty()], [true, true]);
  });

  it('viewsSliced gives what views gives, yielding to the event loop every 5,000 entries', async () => {
    const state = new HistoryState();
    for (let n = 1; n <= 10_001; n++) state.apply(add(uuid(n), n % 50, T + n), 'w');
    const view = new HistoryView(state);
    const probe = turnProbe();
    const sliced = await view.viewsSliced({ maxEntries: 20_000, maxChecksPerEntry: 10 });
    const turns = probe.turns;
    probe.stop();
    assert.ok(turns >= 2 && turns <= 4, `two yields (at 5,000 and 10,000 entries), so a few turns of the loop: ${turns}`);
    assert.equal(sliced.length, 10_001);
    assert.deepEqual(
      sliced.map((v) => v.key),
      new HistoryView(state).views({ maxEntries: 20_000, maxChecksPerEntry: 10 }).map((v) => v.key),
    );
  });
});
