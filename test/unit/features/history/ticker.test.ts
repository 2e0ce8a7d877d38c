import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import { Ticker } from '../../../../src/features/history/ticker';
import { activeTimers, timerBaseline, waitFor } from '../../helpers';

describe('features/history/ticker: Ticker', () => {
  it('ticks every period with one timer; the same period again changes nothing; undefined and dispose stop it', async () => {
    const baseline = await timerBaseline();
    let ticks = 0;
    const ticker = new Ticker(() => ticks++);
    ticker.set(5);
    assert.equal(activeTimers(), baseline + 1);
    await waitFor(() => ticks >= 3, 'three ticks');
    ticker.set(5);
    assert.equal(activeTimers(), baseline + 1, 'no second timer for the same period');
    ticker.set(10);
    assert.equal(activeTimers(), baseline + 1, 'a new period replaces the timer');
    ticker.set(undefined);
    assert.equal(activeTimers(), baseline);
    ticker.set(5);
    ticker.dispose();
    assert.equal(activeTimers(), baseline, 'dispose clears the timer');
  });

  it('the same period again keeps the rhythm: the next tick comes when it was due, not a period later', () => {
    const clock = sinon.useFakeTimers();
    try {
      let ticks = 0;
      const ticker = new Ticker(() => ticks++);
      ticker.set(100);
      clock.tick(60);
      ticker.set(100);
      clock.tick(40);
      assert.equal(ticks, 1, 'due at 100 ms, as first set');
      ticker.set(50);
      clock.tick(49);
      assert.equal(ticks, 1, 'a new period starts from now');
      clock.tick(1);
      assert.equal(ticks, 2);
      ticker.dispose();
      clock.tick(1000);
      assert.equal(ticks, 2);
    } finally {
      clock.restore();
    }
  });
});
