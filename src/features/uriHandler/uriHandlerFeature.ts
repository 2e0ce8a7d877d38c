/**
 * Links into the editor: `vscode://d7-otp-inspector.d7-otp-inspector/check?otp_id=<id>` reveals the view and checks
 * the id; `/watch` checks it and keeps watching while it is OPEN. A link that is not exactly that (another path, no
 * or several otp_id parameters, a value that is not a UUID) gets one message and makes no request.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import type { StatusCheck } from '../../core/check';
import { parseOtpLink } from '../../core/links';
import { describeStatus } from '../../core/status';
import { inert } from '../../core/text';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { Lookups } from '../lookup/lookups';
import type { WatchStartResult } from '../watch/watchFeature';

/** What a link needs of the watches. */
export interface LinkWatcher {
  watch(otpId: string): WatchStartResult;
}

export class UriHandlerFeature extends Feature implements vscode.UriHandler {
  constructor(
    private readonly s: Services,
    private readonly lookups: Lookups,
    private readonly watches: LinkWatcher,
  ) {
    super();
    this.register(vscode.window.registerUriHandler(this));
  }

  async handleUri(uri: vscode.Uri): Promise<void> {
    await this.open(uri);
  }

  /** Follows a link; resolves with the check it made, or undefined when it was refused (the user has been told why). */
  async open(uri: vscode.Uri): Promise<StatusCheck | undefined> {
    const link = parseOtpLink(uri.path, uri.query);
    if (!link.ok) {
      const message = localized(link.message);
      this.s.log.warn(`Refused a link: ${inert(message, 300)}`);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
    this.s.log.info(`Link: ${link.action} ${link.otpId}.`);
    await vscode.commands.executeCommand(Commands.focusView);
    const check = await this.lookups.check(link.otpId, true);
    if (link.action === 'watch' && check.ok && !describeStatus(check.status).terminal) {
      const started = this.watches.watch(link.otpId);
      if (!started.ok) void vscode.window.showWarningMessage(started.message);
    }
    return check;
  }
}
