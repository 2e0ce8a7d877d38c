/**
 * A call under progress: a progress bar on the view once it has taken 100 ms (a call answered sooner — the mock, a
 * near D7 edge — would only make the bar flash, and each bar is two messages to the window) and, when it takes
 * longer than a moment, a notification that can cancel it and says when it is waiting to retry. Shared by lookups
 * and the Verify calls.
 */
import * as vscode from 'vscode';
import { Views } from '../constants';
import type { RetryWait } from '../core/client/request';

const VIEW_AFTER_MS = 100;
const NOTIFY_AFTER_MS = 400;

/** What a task gets: the signal that cancels it, and where to report a retry wait. */
export interface ProgressHandle {
  signal: AbortSignal;
  onWait: (wait: RetryWait) => void;
}

export async function withCallProgress<T>(title: string, outer: AbortSignal | undefined, task: (handle: ProgressHandle) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  let report: ((message: string) => void) | undefined;
  let waiting: string | undefined;
  const onWait = (wait: RetryWait) => {
    waiting = vscode.l10n.t('waiting {0} s before retry {1}…', Math.ceil(wait.delayMs / 1000), wait.attempt);
    report?.(waiting);
  };
  const work = task({ signal, onWait });
  const bar = setTimeout(() => void vscode.window.withProgress({ location: { viewId: Views.history } }, () => work.catch(() => undefined)), VIEW_AFTER_MS);
  const timer = setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      report = (message) => progress.report({ message });
      if (waiting) report(waiting);
      return work.then(
        () => undefined,
        () => undefined,
      );
    });
  }, NOTIFY_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(bar);
    clearTimeout(timer);
  }
}
