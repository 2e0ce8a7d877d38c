import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFs, type AppendHandle, type HistoryFs } from '../../../../src/core/history/files';
import { readLines, readLinesSliced, toLines, type Op } from '../../../../src/core/history/ops';
import { OwnLog, parseLogName } from '../../../../src/core/history/ownLog';
import { at, check, uuid, waitFor } from '../../helpers';
import { tempDir } from '../../historyFixtures';

const add = (n: number): Op => ({ o: 'add', at: n, c: check(uuid(n), { checkedAt: at(n) }) });

/** nodeFs whose appends can be made to fail half-way (`failNext`), and whose truncate can fail too. */
function faultyFs() {
  const faults = { failNext: false, truncateFails: false, writes: 0 };
  const faulty: HistoryFs = {
    ...nodeFs,
    openAppend: async (file) => {
      const handle = await nodeFs.openAppend(file);
      return {
        ...handle,
        write: async (data) => {
          faults.writes++;
          if (!faults.failNext) return handle.write(data);
          faults.failNext = false;
          await handle.write(data.subarray(0, Math.floor(data.length / 2)));
          throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        },
        truncate: (length) => (faults.truncateFails ? Promise.reject(new Error('EIO')) : handle.truncate(length)),
      };
    },
  };
  return { faults, faulty };
}

describe('core/history/ownLog: OwnLog', () => {
  it('names its segments <pid>-<writer>-<segment>.log; rotate finishes one and starts the next', async () => {
    const dir = tempDir();
    const log = new OwnLog(nodeFs, dir, 42, 'abc123');
    assert.equal(await log.rotate(), undefined, 'nothing written: nothing to finish');
    await log.append([add(1)]);
    assert.deepEqual(parseLogName(log.name), { pid: 42, writer: 'abc123', segment: 0 });
    assert.equal(await log.rotate(), '42-abc123-0.log');
    await log.append([add(2)]);
    assert.equal(log.name, '42-abc123-1.log');
    await log.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), ['42-abc123-0.log', '42-abc123-1.log']);
    for (const name of ['42-ABC-0.log', 'x-abc-0.log', '42-abc-0.log.tmp', `42-${'a'.repeat(33)}-0.log`]) assert.equal(parseLogName(name), undefined, name);
  });

  it('a burst of appends is one write', async () => {
    const { faults, faulty } = faultyFs();
    const log = new OwnLog(faulty, tempDir(), 1, 'w');
    await Promise.all([log.append([add(1)]), log.append([add(2)]), log.append([add(3), add(4)])]);
    assert.equal(faults.writes, 1);
    await log.close();
  });

  it('a failed write is cut back to the last whole line: the log never holds half a line', async () => {
    const dir = tempDir();
    const { faults, faulty } = faultyFs();
    const log = new OwnLog(faulty, dir, 1, 'w');
    await log.append([add(1)]);
    faults.failNext = true;
    await assert.rejects(log.append([add(2)]), { code: 'ENOSPC' });
    await log.append([add(3)]);
    await log.close();
    assert.equal(fs.readFileSync(path.join(dir, log.name), 'utf8'), toLines([add(1), add(3)]).toString());
  });

  it('a failed write that cannot be cut back either: the next write starts on a new line, so it is still read', async () => {
    const dir = tempDir();
    const { faults, faulty } = faultyFs();
    const log = new OwnLog(faulty, dir, 1, 'w');
    await log.append([add(1)]);
    faults.failNext = true;
    faults.truncateFails = true;
    await assert.rejects(log.append([add(2)]));
    await log.append([add(3)]);
    await log.append([add(4)]);
    await log.close();
    const content = fs.readFileSync(path.join(dir, log.name));
    const read = readLines(content, true);
    assert.deepEqual(
      read.ops.map(({ op }) => op),
      [add(1), add(3), add(4)],
    );
    assert.equal(read.bad.length, 1, 'only the torn line is unreadable');
    assert.ok(!content.toString().includes('\n\n'), 'one new line only after the torn write');
  });
});

