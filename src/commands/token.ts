/** D7 OTP: Set API Token / Clear API Token. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { parseToken } from '../core/token';
import type { Log } from '../log';
import type { TokenStore } from '../stores/tokenStore';

export function registerTokenCommands(deps: { tokens: TokenStore; log: Log }): vscode.Disposable[] {
  const { tokens, log } = deps;
  return [
    /** Optional argument: the token. Without it, asks in a password box. Returns true when a token was stored. */
    vscode.commands.registerCommand(Commands.setToken, async (arg?: unknown): Promise<boolean> => {
      let input = typeof arg === 'string' ? arg : undefined;
      if (input === undefined) {
        input = await vscode.window.showInputBox({
          title: vscode.l10n.t('D7 OTP: Set API Token'),
          prompt: vscode.l10n.t("Paste your D7 API token. It is stored in VS Code's secret storage only."),
          placeHolder: vscode.l10n.t('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…'),
          password: true,
          ignoreFocusOut: true,
          validateInput: (value) => (value === '' ? undefined : parseToken(value).ok ? undefined : (parseToken(value) as { message: string }).message),
        });
        if (input === undefined || input === '') return false;
      }
      let problem: string | undefined;
      try {
        problem = await tokens.set(input);
      } catch (error) {
        // No usable OS keyring, typically: say so without the token, and point at the README's troubleshooting.
        log.error(`Could not store the token in SecretStorage: ${error instanceof Error ? error.name : 'error'}.`);
        problem = vscode.l10n.t("Could not store the token in VS Code's secret storage (is an OS keyring available?). See Troubleshooting in the README.");
      }
      if (problem) {
        void vscode.window.showErrorMessage(problem);
        return false;
      }
      log.info('API token stored in SecretStorage.');
      void vscode.window.showInformationMessage(vscode.l10n.t("D7 API token saved in VS Code's secret storage."));
      return true;
    }),
    vscode.commands.registerCommand(Commands.clearToken, async (): Promise<void> => {
      await tokens.clear();
      log.info('API token removed from SecretStorage.');
      void vscode.window.showInformationMessage(vscode.l10n.t('D7 API token removed.'));
    }),
  ];
}
