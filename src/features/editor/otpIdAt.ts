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

/** How much of a document is looked into for otp_ids (the menu's key, the pick of Check OTP Status). */
const MAX_DOCUMENT = 200_000;

/** Whether a document holds an otp_id (in its first 200,000 characters). */
export function documentHasOtpId(document: vscode.TextDocument): boolean {
  return findOtpIds(document.getText().slice(0, MAX_DOCUMENT)).length > 0;
}

/** The document's distinct otp_ids (its first 200,000 characters), the nearest to `offset` first, at most 50. */
export function otpIdsNear(document: vscode.TextDocument, offset: number): OtpId[] {
  const text = document.getText().slice(0, MAX_DOCUMENT);
  const at = new Map<string, number>();
  for (const id of findOtpIds(text)) {
    let best = Infinity;
    for (let i = text.indexOf(id); i >= 0; i = text.indexOf(id, i + 1)) best = Math.min(best, Math.abs(i - offset));
    at.set(id, best);
  }
  return [...at.entries()]
    .sort((a, b) => a[1] - b[1])
    .slice(0, 50)
    .map(([id]) => id as OtpId);
}
