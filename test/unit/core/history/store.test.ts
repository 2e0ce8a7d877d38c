import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/core/check';
import { parseImport, toExportJson } from '../../../../src/core/history/exportFormat';
import { HISTORY_SCHEMA_VERSION, MAX_STORED_BODY } from '../../../../src/core/history/model';
import { HistoryStore, type MementoLike } from '../../../../src/core/history/store';
import { english } from '../../../../src/core/messages';
import { RAW_STATUSES } from '../../../cases/responses';
import { storedEntry, storedId, UNREADABLE_STORED_HISTORY } from '../../../cases/storedHistory';
import { at, check, FakeMemento, otpId, SlowMemento, uuid, type CheckSpec } from '../../helpers';

const KEY = 'd7otp.history';
const BACKUP = 'd7otp.history.backup';
const LIMITS = { maxEntries: 200, maxChecksPerEntry: 20 };

function store(memento: MementoLike, warnings: string[] = [], limits = LIMITS): HistoryStore {
  return new HistoryStore({ memento, key: KEY, backupKey: BACKUP, limits: () => limits, warn: (m) => warnings.push(english(m)) });
}
let clock = 0;
const next = (n: number, status = 'OPEN', spec: CheckSpec = {}) => check(uuid(n), { checkedAt: at(++clock), status, ...spec });
const backups = (memento: FakeMemento) => memento.values.get(BACKUP) as { setAsideAt: string; problem: string; data: unknown }[];

