/**
 * History persisted in a Memento (globalState). Deliberately free of `vscode` imports: it takes a narrow
 * Memento-like interface so unit tests run it over an in-memory fake (and two stores over one fake stand for
 * two windows).
 *
 * Writes are serialised through one queue, and each write re-reads the stored document and applies its
 * operation to that, so another window's newer entries are merged rather than overwritten.
 */
import { Emitter, type Event } from '../core/events';
import { mergeHistory, type MergeStats } from '../core/exportFormat';
import {
  addCheck,
  applyLimits,
  emptyHistory,
  findEntry,
  parseHistory,
  removeEntry,
  setLabel,
  type HistoryDocument,
  type HistoryLimits,
} from '../core/history';
import type { HistoryEntry, StatusCheck } from '../core/types';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryStoreOptions {
  memento: MementoLike;
  key: string;
  backupKey: string;
  limits: () => HistoryLimits;
  warn: (message: string) => void;
}

type Operation = (doc: HistoryDocument) => HistoryDocument;

export class HistoryStore {
  private readonly changed = new Emitter<void>();
  /** Fires after every change this store makes (and after a reload that found different data). */
  readonly onDidChange: Event<void> = this.changed.event;

  private doc: HistoryDocument | undefined;
  /** The stored value `doc` was read from or written as: when the Memento still holds it, no re-parse is needed. */
  private source: unknown;
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Writes made while reading (storing the repaired document, the backup). The next queued write waits for them:
   * VS Code's Memento replaces its value with the echo of each write, and an echo arriving after a newer write
   * would otherwise undo that write.
   */
  private repairs: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HistoryStoreOptions) {}

  /** Every entry, newest first. Reads (and validates) the stored document on first use. */
  get entries(): readonly HistoryEntry[] {
    return this.current().entries;
  }

  find(otpId: string): HistoryEntry | undefined {
    return findEntry(this.current(), otpId);
  }

  add(check: StatusCheck, extra?: { resendOf?: string; coalesce?: boolean }): Promise<void> {
    return this.write((doc) => addCheck(doc, check, this.options.limits(), extra));
  }

  remove(otpId: string): Promise<void> {
    return this.write((doc) => removeEntry(doc, otpId));
  }

  setLabel(otpId: string, label: string): Promise<void> {
    return this.write((doc) => setLabel(doc, otpId, label));
  }

  clear(): Promise<void> {
    return this.write(() => emptyHistory());
  }

  /** Re-applies the caps (after a settings change). */
  enforceLimits(): Promise<void> {
    return this.write((doc) => applyLimits(doc, this.options.limits()));
  }

  /** Re-reads the Memento (another window may have written); fires when it changed. */
  reload(): void {
    const before = this.doc;
    const doc = this.current();
    if (doc !== before) this.changed.fire();
  }

  /** Resolves once every write queued so far is stored. */
  flush(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private write(operation: Operation): Promise<void> {
    const run = async () => {
      await this.repairs;
      const before = this.repairs;
      let next = operation(this.current());
      if (this.repairs !== before) {
        // Reading repaired stored data just now: let that write land, then read again (nothing to repair twice).
        await this.repairs;
        next = operation(this.current());
      }
      // No await between the read above and the update below, so two stores over one Memento never interleave.
      this.doc = next;
      this.source = next;
      await this.options.memento.update(this.options.key, next);
      this.changed.fire();
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined); // one failed write must not block the next
    return result;
  }

  /** The document as stored now, parsed only when the stored value is not the one we last saw. */
  private current(): HistoryDocument {
    const raw = this.options.memento.get<unknown>(this.options.key);
    if (this.doc && raw === this.source) return this.doc;
    const parsed = parseHistory(raw);
    if (parsed.problem) this.setAside(parsed.problem, parsed.rejected);
    this.doc = parsed.doc;
    this.source = parsed.problem ? undefined : raw;
    if (parsed.problem) {
      // Store the readable part so the unreadable one is not reported again; the backup keeps the rest.
      this.source = parsed.doc;
      this.afterRepair(this.options.memento.update(this.options.key, parsed.doc));
    }
    return this.doc ?? emptyHistory();
  }

  /**
   * Keeps what could not be read under the backup key (the last five set-asides) and says so once per
   * set-aside: the readable part is stored back at once, so the same data is never reported twice.
   */
  private setAside(problem: string, rejected: unknown): void {
    this.options.warn(`${problem} Backup key: ${this.options.backupKey}.`);
    const previous = this.options.memento.get<unknown[]>(this.options.backupKey);
    const backups = Array.isArray(previous) ? previous.slice(-4) : [];
    backups.push({ setAsideAt: new Date().toISOString(), problem, data: rejected });
    this.afterRepair(this.options.memento.update(this.options.backupKey, backups));
  }

  private afterRepair(write: PromiseLike<void>): void {
    const settled = Promise.resolve(write).then(undefined, () => undefined);
    this.repairs = Promise.all([this.repairs, settled]);
  }

  /** Merges imported entries into the history (see `mergeHistory`: duplicates skipped, caps applied); resolves with the counts. */
  async importEntries(entries: readonly HistoryEntry[]): Promise<MergeStats> {
    let stats: MergeStats = { addedEntries: 0, addedChecks: 0, duplicates: 0, droppedByLimits: 0 };
    await this.write((doc) => {
      const { doc: merged, ...counts } = mergeHistory(doc, entries, this.options.limits());
      stats = counts;
      return merged;
    });
    return stats;
  }
}
