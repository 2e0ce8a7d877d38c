import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFs } from '../../../../src/core/history/files';
import { toLines, type Op } from '../../../../src/core/history/ops';
import { CompactionLock, parseSnapshot, snapshotBytes } from '../../../../src/core/history/snapshot';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, uuid } from '../../helpers';
import { tempDir } from '../../historyFixtures';

const header = (fields: Record<string, unknown> = {}) => JSON.stringify({ format: 'd7otp-history-snapshot', version: 2, logs: {}, ...fields });
const snapshot = (head: string, ops: Op[] = [], extra = '') => Buffer.concat([Buffer.from(`${head}\n`), toLines(ops), Buffer.from(extra)]);
const add = (n: number, stamp = n): Extract<Op, { o: 'add' }> => ({ o: 'add', at: stamp, c: check(uuid(n), { checkedAt: at(n) }) });

describe('core/history/snapshot', () => {
  describe('parseSnapshot', () => {
    it('no snapshot, or an empty one, is an empty history without a problem', async () => {
      for (const buffer of [undefined, Buffer.alloc(0)]) assert.deepEqual(await parseSnapshot(buffer), { ops: [], logs: new Map() });
    });

    it('a header that is not JSON, or of another format, is unreadable: the whole text set aside', async () => {
      for (const text of ['not json\n{}', '{"format":"other","version":2}\n', '[1,2]']) {
        const read = await parseSnapshot(Buffer.from(text));
        assert.deepEqual([read.ops, read.problem?.id, read.rejected], [[], 'historyUnreadable', text], text);
      }
    });

    it('a newer version is named as newer; any other version as unknown; both set aside whole', async () => {
      const newer = await parseSnapshot(snapshot(header({ version: 3 }), [add(1)]));
      assert.deepEqual([newer.ops.length, newer.problem], [0, { id: 'historyNewer', args: [3] }]);
      assert.equal(typeof newer.rejected, 'string');
      for (const version of [1, '2', null]) {
        const read = await parseSnapshot(snapshot(header({ version }), [add(1)]));
        assert.deepEqual([read.ops.length, read.problem], [0, { id: 'historyUnknownSchema', args: [String(version)] }], String(version));
      }
    });

    it('reads the operations (with their writer, else none) and the logs it holds (whole non-negative byte counts only)', async () => {
      const logs = { 'a.log': 10, 'b.log': 0, 'c.log': -1, 'd.log': 1.5, 'e.log': '7' };
      const ops = [{ op: add(1), w: 'win1' }, { op: add(2) }];
      const read = await parseSnapshot(Buffer.concat([Buffer.from(`${header({ logs })}\n`), toLines(ops)]));
      assert.deepEqual(read.ops, [
        { op: add(1), w: 'win1' },
        { op: add(2), w: '' },
      ]);
      assert.deepEqual(
        [...read.logs],
        [
          ['a.log', 10],
          ['b.log', 0],
        ],
      );
      assert.equal(read.problem, undefined);
      assert.deepEqual(await parseSnapshot(Buffer.from(header())), { ops: [], logs: new Map() }, 'a header alone, without a line break');
    });

    it('unreadable lines are set aside, the readable ones kept; one line or several named as such', async () => {
      const one = await parseSnapshot(snapshot(header(), [add(1)], 'garbage\n'));
      assert.deepEqual([one.ops.length, one.problem, one.rejected], [1, { id: 'historyEntrySetAside', args: [] }, ['garbage']]);
      const two = await parseSnapshot(snapshot(header(), [add(1)], 'garbage\n{"o":"nope"}'));
      assert.deepEqual([two.ops.length, two.problem, two.rejected], [1, { id: 'historyEntriesSetAside', args: [2] }, ['garbage', '{"o":"nope"}']]);
    });
  });

  describe('snapshotBytes', () => {
    it('writes what the state holds as operations that read back into the same history (labels, repeats, copies, sources, tombstones)', async () => {
      const state = new HistoryState();
      const ops: [Op, string][] = [
        [{ ...add(1), resendOf: uuid(9) }, 'w1'],
        [{ ...add(2), src: 'import' }, 'w1'],
        [{ o: 'add', at: 3, src: 'import', c: { ...check(uuid(2), { checkedAt: at(2) }), repeat: 4, lastCheckedAt: at(30) } }, 'w1'],
        [{ o: 'rep', at: 4, k: uuid(1), of: at(1), n: 2, last: at(40), dur: 7 }, 'w2'],
        [{ o: 'label', at: 5, k: uuid(1), label: 'first' }, 'w2'],
        [{ o: 'clear', at: 0.5 }, 'w1'],
        [{ o: 'rm', at: 6, k: uuid(7) }, 'w1'],
      ];
      for (const [op, w] of ops) state.apply(op, w);
      const limits = { maxEntries: 10, maxChecksPerEntry: 10 };
      const bytes = await snapshotBytes(state, new HistoryView(state).views(limits), new Map([['x.log', 12]]), 'me');
      const head = JSON.parse(bytes.toString('utf8', 0, bytes.indexOf(0x0a))) as Record<string, unknown>;
      assert.deepEqual([head.format, head.version, head.writer, head.logs], ['d7otp-history-snapshot', 2, 'me', { 'x.log': 12 }]);
      const read = await parseSnapshot(bytes);
      assert.equal(head.ops, read.ops.length);
      const again = new HistoryState();
      for (const { op, w } of read.ops) again.apply(op, w ?? '');
      assert.deepEqual(new HistoryView(again).entries(limits), new HistoryView(state).entries(limits));
      assert.deepEqual([again.clearedAt, [...again.removed]], [0.5, [[uuid(7), 6]]]);
      const imported = again.entries.get(uuid(2) as string)?.rows.get(Date.parse(at(2)));
      assert.deepEqual([imported?.src, imported?.copy?.n], ['import', 4], 'a copied count keeps its source');
    });

    it("an entry's resendOf is written with its first stored row (not its newest): a Remove taking that row takes it, as it did before the snapshot", async () => {
      const state = new HistoryState();
      state.apply({ ...add(1, 1), resendOf: uuid(9) }, 'w');
      state.apply({ o: 'add', at: 5, c: check(uuid(1), { checkedAt: at(50) }) }, 'w');
      const views = new HistoryView(state).views({ maxEntries: 10, maxChecksPerEntry: 10 });
      const again = new HistoryState();
      for (const { op, w } of (await parseSnapshot(await snapshotBytes(state, views, new Map(), 'me'))).ops) again.apply(op, w ?? '');
      for (const s of [state, again]) s.apply({ o: 'rm', at: 3, k: uuid(1) }, 'w');
      assert.equal(state.entries.get(uuid(1) as string)?.resendOf, undefined);
      assert.equal(again.entries.get(uuid(1) as string)?.resendOf, undefined);
      assert.equal(again.entries.get(uuid(1) as string)?.rows.size, 1);
    });

    it('remembers the 5000 newest removals', async () => {
      const state = new HistoryState();
      for (let i = 1; i <= 5001; i++) state.apply({ o: 'rm', at: i, k: uuid(i) }, 'w');
      const read = await parseSnapshot(await snapshotBytes(state, [], new Map(), 'me'));
      const removed = read.ops.map(({ op }) => op).filter((op) => op.o === 'rm');
      assert.equal(removed.length, 5000);
      assert.ok(!removed.some((op) => op.o === 'rm' && op.k === uuid(1)), 'the oldest is forgotten');
    });
  });

  describe('CompactionLock', () => {
    const lockIn = (dir: string, pid: number, alive: (pid: number) => boolean, now = () => Date.now()) =>
      new CompactionLock(nodeFs, path.join(dir, 'lock'), pid, `w${pid}`, alive, now);

    it('a lock released between the try and the look is taken on the next try; one that keeps coming back is given up', async () => {
      const file = path.join(tempDir(), 'lock');
      let creates = 0;
      // another window releases the lock just after this one found it taken, every time
      const racing = { ...nodeFs, createExclusive: async () => (creates++, false), read: async () => undefined };
      assert.equal(await new CompactionLock(racing, file, 1, 'w1', () => true, Date.now).acquire(), false, 'never held: not taken');
      assert.equal(creates, 2, 'tried again once after finding it gone');
      creates = 0;
      const once = {
        ...nodeFs,
        createExclusive: async (f: string, data: Buffer) => (creates++ === 0 ? false : nodeFs.createExclusive(f, data)),
        read: async () => undefined,
      };
      assert.equal(await new CompactionLock(once, file, 1, 'w1', () => true, Date.now).acquire(), true, 'free on the second try: taken');
    });

    it('one holder at a time; released, it can be taken again; a release never removes another holder’s lock', async () => {
      const dir = tempDir();
      const a = lockIn(dir, 1, () => true);
      const b = lockIn(dir, 2, () => true);
      assert.equal(await a.acquire(), true);
      assert.equal(await b.acquire(), false, 'held by a live window');
      await b.release();
      assert.ok(fs.existsSync(path.join(dir, 'lock')), 'b never held it: its release leaves it');
      await a.release();
      assert.equal(fs.existsSync(path.join(dir, 'lock')), false);
      assert.equal(await b.acquire(), true);
      fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: 3, writer: 'w3', host: os.hostname(), at: Date.now() }));
      await b.release();
      assert.ok(fs.existsSync(path.join(dir, 'lock')), "a lock another window took over is that window's");
    });

    it('takes over a lock left by a process of this machine that is gone, one unreadable, or one held for over 10 minutes', async () => {
      const now = Date.now();
      const cases: [string, unknown, boolean][] = [
        ['a gone process of this machine', { pid: 99, host: os.hostname(), at: now }, true],
        ['a live process of this machine', { pid: 98, host: os.hostname(), at: now }, false],
        ['a process of another machine', { pid: 99, host: `${os.hostname()}-other`, at: now }, false],
        ['held 10 minutes and a second', { pid: 98, host: os.hostname(), at: now - 10 * 60_000 - 1000 }, true],
        ['held exactly 10 minutes', { pid: 98, host: os.hostname(), at: now - 10 * 60_000 }, false],
        ['no time', { pid: 98, host: os.hostname() }, true],
        ['no pid', { host: os.hostname(), at: now }, true],
        ['not an object', 42, true],
      ];
      for (const [what, holder, taken] of cases) {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify(holder));
        assert.equal(
          await lockIn(
            dir,
            1,
            (pid) => pid !== 99,
            () => now,
          ).acquire(),
          taken,
          what,
        );
      }
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'lock'), '{not json');
      assert.equal(await lockIn(dir, 1, () => true).acquire(), true, 'unreadable');
      const own = tempDir();
      fs.writeFileSync(path.join(own, 'lock'), JSON.stringify({ pid: 1, host: os.hostname(), at: now }));
      assert.equal(
        await lockIn(
          own,
          1,
          () => false,
          () => now,
        ).acquire(),
        false,
        "its own pid's lock is not taken for a gone process's",
      );
    });
  });
});
