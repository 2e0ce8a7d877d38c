/** Typed access to the `d7otp.*` settings. */
import * as vscode from 'vscode';
import { Defaults, Settings } from './constants';
import type { HistoryLimits } from './core/history';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration(Settings.section);
}

/**
 * The base URL from user (global) settings or the default, never from a workspace or folder: the setting is
 * `scope: application`, and this read does not rely on that alone, since the token is sent wherever it points.
 */
export function baseUrl(): string {
  const inspected = section().inspect<string>(Settings.baseUrl);
  return inspected?.globalValue ?? inspected?.defaultValue ?? Defaults.baseUrl;
}

function userNumber(key: string, fallback: number, min: number, max: number): number {
  const inspected = section().inspect<number>(key);
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

export function requestTimeoutMs(): number {
  return userNumber(Settings.requestTimeoutSeconds, Defaults.requestTimeoutSeconds, 1, 300) * 1000;
}

export function maxRetries(): number {
  return Math.floor(userNumber(Settings.maxRetries, Defaults.maxRetries, 0, 5));
}

export function historyLimits(): HistoryLimits {
  return {
    maxEntries: Math.floor(userNumber(Settings.historyMaxEntries, Defaults.historyMaxEntries, 1, 100000)),
    maxChecksPerEntry: Math.floor(userNumber(Settings.historyMaxChecksPerEntry, Defaults.historyMaxChecksPerEntry, 1, 1000)),
  };
}

/** True when a configuration change touches one of our settings. */
export function affects(event: vscode.ConfigurationChangeEvent, key: string): boolean {
  return event.affectsConfiguration(`${Settings.section}.${key}`);
}

export interface ProfileSetting {
  name: string;
  baseUrl: string;
}

/** `d7otp.profiles` from user settings only (never a workspace: each profile decides where a token goes). */
export function profileSettings(): ProfileSetting[] {
  const value = section().inspect<unknown>(Settings.profiles)?.globalValue;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (p): p is ProfileSetting => !!p && typeof p === 'object' && typeof (p as ProfileSetting).name === 'string' && typeof (p as ProfileSetting).baseUrl === 'string',
  );
}

export async function setProfileSettings(profiles: ProfileSetting[]): Promise<void> {
  await section().update(Settings.profiles, profiles, vscode.ConfigurationTarget.Global);
}

export function watchIntervalMs(): number {
  return userNumber(Settings.watchIntervalSeconds, Defaults.watchIntervalSeconds, 1, 3600) * 1000;
}

export function watchTimeoutMs(): number {
  return userNumber(Settings.watchTimeoutSeconds, Defaults.watchTimeoutSeconds, 10, 86400) * 1000;
}

export function watchMaxConcurrent(): number {
  return Math.floor(userNumber(Settings.watchMaxConcurrent, Defaults.watchMaxConcurrent, 1, 1000));
}

/** A boolean setting (any scope: these only change what this window shows). */
export function flag(key: string, fallback: boolean): boolean {
  const value = section().get<boolean>(key);
  return typeof value === 'boolean' ? value : fallback;
}
