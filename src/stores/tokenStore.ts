/** API tokens in SecretStorage (one per profile), and the `d7otp.hasToken` context key that follows the active one. */
import * as vscode from 'vscode';
import { ContextKeys, StorageKeys } from '../constants';
import { parseToken } from '../core/token';

export class TokenStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  /** `key` gives the secret key of the active profile's token, read at each use. */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly key: () => string = () => StorageKeys.token,
  ) {
    // Fires for changes made here and in other windows.
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === StorageKeys.token || e.key.startsWith(`${StorageKeys.token}.`)) {
        void this.updateContext();
        this.changed.fire();
      }
    });
  }

  async get(key = this.key()): Promise<string | undefined> {
    return (await this.secrets.get(key)) || undefined;
  }

  async has(): Promise<boolean> {
    return (await this.get()) !== undefined;
  }

  /** Validates and stores a token; returns the problem message when it is refused. */
  async set(input: string, key = this.key()): Promise<string | undefined> {
    const parsed = parseToken(input);
    if (!parsed.ok) return parsed.message;
    await this.secrets.store(key, parsed.token);
    await this.updateContext();
    return undefined;
  }

  async clear(key = this.key()): Promise<void> {
    await this.secrets.delete(key);
    await this.updateContext();
  }

  /** Sets `d7otp.hasToken` from what SecretStorage holds now for the active profile. */
  async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.hasToken, await this.has());
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
