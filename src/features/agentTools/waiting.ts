/** The watch tool's wait: start (or join) a watch and wait until it ends, the time limit passes or the agent cancels. */
import type * as vscode from 'vscode';
import type { Event } from '../../core/events';
import type { OtpId } from '../../core/otpId';
import type { WatchStartResult } from '../watch/watchFeature';

export interface WaitableWatches {
  watch(otpId: string): WatchStartResult;
  stop(otpId: OtpId): boolean;
  get(otpId: OtpId): unknown;
  readonly onDidChange: Event<void>;
}

export type WaitResult = { ok: true; stillWatching: boolean } | { ok: false; message: string };

/**
 * Resolves once the watch of `otpId` ended (settled, expired, failed), or after `limitMs` (the watch goes on in the
 * editor), or on cancellation (a watch this call started is stopped then; one the user started is left alone).
 */
export async function watchUntilSettled(watches: WaitableWatches, otpId: OtpId, limitMs: number, token: vscode.CancellationToken): Promise<WaitResult> {
  const joined = watches.get(otpId) !== undefined;
  if (!joined) {
    const started = watches.watch(otpId);
    if (!started.ok) return started;
  }
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      changes.dispose();
      cancelled.dispose();
      resolve();
    };
    const timer = setTimeout(done, limitMs);
    const changes = watches.onDidChange(() => watches.get(otpId) === undefined && done());
    const cancelled = token.onCancellationRequested(done);
    if (watches.get(otpId) === undefined) done();
  });
  if (token.isCancellationRequested && !joined) watches.stop(otpId);
  return { ok: true, stillWatching: watches.get(otpId) !== undefined };
}
