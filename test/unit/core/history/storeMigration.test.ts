/**
 * What the store reads besides its own logs: the history an older version kept in globalState (the migration),
 * Settings Sync's copy (another machine's, an older one), and stored files that are corrupt or cut short.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HistoryEntry } from '../../../../src/core/check';
import { SYNC_BUDGET } from '../../../../src/core/history/copyFormat';
import { parseHistory } from '../../../../src/core/history/model';
import type { HistoryStore } from '../../../../src/core/history/store';
import { storedEntry, storedId, UNREADABLE_STORED_HISTORY } from '../../../cases/storedHistory';
import { at, check, FakeMemento, uuid, type CheckSpec } from '../../helpers';
import { BACKUP_KEY, HISTORY_KEY, tempDir, testStore, type StoreOptions } from '../../historyFixtures';

/** What version 0.1 (the globalState store) left in globalState: written by that version's own code. */
const LEGACY_FIXTURE = path.resolve(__dirname, '../../../../../test/fixtures/history/globalState-0.1.json');

let clock = 0;
const next = (n: number, status = 'OPEN', spec: CheckSpec = {}) => check(uuid(n), { checkedAt: at(++clock), status, ...spec });
const ids = (entries: readonly HistoryEntry[]) => entries.map((e) => e.otpId);

async function opened(options: StoreOptions = {}): Promise<HistoryStore> {
  const s = testStore(options);
  await s.ready;
  return s;
}

const setAsideFiles = (dir: string) => {
  const folder = path.join(dir, 'set-aside');
  return fs.existsSync(folder)
    ? fs.readdirSync(folder).map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as { reason: string; problem: string; data?: unknown })
    : [];
};

