/** Set Label… on a history entry ("signup test, iPhone"): shown in the tree and the hover, kept in exports. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { HistoryStore } from '../stores/historyStore';
import { otpIdFromArg } from './args';

const MAX_LABEL = 200;

export function registerLabelCommands(deps: { history: HistoryStore }): vscode.Disposable[] {
  const { history } = deps;
  return [
    /**
     * Arguments: an otp_id or a tree node, then optionally the label ('' removes it; then no prompt).
     * Returns the entry's label afterwards ('' for none), or undefined when dismissed or not in the history.
     */
    vscode.commands.registerCommand(Commands.historySetLabel, async (arg?: unknown, label?: unknown): Promise<string | undefined> => {
      const otpId = otpIdFromArg(arg);
      const entry = otpId === undefined ? undefined : history.find(otpId);
      if (!entry) {
        if (otpId !== undefined) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not in the history.', otpId.slice(0, 60)));
        return undefined;
      }
      let text = typeof label === 'string' ? label : undefined;
      if (text === undefined) {
        text = await vscode.window.showInputBox({
          title: vscode.l10n.t('D7 OTP: Set Label'),
          prompt: vscode.l10n.t('A label for {0}, e.g. "signup test, iPhone". Leave empty to remove it.', entry.otpId),
          value: entry.label ?? '',
          validateInput: (value) => (value.trim().length > MAX_LABEL ? vscode.l10n.t('At most {0} characters.', MAX_LABEL) : undefined),
        });
        if (text === undefined) return undefined;
      }
      await history.setLabel(entry.otpId, text);
      return history.find(entry.otpId)?.label ?? '';
    }),
  ];
}
