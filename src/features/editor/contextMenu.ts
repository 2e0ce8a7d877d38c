/**
 * Editor context menu: Check OTP Status, shown while the selection or the word at the cursor is an otp_id
 * (context key `d7otp.editorHasOtpId`, kept current from the active editor's selection).
 */
import * as vscode from 'vscode';
import { ContextKeys } from '../../constants';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { otpIdInEditor } from './otpIdAt';

/** Quiet time after an update before the next one; changes in between are folded into one trailing update. */
const THROTTLE_MS = 100;

export class EditorOtpIdContext extends Disposable {
  private current: boolean | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending = false;

  constructor() {
    super();
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.schedule()));
    this.register(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.schedule();
      }),
    );
    this.register(toDisposable(() => this.timer && clearTimeout(this.timer)));
    this.schedule();
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
    const value = otpIdInEditor(vscode.window.activeTextEditor) !== undefined;
    if (value === this.current) return;
    this.current = value;
    void vscode.commands.executeCommand('setContext', ContextKeys.editorHasOtpId, value);
  }
}