describe('core/history/store: migration, Settings Sync, damaged files', () => {
  describe('migration from the globalState document of version 0.1', () => {
    const legacy = JSON.parse(fs.readFileSync(LEGACY_FIXTURE, 'utf8')) as { entries: HistoryEntry[] };

    it('loses nothing: every entry, check, label, resend link and repeat count; the key is emptied once it is in the log', async () => {
      const dir = tempDir();
      const memento = new FakeMemento(true);
      memento.values.set(HISTORY_KEY, legacy);
      const warnings: string[] = [];
      const s = await opened({ dir, memento, warnings });
      // Every entry as version 0.1 had it (the order is now by each entry's latest check, repeats included).
      const byId = (entries: readonly HistoryEntry[]) => JSON.parse(JSON.stringify([...entries].sort((a, b) => (a.otpId < b.otpId ? -1 : 1)))) as unknown;
      const expected = parseHistory(legacy).doc.entries;
      assert.equal(s.entries.length, 8);
      assert.deepEqual(byId(s.entries), byId(expected));
      assert.deepEqual(
        [s.find(uuid(1, '7e57da7a'))?.label, s.find(uuid(7, '7e57da7a'))?.resendOf, s.find(uuid(3, '7e57da7a'))?.checks[0].repeat],
        ['signup test, iPhone', uuid(5, '7e57da7a'), 4],
      );
      assert.equal(memento.values.has(HISTORY_KEY), false, 'globalState no longer holds the history');
      assert.deepEqual(warnings, []);
      await s.close();
      const reopened = await opened({ dir, memento: new FakeMemento(true) });
      assert.deepEqual(byId(reopened.entries), byId(expected), 'it is in the files now');
      await reopened.close();
    });

    it('with Settings Sync on, the key then holds the synced copy, which version 0.1 still reads', async () => {
      const memento = new FakeMemento(true);
      memento.values.set(HISTORY_KEY, legacy);
      const s = await opened({ memento, sync: () => true, copyDelayMs: 1 });
      await s.close();
      const copy = memento.values.get(HISTORY_KEY) as { sync?: unknown };
      assert.ok(copy.sync, 'the copy with what merging needs');
      const asOldVersionReadsIt = parseHistory(copy);
      assert.equal(asOldVersionReadsIt.problem, undefined);
      assert.deepEqual(ids(asOldVersionReadsIt.doc.entries), ids(s.entries));
    });

    it('a window still running version 0.1 writes its whole history again: merged, and what was cleared since stays cleared', async () => {
      const memento = new FakeMemento(true);
      memento.values.set(HISTORY_KEY, legacy);
      const s = await opened({ memento });
      await s.clear();
      await s.add(next(1));
      await new Promise((resolve) => setTimeout(resolve, 5)); // a check made after the clear (times are kept to the ms)
      const checkedThere = check(uuid(2), { checkedAt: new Date().toISOString() });
      memento.values.set(HISTORY_KEY, { ...legacy, entries: [{ otpId: uuid(2), checks: [checkedThere] }, ...legacy.entries] });
      await s.reload();
      assert.deepEqual(ids(s.entries), [uuid(2), uuid(1)]);
      await s.close();
    });

    it('the pre-versioned layout (a bare list of entries) is read too', async () => {
      const memento = new FakeMemento(true);
      memento.values.set(HISTORY_KEY, [storedEntry(1), storedEntry(2)]);
      const s = await opened({ memento });
      assert.deepEqual(ids(s.entries), [storedId(1), storedId(2)]);
      await s.close();
    });

    for (const [what, raw, readable, problem] of UNREADABLE_STORED_HISTORY) {
      it(`${what}: the readable part migrated, the rest kept in a set-aside file, one warning, never a throw`, async () => {
        const dir = tempDir();
        const memento = new FakeMemento(true);
        memento.values.set(HISTORY_KEY, raw);
        const warnings: string[] = [];
        const s = await opened({ dir, memento, warnings });
        assert.equal(s.entries.length, readable);
        await s.add(next(50));
        assert.equal(s.entries.length, readable + 1);
        assert.equal(warnings.length, 1, 'warned once');
        assert.match(warnings[0], problem);
        assert.match(warnings[0], /set-aside file .*Restore Set-Aside History/);
        const [aside] = setAsideFiles(dir);
        if (readable === 0) assert.deepEqual(aside.data, raw, 'everything set aside, unchanged');
        else assert.ok(Array.isArray(aside.data) && aside.data.length > 0, 'the unreadable entries set aside');
        await s.close();
        const again = await opened({ dir, memento, warnings });
        assert.equal(again.entries.length, readable + 1, 'a new window reads it without a new warning');
        assert.equal(warnings.length, 1);
        await again.close();
      });
    }

    it('what version 0.1 set aside under d7otp.history.backup is moved to a set-aside file', async () => {
      const dir = tempDir();
      const memento = new FakeMemento(true);
      memento.values.set(BACKUP_KEY, [{ setAsideAt: at(0), problem: 'x', data: 'garbage' }]);
      const s = await opened({ dir, memento });
      assert.equal(memento.values.has(BACKUP_KEY), false);
      assert.deepEqual(setAsideFiles(dir)[0].data, [{ setAsideAt: at(0), problem: 'x', data: 'garbage' }]);
      assert.equal((await s.setAsides())[0].reason, 'unreadable');
      await s.close();
    });
  });

  describe('Settings Sync of the history', () => {
    it('the copy is bounded: the newest entries within the budget, bodies left out when they do not fit', async () => {
      const memento = new FakeMemento(true);
      const s = await opened({ memento, sync: () => true, copyDelayMs: 1, limits: () => ({ maxEntries: 5000, maxChecksPerEntry: 20 }) });
      await Promise.all(Array.from({ length: 3000 }, (_, i) => s.add(next(i, 'OPEN', { body: { status: 'OPEN', padding: 'p'.repeat(200) } }))));
      await s.close();
      const copy = memento.values.get(HISTORY_KEY) as { entries: { otpId: string; checks: { body?: unknown }[] }[] };
      assert.ok(JSON.stringify(copy).length <= SYNC_BUDGET + 1024, `${JSON.stringify(copy).length} bytes`);
      assert.ok(copy.entries.length > 100, `${copy.entries.length} entries synced`);
      assert.deepEqual(
        copy.entries.map((e) => e.otpId),
        ids(s.entries).slice(0, copy.entries.length),
        'the newest',
      );
      assert.ok(copy.entries.every((e) => e.checks.every((c) => c.body === undefined)));
    });

    it("another machine's copy is merged and kept in this machine's files", async () => {
      const there = new FakeMemento(true);
      const machineB = await opened({ memento: there, sync: () => true, copyDelayMs: 1 });
      await machineB.add(next(1));
      await machineB.setLabel(uuid(1), 'from B');
      await machineB.close();
      const dir = tempDir();
      const here = new FakeMemento(true);
      const machineA = await opened({ dir, memento: here, sync: () => true, copyDelayMs: 1 });
      await machineA.add(next(2));
      here.values.set(HISTORY_KEY, there.values.get(HISTORY_KEY)); // Settings Sync brings B's copy
      await machineA.reload();
      assert.deepEqual(ids(machineA.entries), [uuid(2), uuid(1)]);
      await machineA.close();
      const reopened = await opened({ dir, memento: new FakeMemento(true) });
      assert.deepEqual([ids(reopened.entries), reopened.find(uuid(1))?.label], [[uuid(2), uuid(1)], 'from B']);
      await reopened.close();
    });

    it('an older copy brought back by Settings Sync: nothing removed since comes back, nothing newer is lost', async () => {
      const memento = new FakeMemento(true);
      const s = await opened({ memento, sync: () => true, copyDelayMs: 1 });
      await s.add(next(1));
      await s.add(next(2));
      await s.close();
      const older = memento.values.get(HISTORY_KEY);
      const again = await opened({ memento, sync: () => true, copyDelayMs: 1 });
      await again.remove(uuid(1));
      await again.add(next(3));
      memento.values.set(HISTORY_KEY, older);
      await again.reload();
      assert.deepEqual(ids(again.entries), [uuid(3), uuid(2)]);
      await again.close();
    });

    it('a copy from a machine whose clock is an hour ahead: the Clear that removes it does not swallow what another window checks next', async () => {
      const there = new FakeMemento(true);
      const ahead = await opened({ memento: there, sync: () => true, copyDelayMs: 1, now: () => Date.now() + 3_600_000 });
      await ahead.add(next(1));
      await ahead.close();
      const dir = tempDir();
      const here = new FakeMemento(true);
      const s = await opened({ dir, memento: here, sync: () => true, copyDelayMs: 1 });
      here.values.set(HISTORY_KEY, there.values.get(HISTORY_KEY));
      await s.reload();
      assert.deepEqual(ids(s.entries), [uuid(1)], 'the copy is merged');
      await s.clear();
      assert.deepEqual(ids(s.entries), [], 'the Clear removes it');
      const otherWindow = await opened({ dir, memento: new FakeMemento(true) });
      await otherWindow.add(next(2));
      await otherWindow.close();
      await s.reload();
      assert.deepEqual(ids(s.entries), [uuid(2)], "the other window's check after the Clear stays");
      await s.close();
    });

    it('with Settings Sync off, nothing stays in globalState; turned on, the copy is written; off again, emptied', async () => {
      const memento = new FakeMemento(true);
      let sync = false;
      const s = await opened({ memento, sync: () => sync, copyDelayMs: 1 });
      await s.add(next(1));
      await s.flush();
      assert.equal(memento.values.has(HISTORY_KEY), false);
      sync = true;
      await s.syncChanged();
      assert.deepEqual(ids((memento.values.get(HISTORY_KEY) as { entries: HistoryEntry[] }).entries), [uuid(1)]);
      sync = false;
      await s.syncChanged();
      assert.equal(memento.values.has(HISTORY_KEY), false);
      await s.close();
    });
  });

  describe('damaged files', () => {
    it('a corrupt snapshot is set aside; the logs are still read; the history works; one warning', async () => {
      const dir = tempDir();
      const first = await opened({ dir });
      await first.add(next(1));
      await first.compact();
      await first.add(next(2));
      await first.close();
      fs.writeFileSync(path.join(dir, 'snapshot.json'), '{"format":"d7otp-history-snapshot","version":2,"lo');
      const warnings: string[] = [];
      const s = await opened({ dir, warnings });
      assert.deepEqual(ids(s.entries), [uuid(2)], 'what the logs hold');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /not readable/);
      assert.equal(setAsideFiles(dir)[0].data, '{"format":"d7otp-history-snapshot","version":2,"lo');
      await s.add(next(3));
      await s.compact();
      assert.equal(warnings.length, 1, 'reported once');
      await s.close();
    });

    it('a snapshot written by a newer version is set aside unchanged before anything replaces it', async () => {
      const dir = tempDir();
      fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
      const future = `${JSON.stringify({ format: 'd7otp-history-snapshot', version: 3, more: 'new things' })}\n{"o":"future"}\n`;
      fs.writeFileSync(path.join(dir, 'snapshot.json'), future);
      const warnings: string[] = [];
      const s = await opened({ dir, warnings });
      assert.match(warnings[0], /newer version \(schema 3\)/);
      assert.deepEqual(setAsideFiles(dir)[0].data, future);
      await s.close();
    });

    it('a log cut short by a host killed mid-write, and lines edited by hand: the rest kept, the bad lines set aside at the next compaction', async () => {
      const dir = tempDir();
      const first = await opened({ dir, pid: 999_999_001, alive: () => true });
      await first.add(next(1));
      await first.add(next(2));
      await first.close();
      const [log] = fs.readdirSync(path.join(dir, 'logs'));
      const file = path.join(dir, 'logs', log);
      fs.appendFileSync(file, 'hand-edited garbage\n{"o":"add","at":1,"c":{"otpId":"00000000-0000-4000-8000-000000000003","checkedAt":"2026-1');
      const warnings: string[] = [];
      // The window that wrote it is gone (its pid no longer runs).
      const s = await opened({ dir, warnings, alive: (pid) => pid !== 999_999_001 });
      assert.deepEqual(ids(s.entries), [uuid(2), uuid(1)]);
      await s.compact();
      assert.equal(fs.existsSync(file), false, 'the gone window’s log is folded into the snapshot and removed');
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /2 lines of history logs were unreadable/);
      assert.equal((setAsideFiles(dir)[0].data as string[]).length, 2);
      assert.deepEqual(ids((await opened({ dir })).entries), [uuid(2), uuid(1)]);
      await s.close();
    });

    it('a lock left by a window that was killed during a compaction is taken over; a live window’s lock is respected', async () => {
      const dir = tempDir();
      fs.mkdirSync(dir, { recursive: true });
      const hostname = (await import('node:os')).hostname();
      fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: 999_999_002, writer: 'gone', host: hostname, at: Date.now() }));
      const alive = (pid: number) => pid !== 999_999_002;
      const s = await opened({ dir, alive });
      await s.add(next(1));
      assert.equal(await s.compact(), true, 'the dead window’s lock taken over');
      fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: 999_999_003, writer: 'busy', host: hostname, at: Date.now() }));
      assert.equal(await s.compact(false), false, 'a live window’s lock respected');
      fs.rmSync(path.join(dir, 'lock'));
      await s.close();
    });
  });
});
