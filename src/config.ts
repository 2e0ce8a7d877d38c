/**
 * The one reader of the `d7otp.*` settings: every setting read, its bounds, and its change event. Defaults come
 * from src/core/defaults.ts, never from `inspect().defaultValue` (which another extension's `configurationDefaults`
 * can set). Settings that decide where the token goes or how much the extension does are read from user settings
 * only; the others (what this window shows) from the most specific scope that sets them.
 */
import * as vscode from 'vscode';
import { Settings } from './constants';
import { Defaults } from './core/defaults';
import type { HistoryLimits } from './core/history/model';
import { Disposable } from './core/lifecycle';
import { valueAt } from './core/settingTree';

type SettingKey = (typeof Settings)[Exclude<keyof typeof Settings, 'section'>];

export interface ProfileSetting {
  name: string;
  baseUrl: string;
}

export interface HoverSettings {
  enabled: boolean;
  languages: string[];
}

export class Config extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.ConfigurationChangeEvent>());
  /** Fires when any `d7otp.*` setting changed; `affects` says which. */
  readonly onDidChange = this.changed.event;

  /**
   * The `d7otp` section as each scope sets it, read with one `inspect` of the whole section and kept until a
   * `d7otp.*` setting changes. Each `inspect` makes VS Code merge every scope again (and clone the values), which a
   * bulk run or a hundred watches would otherwise do several times per request, and activation once per setting.
   */
  private values: SectionValues | undefined;
  /** Each value once found in those trees, by kind and key (a tree row reads a setting; 2,000 rows, 2,000 reads). */
  private readonly read = new Map<string, unknown>();

  constructor() {
    super();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration(Settings.section)) return;
        this.values = undefined;
        this.read.clear();
        this.changed.fire(e);
      }),
    );
  }

  /** A setting's user value (`user`), or the value of the most specific scope that sets it (`scoped`). */
  private cached(kind: 'user' | 'scoped', key: SettingKey): unknown {
    const id = `${kind}:${key}`;
    if (this.read.has(id)) return this.read.get(id);
    this.values ??= sectionValues();
    const trees = kind === 'user' ? [this.values.user] : this.values.scoped;
    let value: unknown;
    for (const tree of trees) if ((value = valueAt(tree, key)) !== undefined) break;
    this.read.set(id, value);
    return value;
  }

  private userNumber(key: SettingKey, fallback: number, min: number, max: number): number {
    const value = this.cached('user', key);
    return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
  }

  private userFlag(key: SettingKey, fallback: boolean): boolean {
    const value = this.cached('user', key);
    return typeof value === 'boolean' ? value : fallback;
  }

  private flag(key: SettingKey, fallback: boolean): boolean {
    const value = this.cached('scoped', key);
    return typeof value === 'boolean' ? value : fallback;
  }

  affects(event: vscode.ConfigurationChangeEvent, ...keys: SettingKey[]): boolean {
    return keys.some((key) => event.affectsConfiguration(`${Settings.section}.${key}`));
  }

  /** `d7otp.baseUrl` from user settings, never from a workspace: the token is sent wherever it points. */
  get baseUrl(): string {
    const value = this.cached('user', Settings.baseUrl);
    return typeof value === 'string' ? value : Defaults.baseUrl;
  }

  get requestTimeoutMs(): number {
    return this.userNumber(Settings.requestTimeoutSeconds, Defaults.requestTimeoutSeconds, 1, 300) * 1000;
  }

  get maxRetries(): number {
    return Math.floor(this.userNumber(Settings.maxRetries, Defaults.maxRetries, 0, 5));
  }

  get historyLimits(): HistoryLimits {
    return {
      maxEntries: Math.floor(this.userNumber(Settings.historyMaxEntries, Defaults.historyMaxEntries, 1, 100000)),
      maxChecksPerEntry: Math.floor(this.userNumber(Settings.historyMaxChecksPerEntry, Defaults.historyMaxChecksPerEntry, 1, 1000)),
    };
  }

  /** `d7otp.profiles` from user settings only (each profile decides where a token goes); malformed items skipped. */
  get profiles(): ProfileSetting[] {
    const value = this.cached('user', Settings.profiles);
    if (!Array.isArray(value)) return [];
    return value.filter((p): p is ProfileSetting => !!p && typeof p === 'object' && typeof p.name === 'string' && typeof p.baseUrl === 'string');
  }

  async setProfiles(profiles: ProfileSetting[]): Promise<void> {
    await section().update(Settings.profiles, profiles, vscode.ConfigurationTarget.Global);
  }

  get watchIntervalMs(): number {
    return this.userNumber(Settings.watchIntervalSeconds, Defaults.watchIntervalSeconds, 1, 3600) * 1000;
  }

  get watchTimeoutMs(): number {
    return this.userNumber(Settings.watchTimeoutSeconds, Defaults.watchTimeoutSeconds, 10, 86400) * 1000;
  }

  get watchMaxConcurrent(): number {
    return Math.floor(this.userNumber(Settings.watchMaxConcurrent, Defaults.watchMaxConcurrent, 1, 1000));
  }

  get watchResumeAfterReload(): boolean {
    return this.userFlag(Settings.watchResumeAfterReload, Defaults.watchResumeAfterReload);
  }

  get bulkConcurrency(): number {
    return Math.floor(this.userNumber(Settings.bulkConcurrency, Defaults.bulkConcurrency, 1, 16));
  }

  /** `d7otp.history.sync`: an application setting, so a workspace cannot turn it on. */
  get historySync(): boolean {
    return this.userFlag(Settings.historySync, Defaults.historySync);
  }

  /** `d7otp.privacy.showPhoneNumbers`: user settings only (it decides what is stored, synced and exported). */
  get showPhoneNumbers(): boolean {
    return this.userFlag(Settings.showPhoneNumbers, Defaults.showPhoneNumbers);
  }

  get watchNotify(): boolean {
    return this.flag(Settings.watchNotify, Defaults.watchNotify);
  }

  get watchAfterSend(): boolean {
    return this.flag(Settings.sendWatchAfterSend, Defaults.sendWatchAfterSend);
  }

  /** Whether otp_ids in terminal output are links (`d7otp.terminal.links`). */
  get terminalLinks(): boolean {
    return this.flag(Settings.terminalLinks, Defaults.terminalLinks);
  }

  get maskCode(): boolean {
    return this.flag(Settings.verifyMaskCode, Defaults.verifyMaskCode);
  }

  /** `d7otp.hover.enabled` (language-overridable) and `d7otp.hover.languages` for this document. */
  hover(document: vscode.TextDocument): HoverSettings {
    const scope = { uri: document.uri, languageId: document.languageId };
    const enabled = scopedValue(Settings.hoverEnabled, scope);
    const languages = scopedValue(Settings.hoverLanguages, scope);
    return {
      enabled: typeof enabled === 'boolean' ? enabled : Defaults.hoverEnabled,
      languages: Array.isArray(languages) ? languages.filter((l): l is string => typeof l === 'string') : [],
    };
  }
}

function section(scope?: vscode.ConfigurationScope): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section, scope);
}

/** What `inspect` of the whole `d7otp` section gives, per scope: a tree nested by the dots of the keys. */
interface SectionValues {
  user: unknown;
  /** Most specific first: folder, workspace, user. */
  scoped: unknown[];
}

function sectionValues(): SectionValues {
  const i = vscode.workspace.getConfiguration().inspect(Settings.section);
  return { user: i?.globalValue, scoped: [i?.workspaceFolderValue, i?.workspaceValue, i?.globalValue] };
}

/** The value of the most specific scope that sets it (language overrides first), or undefined. */
function scopedValue(key: SettingKey, scope?: vscode.ConfigurationScope): unknown {
  const i = section(scope).inspect(key);
  if (!i) return undefined;
  const values = [i.workspaceFolderLanguageValue, i.workspaceLanguageValue, i.globalLanguageValue, i.workspaceFolderValue, i.workspaceValue, i.globalValue];
  return values.find((v) => v !== undefined);
}
