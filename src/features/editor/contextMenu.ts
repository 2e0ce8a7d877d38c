/**
 * The editor's context keys, kept current from the active editor: `d7otp.documentHasOtpId` (the document holds an
 * otp_id: the context menu shows Check OTP Status) and `d7otp.editorHasOtpId` (the selection or the word at the
 * cursor is one: the keybinding checks it).
 */
import * as vscode from 'vscode';
import { ContextKeys } from '../../constants';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { documentHasOtpId, otpIdInEditor } from './otpIdAt';

/** Quiet time after an update before the next one; changes in between are folded into one trailing update. */
const THROTTLE_MS = 100;

export class EditorOtpIdContext extends Disposable {
  private current: boolean | undefined;
  private inDocument: boolean | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;

  constructor() {
    super();
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.schedule()));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
      }),
    );
    this.register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
    );
    this.register(toDisposable(() => this.timer && clearTimeout(this.timer)));
    // The first look at the active editor (a scan of its whole text) after activation, not during it.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, 0);
  }

  /** Leading edge, so the key is already right when a right-click moved the cursor; then at most one update per THROTTLE_MS. */
  private schedule(): void {
    if (this.timer) {
      this.pending = true;
      return;
    }
    this.update();
    this.timer = setTimeout(() => this.cool(), THROTTLE_MS);
  }

  private cool(): void {
    this.timer = undefined;
    if (!this.pending) return;
    this.pending = false;
    this.update();
    this.timer = setTimeout(() => this.cool(), THROTTLE_MS);
  }

  private update(): void {
    const editor = vscode.window.activeTextEditor;
    const value = otpIdInEditor(editor) !== undefined;
    if (value !== this.current) {
      this.current = value;
      void vscode.commands.executeCommand('setContext', ContextKeys.editorHasOtpId, value);
    }
    const inDocument = value || (editor !== undefined && documentHasOtpId(editor.document));
    if (inDocument !== this.inDocument) {
      this.inDocument = inDocument;
      void vscode.commands.executeCommand('setContext', ContextKeys.documentHasOtpId, inDocument);
    }
  }
}
