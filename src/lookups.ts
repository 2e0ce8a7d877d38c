/**
 * Running a status check the way every entry point wants it: progress on the view (and a cancellable
 * notification when it takes a while), the result recorded in history, one actionable message on failure.
 * The palette command, the tree actions and the public API all go through here.
 */
import * as vscode from 'vscode';
import { Commands, Views } from './constants';
import type { D7VerifyClient, RetryWait } from './core/client';
import { isRetryable } from './core/errors';
import { Emitter, type Event } from './core/events';
import { parseOtpId } from './core/otpId';
import type { StatusCheck } from './core/types';
import type { Log } from './log';
import type { HistoryStore } from './stores/historyStore';
import type { TokenStore } from './stores/tokenStore';
import { outcomeText } from './tree/presentation';

export interface LookupDeps {
  client: D7VerifyClient;
  history: HistoryStore;
  tokens: TokenStore;
  log: Log;
  /** Shows the entry of an otp_id in the tree (when the view is open). */
  reveal: (otpId: string) => void;
  /** Name of the active profile, recorded with each call. */
  profile: () => string;
}

/** A recorded status that differs from the one recorded before for that otp_id. */
export interface StatusChange {
  otpId: string;
  from?: string;
  to: string;
}

export interface RecordOptions {
  /** Quiet records show no message and do not reveal the tree (watch polls, bulk runs). */
  quiet?: boolean;
  /** Count an unchanged result on the latest row instead of adding a row (watch polls). */
  coalesce?: boolean;
  /** The otp_id a resend created this one from. */
  resendOf?: string;
}

export interface LookupOptions {
  /** True when a person started it and can answer questions (the palette, a tree action). */
  interactive: boolean;
  signal?: AbortSignal;
  /** Report progress text elsewhere (bulk runs); when set, no progress UI of its own is shown. */
  quiet?: boolean;
}

const NOTIFY_AFTER_MS = 400;

export class Lookups {
  private readonly statusChanged = new Emitter<StatusChange>();
  /** Fires when a recorded status differs from the previous recorded status of that otp_id. */
  readonly onDidChangeStatus: Event<StatusChange> = this.statusChanged.event;

  constructor(private readonly deps: LookupDeps) {}

  /** One quiet poll for a watch: recorded with repeats coalesced. */
  async poll(otpId: string, signal: AbortSignal): Promise<StatusCheck> {
    const check = await this.deps.client.getStatus(otpId, { signal, profile: this.deps.profile() });
    return this.record(check, { quiet: true, coalesce: true });
  }

  /** Checks one otp_id. Resolves with the recorded check; never rejects. */
  async check(input: string, options: LookupOptions): Promise<StatusCheck> {
    try {
      return await this.run(input, options);
    } catch (error) {
      // The boundary: an unexpected failure is logged and returned as a record, never thrown.
      this.deps.log.error(`Unexpected failure checking a status: ${String(error)}`);
      return {
        otpId: String(input ?? ''),
        checkedAt: new Date().toISOString(),
        ok: false,
        durationMs: 0,
        error: { kind: 'bad-response', message: vscode.l10n.t('Unexpected internal error; see the log.') },
      };
    }
  }

  private async run(input: string, options: LookupOptions): Promise<StatusCheck> {
    const parsed = parseOtpId(input);
    if (!parsed.ok) {
      // Nothing was looked up, so nothing is recorded; the message says how to fix the input.
      if (!options.quiet) void vscode.window.showErrorMessage(parsed.message);
      return {
        otpId: '', // never echo what was typed: it may be a token pasted into the wrong box
        checkedAt: new Date().toISOString(),
        ok: false,
        durationMs: 0,
        error: { kind: 'config', message: parsed.message },
      };
    }
    const otpId = parsed.otpId;
    if (options.interactive && !(await this.deps.tokens.has())) {
      const setToken = vscode.l10n.t('Set API Token');
      const choice = await vscode.window.showWarningMessage(
        vscode.l10n.t('No D7 API token is set. Set one to check {0}.', otpId),
        setToken,
      );
      if (choice !== setToken || !(await vscode.commands.executeCommand<boolean>(Commands.setToken))) {
        return this.record(
          {
            otpId,
            checkedAt: new Date().toISOString(),
            ok: false,
            durationMs: 0,
            profile: this.deps.profile(),
            error: { kind: 'config', message: vscode.l10n.t('No API token set. Run "D7 OTP: Set API Token" first.') },
          },
          options,
        );
      }
    }
    const profile = this.deps.profile();
    const check = options.quiet
      ? await this.deps.client.getStatus(otpId, { signal: options.signal, profile })
      : await this.withProgress(vscode.l10n.t('Checking {0}', otpId), options.signal, (signal, onWait) =>
          this.deps.client.getStatus(otpId, { signal, onWait, profile }),
        );
    return this.record(check, options);
  }

