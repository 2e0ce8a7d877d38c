/**
 * At most one call of `fn` per `intervalMs`: the first request runs at once, requests within the interval after
 * it run once at its end (so the last state is always shown). What a burst of changes (a bulk run of 1,000 checks)
 * turns into: about ten tree refreshes or progress reports a second, not one per change. No `vscode` import.
 */
import type { IDisposable } from './lifecycle';

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Throttle implements IDisposable {
  private last = -Infinity;
  private timer: unknown;

  constructor(
    private readonly fn: () => void,
    private readonly intervalMs: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Runs `fn` now, or once at the end of the current interval. */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = this.last + this.intervalMs - this.clock.now();
    if (wait <= 0) return this.run();
    this.timer = this.clock.setTimeout(() => this.run(), wait);
  }

  /** Runs a pending call now (e.g. at the end of a burst, so the final state is not late). */
  flush(): void {
    if (this.timer !== undefined) this.run();
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer); // a no-op for undefined, as clearTimeout's
    this.timer = undefined;
  }

  private run(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.last = this.clock.now();
    this.fn();
  }
}
