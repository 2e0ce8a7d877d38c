import * as assert from 'node:assert/strict';
import { watchUntilSettled, type WaitableWatches } from '../../../../src/features/agentTools/waiting';
import { Emitter } from '../../../../src/core/events';
import type { OtpId } from '../../../../src/core/otpId';
import { uuid } from '../../helpers';

const ID = uuid(9);

/** Watches in memory: `end(id)` ends one as the scheduler would. */
function fakeWatches(limitReached = false) {
  const changed = new Emitter<void>();
  const active = new Set<string>();
  const stopped: string[] = [];
  const watches: WaitableWatches = {
    watch: (otpId) => {
      if (limitReached) return { ok: false, message: 'Already watching 10 OTPs' };
      active.add(otpId);
      changed.fire();
      return { ok: true, otpId: otpId as OtpId };
    },
    stop: (otpId) => {
      stopped.push(otpId);
      return active.delete(otpId);
    },
    get: (otpId) => (active.has(otpId) ? {} : undefined),
    onDidChange: changed.event,
  };
  return { watches, active, stopped, end: (otpId: string) => (active.delete(otpId), changed.fire()) };
}

function token() {
  const listeners: (() => void)[] = [];
  const t = {
    isCancellationRequested: false,
    onCancellationRequested: (fn: () => void) => (listeners.push(fn), { dispose: () => undefined }),
    cancel: () => ((t.isCancellationRequested = true), listeners.forEach((fn) => fn())),
  };
  return t;
}

describe('features/agentTools/waiting', () => {
  it('starts a watch and resolves when it ends', async () => {
    const fake = fakeWatches();
    const wait = watchUntilSettled(fake.watches, ID, 5_000, token() as never);
    assert.ok(fake.active.has(ID));
    fake.end(ID); // the watch ends while the wait is pending (it listens from the call on)
    assert.deepEqual(await wait, { ok: true, stillWatching: false });
  });

  it('after the time limit, resolves with the watch still going', async () => {
    const fake = fakeWatches();
    assert.deepEqual(await watchUntilSettled(fake.watches, ID, 20, token() as never), { ok: true, stillWatching: true });
    assert.deepEqual(fake.stopped, []);
  });

  it('on cancellation, stops a watch it started, and leaves alone one the user started', async () => {
    const fake = fakeWatches();
    const mine = token();
    const wait = watchUntilSettled(fake.watches, ID, 10_000, mine as never);
    mine.cancel();
    assert.deepEqual(await wait, { ok: true, stillWatching: false });
    assert.deepEqual(fake.stopped, [ID]);
    const theirs = fakeWatches();
    theirs.watches.watch(ID);
    const other = token();
    const joined = watchUntilSettled(theirs.watches, ID, 10_000, other as never);
    other.cancel();
    assert.deepEqual(await joined, { ok: true, stillWatching: true });
    assert.deepEqual(theirs.stopped, []);
  });

  it('says why a watch could not start', async () => {
    assert.deepEqual(await watchUntilSettled(fakeWatches(true).watches, ID, 10_000, token() as never), { ok: false, message: 'Already watching 10 OTPs' });
  });
});
