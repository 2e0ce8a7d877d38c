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
