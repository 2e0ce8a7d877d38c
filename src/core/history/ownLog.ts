/**
 * This window's own append-only log: only this window writes it, so windows never contend for a file. Operations
 * queued while a write runs go out together in the next write (one write per burst); `append` resolves once the
 * kernel has the bytes, which a reload, a killed extension host or a closed window no longer loses; the disk is
 * then asked to keep them (power loss) without holding up the caller. A failed write (disk full) is cut back so the
 * log never holds half a line. No `vscode` import.
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
  private closed = false;

  constructor(
    private readonly fs: HistoryFs,
    private readonly dir: string,
    private readonly pid: number,
    private readonly writer: string,
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
      this.writing ??= this.drain().finally(() => (this.writing = undefined));
    });
  }

  /** Resolves once everything appended so far is written (or has failed to be). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
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
    await handle.close().catch(() => undefined);
    return finished;
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
  }

  private async drain(): Promise<void> {
    await Promise.resolve(); // the rest of the current burst joins this write
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let data = await toLinesSliced(batch.flatMap((q) => q.ops));
      if (this.torn) data = Buffer.concat([Buffer.from('\n'), data]);
      try {
        const handle = (this.handle ??= await this.open());
        await handle.write(data);
        this.size += data.length;
        this.torn = false;
        for (const q of batch) q.resolve();
        void handle.sync().catch(() => undefined);
      } catch (error) {
        await this.cutBack();
        for (const q of batch) q.reject(error);
      }
    }
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
