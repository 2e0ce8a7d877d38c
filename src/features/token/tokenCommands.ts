/** What these commands do (TokenFeature registers them and loads this on first use, dist/chunks/): D7 OTP: Set API Token / Clear API Token / Show Token Info. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { decodeJwtPayload, parseToken } from '../../core/token';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { validateWith } from '../../ui/inputs';
import type { TokenInfo } from './tokenInfo';

export class TokenCommands {
  constructor(private readonly s: Services) {}

  async setToken(given: string | undefined): Promise<boolean> {
    const input = given ?? (await this.askToken());
    if (input === undefined || input === '') return false;
    let problem: string | undefined;
    try {
      const refused = await this.s.tokens.set(input);
      problem = refused && localized(refused);
    } catch (error) {
      // No usable OS keyring, typically: say so without the token, and point at the README's troubleshooting.
      this.s.log.error(`Could not store the token in SecretStorage: ${error instanceof Error ? error.name : 'error'}.`);
      problem = vscode.l10n.t("Could not store the token in VS Code's secret storage (is an OS keyring available?). See Troubleshooting in the README.");
    }
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return false;
    }
    this.s.log.info('API token stored in SecretStorage.');
    void vscode.window.showInformationMessage(vscode.l10n.t("D7 API token saved in VS Code's secret storage."));
    return true;
  }

  private askToken(): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('D7 OTP: Set API Token'),
      prompt: vscode.l10n.t("Paste your D7 API token. It is stored in VS Code's secret storage only."),
      placeHolder: vscode.l10n.t('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…'),
      password: true,
      ignoreFocusOut: true,
      validateInput: validateWith(parseToken),
    });
  }

  async clearToken(): Promise<void> {
    await this.s.tokens.clear();
    this.s.log.info('API token removed from SecretStorage.');
    void vscode.window.showInformationMessage(vscode.l10n.t('D7 API token removed.'));
  }

  async showTokenInfo(): Promise<TokenInfo> {
    const token = await this.s.tokens.get();
    const where = vscode.l10n.t(' (profile {0})', this.s.profiles.active().name);
    if (!token) {
      const message = vscode.l10n.t('No D7 API token is set{0}.', where);
      const setToken = vscode.l10n.t('Set API Token');
      void vscode.window.showWarningMessage(message, setToken).then((c) => c === setToken && vscode.commands.executeCommand(Commands.setToken));
      return { hasToken: false, isJwt: false, message };
    }
    const { describeToken } = await import('./tokenInfo'); // on demand: dist/chunks/
    const info = describeToken(decodeJwtPayload(token), where);
    void vscode.window.showInformationMessage(info.message);
    return info;
  }
}
