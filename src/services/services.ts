/**
 * What every feature shares, built once per window: settings, the log, tokens, profiles, the history and its
 * recorder, the D7 client and the calls made with it. No feature reaches into another; they meet here.
 */
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
    this.tokens = this.register(
      new TokenStore(
        context.secrets,
        () => profiles.active(),
        () => profiles.list(),
      ),
    );
    this.history = this.register(
      new HistoryStore({
        memento: context.globalState,
        key: StorageKeys.history,
        backupKey: StorageKeys.historyBackup,
        limits: () => config.historyLimits,
        warn: (message) => log.warn(english(message)),
      }),
    );
    this.recorder = this.register(new Recorder(this.history, (error) => log.error(`Could not store the history: ${String(error)}`)));
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
