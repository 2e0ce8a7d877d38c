/**
 * The history store: every window keeps its own append-only log in the history folder (under VS Code's
 * `globalStorageUri`) and reads the others', so two windows writing at the same moment merge rather than overwrite. A
 * change shows at once; `add` (every change) resolves once it is on disk, so a check reported survives a reload, a
 * killed extension host or a closed window. A write costs the same however large the history; compactions fold the
 * logs into a snapshot in the background.
 *
 * The globalState key the history used to live in is read once as a migration, and then, with `d7otp.history.sync` on,
 * holds the bounded copy Settings Sync carries (see copyFormat.ts, syncedCopy.ts). Free of `vscode`: it takes a
 * directory, a small file-system interface and a Memento-like object. See docs/STORAGE.md.
 */
import type { FiledCheck, HistoryEntry } from '../check';
import { Limits } from '../defaults';
import { Emitter, type Event } from '../events';
import { msg, type Message } from '../messages';
import type { OtpId } from '../otpId';
import { HistoryDisk } from './disk';
import { nodeFs, processAlive } from './files';
import { compactCheck, type AddOptions, type HistoryLimits } from './model';
import type { Op } from './ops';
import type { SetAside } from './setAside';
import { HistoryState } from './state';
import type { HistoryStoreOptions, ImportResult } from './storeOptions';
import { SyncedCopy } from './syncedCopy';
import { HistoryView, type RecentChecks } from './view';
import { OthersWatcher } from './watcher';
export type { MementoLike } from './syncedCopy';
export type { HistoryStoreOptions, ImportResult } from './storeOptions';

export class HistoryStore {
  private readonly changed = new Emitter<void>();
  /** Fires after every change: this window's, another window's, a synced copy's. */
  readonly onDidChange: Event<void> = this.changed.event;
  /** Resolves once the stored history has been read (changes made before are kept and merged). */
  readonly ready: Promise<void>;

  private readonly state = new HistoryState();
  private readonly view = new HistoryView(this.state);
  private readonly disk: HistoryDisk;
  private readonly copy: SyncedCopy;
  private readonly writer = Math.random().toString(36).slice(2, 10);
  private readonly now: () => number;
  private readonly limits = (): HistoryLimits => this.options.limits();
  private clock = 0;
  private ownOps = 0;
  private watcher: OthersWatcher | undefined;
  private compacting: Promise<boolean> | undefined;
  private closing: Promise<void> | undefined;
  /** While the state is rebuilt after a failed write: own changes made meanwhile. */
  private rebuilding: Op[] | undefined;

