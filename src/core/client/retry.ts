/** When the client tries a call again: after 429 and 503, honouring Retry-After, else backing off. No `vscode` import. */
import { Defaults, Limits } from '../defaults';

export interface RetryPolicyOptions {
  /** Automatic retries after 429/503 (0 to Limits.maxRetries; a value that is not a finite number means the default). */
  maxRetries?: () => number;
  /** Longest Retry-After honoured automatically, in seconds; a longer one ends the call. */
  maxRetryAfterSeconds?: number;
  /** First backoff delay when the server gives no Retry-After (doubled per retry, with jitter). */
  backoffBaseMs?: number;
  random?: () => number;
}

/** What the policy looks at in a failed attempt. */
export interface AttemptOutcome {
  httpStatus?: number;
  retryAfterSeconds?: number;
}

export class RetryPolicy {
  constructor(private readonly options: RetryPolicyOptions = {}) {}

  /** The automatic retries this call may make, read once per call. */
  retries(): number {
    return retryCount(this.options.maxRetries?.());
  }

  /** Milliseconds to wait before attempt `attempt + 1`, or undefined when this failure is final. */
  delay(outcome: AttemptOutcome, attempt: number, retries: number): number | undefined {
    if (attempt > retries) return undefined;
    if (outcome.httpStatus !== 429 && outcome.httpStatus !== 503) return undefined;
    const bound = (this.options.maxRetryAfterSeconds ?? Limits.maxRetryAfterSeconds) * 1000;
    if (outcome.retryAfterSeconds !== undefined) {
      const asked = outcome.retryAfterSeconds * 1000;
      return asked <= bound ? asked : undefined;
    }
    const base = (this.options.backoffBaseMs ?? Limits.backoffBaseMs) * 2 ** (attempt - 1);
    const jittered = Math.round(base * (0.5 + (this.options.random ?? Math.random)() * 0.5));
    return Math.min(jittered, bound);
  }
}

/** An integer from 0 to Limits.maxRetries; a value that is not a finite number means the default. */
export function retryCount(value: number | undefined): number {
  if (value === undefined || !Number.isFinite(value)) return Defaults.maxRetries;
  return Math.min(Limits.maxRetries, Math.max(0, Math.floor(value)));
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
