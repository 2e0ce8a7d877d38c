/**
 * Keeps the history's copy in globalState (see copyFormat.ts): merges whatever is there — an older version's whole
 * history (the migration), another machine's synced copy, an older one included — and, with Settings Sync of the
 * history on, writes this window's copy a moment after a change (only when it differs). With it off, the key is
 * emptied once its content is merged and stored in the log. No `vscode` import.
 */
import { msg, type Message } from '../messages';
import type { ReadCopy } from './copyFormat';
import type { Op } from './ops';
import type { HistoryState } from './state';
import type { EntryView } from './view';

/**
 * The copy's format, needed only when there is a copy to read or one to write (an older version's history, Settings
 * Sync of the history on): loaded then — in the extension, from dist/chunks/, so a window without one never loads it.
 */
const copyFormat = () => import('./copyFormat');
/** What `readCopy` says of an empty key, without loading the format for it. */
const NO_COPY: ReadCopy = { kind: 'none', ops: [] };

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface SyncedCopyOptions {
  memento: MementoLike;
  key: string;
  backupKey: string;
  enabled: () => boolean;
  delayMs: number;
  now: () => number;
  state: HistoryState;
  views: () => readonly EntryView[];
  /** Applies a copy's operations and stores the new ones in this window's log. */
  merge: (ops: readonly Op[]) => Promise<void>;
  setAside: (problem: Message, data: unknown) => Promise<void>;
}

export class SyncedCopy {
  /** The value of the key last read or written (VS Code's Memento keeps the object until the key changes). */
  private seen: unknown;
  /** The digest of the copy last written or read. */
  private digest: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly o: SyncedCopyOptions) {}

  /** At load: an older version's set-aside data moved to a file, then the copy merged. */
  async start(): Promise<void> {
    const backup = this.o.memento.get<unknown>(this.o.backupKey);
    if (backup !== undefined) {
      await this.o.setAside(msg('historyLegacyBackup'), backup);
      await this.o.memento.update(this.o.backupKey, undefined);
    }
    await this.check();
  }

  /** Merges the key's value when it changed (another machine, another window, an older version). */
  check(): Promise<void> {
    this.checking ??= this.merge().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Writes the copy a moment after a change (when Settings Sync of the history is on). */
  schedule(): void {
    if (this.closed || !this.o.enabled()) return;
    if (this.timer) {
      this.timer.refresh(); // later again, without a new timer per check
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.write().catch(() => undefined);
    }, this.o.delayMs);
    this.timer.unref();
  }

  /** After `d7otp.history.sync` changed: on, the copy is written; off, the key is emptied (the log has it all). */
  async toggled(): Promise<void> {
    this.digest = undefined;
    this.seen = undefined;
    if (this.o.enabled()) return this.write();
    if (this.o.memento.get<unknown>(this.o.key) !== undefined) await this.o.memento.update(this.o.key, undefined);
  }

  /** Writes a pending copy now and stops. */
  async close(): Promise<void> {
    this.closed = true;
    await this.checking;
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.write().catch(() => undefined);
  }

  /** Writes this window's copy, unless the key already holds the same one; what the key holds is merged first. */
  async write(): Promise<void> {
    if (!this.o.enabled()) return;
    await this.check(); // Settings Sync may have brought another machine's copy since: never write over it unread
    const { value, digest } = (await copyFormat()).copyOf(this.o.state, this.o.views());
    if (digest === this.digest) return;
    this.digest = digest;
    this.seen = value;
    await this.o.memento.update(this.o.key, value);
  }

  private async merge(): Promise<void> {
    const raw = this.o.memento.get<unknown>(this.o.key);
    if (raw === this.seen && raw !== undefined) return;
    this.seen = raw;
    const copy = raw === undefined ? NO_COPY : (await copyFormat()).readCopy(raw, this.o.now());
    if (copy.problem) await this.o.setAside(copy.problem, copy.rejected);
    if (copy.kind === 'sync' && copy.digest !== undefined && copy.digest === this.digest) return;
    if (copy.kind === 'sync') this.digest = copy.digest;
    await this.o.merge(copy.ops);
    if (!this.o.enabled()) {
      // Merged and stored in the log: the key no longer needs to hold it (nor to be sent on every globalState write).
      if (raw !== undefined) await this.o.memento.update(this.o.key, undefined);
      this.seen = undefined;
    } else if (copy.kind !== 'sync' || copy.ops.length > 0) this.schedule();
  }
}
