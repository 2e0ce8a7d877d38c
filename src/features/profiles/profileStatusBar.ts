/** The active profile in the status bar (click to switch). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { Disposable, onNextTurn } from '../../core/lifecycle';
import { inert } from '../../core/text';
import type { Profiles } from '../../services/profiles';

export class ProfileStatusBar extends Disposable {
  private item: vscode.StatusBarItem | undefined;

  /** The item is made and shown just after activation: nothing a user sees waits on it, activation need not either. */
  constructor(private readonly profiles: Profiles) {
    super();
    this.register(profiles.onDidChange(() => this.update()));
    this.register(onNextTurn(() => this.update()));
  }

  private update(): void {
    if (!this.item) {
      this.item = this.register(vscode.window.createStatusBarItem('d7otp.profile', vscode.StatusBarAlignment.Left, 49));
      this.item.name = vscode.l10n.t('D7 OTP Profile');
      this.item.command = Commands.switchProfile;
    }
    const active = this.profiles.active();
    this.item.text = `$(key) D7: ${active.name}`;
    this.item.tooltip = vscode.l10n.t('D7 OTP Inspector profile {0} ({1}). Click to switch.', active.name, inert(active.baseUrl, 100));
    this.item.show();
  }
}
