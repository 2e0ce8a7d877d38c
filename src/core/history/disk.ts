/**
 * The history's folder: `snapshot.json` (the compacted history), `logs/` (one append-only log per window, only its
 * window writes it), `set-aside/` (what is not kept), and `lock` (held while a compaction runs). Reading merges the
 * snapshot and every log into a window's state; a compaction folds the logs into a new snapshot and removes the
 * logs of windows that are gone. No `vscode` import.
 */
import * as path from 'node:path';
import { msg, type Message } from '../messages';
import type { HistoryFs } from './files';
import type { HistoryLimits } from './model';
import { readLinesSliced, type Op, type WrittenOp } from './ops';
import { OwnLog, parseLogName } from './ownLog';
import type { SetAsides } from './setAside';
import { CompactionLock, parseSnapshot, snapshotBytes } from './snapshot';
import { HistoryState } from './state';
import { HistoryView } from './view';

export interface DiskOptions {
  dir: string;
  fs: HistoryFs;
  pid: number;
  writer: string;
  alive: (pid: number) => boolean;
  now: () => number;
  /** Told once per set-aside of unreadable data. */
  warn: (message: Message) => void;
}

/** Applies operations, yielding to the event loop now and then so a large history never holds the host up. */
async function applyAll(state: HistoryState, ops: readonly WrittenOp[], writer = ''): Promise<boolean> {
  let changed = false;
  for (let i = 0; i < ops.length; i++) {
    if (state.apply(ops[i].op, ops[i].w ?? writer)) changed = true;
    if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
  }
  return changed;
}

/** A log's operations are its window's: a `w` in a line is not taken from a log (only a snapshot carries writers). */
function logOps(lines: { ops: WrittenOp[] }): WrittenOp[] {
  return lines.ops.map(({ op }) => ({ op }));
}

function lazySetAsides(fs: HistoryFs, dir: string, now: () => number): HistoryDisk['setAsides'] {
  let loaded: Promise<SetAsides> | undefined;
  const get = () =>
    (loaded ??= import('./setAside').then(
      (m) => new m.SetAsides(fs, dir, now),
      (error: unknown) => {
        loaded = undefined; // tried again next time
        throw error;
      },
    ));
  return {
    unreadable: async (...args) => (await get()).unreadable(...args),
    entries: async (...args) => (await get()).entries(...args),
    list: async () => (await get()).list(),
    read: async (...args) => (await get()).read(...args),
    keep: async (...args) => (await get()).keep(...args),
  };
}

export class HistoryDisk {
  readonly log: OwnLog;
  /** What is not kept (loaded on first use: dist/chunks/, needed only when something is set aside or restored). */
  readonly setAsides: Pick<SetAsides, 'unreadable' | 'entries' | 'list' | 'read' | 'keep'>;
  private readonly logs: string;
  private readonly snapshot: string;
  private readonly lock: CompactionLock;
  /** How far into each other window's log this window has read (bytes). */
  private readonly offsets = new Map<string, number>();
  /** This window's finished segments, waiting for a compaction to fold them in. */
  private readonly retired = new Set<string>();
  /** The version of the snapshot last merged (see `HistoryFs.version`). */
  private snapshotVersion: string | undefined;
  /** The last unreadable snapshot set aside (its text), so it is reported once. */
  private reportedSnapshot: string | undefined;

  constructor(private readonly o: DiskOptions) {
    this.logs = path.join(o.dir, 'logs');
    this.snapshot = path.join(o.dir, 'snapshot.json');
    this.log = new OwnLog(o.fs, this.logs, o.pid, o.writer);
    this.setAsides = lazySetAsides(o.fs, path.join(o.dir, 'set-aside'), o.now);
    this.lock = new CompactionLock(o.fs, path.join(o.dir, 'lock'), o.pid, o.writer, o.alive, o.now);
  }

  /** Reads the snapshot and every log into `state`; true when it changed. */
  async load(state: HistoryState): Promise<boolean> {
    await this.o.fs.mkdir(this.logs);
    return this.catchUp(state);
  }

  /** Reads everything stored, this window's own log included, into `state` (after a failed write). */
  async readAll(state: HistoryState): Promise<void> {
    const read = await parseSnapshot(await this.o.fs.read(this.snapshot));
    await applyAll(state, read.ops);
    for (const name of await this.o.fs.list(this.logs)) {
      const owner = parseLogName(name);
      const chunk = owner ? await this.o.fs.readFrom(path.join(this.logs, name), read.logs.get(name) ?? 0) : undefined;
      if (owner && chunk) await applyAll(state, logOps(await readLinesSliced(chunk)), owner.writer);
    }
  }

  /** Reads what other windows appended since the last look; true when `state` changed. */
  async catchUp(state: HistoryState): Promise<boolean> {
    // Listed before the snapshot is looked at: a compaction replaces the snapshot before it removes the logs it
    // folded in, so a log missing from this list is in the snapshot seen next.
    const names = await this.o.fs.list(this.logs);
    const present = new Set(names);
    for (const name of this.offsets.keys()) if (!present.has(name)) this.offsets.delete(name);
    let changed = false;
    if ((await this.o.fs.version(this.snapshot)) !== this.snapshotVersion) changed = await this.mergeSnapshot(state);
    for (const name of names) {
      const owner = parseLogName(name);
      if (!owner || owner.writer === this.o.writer) continue;
      const offset = this.offsets.get(name) ?? 0;
      const chunk = await this.o.fs.readFrom(path.join(this.logs, name), offset);
      if (!chunk || chunk.length === 0) continue;
      const lines = await readLinesSliced(chunk); // unreadable lines are set aside by the compaction that folds the log in
      if (await applyAll(state, logOps(lines), owner.writer)) changed = true;
      this.offsets.set(name, offset + lines.consumed);
    }
    return changed;
  }

