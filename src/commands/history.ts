/** Tree-item and view-title actions on the history: copy id, copy JSON, remove, clear. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { HistoryStore } from '../stores/historyStore';
import { checkFromArg, otpIdFromArg } from './args';

export function registerHistoryCommands(deps: { history: HistoryStore }): vscode.Disposable[] {
  const { history } = deps;
  return [
    vscode.commands.registerCommand(Commands.historyCopyId, async (arg?: unknown) => {
      const otpId = otpIdFromArg(arg);
      if (otpId === undefined) return;
      await vscode.env.clipboard.writeText(otpId);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', otpId), 3000);
    }),
    /** Copies the response body (of a check node, or an entry's latest check) as pretty JSON. */
    vscode.commands.registerCommand(Commands.historyCopyJson, async (arg?: unknown) => {
      const check = checkFromArg(arg) ?? (otpIdFromArg(arg) ? history.find(otpIdFromArg(arg) as string)?.checks[0] : undefined);
      if (!check) return;
      const body = check.body === undefined ? null : check.body;
      const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied the response of {0}', check.otpId), 3000);
    }),
    vscode.commands.registerCommand(Commands.historyRemove, async (arg?: unknown) => {
      const otpId = otpIdFromArg(arg);
      if (otpId !== undefined) await history.remove(otpId);
    }),
    /** Asks first; the argument `{ confirm: false }` skips the question (scripts, tests). Returns true when cleared. */
    vscode.commands.registerCommand(Commands.historyClear, async (arg?: { confirm?: boolean }): Promise<boolean> => {
      if (history.entries.length === 0) return true;
      if (arg?.confirm !== false) {
        const clear = vscode.l10n.t('Clear History');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove all {0} otp_ids and their checks from the history?', history.entries.length),
          { modal: true, detail: vscode.l10n.t('This cannot be undone.') },
          clear,
        );
        if (choice !== clear) return false;
      }
      await history.clear();
      return true;
    }),
  ];
}
