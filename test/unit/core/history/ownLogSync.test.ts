/**
 * The own log asks the disk to keep what it wrote (fdatasync) without holding up the caller, one request at a time:
 * appends made while one runs are kept by the next, so a burst of checks costs two syncs, not one per check
 * (issue 15), and nothing written is left unsynced when the log is closed.
 */
import * as assert from 'node:assert/strict';
import type { AppendHandle, HistoryFs } from '../../../../src/core/history/files';
import { OwnLog } from '../../../../src/core/history/ownLog';
import { waitFor } from '../../helpers';

/** An append-only file in memory whose syncs are held until `release()`; records the order of what happens. */
function heldFs() {
  const events: string[] = [];
  let pending: (() => void)[] = [];
  let size = 0;
  const handle: AppendHandle = {
    write: async (data) => {
      size += data.length;
      events.push(`write ${size}`);
    },
    sync: () =>
      new Promise<void>((resolve) => {
        events.push(`sync ${size}`);
        pending.push(resolve);
      }),
    truncate: async () => undefined,
    close: async () => void events.push('close'),
  };
  const fs = { mkdir: async () => undefined, openAppend: async () => handle } as unknown as HistoryFs;
  const release = () => {
    const held = pending;
    pending = [];
    for (const resolve of held) resolve();
  };
  return { fs, events, release, syncsHeld: () => pending.length };
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

  it('an append resolves without waiting for the sync; appends during a sync are kept by one more sync, not one each', async () => {
    const f = heldFs();
    const log = new OwnLog(f.fs, '/logs', 1, 'w1');
    await log.append(op(1)); // resolves while its sync is still held
    assert.equal(f.syncsHeld(), 1);
    for (let i = 2; i <= 10; i++) await log.append(op(i));
    assert.equal(f.events.filter((e) => e.startsWith('sync')).length, 1, 'nine appends during the first sync ask for none yet');
    f.release();
    await waitFor(() => f.syncsHeld() === 1, 'the second sync');
    const syncs = f.events.filter((e) => e.startsWith('sync'));
    const lastWrite = f.events.filter((e) => e.startsWith('write')).pop();
    assert.deepEqual(syncs.length, 2);
    assert.equal(syncs[1].split(' ')[1], lastWrite?.split(' ')[1], 'the second sync comes after the last write');
    f.release();
    await log.close();
    assert.equal(f.events.filter((e) => e.startsWith('sync')).length, 2, 'nothing more to keep');
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
