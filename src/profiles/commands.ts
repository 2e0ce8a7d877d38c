/** D7 OTP: Switch Profile / Add Profile / Remove Profile. */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { parseBaseUrl } from '../core/baseUrl';
import type { Log } from '../log';
import type { TokenStore } from '../stores/tokenStore';
import { DEFAULT_PROFILE, tokenKey, validateProfileName, type Profiles } from './profiles';

export function registerProfileCommands(deps: { profiles: Profiles; tokens: TokenStore; log: Log }): vscode.Disposable[] {
  const { profiles, tokens, log } = deps;
  return [
    /** Optional argument: the profile name. Returns true when switched. */
    vscode.commands.registerCommand(Commands.switchProfile, async (arg?: unknown): Promise<boolean> => {
      let name = typeof arg === 'string' ? arg : undefined;
      if (name === undefined) {
        const active = profiles.active().name;
        const picked = await vscode.window.showQuickPick(
          profiles.list().map((p) => ({ label: p.name, description: p.baseUrl, detail: p.name === active ? vscode.l10n.t('active') : undefined, name: p.name })),
          { title: vscode.l10n.t('D7 OTP: Switch Profile'), placeHolder: vscode.l10n.t('Profile to use for every call') },
        );
        name = picked?.name;
      }
      if (name === undefined) return false;
      if (!(await profiles.switchTo(name))) {
        void vscode.window.showErrorMessage(vscode.l10n.t('No profile named "{0}". Add it with "D7 OTP: Add Profile".', name));
        return false;
      }
      await tokens.updateContext();
      log.info(`Active profile: ${name}.`);
      return true;
    }),
    /** Optional argument `{ name, baseUrl, token? }`: no prompts. Returns true when added. */
    vscode.commands.registerCommand(Commands.addProfile, async (arg?: { name?: string; baseUrl?: string; token?: string }): Promise<boolean> => {
      const existing = profiles.list().map((p) => p.name);
      const name =
        arg?.name ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('D7 OTP: Add Profile (1/2)'),
          prompt: vscode.l10n.t('A name for this D7 environment, e.g. staging.'),
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() === '' ? undefined : validateProfileName(v.trim(), existing)),
        }));
      if (!name) return false;
      const baseUrl =
        arg?.baseUrl ??
        (await vscode.window.showInputBox({
          title: vscode.l10n.t('D7 OTP: Add Profile (2/2)'),
          prompt: vscode.l10n.t('Base URL of its D7 API (https://, or http:// for a local mock).'),
          value: 'https://api.d7networks.com',
          ignoreFocusOut: true,
          validateInput: (v) => {
            const parsed = parseBaseUrl(v);
            return parsed.ok ? undefined : parsed.message;
          },
        }));
      if (!baseUrl) return false;
      const problem = await profiles.add(name.trim(), baseUrl);
      if (problem) {
        void vscode.window.showErrorMessage(problem);
        return false;
      }
      if (arg?.token !== undefined) {
        const tokenProblem = await tokens.set(arg.token, tokenKey(name.trim()));
        if (tokenProblem) void vscode.window.showErrorMessage(tokenProblem);
      }
      log.info(`Profile added: ${name.trim()} (${baseUrl}).`);
      if (arg === undefined) {
        const switchNow = vscode.l10n.t('Switch and Set Token');
        const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" added.', name.trim()), switchNow);
        if (choice === switchNow && (await profiles.switchTo(name.trim()))) await vscode.commands.executeCommand(Commands.setToken);
      }
      return true;
    }),
    /** Optional argument: the name (then no confirmation). Removes the profile and its token. */
    vscode.commands.registerCommand(Commands.removeProfile, async (arg?: unknown): Promise<boolean> => {
      let name = typeof arg === 'string' ? arg : undefined;
      if (name === undefined) {
        const choices = profiles.list().filter((p) => p.name !== DEFAULT_PROFILE);
        if (choices.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('There is no profile to remove besides the default one.'));
          return false;
        }
        const picked = await vscode.window.showQuickPick(choices.map((p) => ({ label: p.name, description: p.baseUrl })), {
          title: vscode.l10n.t('D7 OTP: Remove Profile'),
        });
        if (!picked) return false;
        const remove = vscode.l10n.t('Remove');
        const sure = await vscode.window.showWarningMessage(
          vscode.l10n.t('Remove profile "{0}" and its stored token?', picked.label),
          { modal: true },
          remove,
        );
        if (sure !== remove) return false;
        name = picked.label;
      }
      if (name === DEFAULT_PROFILE) {
        void vscode.window.showErrorMessage(vscode.l10n.t('The default profile cannot be removed; clear its token instead.'));
        return false;
      }
      const removed = await profiles.remove(name);
      if (removed) {
        await tokens.clear(tokenKey(name));
        log.info(`Profile removed with its token: ${name}.`);
      }
      return removed;
    }),
  ];
}
