/**
 * Watches in the editor: the one scheduler, a status-bar count, transition notifications, and (only when the user
 * asked for it) watches that survive a window reload.
 */
import * as vscode from 'vscode';
import * as config from '../config';
import { Commands, ContextKeys, Settings, StorageKeys } from '../constants';
import { inertText } from '../core/errors';
import { parseOtpId } from '../core/otpId';
import { formatDuration } from '../core/timeline';
import { WatchScheduler, type WatchEnd, type WatchInfo } from '../core/watchScheduler';
import type { Log } from '../log';
import type { Lookups, StatusChange } from '../lookups';

export type WatchStartResult = { ok: true } | { ok: false; message: string };

export class WatchManager implements vscode.Disposable {
  readonly scheduler: WatchScheduler;
  private readonly statusBar: vscode.StatusBarItem;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    lookups: Lookups,
    private readonly globalState: vscode.Memento,
    private readonly log: Log,
  ) {
    this.scheduler = new WatchScheduler({
      poll: (otpId, signal) => lookups.poll(otpId, signal),
      intervalMs: config.watchIntervalMs,
      defaultDurationMs: config.watchTimeoutMs,
      maxConcurrent: config.watchMaxConcurrent,
    });
    this.statusBar = vscode.window.createStatusBarItem('d7otp.watches', vscode.StatusBarAlignment.Left, 50);
    this.statusBar.name = vscode.l10n.t('D7 OTP Watches');
    this.statusBar.command = Commands.focusView;
    this.disposables.push(
      this.statusBar,
      this.scheduler.onDidChange(() => this.updateStatusBar()),
      this.scheduler.onDidEnd((end) => this.onEnd(end)),
      lookups.onDidChangeStatus((change) => this.onStatusChange(change)),
    );
  }

  /** Starts watching an otp_id; says why not when it cannot. */
  watch(input: string, expirySeconds?: number): WatchStartResult {
    const parsed = parseOtpId(input);
    if (!parsed.ok) return { ok: false, message: parsed.message };
    const result = this.scheduler.start(parsed.otpId, expirySeconds);
    if (!result.ok) {
      return {
        ok: false,
        message:
          result.reason === 'already'
            ? vscode.l10n.t('{0} is already being watched.', parsed.otpId)
            : vscode.l10n.t('Already watching {0} OTPs (setting d7otp.watch.maxConcurrent). Stop one first.', result.limit ?? 0),
      };
    }
    this.log.info(`Watching ${parsed.otpId}.`);
    this.persist();
    return { ok: true };
  }

  stop(otpId: string): boolean {
    return this.scheduler.stop(otpId);
  }

  stopAll(): void {
    this.scheduler.stopAll();
  }

  get(otpId: string): WatchInfo | undefined {
    return this.scheduler.get(otpId);
  }

  get count(): number {
    return this.scheduler.list().length;
  }

  /** Resumes the watches of the last window, only when `d7otp.watch.resumeAfterReload` is on. */
  restore(): void {
    const ids = this.globalState.get<unknown>(StorageKeys.watches);
    if (!config.flag(Settings.watchResumeAfterReload, false)) {
      if (ids !== undefined) void this.globalState.update(StorageKeys.watches, undefined);
      return;
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids) if (typeof id === 'string') this.watch(id);
    if (ids.length) this.log.info(`Resumed ${ids.length} watch(es) from the last session (d7otp.watch.resumeAfterReload).`);
  }

  private persist(): void {
    if (!config.flag(Settings.watchResumeAfterReload, false)) return;
    void this.globalState.update(StorageKeys.watches, this.scheduler.list().map((w) => w.otpId));
  }

  private updateStatusBar(): void {
    const n = this.count;
    void vscode.commands.executeCommand('setContext', ContextKeys.watching, n > 0);
    if (n === 0) {
      this.statusBar.hide();
      return;
    }
    this.statusBar.text = `$(eye) ${vscode.l10n.t('{0} watching', n)}`;
    this.statusBar.tooltip = vscode.l10n.t('D7 OTP: {0} otp_id(s) being watched. Click to show them.', n);
    this.statusBar.show();
  }

  private onStatusChange(change: StatusChange): void {
    const watch = this.scheduler.get(change.otpId);
    if (!watch || change.from === undefined) return;
    const elapsed = formatDuration(Date.now() - watch.startedAt);
    // Statuses are D7's text: shown inert (one line, no links) in the log and the notification.
    const from = inertText(change.from, 80);
    const to = inertText(change.to, 80);
    this.log.info(`${change.otpId}: ${from} → ${to} after ${elapsed} of watching.`);
    if (!config.flag(Settings.watchNotify, true)) return;
    const show = vscode.l10n.t('Show');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('OTP {0}: {1} → {2} ({3})', change.otpId, from, to, elapsed), show)
      .then((choice) => choice === show && void vscode.commands.executeCommand(Commands.focusView));
  }

  private onEnd(end: WatchEnd): void {
    this.persist();
    if (end.reason === 'disposed') return;
    const last = end.lastStatus === undefined ? undefined : inertText(end.lastStatus, 80);
    this.log.info(`Stopped watching ${end.otpId}: ${end.reason}${last ? ` (last status ${last})` : ''}.`);
    if (end.reason === 'expired' && config.flag(Settings.watchNotify, true)) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Stopped watching {0}: its expiry passed while still {1}.', end.otpId, last ?? 'unknown'),
      );
    } else if (end.reason === 'errors') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Stopped watching {0}: the last checks failed. See the history.', end.otpId));
    }
  }

  dispose(): void {
    // Closing the window ends watches without forgetting them when the user asked them to survive a reload.
    const keep = config.flag(Settings.watchResumeAfterReload, false) ? this.scheduler.list().map((w) => w.otpId) : undefined;
    this.scheduler.dispose();
    if (keep) void this.globalState.update(StorageKeys.watches, keep);
    for (const d of this.disposables) d.dispose();
  }
}
