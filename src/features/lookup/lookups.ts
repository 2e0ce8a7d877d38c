/**
 * Status checks the way a person (or a caller standing in for one) makes them: under progress, with a token asked
 * for first when a person is there to answer, many at once with bounded concurrency and one summary.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { StatusCheck } from '../../core/check';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { parseOtpId, type OtpId } from '../../core/otpId';
import type { Services } from '../../services/services';
import { withCallProgress } from '../../ui/progress';

/** How `checkMany` runs. */
export interface ManyOptions {
  /** Check each id with its entry's profile (Check All Again); otherwise with the active one. */
  ownProfiles?: boolean;
  /** The ids came from the UI: ask before checking more than `Limits.bulkConfirmAbove`. Default true. */
  ask?: boolean;
  /** Requests in flight at most; default `d7otp.bulk.concurrency`. */
  concurrency?: number;
}

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
    const latest = this.s.history.recent(otpId)?.newest;
    return latest ? (latest.profile ?? DEFAULT_PROFILE) : undefined;
  }

  /**
   * Checks many ids under one cancellable notification, then sums up (see `many.ts`, loaded on the first run: a
   * bulk check is not what most windows do). With `ask` (the ids came from the UI), asks first above a threshold.
   */
  async checkMany(otpIds: readonly OtpId[], options: ManyOptions = {}): Promise<StatusCheck[]> {
    if (otpIds.length === 0) return [];
    return (await import('./many')).checkMany(this.s, this, otpIds, options);
  }

  private async offerToken(otpId: OtpId): Promise<void> {
    const setToken = vscode.l10n.t('Set API Token');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('No D7 API token is set. Set one to check {0}.', otpId), setToken);
    if (choice === setToken) await vscode.commands.executeCommand(Commands.setToken);
  }
}
