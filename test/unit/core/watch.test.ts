import * as assert from 'node:assert/strict';
import type { ErrorKind, StatusCheck } from '../../../src/core/check';
import type { OtpId } from '../../../src/core/otpId';
import { Limits } from '../../../src/core/defaults';
import { WatchScheduler, type WatchEnd, type WatchSchedulerOptions } from '../../../src/core/watch';
import { activeTimers, timerBaseline, uuid, VirtualTime, waitFor } from '../helpers';

/** Ids with letters in them (`abcdef00-…`), so an upper-cased id really differs from the lower-case one. */
const ID = (n: number) => uuid(n, 'abcdef00');
type Script = (otpId: OtpId, n: number) => Partial<StatusCheck> | 'reject';

/** A scheduler on virtual time whose polls answer `script` (by poll number per id). */
function setup(script: Script, options: Partial<WatchSchedulerOptions> & { max?: number; interval?: number; duration?: number } = {}) {
  const time = new VirtualTime();
  const polls: { otpId: OtpId; at: number }[] = [];
  const results: [OtpId, StatusCheck][] = [];
  const counts = new Map<string, number>();
  const ends: WatchEnd[] = [];
  let changes = 0;
  const scheduler = new WatchScheduler({
    poll: async (otpId) => {
      const n = (counts.get(otpId) ?? 0) + 1;
      counts.set(otpId, n);
      polls.push({ otpId, at: time.now });
      const answer = script(otpId, n);
      if (answer === 'reject') throw new Error('poll failed');
      return { otpId, checkedAt: new Date(time.now).toISOString(), ok: true, durationMs: 1, ...answer } as StatusCheck;
    },
    onResult: (otpId, check) => void results.push([otpId, check]),
    intervalMs: () => options.interval ?? 5000,
    defaultDurationMs: () => options.duration ?? 660_000,
    maxConcurrent: () => options.max ?? 10,
    now: () => time.now,
    timers: time,
    ...options,
  });
  scheduler.onDidEnd((e) => ends.push(e));
  scheduler.onDidChange(() => changes++);
  return { time, polls, results, ends, scheduler, changes: () => changes };
}
const error = (kind: ErrorKind, extra: Record<string, unknown> = {}): Partial<StatusCheck> => ({ ok: false, error: { kind, message: 'x', ...extra } });

