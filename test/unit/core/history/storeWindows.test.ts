/**
 * Several windows over one history folder (several stores in one process stand for several extension hosts), each
 * with its own view of globalState whose writes reach the other windows only after a delay, as VS Code's does.
 */
import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/core/check';
import type { HistoryStore } from '../../../../src/core/history/store';
import { at, check, uuid, waitFor, type CheckSpec } from '../../helpers';
import { SharedStorage, tempDir, testStore, type StoreOptions } from '../../historyFixtures';

let clock = 0;
const next = (n: number, status = 'OPEN', spec: CheckSpec = {}) => check(uuid(n), { checkedAt: at(++clock), status, ...spec });
const ids = (entries: readonly HistoryEntry[]) => new Set(entries.map((e) => e.otpId));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => uuid(from + i));

/** `count` windows over one folder (Settings Sync of the history on, so the globalState copy is written too). */
async function windows(
  count: number,
  options: StoreOptions & { delayMs?: number } = {},
): Promise<{ dir: string; storage: SharedStorage; open: () => Promise<HistoryStore>; all: HistoryStore[] }> {
  const dir = options.dir ?? tempDir();
  const storage = new SharedStorage(options.delayMs ?? 30);
  const all: HistoryStore[] = [];
  const open = async () => {
    const s = testStore({ dir, memento: storage.window(), sync: () => true, copyDelayMs: 5, ...options });
    all.push(s);
    await s.ready;
    return s;
  };
  for (let i = 0; i < count; i++) await open();
  return { dir, storage, open, all };
}

async function closeAll(stores: HistoryStore[]): Promise<void> {
  await Promise.all(stores.map((s) => s.close()));
}

describe('core/history/store: several windows', () => {
  it('11.3: two windows with separate globalState caches and a propagation delay, 80 checks each at the same moment: none lost, in both, and in a third window opened afterwards', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    const inA = range(0x1000, 80);
    const inB = range(0x2000, 80);
    await Promise.all([...inA.map((id) => a.add(check(id, { checkedAt: at(++clock) }))), ...inB.map((id) => b.add(check(id, { checkedAt: at(++clock) })))]);
    const everything = new Set([...inA, ...inB]);
    for (const s of [a, b]) {
      await waitFor(() => s.entries.length === 160, `a window to show all 160 (shows ${s.entries.length})`, 5000);
      assert.deepEqual(ids(s.entries), everything);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the globalState copies cross over meanwhile
    const third = await w.open();
    assert.deepEqual(ids(third.entries), everything, 'the third window reads every check');
    assert.ok(third.entries.every((e) => e.checks.length === 1));
    await closeAll(w.all);
  });

  it('a window sees another one’s checks without a reload (the folder is watched)', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    await a.add(next(1));
    await waitFor(() => b.find(uuid(1)) !== undefined, 'the other window to show the check');
    await closeAll(w.all);
  });

  it('a removal in one window is not undone by the next write of the other, nor by a merge', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    await a.add(next(1));
    await a.add(next(2));
    await b.reload();
    assert.equal(b.entries.length, 2);
    await b.remove(uuid(1));
    await a.add(next(3));
    for (const s of [a, b]) await s.reload();
    for (const s of [a, b, await w.open()]) assert.deepEqual(ids(s.entries), new Set([uuid(3), uuid(2)]));
    await closeAll(w.all);
  });

  it('a newer check of the same id from the other window is kept when this window adds one', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    await a.add(next(1, 'OPEN'));
    await b.reload();
    await b.add(next(1, 'APPROVED'));
    await a.add(next(1, 'ALREADY_VERIFIED'));
    const third = await w.open();
    assert.deepEqual(
      third.entries[0].checks.map((c) => c.status),
      ['ALREADY_VERIFIED', 'APPROVED', 'OPEN'],
    );
    await closeAll(w.all);
  });

  it('a clear in one window while the other writes: what the other stores afterwards stays, nothing comes back', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    for (let i = 0; i < 5; i++) await a.add(next(i));
    await b.reload();
    await b.clear();
    await a.add(next(99));
    for (const s of [a, b]) await s.reload();
    for (const s of [a, b, await w.open()]) assert.deepEqual(ids(s.entries), new Set([uuid(99)]));
    await closeAll(w.all);
  });

  it('two windows clearing at once, each with checks the other has not read yet: both clears hold, nothing comes back', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    await Promise.all([a.add(next(1)), b.add(next(2))]);
    await Promise.all([a.clear(), b.clear()]);
    await Promise.all([a.add(next(3)), b.add(next(4))]);
    for (const s of [a, b]) await s.reload();
    await new Promise((resolve) => setTimeout(resolve, 100)); // the globalState copies cross over too
    for (const s of [a, b]) await s.reload();
    for (const s of [a, b, await w.open()]) assert.deepEqual(ids(s.entries), new Set([uuid(3), uuid(4)]));
    await closeAll(w.all);
  });

  it('watch polls of one id in two windows: every repeat counted, once', async () => {
    const w = await windows(2);
    const [a, b] = w.all;
    const first = next(5);
    await a.add(first);
    await b.reload();
    const poll = () => check(uuid(5), { checkedAt: at(++clock) });
    await Promise.all([
      a.add(poll(), { repeatOf: first.checkedAt }),
      b.add(poll(), { repeatOf: first.checkedAt }),
      a.add(poll(), { repeatOf: first.checkedAt }),
    ]);
    for (const s of [a, b]) await s.reload();
    for (const s of [a, b, await w.open()]) assert.equal(s.find(uuid(5))?.checks[0].repeat, 4);
    await closeAll(w.all);
  });

  it('a window that compacts folds every log in; the others keep reading, and windows opened later see the same', async () => {
    const w = await windows(3, { compactAfter: 10 });
    const [a, b, c] = w.all;
    await Promise.all(Array.from({ length: 30 }, (_, i) => [a, b, c][i % 3].add(next(100 + i))));
    assert.equal(await a.compact(), true);
    await b.add(next(200));
    for (const s of w.all) await s.reload();
    const later = await w.open();
    for (const s of [a, b, c, later]) assert.equal(s.entries.length, 31);
    await closeAll(w.all);
  });
});
