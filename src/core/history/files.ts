/**
 * The file system the history store needs, as a small interface, with its Node implementation. The store takes a
 * directory path and one of these, so it stays free of `vscode` (VS Code gives the directory:
 * `context.globalStorageUri`, which is on the extension host's own disk, local or remote) and its unit tests run
 * in plain Node against a temp dir, with faults injected by wrapping one method.
 */
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { IDisposable } from '../lifecycle';

/** A file kept open for appending (the own log). */
export interface AppendHandle {
  /** Appends `data` in one write; resolves once the kernel has it (a killed process no longer loses it). */
  write(data: Buffer): Promise<void>;
  /** Asks the disk to keep what was written (power loss). */
  sync(): Promise<void>;
  /** Cuts the file back to `length` bytes (after a failed write). */
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface HistoryFs {
  mkdir(dir: string): Promise<void>;
  /** File names in `dir`; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /** The whole file, or undefined when it does not exist. */
  read(file: string): Promise<Buffer | undefined>;
  /** The bytes from `offset` to the end, or undefined when the file does not exist. */
  readFrom(file: string, offset: number): Promise<Buffer | undefined>;
  /** Something that changes whenever the file is replaced or written (undefined when it does not exist). */
  version(file: string): Promise<string | undefined>;
  /** Opens (creating) a file for appending; `slowWriteMs`: see `SLOW_WRITE_MS` (for tests). */
  openAppend(file: string, options?: { slowWriteMs?: number }): Promise<AppendHandle>;
  /** Writes a file whole, durably and atomically: a reader sees the old content or the new, never a mix. */
  writeAtomic(file: string, data: Buffer): Promise<void>;
  /** Creates `file` with `data` only when it does not exist yet; false when it does. */
  createExclusive(file: string, data: Buffer): Promise<boolean>;
  /** Removes a file; a missing one is not an error. */
  remove(file: string): Promise<void>;
  /** Calls `onChange` (with the file's name where known) when something in `dir` changes; undefined where it cannot. */
  watch(dir: string, onChange: (name?: string) => void): IDisposable | undefined;
}

/**
 * Appends up to this size are written synchronously: a few microseconds for the kernel to take a line of a check,
 * where a write through libuv's thread pool costs the caller a turn of the event loop (issue 15: 0.5 ms of each
 * lookup in the extension host). Larger ones (an import, a rebuild) are written asynchronously.
 */
const SYNC_WRITE_MAX_BYTES = 64 * 1024;
/** A synchronous write slower than this (a network or failing disk) turns the handle's writes asynchronous for good. */
const SLOW_WRITE_MS = 5;

const missing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** The history's file system on Node's `fs`. */
export const nodeFs: HistoryFs = {
  async mkdir(dir) {
    await fsp.mkdir(dir, { recursive: true });
  },
  async list(dir) {
    try {
      return await fsp.readdir(dir);
    } catch (error) {
      if (missing(error)) return [];
      throw error;
    }
  },
  async read(file) {
    try {
      return await fsp.readFile(file);
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  },
  async readFrom(file, offset) {
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(file, 'r');
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const length = Math.max(0, size - offset);
      const buffer = Buffer.alloc(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await handle.read(buffer, read, length - read, offset + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  },
  async version(file) {
    try {
      const stat = await fsp.stat(file, { bigint: true });
      return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
    } catch (error) {
      if (missing(error)) return undefined;
      throw error;
    }
  },
  async openAppend(file, options = {}) {
    const handle = await fsp.open(file, 'a');
    const slowMs = options.slowWriteMs ?? SLOW_WRITE_MS;
    let slow = false;
    return {
      write: async (data) => {
        let written = 0;
        if (!slow && data.length <= SYNC_WRITE_MAX_BYTES) {
          const started = performance.now();
          while (written < data.length) written += fs.writeSync(handle.fd, data, written, data.length - written);
          if (performance.now() - started > slowMs) slow = true;
          return;
        }
        while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
      },
      sync: () => new Promise<void>((resolve, reject) => fs.fdatasync(handle.fd, (error) => (error ? reject(error) : resolve()))),
      truncate: (length) => handle.truncate(length),
      close: () => handle.close(),
    };
  },
  async writeAtomic(file, data) {
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    const handle = await fsp.open(temp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } catch (error) {
      await handle.close();
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await handle.close();
    try {
      await fsp.rename(temp, file);
    } catch (error) {
      await fsp.rm(temp, { force: true });
      throw error;
    }
    await syncDir(path.dirname(file));
  },
  async createExclusive(file, data) {
    try {
      await fsp.writeFile(file, data, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  },
  async remove(file) {
    await fsp.rm(file, { force: true });
  },
  watch(dir, onChange) {
    try {
      const watcher = fs.watch(dir, { persistent: false }, (_event, name) => onChange(typeof name === 'string' ? name : undefined));
      watcher.on('error', () => watcher.close());
      return { dispose: () => watcher.close() };
    } catch {
      return undefined;
    }
  },
};

/** Whether a process of this machine runs (a log's name holds its window's process id). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Makes a rename durable (where the platform allows syncing a directory). */
async function syncDir(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory; the rename is still atomic there
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
