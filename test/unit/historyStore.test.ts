import * as assert from 'node:assert/strict';
import { HistoryStore } from '../../src/stores/historyStore';
import type { StatusCheck } from '../../src/core/types';
import { FakeMemento } from './fakes';

const KEY = 'd7otp.history';
const BACKUP = 'd7otp.history.backup';
const limits = { maxEntries: 200, maxChecksPerEntry: 20 };

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
function check(otpId: string, status = 'OPEN'): StatusCheck {
  return { otpId, checkedAt: new Date().toISOString(), ok: true, status, httpStatus: 200, durationMs: 1 };
}
function store(memento: FakeMemento, warnings: string[] = [], l = limits): HistoryStore {
  return new HistoryStore({ memento, key: KEY, backupKey: BACKUP, limits: () => l, warn: (m) => warnings.push(m) });
}

describe('history store (over a Memento)', () => {
  it('persists across store instances (a reload of the extension)', async () => {
    const memento = new FakeMemento(true);
    const first = store(memento);
    await first.add(check(uuid(1)));
    await first.add(check(uuid(2), 'APPROVED'));
    const second = store(memento); // add resolves once stored
    assert.deepEqual(second.entries.map((e) => e.otpId), [uuid(2), uuid(1)]);
    assert.equal(second.entries[0].checks[0].status, 'APPROVED');
  });

  it('fires onDidChange after each write', async () => {
    const s = store(new FakeMemento());
    let fired = 0;
    s.onDidChange(() => fired++);
    await s.add(check(uuid(1)));
    await s.remove(uuid(1));
    await s.clear();
    assert.equal(fired, 3);
  });

  it('serialises concurrent writes: 50 ids at once all land', async () => {
    const s = store(new FakeMemento(true));
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.add(check(uuid(i)))));
    assert.equal(s.entries.length, 50);
    assert.deepEqual(s.entries.map((e) => e.otpId), Array.from({ length: 50 }, (_, i) => uuid(49 - i)));
  });

  it('serialises concurrent writes: 20 checks of one id all land in order', async () => {
    const s = store(new FakeMemento(true));
    await Promise.all(Array.from({ length: 20 }, (_, i) => s.add(check(uuid(7), `S${i}`))));
    assert.equal(s.entries.length, 1);
    assert.deepEqual(s.entries[0].checks.map((c) => c.status), Array.from({ length: 20 }, (_, i) => `S${19 - i}`));
  });

  it('two windows over one Memento never erase each other', async () => {
    const memento = new FakeMemento(true);
    const windowA = store(memento);
    const windowB = store(memento);
    assert.equal(windowA.entries.length, 0); // both have read the empty history
    assert.equal(windowB.entries.length, 0);
    await Promise.all([windowA.add(check(uuid(1))), windowB.add(check(uuid(2))), windowA.add(check(uuid(3))), windowB.add(check(uuid(4)))]);
    const third = store(memento);
    assert.deepEqual(new Set(third.entries.map((e) => e.otpId)), new Set([uuid(1), uuid(2), uuid(3), uuid(4)]));
    await windowB.remove(uuid(1));
    assert.deepEqual(new Set(windowA.entries.map((e) => e.otpId)), new Set([uuid(2), uuid(3), uuid(4)]));
  });

  it('sets corrupt stored history aside under a backup key, warns once, and keeps working', async () => {
    const memento = new FakeMemento();
    memento.values.set(KEY, { version: 1, entries: [{ otpId: uuid(1), checks: [check(uuid(1))] }, 'garbage', { otpId: 5 }] });
    const warnings: string[] = [];
    const s = store(memento, warnings);
    assert.deepEqual(s.entries.map((e) => e.otpId), [uuid(1)]);
    assert.equal(s.entries.length, 1);
    await s.add(check(uuid(2)));
    await s.flush();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /2 stored history entries were unreadable.*d7otp\.history\.backup/);
    const backups = memento.values.get(BACKUP) as { problem: string; data: unknown }[];
    assert.equal(backups.length, 1);
    assert.deepEqual(backups[0].data, ['garbage', { otpId: 5 }]);
    assert.deepEqual(s.entries.map((e) => e.otpId), [uuid(2), uuid(1)]);
  });

  it('keeps a future-version document in the backup, not deleted', () => {
    const memento = new FakeMemento();
    const future = { version: 7, entries: [{ a: 1 }] };
    memento.values.set(KEY, future);
    const warnings: string[] = [];
    const s = store(memento, warnings);
    assert.equal(s.entries.length, 0);
    assert.deepEqual((memento.values.get(BACKUP) as { data: unknown }[])[0].data, future);
    assert.equal(warnings.length, 1);
  });

  it('applies the caps from the settings', async () => {
    const l = { maxEntries: 3, maxChecksPerEntry: 2 };
    const s = store(new FakeMemento(), [], l);
    for (let i = 0; i < 5; i++) await s.add(check(uuid(i)));
    for (let i = 0; i < 5; i++) await s.add(check(uuid(4), `S${i}`));
    assert.equal(s.entries.length, 3);
    assert.equal(s.entries[0].checks.length, 2);
    l.maxEntries = 1;
    await s.enforceLimits();
    assert.equal(s.entries.length, 1);
  });

  it('a failed write does not block later writes', async () => {
    const memento = new FakeMemento();
    const s = store(memento);
    const original = memento.update.bind(memento);
    let fail = true;
    memento.update = async (key, value) => {
      if (fail && key === KEY) {
        fail = false;
        throw new Error('disk full');
      }
      return original(key, value);
    };
    await assert.rejects(s.add(check(uuid(1))), /disk full/);
    await s.add(check(uuid(2)));
    assert.ok(s.entries.some((e) => e.otpId === uuid(2)));
  });
});
