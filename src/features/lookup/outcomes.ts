/**
 * What a person is told about a record they asked for (the recorder's events; quiet records are not announced):
 * a success in the status bar, a failure in one message with the action that helps. Actions are chosen by the
 * error's kind and message id, never by its text.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { operationOf, type FailedCheck } from '../../core/check';
import type { Recorded } from '../../core/history/recorder';
import { Disposable } from '../../core/lifecycle';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { LastCheckLine } from './lastCheckLine';
import { failureNotice, statusBarText, type NoticeAction } from './notice';

/** Which command a Retry runs, by the failed call's operation (with the otp_id; a send starts over). */
const RETRY: Record<ReturnType<typeof operationOf>, string> = {
  status: Commands.checkStatus,
  resend: Commands.resendOtp,
  verify: Commands.verifyOtp,
  send: Commands.sendOtp,
};

export class Outcomes extends Disposable {
  /** A success's line in the status bar. */
  readonly line = this.register(new LastCheckLine());

  constructor(private readonly s: Services) {
    super();
    this.register(s.recorder.onDidRecord((recorded) => this.announce(recorded)));
  }

  private announce({ check, options, notFiled }: Recorded): void {
    if (options.quiet || notFiled === 'cancelled') return;
    // Send, resend and verify say their success in a message of their own (verifyService.ts): one event, one message.
    if (!check.ok) return this.explain(check);
    const line = statusBarText(check, localized);
    if (line !== undefined) this.line.show(line);
  }

  /** One message per failure, with the action that helps. Not awaited: it never blocks the caller. */
  private explain(check: FailedCheck): void {
    const notice = failureNotice(check);
    const setToken = vscode.l10n.t('Set API Token');
    const retry = vscode.l10n.t('Retry');
    const showLog = vscode.l10n.t('Show Log');
    const openSettings = vscode.l10n.t('Open Settings');
    const label: Record<NoticeAction, string> = { setToken, retry, showLog, openSettings };
    const actions = notice.actions.map((action) => label[action]);
    const text = notice.text;
    const show = notice.severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(text, ...actions).then((choice) => {
      if (choice === setToken) void vscode.commands.executeCommand(Commands.setToken);
      else if (choice === retry) {
        void vscode.commands.executeCommand(RETRY[operationOf(check)], ...(check.otpId && operationOf(check) !== 'send' ? [check.otpId] : []));
      } else if (choice === showLog) this.s.log.show();
      else if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'd7otp.');
    });
  }
}