  /**
   * Records a call's result in history (a cancelled call is not recorded), announces a status change, and,
   * unless quiet, reveals it in the tree and explains a failure.
   */
  async record(check: StatusCheck, options: RecordOptions = {}): Promise<StatusCheck> {
    if (check.error?.kind === 'cancelled') {
      this.deps.log.info(`${check.operation ?? 'status'} call for ${check.otpId || 'a new OTP'} cancelled; nothing recorded.`);
      return check;
    }
    if (!check.otpId) {
      // A send that failed before D7 gave an id: nothing to file it under; the message says what happened.
      if (!options.quiet) this.explain(check);
      return check;
    }
    const before = this.lastStatus(check.otpId);
    // The check is in the history (and the tree) as soon as add() returns; storing it follows in the background,
    // coalesced with other changes, so a lookup never waits for a whole-history write (docs/BENCHMARKS.md).
    this.deps.history
      .add(check, { coalesce: options.coalesce, resendOf: options.resendOf })
      .catch((error: unknown) => this.deps.log.error(`Could not store the history: ${String(error)}`));
    if (check.ok && check.status !== undefined && (before === undefined || before.toUpperCase() !== check.status.toUpperCase())) {
      this.statusChanged.fire({ otpId: check.otpId, ...(before !== undefined ? { from: before } : {}), to: check.status });
    }
    if (!options.quiet) {
      this.deps.reveal(check.otpId);
      if (check.ok) void vscode.window.setStatusBarMessage(`$(check) D7 OTP ${check.otpId}: ${outcomeText(check)}`, 5000);
      else this.explain(check);
    }
    return check;
  }

  /** The last status recorded for an otp_id, from a successful call. */
  lastStatus(otpId: string): string | undefined {
    return this.deps.history.find(otpId)?.checks.find((c) => c.ok && c.status !== undefined)?.status;
  }

  dispose(): void {
    this.statusChanged.dispose();
  }

  /** One message per failure, with the action that helps. Not awaited: it never blocks the caller. */
  explain(check: StatusCheck): void {
    const error = check.error;
    if (!error) return;
    const setToken = vscode.l10n.t('Set API Token');
    const retry = vscode.l10n.t('Retry');
    const showLog = vscode.l10n.t('Show Log');
    const openSettings = vscode.l10n.t('Open Settings');
    const actions: string[] = [];
    if (error.kind === 'unauthorized') actions.push(setToken);
    else if (error.kind === 'config' && /token/i.test(error.message)) actions.push(setToken);
    else if (error.kind === 'config' && /d7otp\./.test(error.message)) actions.push(openSettings);
    if (isRetryable(error.kind)) actions.push(retry);
    if (error.kind !== 'not-found' && error.kind !== 'validation' && error.kind !== 'config') actions.push(showLog);
    // What happened first (a collapsed notification shows one line), the otp_id after it.
    const text = check.otpId ? `${error.message} (${check.otpId})` : error.message;
    const show = error.kind === 'not-found' || error.kind === 'validation' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
    void show(text, ...actions).then((choice) => {
      if (choice === setToken) void vscode.commands.executeCommand(Commands.setToken);
      else if (choice === retry && (check.operation ?? 'status') === 'status') void vscode.commands.executeCommand(Commands.checkStatus, check.otpId);
      else if (choice === retry && check.operation === 'resend') void vscode.commands.executeCommand(Commands.resendOtp, check.otpId);
      else if (choice === showLog) this.deps.log.show();
      else if (choice === openSettings) void vscode.commands.executeCommand('workbench.action.openSettings', 'd7otp.');
    });
  }

  /**
   * Runs `task` with a progress bar on the view; when it takes longer than a moment, also a notification
   * that can cancel it and that says when it is waiting to retry.
   */
  async withProgress<T>(
    title: string,
    outer: AbortSignal | undefined,
    task: (signal: AbortSignal, onWait: (wait: RetryWait) => void) => Promise<T>,
  ): Promise<T> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort();
    outer?.addEventListener('abort', onOuterAbort, { once: true });
    let report: ((message: string) => void) | undefined;
    let pendingMessage: string | undefined;
    const onWait = (wait: RetryWait) => {
      pendingMessage = vscode.l10n.t('waiting {0} s before retry {1}…', Math.ceil(wait.delayMs / 1000), wait.attempt);
      report?.(pendingMessage);
    };
    const work = vscode.window.withProgress({ location: { viewId: Views.history } }, () => task(controller.signal, onWait));
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          report = (message) => progress.report({ message });
          if (pendingMessage) report(pendingMessage);
          return work.then(
            () => undefined,
            () => undefined,
          );
        },
      );
    }, NOTIFY_AFTER_MS);
    try {
      return await work;
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }
}
