/** API tokens in SecretStorage (one per profile), and the `d7otp.hasToken` context key that follows the active one. */
import * as vscode from 'vscode';
import { ContextKeys, StorageKeys } from '../constants';
import { Disposable } from '../core/lifecycle';
import type { Message } from '../core/messages';
import { parseToken } from '../core/token';

export class TokenStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /**
   * Tokens read so far, by secret key: reading SecretStorage is a round trip to the workbench on every call.
   * Dropped on every change (here or in another window), so it never serves a stale token.
   */
  private readonly cache = new Map<string, Promise<string | undefined>>();

  /** `key` gives the secret key of the active profile's token, read at each use. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly key: () => string = () => StorageKeys.token,
  ) {
    super();
    // Fires for changes made here and in other windows.
    this.register(
      secrets.onDidChange((e) => {
        if (e.key === StorageKeys.token || e.key.startsWith(`${StorageKeys.token}.`)) {
          this.cache.delete(e.key);
          void this.updateContext();
          this.changed.fire();
        }
      }),
    );
  }

  get(key = this.key()): Promise<string | undefined> {
    let token = this.cache.get(key);
    if (!token) {
      token = Promise.resolve(this.secrets.get(key)).then((value) => value || undefined);
      this.cache.set(key, token);
      token.catch(() => this.cache.delete(key)); // a failed read is tried again next time
    }
    return token;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Validates and stores a token; returns the problem when it is refused. */
  async set(input: string, key = this.key()): Promise<Message | undefined> {
    const parsed = parseToken(input);
    if (!parsed.ok) return parsed.message;
    this.cache.delete(key);
    await this.secrets.store(key, parsed.token);
    this.cache.delete(key);
    await this.updateContext();
    return undefined;
  }

  async clear(key = this.key()): Promise<void> {
    this.cache.delete(key);
    await this.secrets.delete(key);
    this.cache.delete(key);
    await this.updateContext();
  }

  /** Sets `d7otp.hasToken` from what SecretStorage holds now for the active profile. */
  async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.hasToken, await this.has());
  }
}
