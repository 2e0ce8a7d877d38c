/**
 * What every feature shares, built once per window: settings, the log, tokens, profiles, the history and its
 * recorder, the D7 client and the calls made with it. No feature reaches into another; they meet here.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Config } from '../config';
import { StorageKeys } from '../constants';
import { OtpCalls } from '../core/calls';
import type { ClientOptions } from '../core/client/client';
import { lazyClient, type VerifyClient } from '../core/client/lazyClient';
import type { FetchLike } from '../core/client/request';
import { Recorder } from '../core/history/recorder';
import { HistoryStore } from '../core/history/store';
import { Disposable } from '../core/lifecycle';
import { english } from '../core/messages';
import type { OtpId } from '../core/otpId';
import { inert } from '../core/text';
import { localized } from '../l10n';
import { createLog, type Log } from '../log';
import { baseUrlSetting, Profiles } from './profiles';
import { TokenStore } from './tokenStore';

export class Services extends Disposable {
  readonly log: Log;
  readonly config: Config;
  readonly profiles: Profiles;
  readonly tokens: TokenStore;
  readonly history: HistoryStore;
  readonly recorder: Recorder;
  readonly client: VerifyClient;
  readonly calls: OtpCalls;
  /** The history's folder, on the extension host's disk (local or remote): docs/STORAGE.md. */
  readonly historyDir: string;
  /**
   * The otp_id of the history view's selected row (kept current by the view): what a tree command run by a
   * keybinding, without an argument, acts on.
   */
  selectedOtpId: OtpId | undefined;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    const log = (this.log = this.register(createLog()));
    const config = (this.config = this.register(new Config()));
    const profiles = (this.profiles = this.register(new Profiles(config, context.globalState)));
    this.historyDir = path.join(context.globalStorageUri.fsPath, 'history');
    this.tokens = this.register(
      new TokenStore(
        context.secrets,
        () => profiles.active(),
        () => profiles.list(),
      ),
    );
    this.history = this.register(
      new HistoryStore({
        dir: this.historyDir,
        memento: context.globalState,
        key: StorageKeys.history,
        backupKey: StorageKeys.historyBackup,
        limits: () => config.historyLimits,
        sync: () => config.historySync,
        warn: (message) => log.warn(english(message)),
      }),
    );
    this.recorder = this.register(new Recorder(this.history, (error) => this.storeFailed(error)));
    this.client = this.createClient();
    this.calls = new OtpCalls({
      client: this.client,
      recorder: this.recorder,
      history: this.history,
      profiles: { active: () => profiles.active().name, exists: (name) => profiles.list().some((p) => p.name === name) },
      word: localized,
      onInternalError: (operation, error) => log.error(`Unexpected failure in ${operation}: ${String(error)}`),
      maskRecipients: () => !config.showPhoneNumbers,
    });
  }

  private lastStoreWarning = 0;

  /** A check was made but could not be stored (a full disk, say): logged, and told (at most once a minute). */
  private storeFailed(error: unknown): void {
    const why = inert(error instanceof Error ? error.message : String(error), 200);
    this.log.error(`Could not store a check in the history: ${why}`);
    if (Date.now() - this.lastStoreWarning < 60_000) return;
    this.lastStoreWarning = Date.now();
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('A check was made but could not be saved in the history: {0}', why), showLog)
      .then((choice) => choice === showLog && this.log.show());
  }

  /** The client and node-fetch are loaded on the first request (dist/chunks/, see esbuild.js), not at activation. */
  private createClient(): VerifyClient {
    return lazyClient(async () => {
      const { D7VerifyClient } = await import('../core/client/client');
      return new D7VerifyClient(this.clientOptions());
    });
  }

  private clientOptions(): ClientOptions {
    const version = String((this.context.extension.packageJSON as { version?: string }).version ?? '0');
    return {
      loadFetch: async () => (await import('node-fetch')).default as unknown as FetchLike,
      baseUrl: (name) => this.profiles.get(name).baseUrl,
      baseUrlSetting: (name) => baseUrlSetting(this.profiles.get(name).name),
      token: (name) => this.tokens.lookup(this.profiles.get(name)),
      otherSecrets: () => this.tokens.every(),
      timeoutMs: () => this.config.requestTimeoutMs,
      maxRetries: () => this.config.maxRetries,
      userAgent: `d7-otp-inspector/${version} vscode/${vscode.version}`,
      log: (entry) => this.log.request(entry),
      word: localized,
    };
  }
}
