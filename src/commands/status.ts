/** D7 OTP: Check Status, Check Again (tree item), Check All Again (view title). */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { describeStatus } from '../core/status';
import { findUuids, parseOtpId } from '../core/otpId';
import type { StatusCheck } from '../core/types';
import type { Lookups } from '../lookups';
import type { HistoryStore } from '../stores/historyStore';
import { outcomeText } from '../tree/presentation';
import { otpIdFromArg } from './args';

const CONFIRM_ABOVE = 20;
const CONCURRENCY = 4;

export function registerStatusCommands(deps: { lookups: Lookups; history: HistoryStore }): vscode.Disposable[] {
  const { lookups, history } = deps;
  return [
    /** Optional argument: the otp_id (then no prompt). Returns the recorded check, or undefined when dismissed. */
    vscode.commands.registerCommand(Commands.checkStatus, async (arg?: unknown): Promise<StatusCheck | undefined> => {
      const given = otpIdFromArg(arg);
      if (given !== undefined) return lookups.check(given, { interactive: false });
      const otpId = await promptForOtpId();
      return otpId === undefined ? undefined : lookups.check(otpId, { interactive: true });
    }),
    vscode.commands.registerCommand(Commands.historyCheckAgain, async (arg?: unknown) => {
      const otpId = otpIdFromArg(arg);
      return otpId === undefined ? undefined : lookups.check(otpId, { interactive: true });
    }),
    vscode.commands.registerCommand(Commands.refreshAll, async () => checkAll(lookups, history.entries.map((e) => e.otpId))),
  ];
}

/** Asks for an otp_id, validating as the user types; offers a UUID from the selection or the clipboard. */
async function promptForOtpId(): Promise<string | undefined> {
  const value = await suggestedOtpId();
  const input = await vscode.window.showInputBox({
    title: vscode.l10n.t('D7 OTP: Check Status'),
    prompt: vscode.l10n.t('The otp_id returned by Send OTP (a UUID).'),
    placeHolder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const parsed = parseOtpId(text);
      return parsed.ok || text.trim() === '' ? undefined : parsed.message;
    },
  });
  if (input === undefined) return undefined;
  const parsed = parseOtpId(input);
  if (!parsed.ok) {
    void vscode.window.showErrorMessage(parsed.message);
    return undefined;
  }
  return parsed.otpId;
}

async function suggestedOtpId(): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (editor && !editor.selection.isEmpty) {
    const fromSelection = findUuids(editor.document.getText(editor.selection))[0];
    if (fromSelection) return fromSelection;
  }
  try {
    // Bounded: a browser-hosted workbench may wait for a clipboard permission nobody answers.
    const clip = await Promise.race([
      Promise.resolve(vscode.env.clipboard.readText()),
      new Promise<string>((resolve) => setTimeout(() => resolve(''), 500)),
    ]);
    return clip.length < 10_000 ? findUuids(clip)[0] : undefined;
  } catch {
    return undefined;
  }
}

/** Checks many ids with bounded concurrency under one cancellable notification, then sums up. */
export async function checkAll(lookups: Lookups, otpIds: string[], concurrency = CONCURRENCY): Promise<StatusCheck[]> {
  if (otpIds.length === 0) return [];
  if (otpIds.length > CONFIRM_ABOVE) {
    const go = vscode.l10n.t('Check {0} ids', otpIds.length);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Check the status of {0} otp_ids? This sends {0} requests to D7.', otpIds.length),
      { modal: true },
      go,
    );
    if (choice !== go) return [];
  }
  const results: StatusCheck[] = [];
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking OTP statuses'), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < otpIds.length && !controller.signal.aborted) {
          const otpId = otpIds[next++];
          results.push(await lookups.check(otpId, { interactive: false, quiet: true, signal: controller.signal }));
          done++;
          progress.report({ message: `${done}/${otpIds.length}`, increment: 100 / otpIds.length });
        }
      };
      await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(concurrency)), otpIds.length) }, worker));
    },
  );
  void vscode.window.showInformationMessage(summarise(results, otpIds.length));
  return results;
}

/** "12 checked: 7 OPEN, 3 APPROVED, 2 not found" */
export function summarise(results: StatusCheck[], requested: number): string {
  const counts = new Map<string, number>();
  for (const r of results) {
    const key = r.ok && r.status ? (describeStatus(r.status).known ? r.status.toUpperCase() : outcomeText(r)) : outcomeText(r);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${n} ${k}`);
  const head = results.length < requested ? vscode.l10n.t('{0} of {1} checked', results.length, requested) : vscode.l10n.t('{0} checked', results.length);
  return `${head}: ${parts.join(', ')}`;
}
