/**
 * Editor context menu: Check OTP Status, shown while the selection or the word at the cursor is an otp_id
 * (context key `d7otp.editorHasOtpId`, kept current from the active editor's selection).
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys } from '../constants';
import type { StatusCheck } from '../core/types';
import { otpIdInEditor } from './otpIdAt';

/** Quiet time after an update before the next one; changes in between are folded into one trailing update. */
const THROTTLE_MS = 100;

export function registerEditorContextMenu(): vscode.Disposable[] {
  let current: boolean | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending = false;

  const update = () => {
    const value = otpIdInEditor(vscode.window.activeTextEditor) !== undefined;
    if (value === current) return;
    current = value;
    void vscode.commands.executeCommand('setContext', ContextKeys.editorHasOtpId, value);
  };
  // Leading edge, so the key is already right when a right-click moved the cursor; then at most one update per THROTTLE_MS.
  const schedule = () => {
    if (timer) {
      pending = true;
      return;
    }
    update();
    const cool = () => {
      timer = undefined;
      if (pending) {
        pending = false;
        update();
        timer = setTimeout(cool, THROTTLE_MS);
      }
    };
    timer = setTimeout(cool, THROTTLE_MS);
  };

  schedule();
  return [
    vscode.window.onDidChangeActiveTextEditor(schedule),
    vscode.window.onDidChangeTextEditorSelection((e) => {
      if (e.textEditor === vscode.window.activeTextEditor) schedule();
    }),
    { dispose: () => timer && clearTimeout(timer) },
    /** Optional argument: the otp_id (a string). From the menu, VS Code passes the document's URI: the editor decides. */
    vscode.commands.registerCommand(Commands.checkStatusAtCursor, async (arg?: unknown): Promise<StatusCheck | undefined> => {
      const otpId = typeof arg === 'string' ? arg : otpIdInEditor(vscode.window.activeTextEditor);
      if (otpId === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an otp_id (a UUID), or select one, to check its status.'));
        return undefined;
      }
      return vscode.commands.executeCommand<StatusCheck | undefined>(Commands.checkStatus, otpId);
    }),
  ];
}