describe('core/history/ops: reading lines', () => {
  it('a chunk larger than one slice is read a slice at a time, cut at line breaks: the same operations as one read', async () => {
    const ops = Array.from({ length: 3000 }, (_, i) => add(i + 1));
    const chunk = toLines(ops);
    assert.ok(chunk.length > 256 * 1024, `${chunk.length} bytes`);
    const sliced = await readLinesSliced(chunk);
    assert.deepEqual([sliced.ops.length, sliced.bad, sliced.consumed], [3000, [], chunk.length]);
    assert.deepEqual(sliced, readLines(chunk));
    const torn = Buffer.concat([chunk, Buffer.from('{"o":"add"')]);
    assert.deepEqual((await readLinesSliced(torn)).consumed, chunk.length, 'a last line still being written is left');
    let turned = false;
    setImmediate(() => (turned = true));
    await readLinesSliced(chunk);
    assert.ok(turned, 'the event loop had a turn between slices');
    const oneLongLine = Buffer.concat([Buffer.from(`{"o":"clear","at":1,"pad":"${'x'.repeat(300 * 1024)}"}\n`), toLines([add(1)])]);
    const long = await readLinesSliced(oneLongLine);
    assert.deepEqual([long.ops.length, long.consumed], [2, oneLongLine.length], 'a line longer than a slice is read whole');
  });
});

/**
 * Syncs: the own log asks the disk to keep what it wrote (fdatasync) without holding up the caller — never in the
 * write's turn —, one request at a time and at most one started per spacing: appends made meanwhile are kept by the
 * next, so a burst of checks costs about ten syncs a second, not one per check (issue 15), and nothing written is
 * left unsynced when the log is closed or rotated.
 */
/**
 * Append-only files in memory (one per segment) whose syncs are held until `release()`; records the order of what
 * happens: `write <size>`, `sync <size>`, `close`, each after the segment's name with `named`.
 */
function heldFs(named = false) {
  const events: string[] = [];
  let pending: (() => void)[] = [];
  const openAppend = async (file: string): Promise<AppendHandle> => {
    const name = named ? `${path.basename(file)} ` : '';
    let size = 0;
    return {
      write: async (data) => {
        size += data.length;
        events.push(`${name}write ${size}`);
      },
      sync: () =>
        new Promise<void>((resolve) => {
          events.push(`${name}sync ${size}`);
          pending.push(resolve);
        }),
      truncate: async () => undefined,
      close: async () => void events.push(`${name}close`),
    };
  };
  const fs = { mkdir: async () => undefined, openAppend } as unknown as HistoryFs;
  const release = () => {
    const held = pending;
    pending = [];
    for (const resolve of held) resolve();
  };
  /** The size after the last write (of the segment `name`, with `named`). */
  const lastWrite = (name = '') =>
    events
      .filter((e) => e.startsWith(`${name ? `${name} ` : ''}write`))
      .pop()
      ?.split(' ')
      .at(-1);
  return { fs, events, release, lastWrite, syncsHeld: () => pending.length };
}

const op = (n: number) => [{ o: 'clear' as const, at: n }];

