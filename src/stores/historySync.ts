/**
 * Settings Sync of the history: with `d7otp.history.sync` on, the history's globalState key is synced to the
 * user's other machines (`setKeysForSync`); off, nothing is. The token lives in SecretStorage, which never syncs.
 */
import * as vscode from 'vscode';
import { Settings, StorageKeys } from '../constants';

export function registerHistorySync(globalState: Pick<vscode.ExtensionContext['globalState'], 'setKeysForSync'>): vscode.Disposable[] {
  const apply = () => globalState.setKeysForSync(historySyncEnabled() ? [StorageKeys.history] : []);
  apply();
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${Settings.section}.${Settings.historySync}`)) apply();
    }),
  ];
}

/** `d7otp.history.sync` from user settings only (an application setting: a workspace cannot turn it on). */
export function historySyncEnabled(): boolean {
  const inspected = vscode.workspace.getConfiguration(Settings.section).inspect<boolean>(Settings.historySync);
  return (inspected?.globalValue ?? inspected?.defaultValue) === true;
}
