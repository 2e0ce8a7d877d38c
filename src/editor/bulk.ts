/**
 * D7 OTP: Check Status of All IDs in Selection/File. Finds every otp_id in the selection (or the whole document),
 * or in pasted text, and checks them all through `checkAll` (confirmation above 20, bounded concurrency,
 * one cancellable progress, a summary).
 */
import * as vscode from 'vscode';
import { checkAll } from '../commands/status';
import { Commands, Defaults, Settings } from '../constants';
import { findUuids, otpIdKey, parseOtpId } from '../core/otpId';
import type { StatusCheck } from '../core/types';
import type { Lookups } from '../lookups';
import type { TokenStore } from '../stores/tokenStore';

/** Largest clipboard read when matching pasted text (see `fromPastedText`). */
const MAX_CLIPBOARD = 5 * 1024 * 1024;


export function registerBulkCommands(deps: { lookups: Lookups; tokens: TokenStore }): vscode.Disposable[] {
  const { lookups, tokens } = deps;
  return [
    /**
     * Optional argument: text to search (a string) or otp_ids (an array of strings); then no prompt is shown.
     * Returns the recorded checks ([] when there was nothing to check or it was dismissed).
     */
    vscode.commands.registerCommand(Commands.checkAllInSelection, async (arg?: unknown): Promise<StatusCheck[]> => {
      let otpIds: string[] | undefined;
      if (typeof arg === 'string') otpIds = findUuids(arg);
      else if (Array.isArray(arg)) otpIds = idsFromList(arg);
      else {
        const editor = vscode.window.activeTextEditor;
        otpIds = editor ? idsInEditor(editor) : [];
        if (otpIds.length === 0) otpIds = await fromPastedText(editor !== undefined);
        if (otpIds === undefined) return [];
      }
      if (otpIds.length === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No otp_id (UUID) found.'));
        return [];
      }
      if (!(await tokens.has())) {
        const setToken = vscode.l10n.t('Set API Token');
        void vscode.window
          .showWarningMessage(vscode.l10n.t('No D7 API token is set. Set one to check {0} otp_ids.', otpIds.length), setToken)
          .then((choice) => choice === setToken && vscode.commands.executeCommand(Commands.setToken));
        return [];
      }
      return checkAll(lookups, otpIds, bulkConcurrency());
    }),
  ];
}

/** `d7otp.bulk.concurrency` from user settings (an application setting), 1–16. */
export function bulkConcurrency(): number {
  const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<number>(Settings.bulkConcurrency);
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? Defaults.bulkConcurrency;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(16, Math.max(1, Math.floor(value))) : Defaults.bulkConcurrency;
}

/** Every UUID in the selections, or in the whole document when nothing is selected. */
function idsInEditor(editor: vscode.TextEditor): string[] {
  const selected = editor.selections.filter((s) => !s.isEmpty);
  const text = selected.length ? selected.map((s) => editor.document.getText(s)).join('\n') : editor.document.getText();
  return findUuids(text);
}

/** Valid otp_ids of a list, deduplicated case-insensitively; anything else is skipped. */
function idsFromList(values: unknown[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const parsed = parseOtpId(value);
    if (parsed.ok && !seen.has(otpIdKey(parsed.otpId))) {
      seen.add(otpIdKey(parsed.otpId));
      out.push(parsed.otpId);
    }
  }
  return out;
}

/**
 * Asks for text to search. An input box keeps one line, so pasted line breaks are lost; when what was typed is
 * the clipboard's text without its whitespace, the clipboard's own text is searched instead.
 * Resolves undefined when dismissed.
 */
async function fromPastedText(hadEditor: boolean): Promise<string[] | undefined> {
  const input = await vscode.window.showInputBox({
    title: vscode.l10n.t('D7 OTP: Check Status of All IDs'),
    prompt: hadEditor
      ? vscode.l10n.t('No otp_id in the editor. Paste text that contains otp_ids (log lines, JSON, a list).')
      : vscode.l10n.t('Paste text that contains otp_ids (log lines, JSON, a list).'),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const count = findUuids(text).length;
      if (count > 0) return { message: vscode.l10n.t('{0} otp_id(s) found', count), severity: vscode.InputBoxValidationSeverity.Info };
      return text.trim() === '' ? undefined : vscode.l10n.t('No otp_id (UUID) in this text.');
    },
  });
  if (input === undefined) return undefined;
  const clip = await readClipboard();
  const squash = (text: string) => text.replace(/\s+/g, '');
  return findUuids(clip !== undefined && squash(clip) === squash(input) && squash(input) !== '' ? clip : input);
}

async function readClipboard(): Promise<string | undefined> {
  try {
    const text = await vscode.env.clipboard.readText();
    return text.length <= MAX_CLIPBOARD ? text : undefined;
  } catch {
    return undefined;
  }
}
