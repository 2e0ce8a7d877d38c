/**
 * A bulk check: many ids under one cancellable notification with bounded concurrency, then one summary. Loaded on
 * the first bulk run (dist/chunks/), not at activation.
 */
import * as vscode from 'vscode';
import type { StatusCheck } from '../../core/check';
import { Limits } from '../../core/defaults';
import type { OtpId } from '../../core/otpId';
import { describeStatus } from '../../core/status';
import { Throttle } from '../../core/throttle';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { outcomeText } from '../history/rows';
import type { Lookups, ManyOptions } from './lookups';

/** A bulk run's progress is reported at most this often. */
const PROGRESS_MS = 100;

/**
 * With `ask` (the ids came from the UI: a selection, pasted text, the whole history), asks first above a threshold;
 * a caller that passed the ids has decided. With `ownProfiles`, each id is checked with its entry's profile (Check
 * All Again); otherwise with the active one. Progress is reported at most ten times a second, not once per check.
 */
export async function checkMany(s: Services, lookups: Lookups, otpIds: readonly OtpId[], options: ManyOptions): Promise<StatusCheck[]> {
  const { ownProfiles = false, ask = true, concurrency = s.config.bulkConcurrency } = options;
  if (ask && otpIds.length > Limits.bulkConfirmAbove && !(await confirmMany(otpIds.length))) return [];
  const results: StatusCheck[] = [];
  const title = vscode.l10n.t('Checking OTP statuses');
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    const report = new Throttle(() => {
      progress.report({ message: `${results.length}/${otpIds.length}`, increment: ((results.length - reported) * 100) / otpIds.length });
      reported = results.length;
    }, PROGRESS_MS);
    let next = 0;
    const worker = async () => {
      while (next < otpIds.length && !controller.signal.aborted) {
        const otpId = otpIds[next++];
        results.push(await s.calls.status(otpId, { quiet: true, signal: controller.signal, profile: ownProfiles ? lookups.profileOf(otpId) : undefined }));
        report.request();
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(concurrency)), otpIds.length) }, worker));
    } finally {
      report.dispose();
    }
  });
  void vscode.window.showInformationMessage(summarise(results, otpIds.length));
  return results;
}

async function confirmMany(count: number): Promise<boolean> {
  const go = vscode.l10n.t('Check {0} ids', count);
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Check the status of {0} otp_ids? This sends {0} requests to D7.', count),
    { modal: true },
    go,
  );
  return choice === go;
}

/** "12 checked: 7 OPEN, 3 APPROVED, 2 not found" */
function summarise(results: readonly StatusCheck[], requested: number): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = r.ok && describeStatus(r.status).known ? describeStatus(r.status).text : outcomeText(r, localized);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  const head = results.length < requested ? vscode.l10n.t('{0} of {1} checked', results.length, requested) : vscode.l10n.t('{0} checked', results.length);
  return `${head}: ${parts.join(', ')}`;
}