  constructor(private readonly options: HistoryStoreOptions) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    const alive = options.alive ?? processAlive;
    const fs = options.fs ?? nodeFs;
    this.disk = new HistoryDisk({ dir: options.dir, fs, pid: options.pid ?? process.pid, writer: this.writer, alive, now: this.now, warn: options.warn });
    this.copy = new SyncedCopy({
      memento: options.memento,
      key: options.key,
      backupKey: options.backupKey,
      enabled: options.sync ?? (() => false),
      delayMs: options.copyDelayMs ?? 1500,
      now: this.now,
      state: this.state,
      views: () => this.view.views(this.limits()),
      merge: (ops) => this.mergeOps(ops),
      setAside: (problem, data) => this.disk.setAside(problem, data),
    });
    this.ready = this.load();
  }

  /** Every entry shown, newest first (the caps applied). */
  get entries(): readonly HistoryEntry[] {
    return this.view.entries(this.limits());
  }

  get isEmpty(): boolean {
    return this.view.isEmpty();
  }

  readonly find = (otpId: OtpId): HistoryEntry | undefined => this.view.find(otpId, this.limits());
  /** See `HistoryView.recent` (what the recorder reads before it files a check). */
  readonly recent = (otpId: OtpId): RecentChecks | undefined => this.view.recent(otpId, this.limits());

  /** Records a check: shown at once; resolves once it is on disk, rejects (and drops it from the view) when it could not be stored. */
  add(check: FiledCheck, options: AddOptions = {}): Promise<void> {
    const c = compactCheck(check);
    const at = this.stamp();
    if (options.repeatOf !== undefined) {
      const n = this.state.repeatsBy(c.otpId, options.repeatOf, this.writer);
      if (n !== undefined) return this.commit([{ o: 'rep', at, k: c.otpId, of: options.repeatOf, n: n + 1, last: c.checkedAt, dur: c.durationMs }]);
    }
    return this.commit([{ o: 'add', at, c, ...(options.resendOf ? { resendOf: options.resendOf } : {}) }]);
  }

  /** Removes an otp_id's entry in every window: what is shown of it now (another window's later check stays). */
  remove(otpId: OtpId): Promise<void> {
    return this.commit([{ o: 'rm', at: this.stamp(this.state.latestOf(otpId)), k: otpId }]);
  }

  setLabel(otpId: OtpId, label: string): Promise<void> {
    return this.commit([{ o: 'label', at: this.stamp(), k: otpId, label: label.trim().slice(0, Limits.maxLabel) }]);
  }

  /** Removes everything stored so far, in every window (what another window stores afterwards stays). */
  clear(): Promise<void> {
    return this.commit([{ o: 'clear', at: this.stamp(this.state.latestAt) }]);
  }

  /** Re-applies the caps (after a settings change): shown at once; the snapshot is rewritten without what they drop. */
  async enforceLimits(): Promise<void> {
    this.state.revision++;
    this.changed.fire();
    await this.compact();
  }

  /** Merges imported entries: duplicates skipped, the caps applied to them first; what does not fit is set aside. */
  async importEntries(entries: readonly HistoryEntry[]): Promise<ImportResult> {
    await this.ready;
    return this.merge(entries, msg('importCapsSetAside'));
  }

  /** The set-asides (unreadable data, entries the caps had no room for), newest first. */
  setAsides(): Promise<SetAside[]> {
    return this.disk.setAsides.list();
  }

  /** Merges a set-aside's entries back like an import; what still does not fit stays set aside. */
  async restore(id: string): Promise<ImportResult | undefined> {
    await this.ready;
    const entries = await this.disk.setAsides.read(id);
    if (!entries) return undefined;
    const plan = await this.plan(entries);
    await this.commitMany(plan.ops);
    await this.disk.setAsides.keep(id, plan.dropped);
    const { ops: _ops, dropped, ...stats } = plan;
    return { ...stats, ...(dropped.length ? { setAside: id } : {}) };
  }

  /** After `d7otp.history.sync` changed: the copy written (on) or the key emptied (off). */
  async syncChanged(): Promise<void> {
    await this.ready;
    await this.copy.toggled();
  }

  /** Looks for what other windows (and Settings Sync) stored; resolves once it is merged. */
  async reload(): Promise<void> {
    await this.ready;
    await this.watcher?.read();
    await this.copy.check();
  }

  /** Resolves once every change made so far is on disk, and any read or compaction running has finished. */
  async flush(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.disk.log.flush();
    await this.watcher?.settled();
    while (this.compacting) await this.compacting;
  }

  /**
   * Folds the logs into the snapshot now, under the lock. `wait`: when another window holds the lock, try again
   * for a few seconds; without it, give up at once (false).
   */
  async compact(wait = true): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const done = await (this.compacting ??= this.compactOnce());
      if (done || !wait || attempt >= 100) return done;
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  private compactOnce(): Promise<boolean> {
    return this.ready
      .then(() => this.disk.compact(this.limits()))
      .then((done) => {
        if (!done) return false;
        this.ownOps = 0;
        this.view.forgetUnkept(this.limits());
        return true;
      })
      .finally(() => (this.compacting = undefined));
  }

  /** What deactivate awaits: everything written, the synced copy stored, timers and watchers stopped. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.ready.catch(() => undefined);
      this.watcher?.dispose();
      await this.flush();
      await this.copy.close();
      await this.disk.log.close();
    })();
    return this.closing;
  }

  dispose(): void {
    void this.close().finally(() => this.changed.dispose());
  }

  /**
   * Store time (ms, to the microsecond), increasing in this window even when the clock does not, and later than
   * `after` (a Clear or Remove takes everything shown, even a row another window stamped a moment ahead).
   */
  private stamp(after = 0): number {
    this.clock = Math.max(this.now(), this.clock + 0.001, after + 0.001);
    return this.clock;
  }

  /** Applies own operations at once and resolves once they are on disk. */
  private commit(ops: readonly Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    let changed = false;
    for (const op of ops) if (this.state.apply(op, this.writer)) changed = true;
    if (this.rebuilding) for (const op of ops) this.rebuilding.push(op);
    if (changed) this.changed.fire();
    const written = this.disk.append(ops);
    return written.then(
      () => this.afterWrite(ops.length),
      async (error: unknown) => {
        await this.rebuild();
        throw error;
      },
    );
  }

  /** `commit` of many operations (an import), applied a slice at a time so the host is never held up for long. */
  private async commitMany(ops: readonly Op[]): Promise<void> {
    if (ops.length <= 5000) return this.commit(ops);
    const written: Promise<void>[] = [];
    for (let i = 0; i < ops.length; i += 5000) {
      written.push(this.commit(ops.slice(i, i + 5000)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(written);
  }

  private afterWrite(count: number): void {
    this.ownOps += count;
    this.copy.schedule();
    if (this.ownOps >= (this.options.compactAfter ?? 1000)) void this.compact(false).catch(() => undefined);
  }

  /** After a failed write: the state as stored (what failed is not on disk, so it leaves the view too). */
  private async rebuild(): Promise<void> {
    this.rebuilding ??= [];
    await this.disk.log.flush();
    const fresh = new HistoryState();
    await this.disk.readAll(fresh).catch(() => undefined);
    // Changes made meanwhile are still on their way to disk: they stay shown.
    for (const op of this.rebuilding.splice(0)) fresh.apply(op, this.writer);
    this.rebuilding = undefined;
    this.state.replaceWith(fresh);
    this.changed.fire();
  }

  /** Operations from a copy (synced or migrated): the new ones applied, and stored in this window's log. */
  private async mergeOps(ops: readonly Op[]): Promise<void> {
    const news = ops.filter((op) => this.state.apply(op, 'copy'));
    if (news.length === 0) return;
    this.changed.fire();
    await this.disk.append(news);
  }

  private async merge(entries: readonly HistoryEntry[], problem: Message): Promise<ImportResult> {
    const plan = await this.plan(entries);
    const setAside = plan.dropped.length > 0 ? await this.disk.setAsides.entries(problem, plan.dropped) : undefined;
    await this.commitMany(plan.ops);
    const { ops: _ops, dropped: _dropped, ...stats } = plan;
    return { ...stats, ...(setAside ? { setAside } : {}) };
  }

  /** The import planner is needed only by Import and Restore: loaded then (in the extension, from dist/chunks/). */
  private async plan(entries: readonly HistoryEntry[]): Promise<ReturnType<typeof import('./importPlan').planImport>> {
    return (await import('./importPlan')).planImport(this.state, this.view, this.limits(), entries, this.stamp());
  }

  private async load(): Promise<void> {
    try {
      await this.disk.load(this.state);
      await this.copy.start();
    } catch (error) {
      this.options.warn(msg('historyFolderUnreadable', String(error)));
    }
    this.changed.fire();
    if (!this.closing) {
      this.watcher = new OthersWatcher({
        watch: (onChange) => this.disk.watch(onChange),
        read: () => this.disk.catchUp(this.state),
        poll: () => this.reload(),
        pollMs: this.options.pollMs ?? 3000,
        changed: () => this.changed.fire(),
      });
    }
    if ((await this.disk.folded().catch(() => 0)) > 0) void this.compact(false).catch(() => undefined);
  }
}
