/**
 * The last status check a person asked for, in the status bar for a few seconds: one item of the extension's own,
 * its text changed at most ten times a second. (`setStatusBarMessage` per check was two messages to the window per
 * check, one of them five seconds later; a burst of checks — a keybinding held down, a script calling the command —
 * now shows the last one, not each in turn.)
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { Disposable, toDisposable } from '../../core/lifecycle';
import { Throttle } from '../../core/throttle';

/** How long the line stays after the last check. */
const SHOWN_MS = 5000;
/** The line changes at most this often. */
const UPDATE_MS = 100;

export class LastCheckLine extends Disposable {
  private item: vscode.StatusBarItem | undefined;
  private text = '';
  private visible = false;
  private hideTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly update = this.register(new Throttle(() => this.render(), UPDATE_MS));

  constructor() {
    super();
    this.register(toDisposable(() => clearTimeout(this.hideTimer)));
  }

  /** Shows `text` now, or at the end of the current tenth of a second when the line changed in it. */
  show(text: string): void {
    this.text = text;
    this.update.request();
  }

  /** What the status bar shows now (undefined when the line is hidden): for the tests. */
  get shown(): string | undefined {
    return this.visible ? this.item?.text : undefined;
  }

  private render(): void {
    if (!this.item) {
      this.item = this.register(vscode.window.createStatusBarItem('d7otp.lastCheck', vscode.StatusBarAlignment.Left, 48));
      this.item.name = vscode.l10n.t('D7 OTP Last Check');
      this.item.tooltip = vscode.l10n.t('The last status check. Click to show the history.');
      this.item.command = Commands.focusView;
    }
    this.item.text = this.text;
    this.item.show();
    this.visible = true;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => {
      this.visible = false;
      this.item?.hide();
    }, SHOWN_MS);
  }
}
