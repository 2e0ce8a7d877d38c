/** Input boxes that validate as the user types with one of the core's parsers, worded through l10n. */
import * as vscode from 'vscode';
import type { Message } from '../core/messages';
import { findOtpIds, parseOtpId, type OtpId } from '../core/otpId';
import { localized } from '../l10n';

type Parser = (text: string) => { ok: true } | { ok: false; message: Message };

/** `validateInput` from a parser: nothing while the box is empty, the parser's message when it refuses. */
export function validateWith(parse: Parser): (text: string) => string | undefined {
  return (text) => {
    if (text.trim() === '') return undefined;
    const parsed = parse(text);
    return parsed.ok ? undefined : localized(parsed.message);
  };
}

/** The first otp_id in the active editor's selection, offered as a prompt's default. */
export function selectedOtpIdInEditor(): OtpId | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty) return undefined;
  return findOtpIds(editor.document.getText(editor.selection).slice(0, 10_000))[0];
}

/** Asks for an otp_id (a UUID), validating as the user types. */
export function askOtpId(title: string, prompt: string, value?: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title,
    prompt,
    value,
    placeHolder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    ignoreFocusOut: true,
    validateInput: validateWith(parseOtpId),
  });
}
