/**
 * otp_ids in integrated-terminal output (an app's log, a test runner's report) become links; activating one offers
 * Check Status, Watch Status, Copy otp_id and, when the history knows the id, Show in History. Finding links reads
 * the line only: no request is made until the user picks an action.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { seenAt, type HistoryEntry } from '../../core/check';
import { otpIdMatches, type OtpId } from '../../core/otpId';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import { outcomeText, relativeTime } from '../history/rows';
import type { Lookups } from '../lookup/lookups';
import type { WatchStartResult } from '../watch/watchFeature';

/** A terminal line longer than this is searched in its first part only (a minified dump, say). */
const MAX_LINE = 4000;

/** What a terminal link needs of the watches. */
export interface TerminalWatcher {
  watch(otpId: string): WatchStartResult;
  stop(otpId: OtpId): boolean;
  get(otpId: OtpId): unknown;
}

export interface OtpTerminalLink extends vscode.TerminalLink {
  otpId: OtpId;
}

type Action = 'check' | 'watch' | 'stop' | 'copy' | 'reveal';
type ActionItem = vscode.QuickPickItem & { action: Action };

export class TerminalFeature extends Feature implements vscode.TerminalLinkProvider<OtpTerminalLink> {
  constructor(
    private readonly s: Services,
    private readonly lookups: Lookups,
    private readonly watches: TerminalWatcher,
  ) {
    super();
    this.register(vscode.window.registerTerminalLinkProvider(this));
  }

  provideTerminalLinks(context: vscode.TerminalLinkContext): OtpTerminalLink[] {
    if (!this.s.config.terminalLinks) return [];
    const tooltip = vscode.l10n.t('D7 OTP: check status, watch or copy');
    return otpIdMatches(context.line.slice(0, MAX_LINE)).map(({ otpId, index }) => ({ startIndex: index, length: otpId.length, tooltip, otpId }));
  }

  async handleTerminalLink(link: OtpTerminalLink): Promise<void> {
    await this.pick(link);
  }

  /** Asks what to do with the id, then does it. Resolves with the action taken, or undefined when dismissed. */
  async pick(link: OtpTerminalLink): Promise<Action | undefined> {
    const entry = this.s.history.find(link.otpId);
    const picked = await vscode.window.showQuickPick(this.items(link.otpId, entry), {
      title: vscode.l10n.t('D7 OTP {0}', link.otpId),
      placeHolder: vscode.l10n.t('What to do with this otp_id'),
    });
    if (!picked) return undefined;
    await this.run(picked.action, link.otpId);
    return picked.action;
  }

  /** Runs an action as the quick pick would (also what the tests drive). */
  async run(action: Action, otpId: OtpId): Promise<void> {
    if (action === 'copy') {
      await vscode.env.clipboard.writeText(otpId);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0}', otpId), 3000);
      return;
    }
    if (action === 'stop') {
      this.watches.stop(otpId);
      return;
    }
    await vscode.commands.executeCommand(Commands.focusView);
    if (action === 'reveal') await vscode.commands.executeCommand(Commands.historyReveal, otpId);
    else if (action === 'check') await this.lookups.check(otpId, true);
    else {
      const started = this.watches.watch(otpId);
      if (!started.ok) void vscode.window.showWarningMessage(started.message);
    }
  }

  private items(otpId: OtpId, entry: HistoryEntry | undefined): ActionItem[] {
    const latest = entry?.checks[0];
    const ago = latest ? relativeTime(seenAt(latest), Date.now()) : undefined;
    const known = latest ? [outcomeText(latest, localized), ago ? localized(ago) : ''].filter(Boolean).join(' · ') : vscode.l10n.t('not checked yet');
    const watching = this.watches.get(otpId) !== undefined;
    const items: ActionItem[] = [
      { action: 'check', label: `$(refresh) ${vscode.l10n.t('Check Status')}`, description: known },
      watching
        ? { action: 'stop', label: `$(eye-closed) ${vscode.l10n.t('Stop Watching')}` }
        : { action: 'watch', label: `$(eye) ${vscode.l10n.t('Watch Status')}`, description: vscode.l10n.t('until it is approved, expired or failed') },
      { action: 'copy', label: `$(copy) ${vscode.l10n.t('Copy otp_id')}` },
    ];
    if (entry) {
      items.push({
        action: 'reveal',
        label: `$(list-tree) ${vscode.l10n.t('Show in History')}`,
        description: vscode.l10n.t('{0} check(s) recorded', entry.checks.length),
      });
    }
    return items;
  }
}