describe('core/watch: WatchScheduler', () => {
  it("on the host's own timers (no timers given): polls at once, then at the interval; stopping clears its timer", async () => {
    const baseline = await timerBaseline();
    const polls: number[] = [];
    const scheduler = new WatchScheduler({
      poll: async (otpId) => (polls.push(Date.now()), { otpId, checkedAt: new Date().toISOString(), ok: true, durationMs: 1, status: 'OPEN' }),
      intervalMs: () => 20,
      defaultDurationMs: () => 60_000,
      maxConcurrent: () => 10,
    });
    scheduler.start(ID(1));
    await waitFor(() => polls.length >= 3, 'three polls');
    assert.ok(polls[2] - polls[1] >= 15, `${polls[2] - polls[1]} ms between polls`);
    scheduler.stop(ID(1));
    assert.equal(activeTimers(), baseline, 'its timer cleared at once: no poll comes after the watch stopped');
  });

  describe('polling', () => {
    it('polls at the interval until the status is terminal', async () => {
      const { time, polls, results, ends, scheduler } = setup((_, n) => ({ status: n < 3 ? 'OPEN' : 'APPROVED' }));
      scheduler.start(ID(1));
      await time.advance(60_000);
      assert.deepEqual(
        polls.map((p) => p.at),
        [0, 5000, 10000],
      );
      assert.deepEqual(
        results.map(([, c]) => c.status),
        ['OPEN', 'OPEN', 'APPROVED'],
        'every result goes to onResult',
      );
      assert.deepEqual(ends, [{ otpId: ID(1), reason: 'terminal', lastStatus: 'APPROVED' }]);
      assert.deepEqual([scheduler.list().length, scheduler.timersAlive()], [0, 0]);
    });

    it('a poll still on its way is never started again: a slow answer for one id, the others poll on', async () => {
      const time = new VirtualTime();
      const polls: string[] = [];
      let release: (() => void) | undefined;
      const scheduler = new WatchScheduler({
        poll: (otpId) => {
          polls.push(otpId);
          const answer = { otpId, checkedAt: new Date(time.now).toISOString(), ok: true, durationMs: 1, status: 'OPEN' } as StatusCheck;
          return otpId === ID(1) ? new Promise((resolve) => (release = () => resolve(answer))) : Promise.resolve(answer);
        },
        intervalMs: () => 5000,
        defaultDurationMs: () => 660_000,
        maxConcurrent: () => 10,
        now: () => time.now,
        timers: time,
      });
      scheduler.start(ID(1));
      scheduler.start(ID(2));
      await time.advance(20_000);
      assert.deepEqual(
        [polls.filter((id) => id === ID(1)).length, polls.filter((id) => id === ID(2)).length],
        [1, 5],
        'the slow one once, the other every 5 s',
      );
      release?.();
      await time.advance(5000);
      assert.equal(polls.filter((id) => id === ID(1)).length, 2, 'polled again once its answer came');
      scheduler.dispose();
    });

    it('each watch polls on its own rhythm: a tick for one does not poll another that is not due', async () => {
      const { time, polls, scheduler } = setup(() => ({ status: 'OPEN' }));
      scheduler.start(ID(1));
      await time.advance(2500);
      scheduler.start(ID(2));
      await time.advance(10_000);
      assert.deepEqual(
        polls.filter((p) => p.otpId === ID(1)).map((p) => p.at),
        [0, 5000, 10_000],
      );
      assert.deepEqual(
        polls.filter((p) => p.otpId === ID(2)).map((p) => p.at),
        [2500, 7500, 12_500],
      );
      scheduler.dispose();
    });

    it('a watch stopped while its result is being recorded ends once, as stopped: the result does not end it again', async () => {
      const holder: { scheduler?: WatchScheduler } = {};
      const s = setup(() => ({ status: 'APPROVED' }), { onResult: (otpId) => void holder.scheduler?.stop(otpId) });
      holder.scheduler = s.scheduler;
      s.scheduler.start(ID(1));
      await s.time.advance(10_000);
      assert.deepEqual(s.ends, [{ otpId: ID(1), reason: 'stopped', lastStatus: undefined }]);
      assert.equal(s.polls.length, 1);
    });

    it('list and get say what is watched: every watch, in the order started, with its polls and last status', async () => {
      const { time, scheduler } = setup(() => ({ status: 'OPEN' }));
      scheduler.start(ID(2));
      scheduler.start(ID(1));
      await time.advance(5000);
      assert.deepEqual(
        scheduler.list().map((w) => [w.otpId, w.polls, w.lastStatus]),
        [
          [ID(2), 2, 'OPEN'],
          [ID(1), 2, 'OPEN'],
        ],
      );
      assert.equal(scheduler.get(ID(1))?.otpId, ID(1));
      scheduler.stop(ID(2));
      assert.deepEqual(
        scheduler.list().map((w) => w.otpId),
        [ID(1)],
      );
      assert.equal(scheduler.get(ID(2)), undefined);
      scheduler.stop(ID(1));
    });

    it('an unknown status is terminal too', async () => {
      const { time, ends, scheduler } = setup(() => ({ status: 'PENDING_REVIEW' }));
      scheduler.start(ID(1));
      await time.advance(1);
      assert.deepEqual(
        ends.map((e) => [e.reason, e.lastStatus]),
        [['terminal', 'PENDING_REVIEW']],
      );
    });

    it('uses one timer for many watches', async () => {
      const { time, polls, scheduler } = setup(() => ({ status: 'OPEN' }), { max: 100 });
      for (let i = 0; i < 100; i++) scheduler.start(ID(i));
      assert.equal(time.pending.size, 1);
      await time.advance(20_000);
      assert.deepEqual([time.pending.size, scheduler.timersAlive()], [1, 1]);
      assert.equal(polls.length, 500); // at 0, 5, 10, 15, 20 s
    });

    it('never arms a timer longer than Node can keep (2³¹ − 1 ms)', async () => {
      const { time, scheduler } = setup(() => ({ status: 'OPEN' }), { interval: 2 ** 33, duration: 2 ** 34 });
      scheduler.start(ID(1));
      await time.advance(1);
      const [timer] = [...time.pending.values()];
      assert.equal(timer.ms, 2 ** 31 - 1);
    });

    it('fires onDidChange when a watch starts, polls and ends', async () => {
      const { time, scheduler, changes } = setup((_, n) => ({ status: n < 2 ? 'OPEN' : 'EXPIRED' }));
      scheduler.start(ID(1));
      assert.equal(changes(), 1);
      await time.advance(5000);
      assert.equal(changes(), 3, 'one poll, then the end');
    });
  });

  describe('start and stop', () => {
    it('bounds the number of concurrent watches; an id is watched once, in any case', () => {
      const { scheduler } = setup(() => ({ status: 'OPEN' }), { max: 2 });
      assert.equal(scheduler.start(ID(1)).ok, true);
      assert.equal(scheduler.start(ID(2)).ok, true);
      assert.deepEqual(scheduler.start(ID(3)), { ok: false, reason: 'limit', limit: 2 });
      assert.deepEqual(scheduler.start(ID(1).toUpperCase() as OtpId), { ok: false, reason: 'already' });
      assert.equal(scheduler.get(ID(1).toUpperCase() as OtpId)?.otpId, ID(1));
    });

    it('a limit below 1 still allows one watch', () => {
      const { scheduler } = setup(() => ({ status: 'OPEN' }), { max: 0 });
      assert.equal(scheduler.start(ID(1)).ok, true);
      assert.deepEqual(scheduler.start(ID(2)), { ok: false, reason: 'limit', limit: 1 });
    });

    it('a watch lasts the OTP expiry plus the margin: still polling after the expiry, ended ("expired") once the margin passed', async () => {
      const { time, polls, ends, scheduler } = setup(() => ({ status: 'OPEN' }));
      let endedAt: number | undefined;
      scheduler.onDidEnd(() => (endedAt = time.now));
      const started = scheduler.start(ID(1), 30);
      assert.ok(started.ok);
      assert.equal(started.info.deadline, 90_000, '30 s expiry + 60 s margin');
      await time.advance(85_000);
      assert.equal(ends.length, 0, 'still watching 55 s after the OTP expired');
      assert.equal(polls.at(-1)?.at, 85_000, 'and still polling');
      await time.advance(115_000);
      assert.deepEqual(
        ends.map((e) => e.reason),
        ['expired'],
      );
      assert.equal(endedAt, 90_000, 'ended when expiry + margin passed, not at the expiry (30 s) nor later');
      assert.equal(polls.at(-1)?.at, 85_000, 'no poll after the last one before the deadline');
      assert.equal(scheduler.get(ID(1)), undefined);
    });

    it('an expiry longer than the longest watch is capped (then the margin is added)', () => {
      const { scheduler } = setup(() => ({ status: 'OPEN' }));
      const started = scheduler.start(ID(1), Limits.maxWatchSeconds + 1000);
      assert.ok(started.ok);
      assert.equal(started.info.deadline, Limits.maxWatchSeconds * 1000 + Limits.watchMarginMs);
    });

    it('an expiry that is not a positive finite number means the default duration', () => {
      const { scheduler } = setup(() => ({ status: 'OPEN' }), { duration: 123_000 });
      for (const [i, expiry] of [NaN, Infinity, 0, -5].entries()) {
        const started = scheduler.start(ID(i), expiry);
        assert.ok(started.ok);
        assert.equal(started.info.deadline, 123_000, String(expiry));
      }
    });

    it('stops at once when asked, and a late result is not recorded', async () => {
      const time = new VirtualTime();
      const results: OtpId[] = [];
      let release: (() => void) | undefined;
      let signal: AbortSignal | undefined;
      const scheduler = new WatchScheduler({
        poll: (otpId, s) =>
          new Promise((resolve) => {
            signal = s;
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
      assert.equal(signal?.aborted, true, 'the poll in flight is aborted');
      release?.();
      await time.advance(10_000);
      assert.deepEqual(results, []);
      assert.equal(scheduler.timersAlive(), 0);
      assert.equal(scheduler.stop(ID(1)), false, 'stopping again does nothing');
      scheduler.dispose();
    });

    it('dispose ends every watch ("disposed") and leaves no timer', async () => {
      const { time, ends, scheduler } = setup(() => ({ status: 'OPEN' }));
      scheduler.start(ID(1));
      scheduler.start(ID(2));
      scheduler.dispose();
      assert.deepEqual(
        ends.map((e) => e.reason),
        ['disposed', 'disposed'],
      );
      assert.deepEqual([scheduler.timersAlive(), time.pending.size], [0, 0]);
    });
  });

  describe('errors', () => {
    it('backs off on errors (doubling, capped at 60 s) and gives up when they repeat', async () => {
      const { time, polls, ends, scheduler } = setup(() => error('server'));
      scheduler.start(ID(1));
      await time.advance(600_000);
      const gaps = polls.slice(1).map((p, i) => p.at - polls[i].at);
      assert.deepEqual(gaps, [10_000, 20_000, 40_000, 60_000]);
      assert.deepEqual(
        ends.map((e) => e.reason),
        ['errors'],
      );
    });

    it('a success resets the error count', async () => {
      // With maxConsecutiveErrors 3, errors at polls 1, 3 and 4 would end the watch if the success at 2 did not reset the count.
      const { time, polls, ends, scheduler } = setup((_, n) => (n === 2 ? { status: 'OPEN' } : n < 5 ? error('network') : { status: 'APPROVED' }), {
        maxConsecutiveErrors: 3,
      });
      scheduler.start(ID(1));
      await time.advance(600_000);
      assert.equal(polls.length, 5);
      assert.deepEqual(
        ends.map((e) => e.reason),
        ['terminal'],
      );
    });

    it('honours Retry-After on 429', async () => {
      const { time, polls, scheduler } = setup((_, n) =>
        n === 1 ? { httpStatus: 429, ...error('rate-limited', { retryAfterSeconds: 45 }) } : { status: 'OPEN' },
      );
      scheduler.start(ID(1));
      await time.advance(50_000);
      assert.deepEqual(
        polls.map((p) => p.at),
        [0, 45_000, 50_000],
      );
    });

    for (const kind of ['not-found', 'unauthorized', 'config'] as const) {
      it(`ends on ${kind} without retrying`, async () => {
        const { time, polls, ends, scheduler } = setup(() => error(kind));
        scheduler.start(ID(1));
        await time.advance(60_000);
        assert.equal(polls.length, 1);
        assert.deepEqual(
          ends.map((e) => e.reason),
          ['errors'],
        );
      });
    }

    it('a poll that rejects counts as a failed poll (not recorded), and the watch goes on', async () => {
      const { time, polls, results, ends, scheduler } = setup((_, n) => (n === 1 ? 'reject' : { status: 'APPROVED' }));
      scheduler.start(ID(1));
      await time.advance(20_000);
      assert.deepEqual(
        polls.map((p) => p.at),
        [0, 10_000],
      );
      assert.equal(results.length, 1);
      assert.equal(scheduler.get(ID(1)), undefined);
      assert.deepEqual(
        ends.map((e) => e.reason),
        ['terminal'],
      );
    });

    it('a cancelled result is not counted: no poll, no error, no result', async () => {
      const { time, results, scheduler } = setup(() => error('cancelled'));
      scheduler.start(ID(1));
      await time.advance(1);
      const info = scheduler.get(ID(1));
      assert.deepEqual([info?.polls, info?.consecutiveErrors, results.length], [0, 0, 0]);
    });

    it('an onResult that throws does not stop the watch', async () => {
      const { time, polls, scheduler } = setup((_, n) => ({ status: n < 3 ? 'OPEN' : 'APPROVED' }), {
        onResult: () => {
          throw new Error('recording failed');
        },
      });
      scheduler.start(ID(1));
      await time.advance(60_000);
      assert.equal(polls.length, 3);
      assert.equal(scheduler.list().length, 0);
    });
  });
});
