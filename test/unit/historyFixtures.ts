/**
 * The history store over real temp folders, as the unit tests use it: a store per "window" (several over one folder
 * are several windows), a file system that counts writes and fails on demand (a full disk), and a globalState
 * stand-in per window whose writes reach the other windows only after a delay (as VS Code's storage does).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeFs, type AppendHandle, type HistoryFs } from '../../src/core/history/files';
import { HistoryStore, type HistoryStoreOptions, type MementoLike } from '../../src/core/history/store';
import { english } from '../../src/core/messages';
import { FakeMemento } from './helpers';

export const HISTORY_KEY = 'd7otp.history';
export const BACKUP_KEY = 'd7otp.history.backup';
const LIMITS = { maxEntries: 200, maxChecksPerEntry: 20 };

const made: string[] = [];
process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed when the test process ends. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-history-'));
  made.push(dir);
  return dir;
}

/** Node's file system, counting appends and failing any operation `fail` names (with a real errno error). */
export interface TestFs extends HistoryFs {
  /** Appends written (one per burst). */
  writes: number;
  /** Called before each operation; an error it returns is thrown instead. */
  fail?: (operation: string, file: string) => Error | undefined;
}

export function errno(code: string, message = code): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/** `delayMs`: each write waits up to that long first (a slow disk). */
export function testFs(delayMs = 0): TestFs {
  const t: TestFs = {
    writes: 0,
    mkdir: (dir) => guard('mkdir', dir, () => nodeFs.mkdir(dir)),
    list: (dir) => guard('list', dir, () => nodeFs.list(dir)),
    read: (file) => guard('read', file, () => nodeFs.read(file)),
    readFrom: (file, offset) => guard('readFrom', file, () => nodeFs.readFrom(file, offset)),
    version: (file) => guard('version', file, () => nodeFs.version(file)),
    openAppend: (file) => guard('openAppend', file, async () => wrap(file, await nodeFs.openAppend(file))),
    writeAtomic: (file, data) => guard('writeAtomic', file, () => nodeFs.writeAtomic(file, data)),
    createExclusive: (file, data) => guard('createExclusive', file, () => nodeFs.createExclusive(file, data)),
    remove: (file) => guard('remove', file, () => nodeFs.remove(file)),
    watch: (dir, onChange) => nodeFs.watch(dir, onChange),
  };
  function guard<T>(operation: string, file: string, run: () => Promise<T>): Promise<T> {
    const error = t.fail?.(operation, file);
    return error ? Promise.reject(error) : run();
  }
  function wrap(file: string, handle: AppendHandle): AppendHandle {
    return {
      write: (data) =>
        guard('write', file, async () => {
          if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * delayMs)));
          await handle.write(data);
          t.writes++;
        }),
      sync: () => handle.sync(),
      truncate: (length) => guard('truncate', file, () => handle.truncate(length)),
      close: () => handle.close(),
    };
  }
  return t;
}

export type StoreOptions = Partial<HistoryStoreOptions> & { warnings?: string[] };

/** A store ("a window") over `dir` (a fresh temp folder by default), no polling, caps of 200 / 20. */
export function testStore(options: StoreOptions = {}): HistoryStore {
  const { warnings, ...rest } = options;
  return new HistoryStore({
    dir: tempDir(),
    memento: new FakeMemento(true),
    key: HISTORY_KEY,
    backupKey: BACKUP_KEY,
    limits: () => LIMITS,
    warn: (m) => warnings?.push(english(m)),
    pollMs: 0,
    ...rest,
  });
}

/**
 * One user's globalState as several windows see it: each window has its own copy (its cache), a write shows in
 * the writer's copy at once and in the others' after `delayMs` — the way two workbench windows share storage.
 */
export class SharedStorage {
  readonly stored = new Map<string, unknown>();
  private readonly windows: WindowMemento[] = [];
  constructor(readonly delayMs: number) {}

  window(): WindowMemento {
    const w = new WindowMemento(this);
    for (const [k, v] of this.stored) w.cache.set(k, v);
    this.windows.push(w);
    return w;
  }

  /** A write of `from`: stored at once, seen by the other windows after the delay. */
  propagate(from: WindowMemento, key: string, value: unknown): void {
    this.stored.set(key, value);
    for (const w of this.windows) {
      if (w === from) continue;
      setTimeout(() => (value === undefined ? w.cache.delete(key) : w.cache.set(key, structuredClone(value))), this.delayMs);
    }
  }
}

export class WindowMemento implements MementoLike {
  readonly cache = new Map<string, unknown>();
  constructor(private readonly storage: SharedStorage) {}

  get<T>(key: string): T | undefined {
    return this.cache.get(key) as T | undefined;
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) this.cache.delete(key);
    else this.cache.set(key, value);
    this.storage.propagate(this, key, value === undefined ? undefined : structuredClone(value));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
