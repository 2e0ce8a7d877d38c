/**
 * This window's own append-only log: only this window writes it, so windows never contend for a file. Operations
 * queued while a write runs go out together in the next write (one write per burst); `append` resolves once the
 * kernel has the bytes, which a reload, a killed extension host or a closed window no longer loses; the disk is
 * then asked to keep them (power loss) without holding up the caller, at most ten times a second under a burst (so
 * a power cut loses at most the last tenth of a second; a close keeps everything first). A failed write (disk full)
 * is cut back so the log never holds half a line. No `vscode` import.
 */
import * as path from 'node:path';
import type { AppendHandle, HistoryFs } from './files';
import { toLinesSliced, type Op } from './ops';

interface Queued {
  ops: readonly Op[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** `<pid>-<writer>-<segment>.log`: who wrote a log, and whether its process still runs. */
function logName(pid: number, writer: string, segment: number): string {
  return `${pid}-${writer}-${segment}.log`;
}

export function parseLogName(name: string): { pid: number; writer: string; segment: number } | undefined {
  const match = /^(\d+)-([a-z0-9]{1,32})-(\d+)\.log$/.exec(name);
  return match ? { pid: Number(match[1]), writer: match[2], segment: Number(match[3]) } : undefined;
}

export class OwnLog {
  private handle: AppendHandle | undefined;
  private segment = 0;
  /** Bytes known to be written in the current segment. */
  private size = 0;
  /** After a failed write that could not be cut back: start the next one on a new line. */
  private torn = false;
  private queue: Queued[] = [];
  private writing: Promise<void> | undefined;
  /** The disk being asked to keep what was written: one request at a time, the writes made meanwhile in the next. */
  private syncing: Promise<void> | undefined;
  /** The next sync, waiting for `syncSpacingMs` after the last one started. */
  private syncTimer: ReturnType<typeof setTimeout> | undefined;
  private lastSyncAt = -Infinity;
  /** Handles written since their last sync: a finished segment's too, until it is kept (a rotation is not a race). */
  private readonly unsynced = new Set<AppendHandle>();
  private closed = false;

  constructor(
    private readonly fs: HistoryFs,
    private readonly dir: string,
    private readonly pid: number,
    private readonly writer: string,
    /** Syncs start at most this often (a burst of checks: about ten a second, not one per write). */
    private readonly syncSpacingMs = 100,
  ) {}

  /** The current segment's file name. */
  get name(): string {
    return logName(this.pid, this.writer, this.segment);
  }

  /** Appends operations; resolves once they are written, rejects when they could not be (nothing of them kept). */
  append(ops: readonly Op[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The history store is closed.'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Resolves once everything appended so far is written (or has failed to be). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Resolves once the disk has kept everything written so far (before a handle is closed): a waiting sync starts now. */
  private async synced(): Promise<void> {
    for (;;) {
      if (this.syncing) await this.syncing;
      else if (this.unsynced.size > 0) this.startSync();
      else return;
    }
  }

  /**
   * Starts a new segment for later writes and returns the finished one's name (written whole), for a compaction
   * to fold in and remove.
   */
  async rotate(): Promise<string | undefined> {
    await this.flush();
    if (!this.handle) return undefined;
    const finished = this.name;
    const handle = this.handle;
    this.handle = undefined;
    this.segment++;
    this.size = 0;
    this.torn = false;
    await this.synced();
    await handle.close().catch(() => undefined);
    return finished;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    await this.synced();
    await handle?.close().catch(() => undefined);
  }

  /**
   * Writes what is queued, a batch at a time. `writing` is cleared in the same turn that finds the queue empty: an
   * append made by a caller whose append has just resolved (a microtask later) starts the next drain. (Cleared in a
   * `.finally()` — a turn later — such an append joined a drain that had ended, and was never written.)
   */
  private async drain(): Promise<void> {
    await Promise.resolve(); // the rest of the current burst joins this write
    for (;;) {
      const batch = this.queue.splice(0);
      if (batch.length === 0) {
        this.writing = undefined;
        return;
      }
      try {
        let data = await toLinesSliced(batch.flatMap((q) => q.ops));
        if (this.torn) data = Buffer.concat([Buffer.from('\n'), data]);
        const handle = (this.handle ??= await this.open());
        await handle.write(data);
        this.size += data.length;
        this.torn = false;
        for (const q of batch) q.resolve();
        this.requestSync(handle);
      } catch (error) {
        await this.cutBack();
        for (const q of batch) q.reject(error);
      }
    }
  }

  /**
   * Asks the disk to keep what `handle` has written, never in the write's own turn (the caller's answer does not
   * wait for it) and at most once per `syncSpacingMs`: a request made while a sync runs or waits joins it.
   */
  private requestSync(handle?: AppendHandle): void {
    if (handle) this.unsynced.add(handle);
    if (this.syncing || this.syncTimer) return;
    this.syncTimer = setTimeout(() => this.startSync(), Math.max(0, this.lastSyncAt + this.syncSpacingMs - performance.now()));
  }

  private startSync(): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.unsynced.size === 0) return;
    const next = [...this.unsynced];
    this.unsynced.clear();
    this.lastSyncAt = performance.now();
    this.syncing = Promise.all(next.map((handle) => handle.sync().catch(() => undefined))).then(() => {
      this.syncing = undefined;
      if (this.unsynced.size > 0) this.requestSync();
    });
  }

  private async open(): Promise<AppendHandle> {
    await this.fs.mkdir(this.dir);
    this.size = 0; // a segment is new: its name holds this store's own random id
    return this.fs.openAppend(path.join(this.dir, this.name));
  }

  /** After a failed write: the segment back to its last whole line, or (when that fails too) a new line next. */
  private async cutBack(): Promise<void> {
    try {
      if (this.handle) await this.handle.truncate(this.size);
    } catch {
      this.torn = true;
    }
  }
}
