/** In-memory stand-ins for VS Code storage, and timer probes, shared by unit tests. */
import type { MementoLike } from '../../src/stores/historyStore';

/**
 * A Memento over a Map. `get` honours stored falsy values (false, 0, ''), unlike a `||` fallback would.
 * With `clone`, values are serialised like VS Code's storage does (so identity never survives a round trip).
 */
export class FakeMemento implements MementoLike {
  readonly values = new Map<string, unknown>();
  writes = 0;
  constructor(private readonly clone = false) {}

  get<T>(key: string, defaultValue?: T): T | undefined {
    if (!this.values.has(key)) return defaultValue;
    const value = this.values.get(key);
    return (this.clone ? JSON.parse(JSON.stringify(value)) : value) as T;
  }

  async update(key: string, value: unknown): Promise<void> {
    // Like VS Code's ExtHostMemento: the new value is visible at once, persisting finishes later.
    this.writes++;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, this.clone ? JSON.parse(JSON.stringify(value)) : value);
    await Promise.resolve();
  }
}

/** Timers Node holds right now (`Timeout` handles). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Active timers once the test has started (mocha arms its own timeout timer just after the test function begins). */
export async function timerBaseline(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  return activeTimers();
}

/** Waits (a bounded while) until no more timers are active than `baseline`; returns the count then. */
export async function timersSettle(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && activeTimers() > baseline; i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 50 && activeTimers() > baseline; i++) await new Promise((r) => setTimeout(r, 10));
  return activeTimers();
}
