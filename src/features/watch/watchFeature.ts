/**
 * Watch Status: the one scheduler polling every watched otp_id, the commands, a status-bar count, the
 * notifications of a change or an end, and (only when the user asked for it) watches that survive a reload.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys, StorageKeys } from '../../constants';
import { otpIdArg } from '../../core/args';
import { Emitter } from '../../core/events';
import type { StatusChange } from '../../core/history/recorder';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { otpIdKey, parseOtpId, type OtpId } from '../../core/otpId';
import { inert } from '../../core/text';
import { formatDuration } from '../../core/timeline';
import { WatchScheduler, type WatchEnd, type WatchInfo } from '../../core/watch';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { askOtpId, selectedOtpIdInEditor } from '../../ui/inputs';
import { Feature } from '../feature';

export type WatchStartResult = { ok: true; otpId: OtpId } | { ok: false; message: string };

export class WatchFeature extends Feature {
  private readonly scheduler: WatchScheduler;
  /** Made when a watch is first shown there (most windows never watch anything), not at activation. */
  private statusBarItem: vscode.StatusBarItem | undefined;
  private readonly changed = this.register(new Emitter<void>());
  /** The profile each watch polls with, by otp_id key: fixed when it starts, whatever becomes active later. */
  private readonly profiles = new Map<string, string>();
  /** Fires when a watch starts, polls or ends. */
  readonly onDidChange = this.changed.event;
  /** The watched otp_ids as last shown (see onSchedulerChange). */
  private shown: string | undefined;

  constructor(private readonly s: Services) {
    super();
    const { config, calls } = s;
    this.scheduler = new WatchScheduler({
      poll: (otpId, signal) => calls.status(otpId, { signal, quiet: true, coalesce: true, profile: this.profiles.get(otpIdKey(otpId)) }),
      intervalMs: () => config.watchIntervalMs,
      defaultDurationMs: () => config.watchTimeoutMs,
      maxConcurrent: () => config.watchMaxConcurrent,
    });
    this.register(this.scheduler.onDidChange(() => this.onSchedulerChange()));
    this.register(this.scheduler.onDidEnd((end) => this.onEnd(end)));
    this.register(s.recorder.onDidChangeStatus((change) => this.onStatusChange(change)));
    this.registerCommands({
      [Commands.watchStatus]: (arg?: unknown) => this.startCommand(arg),
      /** Without an argument (a keybinding in the view): starts or stops watching the selected row's otp_id. */
      [Commands.historyWatch]: (arg?: unknown) => (arg === undefined ? this.toggleSelected() : this.startCommand(arg)),
      [Commands.stopWatching]: (arg?: unknown) => this.stopCommand(arg),
      [Commands.historyStopWatching]: (arg?: unknown) => this.stopCommand(arg ?? s.selectedOtpId),
      [Commands.stopAllWatches]: () => this.stopAll(),
    });
    this.restore();
  }

  /** Starts watching an otp_id (`expirySeconds`: the OTP's own expiry, when known); says why not when it cannot. */
  watch(input: unknown, expirySeconds?: number): WatchStartResult {
    const parsed = parseOtpId(input);
    if (!parsed.ok) return { ok: false, message: localized(parsed.message) };
    // The profile the entry was checked with (a record without one predates profiles: default), else the active one.
    const latest = this.s.history.find(parsed.otpId)?.checks[0];
    const profile = latest ? (latest.profile ?? DEFAULT_PROFILE) : this.s.profiles.active().name;
    const result = this.scheduler.start(parsed.otpId, expirySeconds);
    if (result.ok) this.profiles.set(otpIdKey(parsed.otpId), profile); // the first poll runs on a later tick
    if (!result.ok) {
      const message =
        result.reason === 'already'
          ? vscode.l10n.t('{0} is already being watched.', parsed.otpId)
          : vscode.l10n.t('Already watching {0} OTPs (setting d7otp.watch.maxConcurrent). Stop one first.', result.limit ?? 0);
      return { ok: false, message };
    }
    this.s.log.info(`Watching ${parsed.otpId}.`);
    this.persist();
    return { ok: true, otpId: parsed.otpId };
  }

  stop(otpId: OtpId): boolean {
    return this.scheduler.stop(otpId);
  }

  stopAll(): void {
    this.scheduler.stopAll();
  }

  get(otpId: OtpId) {
    return this.scheduler.get(otpId);
  }

  startedAt(otpId: OtpId): number | undefined {
    return this.scheduler.get(otpId)?.startedAt;
  }

  get count(): number {
    return this.scheduler.list().length;
  }

  /** Every watch, with its polls and deadline. */
  list(): readonly WatchInfo[] {
    return this.scheduler.list();
  }

  /** Timers the scheduler holds (0 or 1, however many watches). */
  timersAlive(): number {
    return this.scheduler.timersAlive();
  }

  override dispose(): void {
    // Closing the window ends watches without forgetting them when the user asked them to survive a reload.
    const keep = this.s.config.watchResumeAfterReload ? this.scheduler.list().map((w) => w.otpId) : undefined;
    this.scheduler.dispose();
    if (keep) void this.s.context.globalState.update(StorageKeys.watches, keep);
    super.dispose();
  }

  private async startCommand(arg: unknown): Promise<boolean> {
    const given = otpIdArg(arg);
    const input = given.kind === 'ok' ? given.value : given.kind === 'none' ? await this.askOtpId() : undefined;
    const result = given.kind === 'bad' ? { ok: false as const, message: localized(given.message) } : input ? this.watch(input) : undefined;
    if (result && !result.ok) void vscode.window.showWarningMessage(result.message);
    return result?.ok ?? false;
  }

  private askOtpId(): Thenable<string | undefined> {
    return askOtpId(
      vscode.l10n.t('D7 OTP: Watch Status'),
      vscode.l10n.t('The otp_id to poll until it is approved, expired or failed.'),
      selectedOtpIdInEditor(),
    );
  }

  private async toggleSelected(): Promise<boolean> {
    const otpId = this.s.selectedOtpId;
    if (otpId === undefined) return this.startCommand(undefined);
    if (this.scheduler.get(otpId)) return this.stop(otpId);
    return this.startCommand(otpId);
  }

  /** With an otp_id, stops that watch; without one, asks which (one, or all of them): it never stops every watch unasked. */
  private async stopCommand(arg: unknown): Promise<boolean> {
    const otpId = otpIdArg(arg);
    if (otpId.kind === 'ok') return this.stop(otpId.value);
    if (otpId.kind === 'bad') return false;
    const watches = this.scheduler.list();
    if (watches.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No otp_id is being watched.'));
      return false;
    }
    const all = { label: vscode.l10n.t('$(debug-stop) Stop all {0} watches', watches.length), otpId: undefined };
    const items = watches.map((w) => ({
      label: w.otpId,
      description: vscode.l10n.t('watched for {0}', localized(formatDuration(Date.now() - w.startedAt))),
      otpId: w.otpId,
    }));
    const picked = await vscode.window.showQuickPick(watches.length > 1 ? [...items, all] : items, {
      title: vscode.l10n.t('D7 OTP: Stop Watching'),
      placeHolder: vscode.l10n.t('The watch to stop'),
    });
    if (!picked) return false;
    if (picked.otpId) return this.stop(picked.otpId);
    this.stopAll();
    return true;
  }

  /** Resumes the watches of the last window, only when `d7otp.watch.resumeAfterReload` is on. */
  private restore(): void {
    const { globalState } = this.s.context;
    const ids = globalState.get<unknown>(StorageKeys.watches);
    if (!this.s.config.watchResumeAfterReload) {
      if (ids !== undefined) void globalState.update(StorageKeys.watches, undefined);
      return;
    }
    if (!Array.isArray(ids)) return;
    for (const id of ids) this.watch(id);
    if (ids.length) this.s.log.info(`Resumed ${ids.length} watch(es) from the last session (d7otp.watch.resumeAfterReload).`);
  }

  private persist(): void {
    if (!this.s.config.watchResumeAfterReload) return;
    void this.s.context.globalState.update(
      StorageKeys.watches,
      this.scheduler.list().map((w) => w.otpId),
    );
  }

  /**
   * The scheduler changes at every poll; what the status bar, the context key and the view show changes only when
   * a watch starts or ends (a poll is seen through the history it records). 100 watches poll 20 times a second.
   */
  private onSchedulerChange(): void {
    const watched = this.scheduler
      .list()
      .map((w) => w.otpId)
      .join();
    if (watched === this.shown) return;
    this.shown = watched;
    const n = this.count;
    void vscode.commands.executeCommand('setContext', ContextKeys.watching, n > 0);
    if (n === 0) this.statusBarItem?.hide();
    else {
      const item = this.statusBar();
      item.text = `$(eye) ${vscode.l10n.t('{0} watching', n)}`;
      item.tooltip = vscode.l10n.t('D7 OTP: {0} otp_id(s) being watched. Click to show them.', n);
      item.show();
    }
    this.changed.fire();
  }

  private statusBar(): vscode.StatusBarItem {
    if (!this.statusBarItem) {
      const item = (this.statusBarItem = this.register(vscode.window.createStatusBarItem('d7otp.watches', vscode.StatusBarAlignment.Left, 50)));
      item.name = vscode.l10n.t('D7 OTP Watches');
      item.command = Commands.focusView;
    }
    return this.statusBarItem;
  }

  private onStatusChange(change: StatusChange): void {
    const watch = this.scheduler.get(change.otpId);
    if (!watch || change.from === undefined) return;
    const elapsed = localized(formatDuration(Date.now() - watch.startedAt));
    // Statuses are D7's text: shown inert (one line, no links) in the log and the notification.
    const from = inert(change.from, 80);
    const to = inert(change.to, 80);
    this.s.log.info(`${change.otpId}: ${from} → ${to} after ${elapsed} of watching.`);
    // A change found by the user's own call (Verify Code…, Check Status) is told by that call: one event, one message.
    if (!this.s.config.watchNotify || change.announced) return;
    const show = vscode.l10n.t('Show');
    void vscode.window
      .showInformationMessage(vscode.l10n.t('OTP {0}: {1} → {2} ({3})', change.otpId, from, to, elapsed), show)
      .then((choice) => choice === show && void vscode.commands.executeCommand(Commands.historyReveal, change.otpId));
  }

  private onEnd(end: WatchEnd): void {
    this.profiles.delete(otpIdKey(end.otpId));
    this.persist();
    if (end.reason === 'disposed') return;
    const last = end.lastStatus === undefined ? undefined : inert(end.lastStatus, 80);
    this.s.log.info(`Stopped watching ${end.otpId}: ${end.reason}${last ? ` (last status ${last})` : ''}.`);
    if (end.reason === 'expired' && this.s.config.watchNotify) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Stopped watching {0}: its expiry passed while still {1}.', end.otpId, last ?? 'unknown'));
    } else if (end.reason === 'errors') {
      void vscode.window.showWarningMessage(vscode.l10n.t('Stopped watching {0}: the last checks failed. See the history.', end.otpId));
    }
  }
}
