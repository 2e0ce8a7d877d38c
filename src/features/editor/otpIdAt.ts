/** Finding the otp_id under the cursor or in the selection: cheap, one line or one selection at a time. */
import type * as vscode from 'vscode';
import { findOtpIds, readOtpId, type OtpId } from '../../core/otpId';

/** A run of the characters a UUID and its neighbours are made of; a longer run is not an otp_id (as in `findOtpIds`). */
const WORD = /[0-9A-Za-z-]+/;
/** A selection longer than this is not looked into for the context menu. */
const MAX_SELECTION = 1000;

/** The otp_id at `position` and its range, when the word there is exactly a UUID. */
export function otpIdAt(document: vscode.TextDocument, position: vscode.Position): { otpId: OtpId; range: vscode.Range } | undefined {
  const range = document.getWordRangeAtPosition(position, WORD);
  if (!range || range.end.character - range.start.character !== 36) return undefined;
  const otpId = readOtpId(document.getText(range));
  return otpId ? { otpId, range } : undefined;
}

/** The otp_id the editor points at: the one UUID in a (short) selection, or the UUID at the cursor. */
export function otpIdInEditor(editor: vscode.TextEditor | undefined): OtpId | undefined {
  if (!editor) return undefined;
  const selection = editor.selection;
  if (!selection.isEmpty) {
    const length = editor.document.offsetAt(selection.end) - editor.document.offsetAt(selection.start);
    if (length > MAX_SELECTION) return undefined;
    const found = findOtpIds(editor.document.getText(selection));
    return found.length === 1 ? found[0] : undefined;
  }
  return otpIdAt(editor.document, selection.active)?.otpId;
}
