import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HistoryDisk } from '../../../../src/core/history/disk';
import { nodeFs, type HistoryFs } from '../../../../src/core/history/files';
import { english, type Message } from '../../../../src/core/messages';
import type { Op } from '../../../../src/core/history/ops';
import { HistoryState } from '../../../../src/core/history/state';
import { at, check, turnProbe, uuid } from '../../helpers';
import { tempDir } from '../../historyFixtures';

const LIMITS = { maxEntries: 100, maxChecksPerEntry: 10 };
const add = (n: number, stamp: number): Op => ({ o: 'add', at: stamp, c: check(uuid(n), { checkedAt: at(n) }) });

/** One window's disk over the history folder `dir`; `alive` says which pids run. */
function disk(dir: string, pid: number, writer: string, options: { alive?: Set<number>; fs?: HistoryFs } = {}) {
  const warnings: Message[] = [];
  const alive = options.alive ?? new Set([pid]);
  const d = new HistoryDisk({ dir, fs: options.fs ?? nodeFs, pid, writer, alive: (p) => alive.has(p), now: () => Date.now(), warn: (m) => warnings.push(m) });
  return { d, warnings };
}

describe('core/history/disk: HistoryDisk', () => {
  it("catching up reads only what another window appended since the last look, never this window's own log; false when nothing is new", async () => {
    const dir = tempDir();
    const alive = new Set([1, 2]);
    const reads: [string, number][] = [];
    const recording: HistoryFs = { ...nodeFs, readFrom: (file, offset) => (reads.push([path.basename(file), offset]), nodeFs.readFrom(file, offset)) };
    const mine = disk(dir, 1, 'aaaa', { alive, fs: recording });
    const other = disk(dir, 2, 'bbbb', { alive });
    const state = new HistoryState();
    assert.equal(await mine.d.load(state), false, 'an empty folder changes nothing');
    await mine.d.append([add(1, 1)]);
    assert.equal(await mine.d.catchUp(state), false, "this window's own log is not news");
    assert.equal(state.entries.size, 0);
    await other.d.append([add(2, 2)]);
    assert.equal(await mine.d.catchUp(state), true);
    assert.deepEqual([...state.entries.keys()], [uuid(2)]);
    const firstSize = fs.statSync(path.join(dir, 'logs', other.d.log.name)).size;
    assert.equal(await mine.d.catchUp(state), false, 'read once');
    assert.deepEqual(reads.at(-1), [other.d.log.name, firstSize], 'the next look starts where the last one ended');
    await other.d.append([add(3, 3), add(2, 2)]);
    assert.equal(await mine.d.catchUp(state), true);
    assert.equal(state.entries.size, 2);
    await other.d.append([add(2, 2)]);
    assert.equal(await mine.d.catchUp(state), false, 'an operation read before changes nothing');
    await Promise.all([mine.d.log.close(), other.d.log.close()]);
  });

  it('compaction folds the logs into the snapshot, removes the logs of windows gone and their half-written snapshots, keeps the live ones', async () => {
    const dir = tempDir();
    // pid 1 is not seen alive (as in a sandbox that hides its own pid): its own files are still never taken for a gone window's
    const alive = new Set([2]);
    const mine = disk(dir, 1, 'aaaa', { alive });
    const other = disk(dir, 2, 'bbbb', { alive });
    const gone = disk(dir, 3, 'cccc', { alive: new Set([3]) });
    const goneToo = disk(dir, 5, 'eeee', { alive: new Set([5]) });
    for (const [i, w] of [mine, other, gone, goneToo].entries()) await w.d.append([add(i + 1, i + 1)]);
    await gone.d.log.close();
    await goneToo.d.log.close();
    for (const pid of [1, 2, 3]) fs.writeFileSync(path.join(dir, `snapshot.json.${pid}.abc123.tmp`), 'half');
    assert.equal(await mine.d.folded(), 2, "the logs of the windows gone (pids 3 and 5) are to fold in; this window's current one is not");
    assert.equal(await mine.d.compact(LIMITS), true);
    assert.deepEqual(
      fs
        .readdirSync(dir)
        .filter((name) => name.startsWith('snapshot.json'))
        .sort(),
      ['snapshot.json', 'snapshot.json.1.abc123.tmp', 'snapshot.json.2.abc123.tmp'],
      "only the gone window's half-written snapshot is removed: never this window's own (pid 1), nor a live one's",
    );
    const logs = fs.readdirSync(path.join(dir, 'logs'));
    assert.ok(!logs.some((name) => name.startsWith('3-') || name.startsWith('5-')), `the logs of the windows gone are removed: ${logs.join(', ')}`);
    assert.ok(
      logs.some((name) => name.startsWith('2-')),
      'a live window keeps its log',
    );
    assert.equal(await mine.d.folded(), 0);
    const fresh = new HistoryState();
    await disk(dir, 4, 'dddd').d.load(fresh);
    assert.deepEqual([...fresh.entries.keys()].sort(), [uuid(1), uuid(2), uuid(3), uuid(4)]);
    await Promise.all([mine.d.log.close(), other.d.log.close()]);
  });

  it("this window's log written while it compacts is never taken for a gone window's (its pid not seen alive): what it appends after is read", async () => {
    const dir = tempDir();
    let during: (() => Promise<void>) | undefined;
    const hooked: HistoryFs = {
      ...nodeFs,
      list: async (folder) => {
        const run = folder.endsWith('logs') ? during : undefined;
        during = undefined;
        await run?.();
        return nodeFs.list(folder);
      },
    };
    const mine = disk(dir, 1, 'aaaa', { alive: new Set([2]), fs: hooked });
    await mine.d.load(new HistoryState());
    await mine.d.append([add(1, 1)]);
    during = () => mine.d.append([add(2, 2)]); // lands in the segment after the one the compaction folds
    assert.equal(await mine.d.compact(LIMITS), true);
    await mine.d.append([add(3, 3)]);
    const fresh = new HistoryState();
    await disk(dir, 4, 'dddd').d.load(fresh);
    assert.deepEqual([...fresh.entries.keys()].sort(), [uuid(1), uuid(2), uuid(3)]);
    await mine.d.log.close();
  });

  it("a live window's log folded in twice: the second compaction reads on from where the first stopped", async () => {
    const dir = tempDir();
    const alive = new Set([1, 2]);
    const mine = disk(dir, 1, 'aaaa', { alive });
    const other = disk(dir, 2, 'bbbb', { alive });
    await other.d.load(new HistoryState());
    await other.d.append([add(1, 1), add(2, 2)]);
    assert.equal(await mine.d.compact(LIMITS), true);
    await other.d.append([add(3, 3)]);
    assert.equal(await mine.d.compact(LIMITS), true);
    await other.d.append([add(4, 4)]);
    const size = fs.statSync(path.join(dir, 'logs', other.d.log.name)).size;
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8').split('\n')[0]) as Record<string, unknown>;
    const logs = JSON.stringify(snapshot);
    const line = Buffer.byteLength(`${JSON.stringify(add(4, 4))}\n`);
    assert.ok(
      logs.includes(`"${other.d.log.name}":${size - line}`),
      `the snapshot holds the other log up to its third line (${size - line} bytes): ${logs.slice(0, 300)}`,
    );
    const fresh = disk(dir, 3, 'cccc', { alive: new Set([1, 2, 3]) });
    const state = new HistoryState();
    await fresh.d.load(state);
    assert.deepEqual([...state.entries.keys()].sort(), [uuid(1), uuid(2), uuid(3), uuid(4)]);
    assert.equal(fresh.warnings.length, 0, fresh.warnings.map((m) => english(m)).join(' | '));
    await Promise.all([mine.d.log.close(), other.d.log.close(), fresh.d.log.close()]);
  });

  it('unreadable lines of a gone window\'s log are set aside and told: "1 line", or how many', async () => {
    for (const [bad, id] of [
      [['not json'], 'historyLineSetAside'],
      [['not json', '{"o":"add"}'], 'historyLinesSetAside'],
    ] as const) {
      const dir = tempDir();
      const gone = disk(dir, 3, 'cccc', { alive: new Set([3]) });
      await gone.d.append([add(1, 1)]);
      await gone.d.log.close();
      fs.appendFileSync(path.join(dir, 'logs', gone.d.log.name), bad.map((l) => `${l}\n`).join(''));
      const mine = disk(dir, 1, 'aaaa', { alive: new Set([1]) });
      assert.equal(await mine.d.compact(LIMITS), true);
      // told as "… set aside in <file>": the what is the first argument
      assert.deepEqual(
        mine.warnings.map((m) => [m.id, (m.args[0] as Message).id, ...(m.args[0] as Message).args]),
        [bad.length === 1 ? ['setAsideFile', id] : ['setAsideFile', id, 2]],
      );
      await mine.d.log.close();
    }
  });

  it('an unreadable snapshot is set aside and told once, however often it is read; a failed set-aside is told too', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'snapshot.json'), 'not json\n');
    const { d, warnings } = disk(dir, 1, 'aaaa');
    await d.load(new HistoryState());
    await d.readAll(new HistoryState());
    await d.compact(LIMITS);
    assert.equal(warnings.length, 1, warnings.map((m) => english(m)).join(' | '));
    assert.equal(warnings[0].id, 'setAsideFile');
    assert.equal(fs.readdirSync(path.join(dir, 'set-aside')).length, 1);
    await d.log.close();

    const broken = tempDir();
    fs.mkdirSync(path.join(broken, 'logs'), { recursive: true });
    fs.writeFileSync(path.join(broken, 'snapshot.json'), 'not json\n');
    const failing: HistoryFs = {
      ...nodeFs,
      writeAtomic: (file, data) => (file.includes('set-aside') ? Promise.reject(new Error('ENOSPC')) : nodeFs.writeAtomic(file, data)),
    };
    const full = disk(broken, 1, 'aaaa', { fs: failing });
    await full.d.load(new HistoryState());
    assert.deepEqual(
      full.warnings.map((m) => m.id),
      ['setAsideFailed'],
    );
    assert.match(english(full.warnings[0]), /ENOSPC/);
  });

  it('an unchanged snapshot is not read again; a log listed but gone before it is read is skipped', async () => {
    const dir = tempDir();
    const alive = new Set([1, 2]);
    const other = disk(dir, 2, 'bbbb', { alive });
    await other.d.append([add(1, 1)]);
    await other.d.compact(LIMITS);
    let snapshotReads = 0;
    let vanish = false;
    const counting: HistoryFs = {
      ...nodeFs,
      read: (file) => (path.basename(file) === 'snapshot.json' && snapshotReads++, nodeFs.read(file)),
      readFrom: (file, offset) => (vanish ? Promise.resolve(undefined) : nodeFs.readFrom(file, offset)),
    };
    const mine = disk(dir, 1, 'aaaa', { alive, fs: counting });
    const state = new HistoryState();
    assert.equal(await mine.d.load(state), true);
    assert.equal(snapshotReads, 1);
    assert.equal(await mine.d.catchUp(state), false);
    assert.equal(snapshotReads, 1, 'the same snapshot version: not read again');
    await other.d.append([add(2, 2)]);
    vanish = true;
    assert.equal(await mine.d.catchUp(state), false, 'the log vanished (a compaction removed it): nothing read, no error');
    vanish = false;
    assert.equal(await mine.d.catchUp(state), true);
    await other.d.log.close();
  });

  it("watching the logs folder tells of other windows' appends (or of a change it cannot name), not of this window's own", () => {
    let event: (name?: string) => void = () => assert.fail('not watching');
    const watchingFs: HistoryFs = { ...nodeFs, watch: (_dir, onChange) => ((event = onChange), { dispose: () => undefined }) };
    const { d } = disk(tempDir(), 1, 'aaaa', { fs: watchingFs });
    let told = 0;
    assert.ok(d.watch(() => told++));
    event('1-aaaa-0.log');
    assert.equal(told, 0, "this window's own append is not news");
    event('2-bbbb-0.log');
    event(undefined);
    event('snapshot.json');
    assert.equal(told, 3);
  });

  it('appending after the log is closed is refused, in words', async () => {
    const { d } = disk(tempDir(), 1, 'aaaa');
    await d.load(new HistoryState());
    await d.log.close();
    await assert.rejects(d.append([add(1, 1)]), { message: 'The history store is closed.' });
  });

  it('a large snapshot is applied a few thousand operations at a time, giving the event loop a turn between (never 6,000 in one go)', async () => {
    const dir = tempDir();
    const other = disk(dir, 2, 'bbbb', { alive: new Set([1, 2]) });
    await other.d.load(new HistoryState());
    await other.d.append(Array.from({ length: 6000 }, (_, i) => add(i, i + 1)));
    assert.equal(await other.d.compact({ maxEntries: 10_000, maxChecksPerEntry: 10 }), true);
    await other.d.log.close();
    const probe = turnProbe();
    const state = new HistoryState();
    const apply = state.apply.bind(state);
    state.apply = (op, w) => (probe.note(), apply(op, w));
    const mine = disk(dir, 1, 'aaaa', { alive: new Set([1, 2]) });
    assert.equal(await mine.d.load(state), true);
    probe.stop();
    assert.equal(state.entries.size, 6000);
    assert.ok(probe.notes >= 6000, `${probe.notes} operations applied`);
    assert.ok(probe.longestRun() <= 5000, `${probe.longestRun()} operations applied without a turn of the event loop`);
    await mine.d.log.close();
  });
});