describe('core/history/ownLog: syncs', () => {
  it('an append made as soon as the previous one resolved is written (it joined a drain that had ended, and hung)', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1');
    const outcome = await Promise.race([
      (async () => {
        for (let i = 1; i <= 5; i++) await log.append(op(i));
        return 'written';
      })(),
      new Promise((resolve) => setTimeout(() => resolve('stuck'), 1000)),
    ]);
    assert.equal(outcome, 'written');
    assert.equal(f.events.filter((e) => e.startsWith('write')).length, 5);
    f.release();
    await waitFor(() => f.syncsHeld() === 1, 'the sync of the writes made during the first');
    f.release();
    await log.close();
  });

  it('an append resolves before its sync starts (not in its turn); appends during a sync are kept by one more sync, not one each', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1', 0);
    await log.append(op(1));
    assert.equal(f.events.filter((e) => e.startsWith('sync')).length, 0, 'the sync starts after the caller had its answer');
    await waitFor(() => f.syncsHeld() === 1, 'the first sync');
    for (let i = 2; i <= 10; i++) await log.append(op(i));
    assert.equal(f.events.filter((e) => e.startsWith('sync')).length, 1, 'nine appends during the first sync ask for none yet');
    f.release();
    await waitFor(() => f.syncsHeld() === 1, 'the second sync');
    const syncs = f.events.filter((e) => e.startsWith('sync'));
    assert.deepEqual(syncs.length, 2);
    assert.equal(syncs[1].split(' ')[1], f.lastWrite(), 'the second sync comes after the last write');
    f.release();
    await log.close();
    assert.equal(f.events.filter((e) => e.startsWith('sync')).length, 2, 'nothing more to keep');
  });

  it('under a burst, syncs start at most once per spacing; the last one comes after the last write', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1', 60);
    const started = performance.now();
    for (let i = 1; i <= 30; i++) {
      await log.append(op(i));
      f.release(); // a disk that keeps at once: only the spacing holds syncs back
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const writing = performance.now() - started;
    await waitFor(() => f.events.at(-1)?.startsWith('sync') === true && f.syncsHeld() === 1, 'the sync after the last write');
    const syncs = f.events.filter((e) => e.startsWith('sync'));
    assert.ok(syncs.length >= 2, `a burst is kept as it goes, not only at its end: ${syncs.length}`);
    assert.ok(syncs.length <= Math.ceil(writing / 60) + 1, `${syncs.length} syncs for 30 writes over ${Math.round(writing)} ms at most one per 60 ms`);
    assert.equal(syncs.at(-1)?.split(' ')[1], f.lastWrite());
    f.release();
    await log.close();
  });

  it('close and rotate keep what waits for the spacing at once, before the file is closed', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1', 60_000);
    await log.append(op(1));
    await waitFor(() => f.syncsHeld() === 1, 'the first sync (no sync before it: no wait)');
    f.release();
    await log.append(op(2)); // its sync would wait a minute
    const rotating = log.rotate();
    await waitFor(() => f.syncsHeld() === 1, 'rotate syncs the finished segment now');
    f.release();
    await rotating;
    assert.deepEqual(f.events.slice(-2), [`sync ${f.lastWrite()}`, 'close']);
    await log.append(op(3));
    const closing = log.close();
    await waitFor(() => f.syncsHeld() === 1, 'close syncs now');
    f.release();
    await closing;
    assert.equal(f.events.at(-1), 'close');
    assert.equal(f.events.at(-2)?.startsWith('sync'), true);
  });

  it('a segment finished while its sync runs keeps its last writes synced before it is closed, though the next segment wrote meanwhile', async () => {
    const f = heldFs(true);
    const log = new OwnLog(f.fs, '/logs', 1, 'w1', 0);
    const first = log.name;
    await log.append(op(1));
    await waitFor(() => f.syncsHeld() === 1, 'the first sync');
    await log.append(op(2)); // written while that sync runs
    const rotating = log.rotate();
    await new Promise((resolve) => setImmediate(resolve));
    await log.append(op(3)); // the next segment's first write
    f.release();
    await waitFor(() => f.syncsHeld() === 2 || f.events.includes(`${first} close`), 'the syncs after the first');
    f.release();
    await rotating;
    const closedAt = f.events.indexOf(`${first} close`);
    assert.ok(
      f.events.slice(0, closedAt).includes(`${first} sync ${f.lastWrite(first)}`),
      `the finished segment is synced whole before it is closed: ${f.events.join(', ')}`,
    );
    await waitFor(() => f.syncsHeld() > 0 || f.events.some((e) => e.startsWith(`${log.name} sync`)), 'the new segment synced');
    f.release();
    const closing = log.close();
    await waitFor(() => f.syncsHeld() > 0 || f.events.at(-1)?.endsWith('close') === true, 'close');
    f.release();
    await closing;
  });

  it('close waits for the sync of the last write before closing the file', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1');
    await log.append(op(1));
    const closing = log.close();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(!f.events.includes('close'), 'not closed while its sync is held');
    f.release();
    await closing;
    assert.deepEqual(f.events.slice(-2), ['sync ' + f.events[0].split(' ')[1], 'close']);
  });
});
