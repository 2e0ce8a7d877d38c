/**
 * History persisted in a Memento (globalState). Deliberately free of `vscode` imports: it takes a narrow
 * Memento-like interface so unit tests run it over an in-memory fake (and two stores over one fake stand for
 * two windows).
 *
 * A change is applied to the in-memory document at once (readers and the tree see it immediately) and kept as
 * a pending operation. Persisting runs in the background, one write at a time: it re-reads the stored document,
 * replays every pending operation on it, and writes the result — so a burst of changes (a bulk run, watches)
 * becomes one write, and another window's newer entries are merged rather than overwritten. `flush()` resolves
 * once everything changed so far is stored.
 *
 * Why not a smaller write per check: VS Code keeps an extension's whole globalState as one value and sends all of
 * it on any update, so splitting the history over several keys would write as many bytes. Coalescing is what
 * makes the cost per check small; see docs/BENCHMARKS.md.
 */
import { createHash } from 'node:crypto';
import type { FiledCheck, HistoryEntry } from '../check';
import { Emitter, type Event } from '../events';
import { english, msg, type Message } from '../messages';
import type { OtpId } from '../otpId';
import { mergeHistory, type MergeStats } from './merge';
import {
  addCheck,
  applyLimits,
  emptyHistory,
  findEntry,
  parseHistory,
  removeEntry,
  setLabel,
  type AddOptions,
  type HistoryDocument,
  type HistoryLimits,
} from './model';

export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface HistoryStoreOptions {
  memento: MementoLike;
  key: string;
  backupKey: string;
  limits: () => HistoryLimits;
  /** Told once per set-aside of unreadable stored data. */
  warn: (message: Message) => void;
}

type Operation = (doc: HistoryDocument) => HistoryDocument;

/** A change not stored yet, and who waits for it to be stored. */
interface PendingChange {
  operation: Operation;
  stored: () => void;
  failed: (error: unknown) => void;
}

export class HistoryStore {
  private readonly changed = new Emitter<void>();
  /** Fires after every change this store makes (and after a reload that found different data). */
  readonly onDidChange: Event<void> = this.changed.event;

