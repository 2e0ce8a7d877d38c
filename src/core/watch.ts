/**
 * Polls watched otp_ids until their status is terminal, their OTP has expired, the user stops them, or errors
 * repeat. One timer for all watches (never one per id or per tree node), a bound on concurrent watches, and
 * backoff after errors and 429s. No `vscode` import: clock and timers are injected for tests.
 */
import type { StatusCheck } from './check';
import { Limits } from './defaults';
import { Emitter, type Event } from './events';
import { otpIdKey, type OtpId } from './otpId';
import { describeStatus } from './status';

/** Node runs a timer of more than 2^31 - 1 ms after 1 ms: every delay is clamped below that. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export type WatchEndReason = 'terminal' | 'expired' | 'stopped' | 'errors' | 'disposed';

export interface WatchInfo {
  otpId: OtpId;
  startedAt: number;
  /** When the watch gives up (the OTP's expiry plus a margin). */
  deadline: number;
  nextDueAt: number;
  polls: number;
  consecutiveErrors: number;
  lastStatus?: string;
  inFlight: boolean;
}

export interface WatchEnd {
  otpId: OtpId;
  reason: WatchEndReason;
  lastStatus?: string;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface WatchSchedulerOptions {
  /** Makes one status check; must resolve (never reject; a rejection counts as a failed poll). */
  poll: (otpId: OtpId, signal: AbortSignal) => Promise<StatusCheck>;
  /** Called with every result of a poll, before the scheduler decides what comes next. */
  onResult?: (otpId: OtpId, check: StatusCheck) => void | Promise<void>;
  intervalMs: () => number;
  /** How long a watch may last when the OTP's own expiry is not known. */
  defaultDurationMs: () => number;
  /** Added to a known expiry. */
  marginMs?: number;
  maxConcurrent: () => number;
  /** Consecutive failed polls that end a watch (default 5). */
  maxConsecutiveErrors?: number;
  /** Longest pause between polls after errors (default 60 s). */
  maxBackoffMs?: number;
  now?: () => number;
  timers?: Timers;
}

export type StartResult = { ok: true; info: WatchInfo } | { ok: false; reason: 'already' | 'limit'; limit?: number };

export class WatchScheduler {
  private readonly watches = new Map<string, WatchInfo>();
  private readonly controllers = new Map<string, AbortController>();
  private timer: unknown;
  private timerDueAt = Infinity;
  private readonly changed = new Emitter<void>();
  private readonly ended = new Emitter<WatchEnd>();
  /** Fires when a watch starts, polls or ends. */
  readonly onDidChange: Event<void> = this.changed.event;
  readonly onDidEnd: Event<WatchEnd> = this.ended.event;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly options: WatchSchedulerOptions) {
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /** Starts watching (the first poll is due at once). `expirySeconds` is the OTP's own expiry when known. */
  start(otpId: OtpId, expirySeconds?: number): StartResult {
    const key = otpIdKey(otpId);
    const existing = this.watches.get(key);
    if (existing) return { ok: false, reason: 'already' };
    const limit = Math.max(1, this.options.maxConcurrent());
    if (this.watches.size >= limit) return { ok: false, reason: 'limit', limit };
    const now = this.now();
    const duration =
      expirySeconds !== undefined && Number.isFinite(expirySeconds) && expirySeconds > 0
        ? Math.min(expirySeconds, Limits.maxWatchSeconds) * 1000 + (this.options.marginMs ?? Limits.watchMarginMs)
        : this.options.defaultDurationMs();
    const info: WatchInfo = { otpId, startedAt: now, deadline: now + duration, nextDueAt: now, polls: 0, consecutiveErrors: 0, inFlight: false };
    this.watches.set(key, info);
    this.changed.fire();
    this.schedule();
    return { ok: true, info };
  }

  stop(otpId: OtpId, reason: WatchEndReason = 'stopped'): boolean {
    const key = otpIdKey(otpId);
    const info = this.watches.get(key);
    if (!info) return false;
    this.watches.delete(key);
    this.controllers.get(key)?.abort();
    this.controllers.delete(key);
    this.ended.fire({ otpId: info.otpId, reason, lastStatus: info.lastStatus });
    this.changed.fire();
    this.schedule();
    return true;
  }

  stopAll(reason: WatchEndReason = 'stopped'): void {
    for (const info of [...this.watches.values()]) this.stop(info.otpId, reason);
  }

  get(otpId: OtpId): WatchInfo | undefined {
    return this.watches.get(otpIdKey(otpId));
  }

  list(): WatchInfo[] {
    return [...this.watches.values()];
  }

  /** Timers this scheduler holds right now: 0 or 1, however many watches. */
  timersAlive(): number {
    return this.timer === undefined ? 0 : 1;
  }

  dispose(): void {
    this.stopAll('disposed');
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.dispose();
    this.ended.dispose();
  }

  /** Arms the one timer for the earliest due watch. */
  private schedule(): void {
    let due = Infinity;
    for (const w of this.watches.values()) if (!w.inFlight) due = Math.min(due, w.nextDueAt, w.deadline);
    if (due === this.timerDueAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDueAt = due;
    if (due === Infinity) return;
    this.timer = this.timers.setTimeout(
      () => {
        this.timer = undefined;
        this.timerDueAt = Infinity;
        this.tick();
      },
      Math.min(MAX_TIMER_MS, Math.max(0, due - this.now())),
    );
  }

  private tick(): void {
    const now = this.now();
    for (const w of [...this.watches.values()]) {
      if (w.inFlight) continue;
      if (now >= w.deadline) {
        this.stop(w.otpId, 'expired');
        continue;
      }
      if (now >= w.nextDueAt) void this.pollOne(w);
    }
    this.schedule();
  }

  private async pollOne(w: WatchInfo): Promise<void> {
    const key = otpIdKey(w.otpId);
    const controller = new AbortController();
    this.controllers.set(key, controller);
    w.inFlight = true;
    let check: StatusCheck | undefined; // none: the poll rejected, counted as a failed poll
    try {
      check = await this.options.poll(w.otpId, controller.signal);
    } catch {
      // check stays undefined
    }
    this.controllers.delete(key);
    w.inFlight = false;
    if (this.watches.get(key) !== w) return; // stopped meanwhile: the result is not recorded
    if (check?.error?.kind === 'cancelled') return;
    w.polls++;
    try {
      if (check) await this.options.onResult?.(w.otpId, check);
    } catch {
      // recording problems are the caller's to report; the watch goes on
    }
    if (this.watches.get(key) !== w) return;
    if (check?.ok) {
      w.lastStatus = check.status;
      w.consecutiveErrors = 0;
      if (describeStatus(check.status).terminal) {
        this.stop(w.otpId, 'terminal');
        return;
      }
      w.nextDueAt = this.now() + this.options.intervalMs();
    } else {
      w.consecutiveErrors++;
      const kind = check?.error.kind;
      if (w.consecutiveErrors >= (this.options.maxConsecutiveErrors ?? 5) || kind === 'not-found' || kind === 'unauthorized' || kind === 'config') {
        this.stop(w.otpId, 'errors');
        return;
      }
      const backoff = Math.min(this.options.maxBackoffMs ?? 60_000, this.options.intervalMs() * 2 ** w.consecutiveErrors);
      const retryAfter = Math.min(check?.error.retryAfterSeconds ?? 0, Limits.maxWatchRetryAfterSeconds) * 1000;
      w.nextDueAt = Math.min(w.deadline, this.now() + Math.max(backoff, retryAfter));
    }
    this.changed.fire();
    this.schedule();
  }
}
