/** What D7 OTP: Switch Profile / Add Profile / Remove Profile do (ProfilesFeature loads this on first use, dist/chunks/). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { isRecord } from '../../core/json';
import { parseBaseUrl } from '../../core/baseUrl';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { stringField } from '../../core/args';
import { localized } from '../../l10n';
import { baseUrlSetting, validateProfileName } from '../../services/profiles';
import type { Services } from '../../services/services';
import { validateWith } from '../../ui/inputs';

export class ProfileCommands {
  constructor(private readonly s: Services) {}

  async switchProfile(given: string | undefined): Promise<boolean> {
    const { profiles } = this.s;
    let name = given;
    if (name === undefined) {
      const active = profiles.active().name;
      const items = profiles
        .list()
        .map((p) => ({ label: p.name, description: p.baseUrl, detail: p.name === active ? vscode.l10n.t('active') : undefined, name: p.name }));
      name = (
        await vscode.window.showQuickPick(items, {
          title: vscode.l10n.t('D7 OTP: Switch Profile'),
          placeHolder: vscode.l10n.t('Profile to use for every call'),
        })
      )?.name;
    }
    if (name === undefined) return false;
    if (!(await profiles.switchTo(name))) {
      void vscode.window.showErrorMessage(vscode.l10n.t('No profile named "{0}". Add it with "D7 OTP: Add Profile".', name.slice(0, 40)));
      return false;
    }
    await this.s.tokens.updateContext();
    this.s.log.info(`Active profile: ${name}.`);
    return true;
  }

  async addProfile(arg: unknown): Promise<boolean> {
    const existing = this.s.profiles.list().map((p) => p.name);
    const name = stringField(arg, 'name') ?? (await this.askName(existing));
    if (!name) return false;
    const baseUrl = stringField(arg, 'baseUrl') ?? (await this.askBaseUrl(name.trim()));
    if (!baseUrl) return false;
    const problem = await this.s.profiles.add(name.trim(), baseUrl);
    if (problem) {
      void vscode.window.showErrorMessage(problem);
      return false;
    }
    const profile = { name: name.trim(), baseUrl };
    if (await this.s.tokens.clearStale(profile)) this.s.log.info(`A token left under the name ${profile.name} for another host was removed.`);
    const token = stringField(arg, 'token');
    if (token !== undefined) {
      const tokenProblem = await this.s.tokens.set(token, profile);
      if (tokenProblem) void vscode.window.showErrorMessage(localized(tokenProblem));
    }
    this.s.log.info(`Profile added: ${profile.name} (${baseUrl}).`);
    if (!isRecord(arg)) await this.offerSwitch(name.trim());
    return true;
  }

  private askName(existing: string[]): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('D7 OTP: Add Profile (1/2)'),
      prompt: vscode.l10n.t('A name for this D7 environment, e.g. staging.'),
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? undefined : validateProfileName(v.trim(), existing)),
    });
  }

  private askBaseUrl(name: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('D7 OTP: Add Profile (2/2)'),
      prompt: vscode.l10n.t('Base URL of its D7 API (https://, or http:// for a local mock).'),
      value: 'https://api.d7networks.com',
      ignoreFocusOut: true,
      validateInput: validateWith((v) => parseBaseUrl(v, baseUrlSetting(name))),
    });
  }

  private async offerSwitch(name: string): Promise<void> {
    const switchNow = vscode.l10n.t('Switch and Set Token');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Profile "{0}" added.', name), switchNow);
    if (choice === switchNow && (await this.s.profiles.switchTo(name))) await vscode.commands.executeCommand(Commands.setToken);
  }

  async removeProfile(given: string | undefined): Promise<boolean> {
    const name = given ?? (await this.pickToRemove());
    if (name === undefined) return false;
    if (name === DEFAULT_PROFILE) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The default profile cannot be removed; clear its token instead.'));
      return false;
    }
    const profile = this.s.profiles.list().find((p) => p.name === name);
    const removed = await this.s.profiles.remove(name);
    if (removed && profile) {
      await this.s.tokens.clear(profile);
      this.s.log.info(`Profile removed with its token: ${name}.`);
    }
    return removed;
  }

  private async pickToRemove(): Promise<string | undefined> {
    const choices = this.s.profiles.list().filter((p) => p.name !== DEFAULT_PROFILE);
    if (choices.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no profile to remove besides the default one.'));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      choices.map((p) => ({ label: p.name, description: p.baseUrl })),
      { title: vscode.l10n.t('D7 OTP: Remove Profile') },
    );
    if (!picked) return undefined;
    const remove = vscode.l10n.t('Remove');
    const sure = await vscode.window.showWarningMessage(vscode.l10n.t('Remove profile "{0}" and its stored token?', picked.label), { modal: true }, remove);
    return sure === remove ? picked.label : undefined;
  }
}
