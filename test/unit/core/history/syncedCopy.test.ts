/**
 * SyncedCopy on its own (the store's tests reach it through a whole HistoryStore): when it merges the key, when it
 * writes it, when it empties it, and its timer.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { SyncedCopy } from '../../../../src/core/history/syncedCopy';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, FakeMemento, uuid } from '../../helpers';

const KEY = 'd7otp.history';
const LIMITS = { maxEntries: 200, maxChecksPerEntry: 20 };
const NOW = Date.parse(at(1000));

/** A copy over a fresh state; `merged` lists the operations of each merge; sync on unless `enabled` says otherwise. */
function setup(options: { enabled?: boolean } = {}) {
  const memento = new FakeMemento();
  const state = new HistoryState();
  const view = new HistoryView(state);
  const merged: Op[][] = [];
  let enabled = options.enabled ?? true;
  const copy = new SyncedCopy({
    memento,
    key: KEY,
    backupKey: `${KEY}.backup`,
    enabled: () => enabled,
    delayMs: 1000,
    now: () => NOW,
    state,
    views: () => view.views(LIMITS),
    merge: async (ops) => {
      merged.push([...ops]);
      for (const op of ops) state.apply(op, 'w');
    },
    setAside: async () => undefined,
  });
  const addCheck = (n: number) => state.apply({ o: 'add', at: NOW - n, c: check(uuid(n), { checkedAt: at(n) }) }, 'w');
  return { memento, state, merged, copy, addCheck, setEnabled: (on: boolean) => (enabled = on) };
}

describe('core/history/syncedCopy: SyncedCopy', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout'] })));
  afterEach(() => clock.restore());

  it('writes a moment after a change, once for a burst; only when the copy differs from the last one written', async () => {
    const s = setup();
    s.addCheck(1);
    s.copy.schedule();
    s.copy.schedule();
    assert.equal(s.memento.writes, 0, 'not at once');
    await clock.tickAsync(999);
    assert.equal(s.memento.writes, 0);
    await clock.tickAsync(1);
    assert.equal(s.memento.writes, 1, 'once for the burst, the delay after the last');
    await s.copy.write();
    assert.equal(s.memento.writes, 1, 'the same copy is not written again');
    s.addCheck(2);
    await s.copy.write();
    assert.equal(s.memento.writes, 2);
    assert.equal((s.memento.get<{ entries: unknown[] }>(KEY)?.entries ?? []).length, 2);
  });

  it('with Settings Sync off: nothing is scheduled or written', async () => {
    const s = setup({ enabled: false });
    s.addCheck(1);
    s.copy.schedule();
    await clock.tickAsync(5000);
    await s.copy.write();
    assert.equal(s.memento.writes, 0);
  });

  it('close writes a pending copy at once and schedules nothing after; with nothing pending it writes nothing', async () => {
    const s = setup();
    s.addCheck(1);
    s.copy.schedule();
    await s.copy.close();
    assert.equal(s.memento.writes, 1, 'the pending copy, now');
    s.addCheck(2);
    s.copy.schedule();
    await clock.tickAsync(5000);
    assert.equal(s.memento.writes, 1, 'closed: no more writes');
    const idle = setup();
    await idle.copy.close();
    assert.equal(idle.memento.writes, 0);
  });

  it("merges another machine's copy once (the same value again is not merged), and its own copy read back never", async () => {
    const s = setup();
    const other = setup();
    other.addCheck(5);
    await other.copy.write();
    const theirs = other.memento.get<unknown>(KEY);
    await s.memento.update(KEY, theirs);
    await s.copy.check();
    await s.copy.check();
    assert.equal(s.merged.length, 1, 'the same value is merged once');
    assert.deepEqual([...s.state.entries.keys()], [uuid(5)]);
    const mine = setup();
    mine.addCheck(7);
    await mine.copy.write();
    const written = mine.memento.get<unknown>(KEY);
    const merges = mine.merged.length;
    await mine.memento.update(KEY, JSON.parse(JSON.stringify(written))); // Settings Sync hands it back as a new object
    await mine.copy.check();
    assert.equal(mine.merged.length, merges, 'its own copy (the same digest) is not merged');
  });

  it('after merging a copy with something in it, writes its own merged copy back; a copy with nothing new, no write', async () => {
    const s = setup();
    const other = setup();
    other.addCheck(5);
    await other.copy.write();
    await s.memento.update(KEY, other.memento.get<unknown>(KEY));
    const before = s.memento.writes;
    await s.copy.check();
    await clock.tickAsync(1000);
    assert.equal(s.memento.writes, before + 1, 'the merged copy written back');
    const empty = setup();
    await empty.memento.update(KEY, { version: 1, entries: [], sync: { format: 'd7otp-history-sync' } });
    const writes = empty.memento.writes;
    await empty.copy.check();
    await clock.tickAsync(5000);
    assert.equal(empty.memento.writes, writes, 'an empty synced copy brings nothing to write back');
  });

  it('with Settings Sync off, a copy is merged into the log and the key emptied; an absent key is left alone', async () => {
    const s = setup({ enabled: false });
    const other = setup();
    other.addCheck(5);
    await other.copy.write();
    await s.memento.update(KEY, other.memento.get<unknown>(KEY));
    const writes = s.memento.writes;
    await s.copy.check();
    assert.equal(s.merged.length, 1);
    assert.equal(s.memento.get(KEY), undefined, 'emptied');
    assert.equal(s.memento.writes, writes + 1);
    await s.copy.check();
    assert.equal(s.memento.writes, writes + 1, 'an absent key is not written');
  });

  it('toggled: on, the copy is written; off, the key is emptied', async () => {
    const s = setup({ enabled: false });
    s.addCheck(1);
    s.setEnabled(true);
    await s.copy.toggled();
    assert.equal((s.memento.get<{ entries: unknown[] }>(KEY)?.entries ?? []).length, 1);
    s.setEnabled(false);
    await s.copy.toggled();
    assert.equal(s.memento.get(KEY), undefined);
    const writes = s.memento.writes;
    await s.copy.toggled();
    assert.equal(s.memento.writes, writes, 'an empty key is not emptied again');
  });
});
