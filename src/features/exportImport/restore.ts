/**
 * D7 OTP: Restore Set-Aside History: lists what the history set aside (entries an import could not fit under the
 * caps, unreadable stored data) and brings entries back — asking first whether to raise the caps so they all fit,
 * or to restore what fits (the rest stays set aside). Unreadable data is opened for reading.
 */
import * as vscode from 'vscode';
import { Settings } from '../../constants';
import { isRecord } from '../../core/json';
import type { SetAside } from '../../core/history/setAside';
import type { ImportResult } from '../../core/history/store';
import { inert } from '../../core/text';
import type { Services } from '../../services/services';

/** The settings' own maximums (package.json). */
const MAX_ENTRIES = 100_000;
const MAX_CHECKS = 1000;

export interface RestoreResult extends ImportResult {
  id: string;
}

export class SetAsideRestore {
  constructor(private readonly s: Services) {}

  /**
   * Optional argument `{ id, raiseLimits?: boolean }`: no prompt (raiseLimits false or absent: restore what fits).
   * Returns the counts, or undefined when dismissed, or when the set-aside is unreadable data (then it is opened).
   */
  async run(arg: unknown): Promise<RestoreResult | undefined> {
    const given = isRecord(arg) && typeof arg.id === 'string' ? arg.id : undefined;
    const list = await this.s.history.setAsides();
    const picked = given ? list.find((a) => a.id === given) : await pick(list);
    if (!picked) {
      if (given) void vscode.window.showWarningMessage(vscode.l10n.t('Nothing is set aside under {0}.', inert(given, 80)));
      return undefined;
    }
    if (picked.reason === 'unreadable') {
      await vscode.window.showTextDocument(vscode.Uri.file(picked.path), { preview: true });
      return undefined;
    }
    const raise = given ? isRecord(arg) && arg.raiseLimits === true : await this.askRaise(picked);
    if (raise === undefined) return undefined;
    if (raise) await this.raiseLimits(picked);
    const result = await this.s.history.restore(picked.id);
    if (!result) return undefined;
    this.s.log.info(
      `Restored from ${picked.id}: ${result.addedChecks} checks of ${result.addedEntries} new otp_ids; ${result.droppedByLimits} still set aside`,
    );
    const text = result.droppedByLimits
      ? vscode.l10n.t('Restored {0} checks; {1} still did not fit and stay set aside.', result.addedChecks, result.droppedByLimits)
      : vscode.l10n.t('Restored {0} checks ({1} new otp_ids).', result.addedChecks, result.addedEntries);
    if (!given) void vscode.window.showInformationMessage(text);
    return { ...result, id: picked.id };
  }

  /** True: raise the caps first; false: restore what fits; undefined: dismissed. */
  private async askRaise(picked: SetAside): Promise<boolean | undefined> {
    const limits = this.s.config.historyLimits;
    const raise = vscode.l10n.t('Raise the Limits and Restore');
    const fits = vscode.l10n.t('Restore What Fits');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('Restore {0} otp_ids ({1} checks)?', picked.entries, picked.checks),
      {
        modal: true,
        detail: vscode.l10n.t(
          'The history keeps at most {0} otp_ids and {1} checks each (d7otp.history.maxEntries, maxChecksPerEntry); your own entries come first, and what does not fit stays set aside.',
          limits.maxEntries,
          limits.maxChecksPerEntry,
        ),
      },
      raise,
      fits,
    );
    return choice === raise ? true : choice === fits ? false : undefined;
  }

  /** Raises the caps (user settings) so the set-aside fits beside what is shown now. */
  private async raiseLimits(picked: SetAside): Promise<void> {
    const limits = this.s.config.historyLimits;
    const entries = Math.min(MAX_ENTRIES, this.s.history.entries.length + picked.entries);
    const checks = Math.min(MAX_CHECKS, limits.maxChecksPerEntry + picked.checks);
    const section = vscode.workspace.getConfiguration(Settings.section);
    if (entries > limits.maxEntries) await section.update(Settings.historyMaxEntries, entries, vscode.ConfigurationTarget.Global);
    if (checks > limits.maxChecksPerEntry) await section.update(Settings.historyMaxChecksPerEntry, checks, vscode.ConfigurationTarget.Global);
    // The new values reach this window's configuration a moment after the write resolves.
    const raised = () => this.s.config.historyLimits.maxEntries >= entries && this.s.config.historyLimits.maxChecksPerEntry >= checks;
    for (let i = 0; i < 250 && !raised(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function pick(list: readonly SetAside[]): Promise<SetAside | undefined> {
  if (list.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing of the history is set aside.'));
    return undefined;
  }
  const items = list.map((a) => ({
    label: a.reason === 'caps' ? vscode.l10n.t('{0} otp_ids, {1} checks', a.entries, a.checks) : vscode.l10n.t('Unreadable data'),
    description: new Date(a.createdAt).toLocaleString(),
    detail: inert(a.problem, 200),
    aside: a,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('D7 OTP: Restore Set-Aside History'),
    placeHolder: vscode.l10n.t('Entries are restored; unreadable data is opened'),
  });
  return picked?.aside;
}
