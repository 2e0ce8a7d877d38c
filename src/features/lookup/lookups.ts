/**
 * Status checks the way a person (or a caller standing in for one) makes them: under progress, with a token asked
 * for first when a person is there to answer, many at once with bounded concurrency and one summary.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { StatusCheck } from '../../core/check';
import { DEFAULT_PROFILE, Limits } from '../../core/defaults';
import { parseOtpId, type OtpId } from '../../core/otpId';
import { describeStatus } from '../../core/status';
import { Throttle } from '../../core/throttle';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { withCallProgress } from '../../ui/progress';
import { outcomeText } from '../history/rows';

/** How `checkMany` runs. */
export interface ManyOptions {
  /** Check each id with its entry's profile (Check All Again); otherwise with the active one. */
  ownProfiles?: boolean;
  /** The ids came from the UI: ask before checking more than `Limits.bulkConfirmAbove`. Default true. */
  ask?: boolean;
  /** Requests in flight at most; default `d7otp.bulk.concurrency`. */
  concurrency?: number;
}

/** A bulk run's progress is reported at most this often. */
const PROGRESS_MS = 100;

export class Lookups {
  constructor(private readonly s: Services) {}

  /**
   * Checks one otp_id (the input is parsed: anything else is refused with a message and sends nothing). With
   * `interactive`, a missing token is asked for first; `profile` (default: the active one) is the profile to check
   * with; `signal` cancels it (an agent tool's cancellation). Resolves with the record; never rejects.
   */
  async check(input: unknown, interactive: boolean, profile?: string, signal?: AbortSignal): Promise<StatusCheck> {
    const parsed = parseOtpId(input);
    if (!parsed.ok) return this.s.calls.status(input);
    if (interactive && !(await this.s.tokens.has(this.s.profiles.get(profile)))) await this.offerToken(parsed.otpId);
    return withCallProgress(vscode.l10n.t('Checking {0}', parsed.otpId), signal, (handle) =>
      this.s.calls.status(parsed.otpId, { signal: handle.signal, onWait: handle.onWait, profile }),
    );
  }

  /** Checks a history entry again with the profile it was checked with (not whichever is active now). */
  checkAgain(otpId: OtpId): Promise<StatusCheck> {
    return this.check(otpId, true, this.profileOf(otpId));
  }

  /** The profile an entry was last checked with (a record without one predates profiles: default); none for a new id. */
  profileOf(otpId: OtpId): string | undefined {
    const latest = this.s.history.find(otpId)?.checks[0];
    return latest ? (latest.profile ?? DEFAULT_PROFILE) : undefined;
  }

  /**
   * Checks many ids under one cancellable notification, then sums up. With `ask` (the ids came from the UI: a
   * selection, pasted text, the whole history), asks first above a threshold; a caller that passed the ids has
   * decided. With `ownProfiles`, each id is checked with its entry's profile (Check All Again); otherwise with the
   * active one. Progress is reported at most ten times a second, not once per check.
   */
  async checkMany(otpIds: readonly OtpId[], options: ManyOptions = {}): Promise<StatusCheck[]> {
    const { ownProfiles = false, ask = true, concurrency = this.s.config.bulkConcurrency } = options;
    if (otpIds.length === 0) return [];
    if (ask && otpIds.length > Limits.bulkConfirmAbove && !(await this.confirmMany(otpIds.length))) return [];
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
          results.push(await this.s.calls.status(otpId, { quiet: true, signal: controller.signal, profile: ownProfiles ? this.profileOf(otpId) : undefined }));
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

  private async offerToken(otpId: OtpId): Promise<void> {
    const setToken = vscode.l10n.t('Set API Token');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('No D7 API token is set. Set one to check {0}.', otpId), setToken);
    if (choice === setToken) await vscode.commands.executeCommand(Commands.setToken);
  }

  private async confirmMany(count: number): Promise<boolean> {
    const go = vscode.l10n.t('Check {0} ids', count);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Check the status of {0} otp_ids? This sends {0} requests to D7.', count),
      { modal: true },
      go,
    );
    return choice === go;
  }
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
