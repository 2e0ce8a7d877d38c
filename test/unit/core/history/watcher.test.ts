import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import { OthersWatcher, type WatcherOptions } from '../../../../src/core/history/watcher';

/** A watcher over hand-made options, counting what it did; `fire` is a file event. */
function watcher(options: Partial<WatcherOptions> = {}) {
  const seen = { reads: 0, polls: 0, changed: 0, watchDisposed: 0 };
  let fire: () => void = () => assert.fail('not watching');
  const w = new OthersWatcher({
    watch: (onChange) => {
      fire = onChange;
      return { dispose: () => seen.watchDisposed++ };
    },
    read: async () => (seen.reads++, true),
    poll: async () => {
      seen.polls++;
    },
    pollMs: 0,
    changed: () => seen.changed++,
    ...options,
  });
  return { w, seen, fire: () => fire() };
}

describe('core/history/watcher: OthersWatcher', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers()));
  afterEach(() => clock.restore());

  it('polls every pollMs (a failed poll is not an error), none with pollMs 0; dispose stops the poll and the watch', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    let polls = 0;
    const { w, seen } = watcher({ pollMs: 3000, poll: () => (polls++ ? Promise.resolve() : Promise.reject(new Error('disk gone'))) });
    await clock.tickAsync(2999);
    assert.equal(polls, 0);
    await clock.tickAsync(1);
    await clock.tickAsync(6000);
    process.off('unhandledRejection', onUnhandled);
    assert.equal(polls, 3, 'a poll that failed does not stop the next');
    assert.deepEqual(unhandled, [], 'the failed poll is not left as an unhandled rejection');
    w.dispose();
    await clock.tickAsync(10_000);
    assert.deepEqual([polls, seen.watchDisposed], [3, 1]);
    const quiet = watcher({ pollMs: 0 });
    await clock.tickAsync(60_000);
    assert.equal(quiet.seen.polls, 0);
    assert.equal(clock.countTimers(), 0, 'no timer without a poll');
  });

  it('a burst of file events becomes one read, 20 ms after the first', async () => {
    const { seen, fire } = watcher();
    fire();
    await clock.tickAsync(10);
    fire();
    fire();
    await clock.tickAsync(9);
    assert.equal(seen.reads, 0);
    await clock.tickAsync(1);
    assert.deepEqual([seen.reads, seen.changed], [1, 1]);
    fire();
    await clock.tickAsync(20);
    assert.equal(seen.reads, 2, 'a later event reads again');
  });

  it('dispose drops a read that is waiting for its burst to end', async () => {
    const { w, seen, fire } = watcher();
    fire();
    w.dispose();
    await clock.tickAsync(100);
    assert.equal(seen.reads, 0);
  });

  it('reads one at a time: asked again while reading, it reads once more after, and every caller waits for that', async () => {
    const releases: (() => void)[] = [];
    let reads = 0;
    const { w, seen } = watcher({ read: () => new Promise<boolean>((resolve) => releases.push(() => resolve(++reads === 1))) });
    const first = w.read();
    const second = w.read();
    const third = w.read();
    await clock.tickAsync(0);
    assert.equal(releases.length, 1, 'one read at a time');
    releases[0]();
    await clock.tickAsync(0);
    assert.equal(releases.length, 2, 'read again, once, for the two asks meanwhile');
    let settled = false;
    void w.settled().then(() => (settled = true));
    let done = false;
    void Promise.all([first, second, third]).then(() => (done = true));
    await clock.tickAsync(0);
    assert.deepEqual([done, settled], [false, false], 'the callers wait for the read again too');
    releases[1]();
    await clock.tickAsync(0);
    assert.deepEqual([done, settled, reads, seen.changed], [true, true, 2, 1], 'told of a change only when a read changed something');
  });

  it('a read that fails is no change and no rejection; the next read runs', async () => {
    let calls = 0;
    const { w, seen } = watcher({ read: () => (calls++ ? Promise.resolve(true) : Promise.reject(new Error('EIO'))) });
    await w.read();
    assert.deepEqual([calls, seen.changed], [1, 0]);
    await w.read();
    assert.deepEqual([calls, seen.changed], [2, 1]);
  });

  it('where the platform cannot watch a folder, it still polls', async () => {
    let polls = 0;
    const { w } = watcher({
      watch: () => undefined,
      pollMs: 100,
      poll: async () => {
        polls++;
      },
    });
    await clock.tickAsync(300);
    assert.equal(polls, 3);
    w.dispose();
  });
});
