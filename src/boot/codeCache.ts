/**
 * Loads the extension's bundle with V8's code cache, so a window after the first one does not compile again the
 * functions activation runs. Most of activation's time is first-run cost (V8 compiling each function on its first
 * call, ~half of the samples of a CPU profile of `activate()`), not work; a code cache made after a window has run
 * holds those functions compiled, and V8 takes them from it instead.
 *
 * VS Code offers extensions no code cache of their own, and Node's `module.enableCompileCache()` would switch one on
 * for every extension in the shared extension host, so the bundle is compiled here with `vm.Script` and its cache
 * kept in the extension's global storage: one file, named by the bundle's content hash and V8's version, written
 * once a while after activation (when there was none, or V8 refused it), the files of other versions removed.
 *
 * A cache is an optimisation and never a failure: a missing, short, damaged or refused file means a compile as
 * without one. Each file starts with the SHA-256 of what follows, checked before V8 sees it (V8 checks its own
 * header, versions, flags and the source's length; a damaged payload is refused here whatever V8 would do with it).
 * The folder is the extension's own, in the user's profile: whoever can write there can already change the extension
 * itself.
 *
 * No `vscode` import: unit-tested in plain Node.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';
import type { Timers } from '../core/watch';

type CacheUse = 'used' | 'refused' | 'none';

export interface Loaded<T> {
  exports: T;
  /** What became of the cache: taken by V8, refused (damaged, another V8, other flags), or there was none. */
  cache: CacheUse;
  /** The milliseconds reading, compiling and running the bundle's top level took (outside `activate()`). */
  loadMs: number;
  /** Of which compiling it (what the cache saves). */
  compileMs: number;
  /** Writes the cache in `delayMs` (unless V8 took the one there was); dispose to cancel. `timers`: for tests. */
  saveLater(delayMs: number, timers?: Timers): { dispose(): void };
}

const HASH_BYTES = 32;
/** Timers that never keep a process alive for a cache. */
const unrefTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();

/** The cache file's name for this bundle source and this V8. */
export function cacheFileName(source: string, v8Version = process.versions.v8): string {
  return `${sha256(source).toString('hex').slice(0, 16)}-v8-${v8Version.replace(/[^\w.-]/g, '_')}.bin`;
}

/** The cached data in a file written by `writeCache`, or undefined when it is missing, short or damaged. */
export function readCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  if (bytes.length <= HASH_BYTES) return undefined;
  const data = bytes.subarray(HASH_BYTES);
  return sha256(data).equals(bytes.subarray(0, HASH_BYTES)) ? data : undefined;
}

/** Writes `data` as `file` (its hash first), whole or not at all; removes the other cache files of the folder. */
export function writeCache(file: string, data: Buffer): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, Buffer.concat([sha256(data), data]));
  renameSync(temp, file); // (another window writing the same file at once: the same bytes)
  for (const name of readdirSync(dir)) {
    if (name !== basename(file) && name.endsWith('.bin')) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Loads the CommonJS module `file` as `require` would (its own `require`, `module`, `__dirname`), with the code cache
 * in `cacheDir` when there is a usable one. `cacheDir` undefined: no cache (loaded as without one).
 */
export function loadWithCodeCache<T>(file: string, cacheDir: string | undefined): Loaded<T> {
  const started = performance.now();
  const source = readFileSync(file, 'utf8');
  const cacheFile = cacheDir === undefined ? undefined : join(cacheDir, cacheFileName(source));
  const cachedData = cacheFile ? readCache(cacheFile) : undefined;
  const compiling = performance.now();
  const script = new Script(wrap(source), { filename: file, ...(cachedData ? { cachedData } : {}) });
  const compileMs = performance.now() - compiling;
  const cache: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'refused' : 'used';
  const module = { exports: {} as T, filename: file, id: file, loaded: false };
  const run = script.runInThisContext() as (exports: T, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  const loadMs = performance.now() - started;
  return {
    exports: module.exports,
    cache,
    loadMs,
    compileMs,
    saveLater(delayMs, timers = unrefTimers) {
      if (cache === 'used' || !cacheFile) return { dispose: () => undefined };
      const timer = timers.setTimeout(() => {
        try {
          writeCache(cacheFile, script.createCachedData());
        } catch {
          // (a read-only or full disk: the next window compiles as this one did)
        }
      }, delayMs);
      return { dispose: () => timers.clearTimeout(timer) };
    },
  };
}
