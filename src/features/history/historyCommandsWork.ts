/** What these commands do (HistoryCommands registers them and loads this on first use, dist/chunks/): Tree-item and view-title actions on the history: copy id, copy JSON, remove, clear, set label. */
import * as vscode from 'vscode';
import { StorageKeys } from '../../constants';
import { nodeCheck, otpIdArg, skipsConfirmation, stringArg } from '../../core/args';
import { Limits } from '../../core/defaults';
import { maskedCheck } from '../../core/recipient';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';

export class HistoryCommandsWork {
  constructor(private readonly s: Services) {}

  async copyId(arg: unknown): Promise<void> {
    const otpId = otpIdArg(arg);
    if (otpId.kind !== 'ok') return;
    await vscode.env.clipboard.writeText(otpId.value);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', otpId.value), 3000);
  }

  async copyJson(arg: unknown): Promise<void> {
    const otpId = otpIdArg(arg);
    const check = nodeCheck(arg) ?? (otpId.kind === 'ok' ? this.s.history.find(otpId.value)?.checks[0] : undefined);
    if (!check) return;
    const shown = this.s.config.showPhoneNumbers ? check : maskedCheck(check);
    const body = shown.body === undefined ? null : shown.body;
    await vscode.env.clipboard.writeText(typeof body === 'string' ? body : JSON.stringify(body, null, 2));
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the response of {0}', check.otpId), 3000);
  }

  async remove(arg: unknown): Promise<void> {
    const otpId = otpIdArg(arg);
    if (otpId.kind === 'ok') await this.s.history.remove(otpId.value);
  }

  async clear(arg: unknown): Promise<boolean> {
    const { history } = this.s;
    if (history.entries.length === 0) return true;
    if (!skipsConfirmation(arg)) {
      const clear = vscode.l10n.t('Clear History');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('Remove all {0} otp_ids and their checks from the history?', history.entries.length),
        { modal: true, detail: vscode.l10n.t('This cannot be undone.') },
        clear,
      );
      if (choice !== clear) return false;
    }
    await history.clear();
    // Nothing of the history stays behind: what was set aside unreadable, and the last Send inputs (phone numbers).
    const { globalState } = this.s.context;
    const leftovers = globalState.keys().filter((k) => k === StorageKeys.historyBackup || k.startsWith(`${StorageKeys.sendDefaults}.`));
    await Promise.all(leftovers.map((k) => globalState.update(k, undefined)));
    return true;
  }

  async setLabel(arg: unknown, labelArg: unknown): Promise<string | undefined> {
    const otpId = otpIdArg(arg);
    if (otpId.kind === 'bad') void vscode.window.showWarningMessage(localized(otpId.message));
    const entry = otpId.kind === 'ok' ? this.s.history.find(otpId.value) : undefined;
    if (!entry) {
      if (otpId.kind === 'ok') void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not in the history.', otpId.value));
      return undefined;
    }
    let text = stringArg(labelArg);
    if (text === undefined) {
      text = await vscode.window.showInputBox({
        title: vscode.l10n.t('D7 OTP: Set Label'),
        prompt: vscode.l10n.t('A label for {0}, e.g. "signup test, iPhone". Leave empty to remove it.', entry.otpId),
        value: entry.label ?? '',
        validateInput: (value) => (value.trim().length > Limits.maxLabel ? vscode.l10n.t('At most {0} characters.', Limits.maxLabel) : undefined),
      });
      if (text === undefined) return undefined;
    }
    await this.s.history.setLabel(entry.otpId, text);
    return this.s.history.find(entry.otpId)?.label ?? '';
  }
}
