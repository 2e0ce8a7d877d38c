/**
 * D7 OTP: Check Status of All IDs in Selection/File: every otp_id in the selection (or the whole document), or in
 * pasted text, checked through `Lookups.checkMany` (bounded concurrency, one cancellable progress, a summary).
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { otpIdsArg } from '../../core/args';
import type { StatusCheck } from '../../core/check';
import { findOtpIds, type OtpId } from '../../core/otpId';
import type { Services } from '../../services/services';
import type { Lookups } from '../lookup/lookups';

/** Largest clipboard read when matching pasted text (see `askForText`). */
const MAX_CLIPBOARD = 5 * 1024 * 1024;

export class BulkCheck {
  constructor(
    private readonly s: Services,
    private readonly lookups: Lookups,
  ) {}

  /**
   * Optional argument: text to search (a string) or otp_ids (an array of strings); then nothing is asked, however
   * many ids there are: the caller (a keybinding, another extension, an agent tool) decided. Only ids taken from
   * the editor or pasted text are confirmed above the threshold. Returns the recorded checks ([] when there was
   * nothing to check or it was dismissed).
   */
  async run(arg: unknown): Promise<StatusCheck[]> {
    const given = otpIdsArg(arg);
    const otpIds = given ?? (await this.fromEditorOrText());
    if (otpIds === undefined) return [];
    if (otpIds.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No otp_id (UUID) found.'));
      return [];
    }
    if (!(await this.s.tokens.has())) {
      const setToken = vscode.l10n.t('Set API Token');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('No D7 API token is set. Set one to check {0} otp_ids.', otpIds.length), setToken)
        .then((choice) => choice === setToken && vscode.commands.executeCommand(Commands.setToken));
      return [];
    }
    return this.lookups.checkMany(otpIds, { ask: given === undefined });
  }

  /** The ids of the selections (or the whole document); when there are none, of text the user pastes. */
  private async fromEditorOrText(): Promise<OtpId[] | undefined> {
    const editor = vscode.window.activeTextEditor;
    const found = editor ? idsInEditor(editor) : [];
    return found.length > 0 ? found : askForText(editor !== undefined);
  }
}

/** Every UUID in the selections, or in the whole document when nothing is selected. */
function idsInEditor(editor: vscode.TextEditor): OtpId[] {
  const selected = editor.selections.filter((s) => !s.isEmpty);
  const text = selected.length ? selected.map((s) => editor.document.getText(s)).join('\n') : editor.document.getText();
  return findOtpIds(text);
}

/**
 * Asks for text to search. An input box keeps one line, so pasted line breaks are lost; when what was typed is
 * the clipboard's text without its whitespace, the clipboard's own text is searched instead.
 * Resolves undefined when dismissed.
 */
async function askForText(hadEditor: boolean): Promise<OtpId[] | undefined> {
  const input = await vscode.window.showInputBox({
    title: vscode.l10n.t('D7 OTP: Check Status of All IDs'),
    prompt: hadEditor
      ? vscode.l10n.t('No otp_id in the editor. Paste text that contains otp_ids (log lines, JSON, a list).')
      : vscode.l10n.t('Paste text that contains otp_ids (log lines, JSON, a list).'),
    ignoreFocusOut: true,
    validateInput: (text) => {
      const count = findOtpIds(text).length;
      if (count > 0) return { message: vscode.l10n.t('{0} otp_id(s) found', count), severity: vscode.InputBoxValidationSeverity.Info };
      return text.trim() === '' ? undefined : vscode.l10n.t('No otp_id (UUID) in this text.');
    },
  });
  if (input === undefined) return undefined;
  const clip = await readClipboard();
  const squash = (text: string) => text.replace(/\s+/g, '');
  return findOtpIds(clip !== undefined && squash(clip) === squash(input) && squash(input) !== '' ? clip : input);
}

async function readClipboard(): Promise<string | undefined> {
  try {
    const text = await vscode.env.clipboard.readText();
    return text.length <= MAX_CLIPBOARD ? text : undefined;
  } catch {
    return undefined;
  }
}
