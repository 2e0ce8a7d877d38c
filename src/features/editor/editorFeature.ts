/** From the editor: the otp_id hover, the context-menu item (and its context key), and the bulk check of a selection or file. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { candidateOtpId } from '../../core/args';
import type { StatusCheck } from '../../core/check';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { Lookups } from '../lookup/lookups';
import type { BulkCheck } from './bulk';
import { EditorOtpIdContext } from './contextMenu';
import { HOVER_SELECTOR, OtpIdHover } from './hover';
import { otpIdInEditor, otpIdsNear } from './otpIdAt';

export class EditorFeature extends Feature {
  constructor(s: Services, lookups: Lookups) {
    super();
    // The bulk check is a command's work, not the editor's: loaded on its first run (dist/chunks/, see esbuild.js).
    let bulk: Promise<BulkCheck> | undefined;
    const bulkCheck = () => (bulk ??= import('./bulk').then(({ BulkCheck }) => new BulkCheck(s, lookups)));
    this.register(vscode.languages.registerHoverProvider(HOVER_SELECTOR, new OtpIdHover(s.config, (id) => s.history.find(id))));
    this.register(new EditorOtpIdContext());
    this.registerCommands({
      [Commands.checkAllInSelection]: async (arg?: unknown) => (await bulkCheck()).run(arg),
      /** Optional argument: the otp_id (a string). From the menu, VS Code passes the document's URI: that editor decides. */
      [Commands.checkStatusAtCursor]: (arg?: unknown) => checkAtCursor(arg),
    });
  }
}

/** The otp_id given, or under the cursor or in the selection; else a pick of the document's (the nearest first). */
async function checkAtCursor(arg: unknown): Promise<StatusCheck | undefined> {
  const editor = editorOf(arg);
  let otpId: string | undefined = (typeof arg === 'string' ? candidateOtpId(arg) : undefined) ?? otpIdInEditor(editor);
  if (otpId === undefined && editor) {
    const near = otpIdsNear(editor.document, editor.document.offsetAt(editor.selection.active));
    if (near.length > 0) {
      const picked = await vscode.window.showQuickPick(
        near.map((id) => ({ label: id })),
        { title: vscode.l10n.t('D7 OTP: Check OTP Status'), placeHolder: vscode.l10n.t('An otp_id of this document (the nearest first)') },
      );
      if (!picked) return undefined;
      otpId = picked.label;
    }
  }
  if (otpId === undefined) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Put the cursor on an otp_id (a UUID), or select one, to check its status.'));
    return undefined;
  }
  return vscode.commands.executeCommand<StatusCheck | undefined>(Commands.checkStatus, otpId);
}

/**
 * The editor the command reads: from the editor context menu, VS Code passes the URI of the document it was opened
 * on, so that document's editor (the active one when it shows it); from the palette, the active editor.
 */
function editorOf(arg: unknown): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (!(arg instanceof vscode.Uri)) return active;
  const same = (editor: vscode.TextEditor | undefined) => editor?.document.uri.toString() === arg.toString();
  return same(active) ? active : vscode.window.visibleTextEditors.find(same);
}
