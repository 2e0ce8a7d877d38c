import * as assert from 'node:assert/strict';
import { WatchScheduler, type Timers, type WatchEnd } from '../../src/core/watchScheduler';
import type { StatusCheck } from '../../src/core/types';

/** A virtual clock with timers, so polling can be tested without waiting. */
class VirtualTime implements Timers {
  now = 0;
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Advances time, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const next = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.now = next[1].at;
      this.pending.delete(next[0]);
      next[1].fn();
    }
    this.now = end;
    await new Promise((r) => setImmediate(r));
  }
}

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function setup(script: (otpId: string, n: number) => Partial<StatusCheck>, options: { max?: number; interval?: number; duration?: number } = {}) {
  const time = new VirtualTime();
  const polls: { otpId: string; at: number }[] = [];
  const counts = new Map<string, number>();
  const ends: WatchEnd[] = [];
  const scheduler = new WatchScheduler({
    poll: async (otpId) => {
      const n = (counts.get(otpId) ?? 0) + 1;
      counts.set(otpId, n);
      polls.push({ otpId, at: time.now });
      return { otpId, checkedAt: new Date(time.now).toISOString(), ok: true, durationMs: 1, ...script(otpId, n) };
    },
    intervalMs: () => options.interval ?? 5000,
    defaultDurationMs: () => options.duration ?? 660_000,
    maxConcurrent: () => options.max ?? 10,
    now: () => time.now,
    timers: time,
  });
  scheduler.onDidEnd((e) => ends.push(e));
  return { time, polls, ends, scheduler };
}

describe('watch scheduler', () => {
  it('polls at the interval until the status is terminal', async () => {
    const { time, polls, ends, scheduler } = setup((_, n) => ({ status: n < 3 ? 'OPEN' : 'APPROVED' }));
    scheduler.start(ID(1));
    await time.advance(60_000);
    assert.deepEqual(polls.map((p) => p.at), [0, 5000, 10000]);
    assert.deepEqual(ends, [{ otpId: ID(1), reason: 'terminal', lastStatus: 'APPROVED' }]);
    assert.equal(scheduler.list().length, 0);
    assert.equal(scheduler.timersAlive(), 0);
  });

  it('uses one timer for many watches', async () => {
    const { time, polls, scheduler } = setup(() => ({ status: 'OPEN' }), { max: 100 });
    for (let i = 0; i < 100; i++) scheduler.start(ID(i));
    assert.equal(time.pending.size, 1);
    await time.advance(20_000);
    assert.equal(time.pending.size, 1);
    assert.equal(scheduler.timersAlive(), 1);
    assert.equal(polls.length, 500); // at 0, 5, 10, 15, 20 s
  });

  it('bounds the number of concurrent watches', () => {
    const { scheduler } = setup(() => ({ status: 'OPEN' }), { max: 2 });
    assert.equal(scheduler.start(ID(1)).ok, true);
    assert.equal(scheduler.start(ID(2)).ok, true);
    assert.deepEqual(scheduler.start(ID(3)), { ok: false, reason: 'limit', limit: 2 });
    assert.deepEqual(scheduler.start(ID(1).toUpperCase()), { ok: false, reason: 'already' });
  });

  it('ends when the OTP expiry (plus margin) passes', async () => {
    const { time, ends, scheduler } = setup(() => ({ status: 'OPEN' }));
    scheduler.start(ID(1), 30);
    await time.advance(200_000);
    assert.deepEqual(ends.map((e) => e.reason), ['expired']);
    assert.ok(time.now >= 90_000);
  });

  it('backs off on errors and gives up when they repeat', async () => {
    const { time, polls, ends, scheduler } = setup(() => ({ ok: false, error: { kind: 'server', message: 'x' } }));
    scheduler.start(ID(1));
    await time.advance(600_000);
    const gaps = polls.slice(1).map((p, i) => p.at - polls[i].at);
    assert.deepEqual(gaps, [10_000, 20_000, 40_000, 60_000]);
    assert.deepEqual(ends.map((e) => e.reason), ['errors']);
  });

  it('honours Retry-After on 429', async () => {
    const { time, polls, scheduler } = setup((_, n) =>
      n === 1 ? { ok: false, httpStatus: 429, error: { kind: 'rate-limited', message: 'x', retryAfterSeconds: 45 } } : { status: 'OPEN' },
    );
    scheduler.start(ID(1));
    await time.advance(50_000);
    assert.deepEqual(polls.map((p) => p.at), [0, 45_000, 50_000]);
  });

  it('stops at once when asked, and a late result is not recorded', async () => {
    const results: string[] = [];
    const time = new VirtualTime();
    let release: (() => void) | undefined;
    const scheduler = new WatchScheduler({
      poll: (otpId) =>
        new Promise((resolve) => {
          release = () => resolve({ otpId, checkedAt: '', ok: true, status: 'OPEN', durationMs: 1 });
        }),
      onResult: (otpId) => void results.push(otpId),
      intervalMs: () => 5000,
      defaultDurationMs: () => 60_000,
      maxConcurrent: () => 5,
      now: () => time.now,
      timers: time,
    });
    scheduler.start(ID(1));
    await time.advance(1);
    assert.ok(scheduler.get(ID(1))?.inFlight);
    assert.equal(scheduler.stop(ID(1)), true);
    release?.();
    await time.advance(10_000);
    assert.deepEqual(results, []);
    assert.equal(scheduler.timersAlive(), 0);
    scheduler.dispose();
  });

  it('ends on 404 without retrying', async () => {
    const { time, polls, ends, scheduler } = setup(() => ({ ok: false, httpStatus: 404, error: { kind: 'not-found', message: 'x' } }));
    scheduler.start(ID(1));
    await time.advance(60_000);
    assert.equal(polls.length, 1);
    assert.deepEqual(ends.map((e) => e.reason), ['errors']);
  });
});