describe('core/history/store', () => {
  describe('HistoryStore: writes', () => {
    it('persists across store instances (a reload of the extension); add resolves once stored', async () => {
      const memento = new FakeMemento(true);
      const first = store(memento);
      await first.add(next(1));
      await first.add(next(2, 'APPROVED'));
      const second = store(memento);
      assert.deepEqual(
        second.entries.map((e) => e.otpId),
        [uuid(2), uuid(1)],
      );
      assert.equal(second.entries[0].checks[0].status, 'APPROVED');
    });

    it('shows a change at once, before it is stored', () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      void s.add(next(1));
      assert.deepEqual([s.entries.length, s.find(uuid(1))?.checks.length, memento.writes], [1, 1, 0]);
      return s.flush();
    });

    it('dispose stores what is still pending (VS Code writes it on shutdown)', async () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      const stored = s.add(next(1));
      s.dispose();
      await stored;
      assert.equal(store(memento).entries.length, 1);
    });

    it('fires onDidChange after each change', async () => {
      const s = store(new FakeMemento());
      let fired = 0;
      s.onDidChange(() => fired++);
      await s.add(next(1));
      await s.setLabel(uuid(1), 'x');
      await s.remove(uuid(1));
      await s.clear();
      assert.equal(fired, 4);
    });

    it('serialises concurrent writes: 50 ids at once all land, in one write per burst', async () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.add(next(i))));
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        Array.from({ length: 50 }, (_, i) => uuid(49 - i)),
      );
      assert.equal(memento.writes, 1, 'a burst of changes is one write');
      assert.equal(store(memento).entries.length, 50);
    });

    it('serialises concurrent writes: 20 checks of one id all land in order', async () => {
      const s = store(new SlowMemento(true));
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.add(next(7, `S${i}`))));
      assert.equal(s.entries.length, 1);
      assert.deepEqual(
        s.entries[0].checks.map((c) => c.status),
        Array.from({ length: 20 }, (_, i) => `S${19 - i}`),
      );
    });

    it('applies the caps from the settings, and again when they change', async () => {
      const limits = { maxEntries: 3, maxChecksPerEntry: 2 };
      const s = store(new FakeMemento(), [], limits);
      for (let i = 0; i < 5; i++) await s.add(next(i));
      for (let i = 0; i < 5; i++) await s.add(next(4, `S${i}`));
      assert.deepEqual([s.entries.length, s.entries[0].checks.length], [3, 2]);
      limits.maxEntries = 1;
      await s.enforceLimits();
      assert.equal(s.entries.length, 1);
    });

    it('a failed write (disk full) rejects, leaves the stored history as it was, and does not block later writes', async () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      await s.add(next(1));
      const before = JSON.stringify(memento.values.get(KEY));
      const original = memento.update.bind(memento);
      memento.update = async () => {
        throw new Error('disk full');
      };
      let changes = 0;
      s.onDidChange(() => changes++);
      await assert.rejects(s.add(next(2)), /disk full/);
      assert.equal(JSON.stringify(memento.values.get(KEY)), before);
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [uuid(1)],
        'the store shows what is stored',
      );
      assert.equal(changes, 2, 'told when the change appeared and when it was dropped');
      memento.update = original;
      await s.add(next(3));
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [uuid(3), uuid(1)],
      );
    });

    it('stores records capped: a long status, a body over the size cap; strange statuses raw', async () => {
      const s = store(new FakeMemento(true));
      await s.add(next(1, 'X'.repeat(2_000_000), { body: { status: 'OPEN', padding: 'y'.repeat(5_000_000) } }));
      const stored = s.find(uuid(1))?.checks[0];
      assert.ok(stored?.status?.startsWith('X'.repeat(1024)) && stored.status.length < 1100 && /more characters not kept/.test(stored.status));
      await s.add(next(2, 'OPEN', { bodyTruncated: true, body: 'z'.repeat(1024 * 1024) }));
      assert.ok(JSON.stringify(s.find(uuid(2))).length < MAX_STORED_BODY + 1024);
      for (const [i, [scenario, status]] of RAW_STATUSES.slice(1).entries()) {
        await s.add(next(10 + i, status));
        assert.equal(s.find(uuid(10 + i))?.checks[0].status, status, scenario);
      }
    });
  });

  describe('HistoryStore: two windows over one Memento', () => {
    it('concurrent writes in both: neither erases the other', async () => {
      const memento = new FakeMemento(true);
      const [a, b] = [store(memento), store(memento)];
      assert.equal(a.entries.length + b.entries.length, 0, 'both have read the empty history');
      await Promise.all([a.add(next(1)), b.add(next(2)), a.add(next(3)), b.add(next(4))]);
      assert.deepEqual(new Set(store(memento).entries.map((e) => e.otpId)), new Set([uuid(1), uuid(2), uuid(3), uuid(4)]));
      await b.remove(uuid(1));
      assert.deepEqual(new Set(a.entries.map((e) => e.otpId)), new Set([uuid(2), uuid(3), uuid(4)]));
    });

    it('a removal in one window is not undone by the next write of the other', async () => {
      const memento = new FakeMemento(true);
      const [a, b] = [store(memento), store(memento)];
      await a.add(next(1));
      await a.add(next(2));
      assert.equal(b.entries.length, 2);
      await b.remove(uuid(1));
      await a.add(next(3));
      assert.deepEqual(
        store(memento).entries.map((e) => e.otpId),
        [uuid(3), uuid(2)],
      );
    });

    it('a newer check of the same id from the other window is kept when this window adds one', async () => {
      const memento = new FakeMemento(true);
      const [a, b] = [store(memento), store(memento)];
      await a.add(next(1, 'OPEN'));
      assert.equal(b.entries.length, 1);
      await b.add(next(1, 'APPROVED'));
      await a.add(next(1, 'ALREADY_VERIFIED'));
      assert.deepEqual(
        store(memento).entries[0].checks.map((c) => c.status),
        ['ALREADY_VERIFIED', 'APPROVED', 'OPEN'],
      );
    });

    it('a clear in one window while the other writes: the other write lands after the clear, nothing resurrected', async () => {
      const memento = new SlowMemento(true);
      const [a, b] = [store(memento), store(memento)];
      for (let i = 0; i < 5; i++) await a.add(next(i));
      await Promise.all([b.clear(), a.add(next(99))]);
      assert.deepEqual(
        store(memento).entries.map((e) => e.otpId),
        [uuid(99)],
      );
    });

    it('a late echo of an older write (a revision not above the highest seen) is ignored; reload fires on news', async () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      await s.add(next(1));
      const echo = memento.values.get(KEY);
      await s.add(next(2));
      memento.values.set(KEY, echo);
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [uuid(2), uuid(1)],
        'the stale echo does not undo the newer write',
      );
      let fired = 0;
      s.onDidChange(() => fired++);
      s.reload();
      assert.equal(fired, 0);
      memento.values.set(KEY, { version: 1, entries: [storedEntry(7)] });
      s.reload();
      assert.deepEqual([fired, s.entries.map((e) => e.otpId)], [1, [storedId(7)]]);
    });
  });

  describe('HistoryStore: stored history that cannot be read as it is', () => {
    for (const [what, raw, readable, problem] of UNREADABLE_STORED_HISTORY) {
      it(`${what}: the readable part kept, the rest under the backup key, one warning, writes go on`, async () => {
        const memento = new FakeMemento(true);
        memento.values.set(KEY, raw);
        const warnings: string[] = [];
        const s = store(memento, warnings);
        assert.doesNotThrow(() => s.entries, 'reading never throws');
        assert.equal(s.entries.length, readable);
        await s.add(next(50));
        await s.flush();
        assert.equal(s.entries.length, readable + 1);
        assert.equal(warnings.length, 1, 'warned once');
        assert.match(warnings[0], problem);
        assert.match(warnings[0], /Backup key: d7otp\.history\.backup\.$/, 'the warning names the backup key');
        assert.equal(backups(memento).length, 1);
        const setAside = backups(memento)[0].data;
        if (readable === 0) assert.deepEqual(setAside, raw, 'everything set aside, unchanged');
        else assert.ok(Array.isArray(setAside) && setAside.length > 0, 'the unreadable entries set aside');
        assert.equal(store(memento, warnings).entries.length, readable + 1, 'a new window reads the cleaned history without a new warning');
        assert.equal(warnings.length, 1);
      });
    }

    it('sets corrupt stored history aside under the backup key (exactly what was unreadable), warns once, keeps working', async () => {
      const memento = new FakeMemento();
      memento.values.set(KEY, { version: 1, entries: [storedEntry(1), 'garbage', { otpId: 5 }] });
      const warnings: string[] = [];
      const s = store(memento, warnings);
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [storedId(1)],
      );
      await s.add(next(2));
      await s.flush();
      assert.deepEqual(warnings, ['2 stored history entries were unreadable and set aside. Backup key: d7otp.history.backup.']);
      assert.deepEqual(
        backups(memento).map((b) => [b.problem, b.data]),
        [['2 stored history entries were unreadable and set aside.', ['garbage', { otpId: 5 }]]],
      );
      assert.ok(!Number.isNaN(Date.parse(backups(memento)[0].setAsideAt)));
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [uuid(2), storedId(1)],
      );
    });

    it('the pre-versioned layout (a bare list of entries) is upgraded without a warning', async () => {
      const memento = new FakeMemento(true);
      memento.values.set(KEY, [storedEntry(1), storedEntry(2)]);
      const warnings: string[] = [];
      const s = store(memento, warnings);
      assert.equal(s.entries.length, 2);
      await s.add(next(3));
      assert.equal((memento.values.get(KEY) as { version: number }).version, HISTORY_SCHEMA_VERSION);
      assert.deepEqual(warnings, []);
    });

    it('corrupt twice in one session (another window wrote garbage again): both set aside, each reported once', async () => {
      const memento = new FakeMemento(true);
      memento.values.set(KEY, 'garbage one');
      const warnings: string[] = [];
      const s = store(memento, warnings);
      assert.equal(s.entries.length, 0);
      await s.add(next(1));
      memento.values.set(KEY, { version: 1, entries: [storedEntry(2), 'garbage two'] });
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [storedId(2)],
      );
      await s.flush();
      assert.deepEqual(
        backups(memento).map((b) => b.data),
        ['garbage one', ['garbage two']],
      );
      assert.equal(warnings.length, 2, 'one warning per set-aside');
      for (let i = 0; i < 5; i++) void s.entries;
      await s.add(next(3));
      assert.equal(warnings.length, 2, 'reading again reports nothing more');
    });

    it('keeps the last five set-asides under the backup key', () => {
      const memento = new FakeMemento(true);
      memento.values.set(
        BACKUP,
        Array.from({ length: 5 }, (_, i) => ({ data: `old ${i}` })),
      );
      memento.values.set(KEY, 'garbage');
      void store(memento).entries;
      assert.deepEqual(
        backups(memento).map((b) => b.data),
        ['old 1', 'old 2', 'old 3', 'old 4', 'garbage'],
      );
    });

    it('oversized: 5000 stored entries (25 times the cap) load at once; the newest 200 are kept by the next write', async () => {
      const memento = new FakeMemento();
      const entries = Array.from({ length: 5000 }, (_, i) => storedEntry(i));
      memento.values.set(KEY, { version: 1, entries });
      const warnings: string[] = [];
      const s = store(memento, warnings);
      const started = Date.now();
      assert.equal(s.entries.length, 5000, 'all readable entries are shown until a write applies the cap');
      assert.ok(Date.now() - started < 2000);
      await s.add(next(9999));
      assert.equal(s.entries.length, 200);
      assert.deepEqual(
        s.entries.slice(1).map((e) => e.otpId),
        entries.slice(0, 199).map((e) => e.otpId),
      );
      assert.deepEqual(warnings, []);
    });

    it('oversized values in a stored check (2 MB status, 5 MB body) load as stored', () => {
      const memento = new FakeMemento();
      const huge = {
        ...storedEntry(1),
        checks: [{ ...(storedEntry(1).checks as object[])[0], status: 'X'.repeat(2_000_000), body: { padding: 'y'.repeat(5_000_000) } }],
      };
      memento.values.set(KEY, { version: 1, entries: [huge] });
      assert.equal(store(memento).entries[0].checks[0].status?.length, 2_000_000);
    });
  });

  describe('HistoryStore.importEntries', () => {
    const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
    const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');

    it('merges into the stored history, fires a change, and resolves with the counts', async () => {
      const memento = new FakeMemento(true);
      const s = store(memento);
      await s.add(check(A, { checkedAt: at(0) }));
      let changes = 0;
      s.onDidChange(() => changes++);
      const incoming: HistoryEntry[] = [
        { otpId: A, checks: [check(A, { checkedAt: at(0) }), check(A, { checkedAt: at(3600), status: 'APPROVED' })] },
        { otpId: B, label: 'imported', checks: [check(B, { checkedAt: at(-3600) })] },
      ];
      assert.deepEqual(await s.importEntries(incoming), { addedEntries: 1, addedChecks: 2, duplicates: 1, droppedByLimits: 0 });
      assert.equal(changes, 1);
      assert.deepEqual(
        s.entries.map((e) => e.otpId),
        [A, B],
      );
      assert.deepEqual([s.find(A)?.checks.length, s.find(B)?.label], [2, 'imported']);
      assert.equal(store(memento).entries.length, 2, 'stored, not only in memory: another window sees it');
    });

    it('imports the same file twice without adding anything the second time', async () => {
      const s = store(new FakeMemento(true));
      const parsed = parseImport(toExportJson([{ otpId: A, checks: [check(A)] }]));
      assert.ok(parsed.ok);
      await s.importEntries(parsed.entries);
      assert.deepEqual(await s.importEntries(parsed.entries), { addedEntries: 0, addedChecks: 0, duplicates: 1, droppedByLimits: 0 });
      assert.equal(s.entries.length, 1);
    });
  });
});
