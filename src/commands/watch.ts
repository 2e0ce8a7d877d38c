/** D7 OTP: Watch Status / Stop Watching (palette and tree items). */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { parseOtpId } from '../core/otpId';
import type { WatchManager } from '../watch/watchManager';
import { otpIdFromArg } from './args';

export function registerWatchCommands(deps: { watches: WatchManager }): vscode.Disposable[] {
  const { watches } = deps;
  const start = async (arg?: unknown): Promise<boolean> => {
    let otpId = otpIdFromArg(arg);
    if (otpId === undefined) {
      otpId = await vscode.window.showInputBox({
        title: vscode.l10n.t('D7 OTP: Watch Status'),
        prompt: vscode.l10n.t('The otp_id to poll until it is approved, expired or failed.'),
        placeHolder: '8d963dbf-d655-4fe6-9157-48885a036050',
        ignoreFocusOut: true,
        validateInput: (text) => (text.trim() === '' || parseOtpId(text).ok ? undefined : (parseOtpId(text) as { message: string }).message),
      });
      if (!otpId) return false;
    }
    const result = watches.watch(otpId);
    if (!result.ok) void vscode.window.showWarningMessage(result.message);
    return result.ok;
  };
  const stop = (arg?: unknown): boolean => {
    const otpId = otpIdFromArg(arg);
    if (otpId !== undefined) return watches.stop(otpId);
    watches.stopAll();
    return true;
  };
  return [
    vscode.commands.registerCommand(Commands.watchStatus, start),
    vscode.commands.registerCommand(Commands.historyWatch, start),
    vscode.commands.registerCommand(Commands.stopWatching, stop),
    vscode.commands.registerCommand(Commands.historyStopWatching, stop),
    vscode.commands.registerCommand(Commands.stopAllWatches, () => watches.stopAll()),
  ];
}