  /** What readers see: the stored document with the pending operations applied. */
  private doc: HistoryDocument | undefined;
  /** The stored value last read or written: while the Memento still holds it (or our echo of it), no re-parse. */
  private source: unknown;
  /** The document `source` holds, validated. */
  private sourceDoc: HistoryDocument | undefined;
  /**
   * Revision stamps. Every document written carries `rev` (one more than the highest seen from any window) and
   * the writer's id. VS Code's Memento replaces its value with an echo of each write when the workbench confirms
   * it, and an echo can arrive after a newer write was made: a stored value with a revision not above the
   * highest seen is such a stale echo and is ignored instead of undoing newer data.
   */
  private readonly writer = Math.random().toString(36).slice(2, 10);
  private highestRev = 0;
  /** Fingerprints of the unstamped values (legacy, corrupt, foreign) already read: a late echo of one is stale. */
  private readonly seenUnstamped: string[] = [];
  /** Changes not stored yet, in order. */
  private pending: PendingChange[] = [];
  private persisting: Promise<void> | undefined;
  /**
   * Writes made while reading (storing the repaired document, the backup). Persisting waits for them: VS Code's
   * Memento replaces its value with the echo of each write, and an echo arriving after a newer write would
   * otherwise undo that write.
   */
  private repairs: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: HistoryStoreOptions) {}

  /** Every entry, newest first. Reads (and validates) the stored document on first use. */
  get entries(): readonly HistoryEntry[] {
    return this.current().entries;
  }

  find(otpId: OtpId): HistoryEntry | undefined {
    return findEntry(this.current(), otpId);
  }

  /**
   * Records a check. Readers (and the tree) see it as soon as this returns; the promise resolves once it is
   * stored (rejects if storing failed), so a caller that only needs it shown need not wait for the write.
   */
  add(check: FiledCheck, options?: AddOptions): Promise<void> {
    return this.write((doc) => addCheck(doc, check, this.options.limits(), options));
  }

  remove(otpId: OtpId): Promise<void> {
    return this.write((doc) => removeEntry(doc, otpId));
  }

  setLabel(otpId: OtpId, label: string): Promise<void> {
    return this.write((doc) => setLabel(doc, otpId, label));
  }

  clear(): Promise<void> {
    return this.write(() => emptyHistory());
  }

  /** Re-applies the caps (after a settings change). */
  enforceLimits(): Promise<void> {
    return this.write((doc) => applyLimits(doc, this.options.limits()));
  }

  /**
   * Re-reads the Memento (another window may have written, or a test replaced the value); fires when it changed.
   * Unlike an ordinary read it takes an unstamped stored value as new even just after a write of ours.
   */
  reload(): void {
    const before = this.doc;
    const doc = this.current(true);
    if (doc !== before) this.changed.fire();
  }

  /** Resolves once every change made so far has been written (or has failed to be). */
  async flush(): Promise<void> {
    while (this.persisting) await this.persisting;
  }

  dispose(): void {
    if (!this.persisting && this.pending.length) this.schedulePersist(); // VS Code stores it on shutdown
    this.changed.dispose();
  }

  /** Applies a change in memory at once, tells listeners, and resolves when the change is stored. */
  private write(operation: Operation): Promise<void> {
    try {
      this.doc = operation(this.current());
    } catch (error) {
      return Promise.reject(error);
    }
    const stored = new Promise<void>((resolve, reject) => this.pending.push({ operation, stored: resolve, failed: reject }));
    this.changed.fire();
    this.schedulePersist();
    return stored;
  }

  private schedulePersist(): void {
    if (this.persisting) return; // the running persist picks up what was added meanwhile
    this.persisting = this.persistAll().finally(() => {
      this.persisting = undefined;
      if (this.pending.length) this.schedulePersist(); // changes made while it was writing
    });
  }

  private async persistAll(): Promise<void> {
    await Promise.resolve(); // let the current burst of changes join this write
    await this.repairs;
    const changes = this.pending.splice(0);
    if (changes.length === 0) return;
    // Re-read what is stored (another window may have written) and replay our changes on it. No await between
    // this read and the update below, so two stores over one Memento never interleave.
    const before = this.sourceDoc;
    const stored = this.readStored();
    const foreign = stored !== before;
    let next = stored;
    for (const change of changes) next = change.operation(next);
    const stamped = this.stamp(next);
    const previous = { source: this.source, sourceDoc: this.sourceDoc };
    this.source = stamped;
    this.sourceDoc = next;
    this.doc = this.withPending(next);
    if (foreign) this.changed.fire(); // another window's entries merged in
    try {
      await this.options.memento.update(this.options.key, stamped);
      for (const change of changes) change.stored();
    } catch (error) {
      // Not stored: the stored history stays as it was, and these changes are dropped from the view too.
      this.source = previous.source;
      this.sourceDoc = previous.sourceDoc;
      this.doc = previous.sourceDoc ? this.withPending(previous.sourceDoc) : undefined;
      this.changed.fire();
      for (const change of changes) change.failed(error);
    }
  }

  /** A stored document with the changes made since applied. */
  private withPending(doc: HistoryDocument): HistoryDocument {
    let view = doc;
    for (const change of this.pending) view = change.operation(view);
    return view;
  }

  /** The document as readers should see it. */
  private current(force = false): HistoryDocument {
    if (this.doc && this.pending.length > 0) return this.doc; // our own changes lead until stored
    const raw = this.options.memento.get<unknown>(this.options.key);
    if (this.doc && this.isKnownOrStale(raw, force)) return this.doc;
    this.doc = this.parseStored(raw);
    return this.doc;
  }

  /** The stored document, parsed unless it is the one this store last read or wrote. */
  private readStored(): HistoryDocument {
    const raw = this.options.memento.get<unknown>(this.options.key);
    if (this.sourceDoc && this.isKnownOrStale(raw)) return this.sourceDoc; // nothing newer stored since
    return this.parseStored(raw);
  }

  /** A document ready to store, stamped with the next revision. */
  private stamp(doc: HistoryDocument): HistoryDocument & { rev: number; writer: string } {
    return { ...doc, rev: ++this.highestRev, writer: this.writer };
  }

  /**
   * True when the stored value holds nothing newer than what this store knows: the value it last read or wrote,
   * an echo of one of its writes (a revision not above the highest seen), or a late echo of an unstamped value it
   * has already read. `force` (reload) takes an unstamped value as new even when it was seen before.
   */
  private isKnownOrStale(raw: unknown, force = false): boolean {
    if (raw === this.source) return true;
    const rev = (raw as { rev?: unknown } | null | undefined)?.rev;
    if (typeof rev === 'number' && Number.isFinite(rev)) return rev <= this.highestRev;
    return !force && this.seenUnstamped.includes(fingerprint(raw));
  }

  private parseStored(raw: unknown): HistoryDocument {
    const rev = (raw as { rev?: unknown } | null | undefined)?.rev;
    if (typeof rev === 'number' && Number.isFinite(rev)) this.highestRev = Math.max(this.highestRev, rev);
    else if (raw !== undefined) {
      this.seenUnstamped.push(fingerprint(raw));
      if (this.seenUnstamped.length > 5) this.seenUnstamped.shift();
    }
    const parsed = parseHistory(raw);
    if (parsed.problem) {
      this.setAside(parsed.problem, parsed.rejected);
      // Store the readable part so the unreadable one is not reported again; the backup keeps the rest.
      const repaired = this.stamp(parsed.doc);
      this.source = repaired;
      this.afterRepair(this.options.memento.update(this.options.key, repaired));
    } else {
      this.source = raw;
    }
    this.sourceDoc = parsed.doc;
    return parsed.doc;
  }

  /**
   * Keeps what could not be read under the backup key (the last five set-asides) and says so once per
   * set-aside: the readable part is stored back at once, so the same data is never reported twice.
   */
  private setAside(problem: Message, rejected: unknown): void {
    this.options.warn(msg('setAsideBackup', problem, this.options.backupKey));
    const previous = this.options.memento.get<unknown[]>(this.options.backupKey);
    const backups = Array.isArray(previous) ? previous.slice(-4) : [];
    backups.push({ setAsideAt: new Date().toISOString(), problem: english(problem), data: rejected });
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

/** A short digest of a stored value (only unstamped values, which are rare: legacy, corrupt or foreign data). */
function fingerprint(raw: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(raw) ?? String(raw);
  } catch {
    text = String(raw);
  }
  return createHash('sha1').update(text).digest('base64');
}
