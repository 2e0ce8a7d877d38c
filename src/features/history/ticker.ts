/** One repeating timer whose period can change (or stop): the view's clock for "2 min ago" and watch times. */
import type { IDisposable } from '../../core/lifecycle';

export class Ticker implements IDisposable {
  private timer: ReturnType<typeof setInterval> | undefined;
  private period: number | undefined;

  constructor(private readonly tick: () => void) {}

  /** Ticks every `periodMs` from now on; undefined stops it. Setting the same period again changes nothing. */
  set(periodMs: number | undefined): void {
    if (periodMs === this.period) return;
    clearInterval(this.timer); // a no-op for undefined
    this.timer = periodMs === undefined ? undefined : setInterval(this.tick, periodMs);
    this.period = periodMs;
  }

  dispose(): void {
    this.set(undefined);
  }
}
