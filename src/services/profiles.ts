/**
 * Named environments (staging, production…): each a base URL and its own token in SecretStorage.
 * The implicit "default" profile is the core setup (`d7otp.baseUrl`, secret `d7otp.token`), so existing users
 * keep their token and history without any migration step.
 */
import * as vscode from 'vscode';
import type { Config } from '../config';
import { Settings, StorageKeys } from '../constants';
import { BASE_URL_SETTING, parseBaseUrl } from '../core/baseUrl';
import { DEFAULT_PROFILE } from '../core/defaults';
import { Disposable } from '../core/lifecycle';
import { localized } from '../l10n';

export interface Profile {
  name: string;
  /** Raw base URL (validated at each request). */
  baseUrl: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$/;

/** The secret key of a profile's token. The default profile keeps the core's key. */
export function tokenKey(profile: string): string {
  return profile === DEFAULT_PROFILE ? StorageKeys.token : `${StorageKeys.token}.${profile}`;
}

/** The setting a profile's base URL comes from, as messages name it. */
export function baseUrlSetting(profile: string): string {
  return profile === DEFAULT_PROFILE ? BASE_URL_SETTING : `d7otp.profiles (${profile})`;
}

/** Checks a new profile name; returns the problem or undefined. */
export function validateProfileName(name: string, existing: readonly string[]): string | undefined {
  if (!NAME.test(name)) return vscode.l10n.t('A profile name is 1–40 letters, digits, spaces, "_", "." or "-", starting with a letter or digit.');
  if (existing.some((n) => n.toLowerCase() === name.toLowerCase())) return vscode.l10n.t('A profile named "{0}" exists already.', name);
  return undefined;
}

export class Profiles extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /**
   * Fires when the active profile or the list changes: here, or in another window (seen when this one gets the
   * focus, or first uses the active profile after the switch).
   */
  readonly onDidChange = this.changed.event;
  /** The active profile this window last showed. The choice is shared by all windows (globalState). */
  private shown: string | undefined;

  constructor(
    private readonly config: Config,
    private readonly globalState: vscode.Memento,
  ) {
    super();
    this.shown = this.active().name;
    this.register(
      config.onDidChange((e) => {
        if (config.affects(e, Settings.profiles, Settings.baseUrl)) this.fire();
      }),
    );
    this.register(vscode.window.onDidChangeWindowState((state) => state.focused && this.active().name !== this.shown && this.fire()));
  }

  private fire(): void {
    this.shown = this.active().name;
    this.changed.fire();
  }

  /** Every profile: "default" first, then those in `d7otp.profiles` (user settings only). */
  list(): Profile[] {
    const named = this.config.profiles.filter((p) => p.name !== DEFAULT_PROFILE && NAME.test(p.name));
    const unique = named.filter((p, i) => named.findIndex((q) => q.name.toLowerCase() === p.name.toLowerCase()) === i);
    return [{ name: DEFAULT_PROFILE, baseUrl: this.config.baseUrl }, ...unique];
  }

  /** The profile of this name, or the active one (no name, or a name no profile has any more). */
  get(name?: string): Profile {
    return (name !== undefined ? this.list().find((p) => p.name === name) : undefined) ?? this.active();
  }

  active(): Profile {
    const name = this.globalState.get<string>(StorageKeys.activeProfile) ?? DEFAULT_PROFILE;
    const profiles = this.list();
    const active = profiles.find((p) => p.name === name) ?? profiles[0];
    // Another window switched (globalState is shared): whoever shows the active profile is told on this first use.
    if (this.shown !== undefined && active.name !== this.shown) queueMicrotask(() => this.active().name !== this.shown && this.fire());
    return active;
  }

  async switchTo(name: string): Promise<boolean> {
    if (!this.list().some((p) => p.name === name)) return false;
    await this.globalState.update(StorageKeys.activeProfile, name === DEFAULT_PROFILE ? undefined : name);
    this.fire();
    return true;
  }

  /** Adds a profile to user settings; returns the problem or undefined. */
  async add(name: string, baseUrl: string): Promise<string | undefined> {
    const nameProblem = validateProfileName(
      name.trim(),
      this.list().map((p) => p.name),
    );
    if (nameProblem) return nameProblem;
    const url = parseBaseUrl(baseUrl, baseUrlSetting(name.trim()));
    if (!url.ok) return localized(url.message);
    await this.config.setProfiles([...this.config.profiles, { name: name.trim(), baseUrl: url.origin }]);
    return undefined;
  }

  /** Removes a profile from user settings (its secret is removed by the caller). */
  async remove(name: string): Promise<boolean> {
    if (name === DEFAULT_PROFILE) return false;
    const remaining = this.config.profiles.filter((p) => p.name !== name);
    if (remaining.length === this.config.profiles.length) return false;
    await this.config.setProfiles(remaining);
    if (this.globalState.get(StorageKeys.activeProfile) === name) await this.globalState.update(StorageKeys.activeProfile, undefined);
    this.fire();
    return true;
  }
}
