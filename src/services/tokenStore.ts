/**
 * API tokens in SecretStorage, one per profile, each bound to the origin it was stored for: a token is only ever
 * handed out for that origin, so a profile whose base URL changed (or a new profile reusing a removed one's name)
 * never sends an old token to a new host. Also the `d7otp.hasToken` context key, following the active profile.
 */
import * as vscode from 'vscode';
import { ContextKeys, StorageKeys } from '../constants';
import { parseBaseUrl } from '../core/baseUrl';
import type { TokenLookup } from '../core/client/client';
import { isRecord } from '../core/json';
import { Disposable } from '../core/lifecycle';
import type { Message } from '../core/messages';
import { parseToken } from '../core/token';
import { baseUrlSetting, tokenKey, type Profile } from './profiles';

/**
 * What a secret holds: the token and the origin it may go to. Version 0.1 stored the bare token; at the first start
 * after the update, each configured profile's bare token is bound to that profile's origin (`migrate`). A bare token
 * found later belongs to no profile that existed then, so it is not handed out.
 */
interface StoredToken {
  token: string;
  origin?: string;
}

export class TokenStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  /**
   * Secrets read so far, by key: reading SecretStorage is a round trip to the workbench on every call.
   * Dropped on every change (here or in another window), so it never serves a stale value.
   */
  private readonly cache = new Map<string, Promise<StoredToken | undefined>>();
  /** The one-time binding of 0.1's bare tokens; every read waits for it. */
  private readonly migrated: Promise<void>;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly active: () => Profile,
    private readonly all: () => readonly Profile[],
  ) {
    super();
    // Fires for changes made here and in other windows.
    this.register(
      secrets.onDidChange((e) => {
        if (e.key !== StorageKeys.token && !e.key.startsWith(`${StorageKeys.token}.`)) return;
        this.cache.delete(e.key);
        void this.updateContext();
        this.changed.fire();
      }),
    );
    this.migrated = this.migrate().catch(() => undefined);
  }

  /** The token of a profile (the active one by default), when one is stored for its origin. */
  async get(profile = this.active()): Promise<string | undefined> {
    const found = await this.lookup(profile);
    return typeof found === 'string' ? found : undefined;
  }

  /** The token for the client: the token, nothing, or the origin the stored one is bound to (not this one). */
  async lookup(profile = this.active()): Promise<TokenLookup> {
    await this.migrated;
    const stored = await this.read(tokenKey(profile.name));
    if (!stored || stored.origin === undefined) return undefined;
    return stored.origin === originOf(profile) ? stored.token : { storedFor: stored.origin };
  }

  async has(profile = this.active()): Promise<boolean> {
    return (await this.get(profile)) !== undefined;
  }

  /** Every stored token, whatever profile or origin: what must never appear in a record, a log or an export. */
  async every(): Promise<string[]> {
    const stored = await Promise.all(this.all().map((p) => this.read(tokenKey(p.name)).then(undefined, () => undefined)));
    return stored.flatMap((s) => (s ? [s.token] : []));
  }

  /** Validates and stores a token for a profile's current origin; returns the problem when it is refused. */
  async set(input: string, profile = this.active()): Promise<Message | undefined> {
    const parsed = parseToken(input);
    if (!parsed.ok) return parsed.message;
    const base = parseBaseUrl(profile.baseUrl, baseUrlSetting(profile.name));
    if (!base.ok) return base.message;
    await this.migrated;
    const key = tokenKey(profile.name);
    this.cache.delete(key);
    await this.secrets.store(key, JSON.stringify({ v: 1, origin: base.origin, token: parsed.token }));
    this.cache.delete(key);
    await this.updateContext();
    return undefined;
  }

  async clear(profile = this.active()): Promise<void> {
    const key = tokenKey(profile.name);
    this.cache.delete(key);
    await this.secrets.delete(key);
    this.cache.delete(key);
    await this.updateContext();
  }

  /**
   * Removes a secret left under this profile's name for another origin (a removed profile's, say) or bound to
   * none; true when it did. A new profile starts without a token unless one was stored for its own origin.
   */
  async clearStale(profile: Profile): Promise<boolean> {
    await this.migrated;
    const stored = await this.read(tokenKey(profile.name));
    if (!stored || (stored.origin !== undefined && stored.origin === originOf(profile))) return false;
    await this.clear(profile);
    return true;
  }

  /** Sets `d7otp.hasToken` from what SecretStorage holds now for the active profile. */
  async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', ContextKeys.hasToken, await this.has());
  }

  /** Binds each configured profile's bare 0.1 token to the profile's origin (what it was being sent to). */
  private async migrate(): Promise<void> {
    for (const profile of this.all()) {
      const key = tokenKey(profile.name);
      const stored = await this.read(key);
      const origin = originOf(profile);
      if (!stored || stored.origin !== undefined || !origin) continue;
      this.cache.delete(key);
      await this.secrets.store(key, JSON.stringify({ v: 1, origin, token: stored.token }));
      this.cache.delete(key);
    }
  }

  private read(key: string): Promise<StoredToken | undefined> {
    let value = this.cache.get(key);
    if (!value) {
      value = Promise.resolve(this.secrets.get(key)).then(decode);
      this.cache.set(key, value);
      value.catch(() => this.cache.delete(key)); // a failed read is tried again next time
    }
    return value;
  }
}

/** A stored secret: `{ v: 1, origin, token }`, or a bare token stored by version 0.1 (no origin: any). */
function decode(raw: string | undefined): StoredToken | undefined {
  if (!raw) return undefined;
  if (!raw.startsWith('{')) return { token: raw };
  try {
    const value: unknown = JSON.parse(raw);
    if (isRecord(value) && typeof value.token === 'string' && value.token && typeof value.origin === 'string') {
      return { token: value.token, origin: value.origin };
    }
  } catch {
    // not ours: treated as no token
  }
  return undefined;
}

function originOf(profile: Profile): string | undefined {
  const base = parseBaseUrl(profile.baseUrl);
  return base.ok ? base.origin : undefined;
}