  /** Appends this window's operations (see `OwnLog.append`). */
  append(ops: readonly Op[]): Promise<void> {
    return this.log.append(ops);
  }

  /** Watches the logs folder for other windows' appends (this window's own are not news); undefined where the platform cannot. */
  watch(onChange: () => void): { dispose(): void } | undefined {
    return this.o.fs.watch(this.logs, (name) => {
      if (name === undefined || parseLogName(name)?.writer !== this.o.writer) onChange();
    });
  }

  /** Logs that a compaction would fold in and remove: this window's finished segments, and those of windows gone. */
  async folded(): Promise<number> {
    let count = this.retired.size;
    for (const name of await this.o.fs.list(this.logs)) {
      const owner = parseLogName(name);
      if (owner && owner.writer !== this.o.writer && !this.o.alive(owner.pid)) count++;
    }
    return count;
  }

  /**
   * Folds every log into a new snapshot of what the caps keep, then removes the logs it folded in whole (this
   * window's finished segments, and those of windows whose process is gone). False when another window holds the lock.
   */
  async compact(limits: HistoryLimits): Promise<boolean> {
    if (!(await this.lock.acquire())) return false;
    try {
      const finished = await this.log.rotate();
      if (finished) this.retired.add(finished);
      const state = new HistoryState();
      const read = await parseSnapshot(await this.o.fs.read(this.snapshot));
      await this.setAsideSnapshot(read);
      await applyAll(state, read.ops);
      const { included, removable } = await this.foldLogs(state, read.logs);
      const views = new HistoryView(state).views(limits);
      await this.o.fs.writeAtomic(this.snapshot, await snapshotBytes(state, views, included, this.o.writer));
      for (const name of removable) {
        await this.o.fs.remove(path.join(this.logs, name));
        this.retired.delete(name);
      }
      await this.removeLeftovers();
      return true;
    } finally {
      await this.lock.release();
    }
  }

  private async foldLogs(state: HistoryState, from: ReadonlyMap<string, number>): Promise<{ included: Map<string, number>; removable: string[] }> {
    const included = new Map<string, number>();
    const removable: string[] = [];
    const bad: string[] = [];
    for (const name of await this.o.fs.list(this.logs)) {
      const owner = parseLogName(name);
      if (!owner) continue;
      // Written whole: this window's finished segment, or a log whose window is gone (a torn last line included).
      const whole = this.retired.has(name) || (owner.writer !== this.o.writer && !this.o.alive(owner.pid));
      const start = from.get(name) ?? 0;
      const chunk = (await this.o.fs.readFrom(path.join(this.logs, name), start)) ?? Buffer.alloc(0);
      const lines = await readLinesSliced(chunk, whole);
      await applyAll(state, logOps(lines), owner.writer);
      for (const line of lines.bad) bad.push(line);
      included.set(name, start + lines.consumed);
      if (whole) removable.push(name);
    }
    if (bad.length > 0) await this.setAside(bad.length === 1 ? msg('historyLineSetAside') : msg('historyLinesSetAside', bad.length), bad);
    return { included, removable };
  }

  /** Half-written snapshots of compactions whose window was killed (never renamed into place). */
  private async removeLeftovers(): Promise<void> {
    for (const name of await this.o.fs.list(this.o.dir)) {
      const match = /^snapshot\.json\.(\d+)\.\w+\.tmp$/.exec(name);
      if (match && Number(match[1]) !== this.o.pid && !this.o.alive(Number(match[1]))) await this.o.fs.remove(path.join(this.o.dir, name));
    }
  }

  /** Merges the snapshot into `state` and skips what of the logs it holds. */
  private async mergeSnapshot(state: HistoryState): Promise<boolean> {
    this.snapshotVersion = await this.o.fs.version(this.snapshot);
    const read = await parseSnapshot(await this.o.fs.read(this.snapshot));
    await this.setAsideSnapshot(read);
    for (const [name, n] of read.logs) if (n > (this.offsets.get(name) ?? 0)) this.offsets.set(name, n);
    return applyAll(state, read.ops);
  }

  private async setAsideSnapshot(read: Awaited<ReturnType<typeof parseSnapshot>>): Promise<void> {
    if (!read.problem) return;
    const text = JSON.stringify(read.rejected) ?? '';
    if (text === this.reportedSnapshot) return;
    this.reportedSnapshot = text;
    await this.setAside(read.problem, read.rejected);
  }

  /** Keeps unreadable data in a set-aside file and says so once (never throws: a full disk only loses the copy). */
  async setAside(problem: Message, data: unknown): Promise<void> {
    try {
      const id = await this.setAsides.unreadable(problem, data);
      this.o.warn(msg('setAsideFile', problem, id));
    } catch (error) {
      this.o.warn(msg('setAsideFailed', problem, String(error)));
    }
  }
}
