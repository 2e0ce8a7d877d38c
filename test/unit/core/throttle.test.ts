import * as assert from 'node:assert/strict';
import { Throttle, type Clock } from '../../../src/core/throttle';

/** A clock the test moves by hand: timers run when `advance` passes their time. */
function manualClock(): Clock & { advance(ms: number): void; pending(): number } {
  let now = 1000;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        timers = timers.filter((t) => t !== due);
        due.fn();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

describe('core/throttle', () => {
  it('runs the first request at once, and a burst within the interval once at its end', () => {
    const clock = manualClock();
    let calls = 0;
    const t = new Throttle(() => calls++, 100, clock);
    t.request();
    assert.equal(calls, 1, 'the first request is not delayed');
    for (let i = 0; i < 50; i++) {
      clock.advance(1);
      t.request();
    }
    assert.equal(calls, 1, '50 requests within the interval wait');
    clock.advance(49);
    assert.equal(calls, 1, 'not before the interval ends');
    clock.advance(1);
    assert.equal(calls, 2, 'once at the end of the interval');
    assert.equal(clock.pending(), 0);
  });

  it('a request exactly one interval after the last call runs at once, without a timer', () => {
    const clock = manualClock();
    let calls = 0;
    const t = new Throttle(() => calls++, 100, clock);
    t.request();
    clock.advance(100);
    t.request();
    assert.equal(calls, 2, 'the interval is over at its last millisecond');
    assert.equal(clock.pending(), 0);
  });

  it('makes about ten calls a second out of a thousand requests spread over a second', () => {
    const clock = manualClock();
    let calls = 0;
    const t = new Throttle(() => calls++, 100, clock);
    for (let i = 0; i < 1000; i++) {
      t.request();
      clock.advance(1);
    }
    clock.advance(200);
    assert.ok(calls >= 10 && calls <= 11, `${calls} calls`);
  });

  it('runs a request after a quiet interval at once, flush runs a pending one, dispose drops it', () => {
    const clock = manualClock();
    let calls = 0;
    const t = new Throttle(() => calls++, 100, clock);
    t.request();
    clock.advance(500);
    t.request();
    assert.equal(calls, 2, 'quiet for longer than the interval: at once');
    t.request();
    t.flush();
    assert.equal(calls, 3, 'flush runs the pending call');
    t.flush();
    assert.equal(calls, 3, 'flush without a pending call does nothing');
    t.request();
    t.dispose();
    clock.advance(1000);
    assert.equal(calls, 3, 'a disposed throttle does not run');
  });
});
