/**
 * The bundle loader's code cache (src/boot/codeCache.ts): the bundle loads as `require` would load it, with or
 * without a cache; the cache is written once, whole, where the next window finds it, taken by V8 then, and a missing,
 * damaged or foreign file only means a compile as without one.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheFileName, loadWithCodeCache, readCache, writeCache } from '../../../src/boot/codeCache';
import { VirtualTime } from '../helpers';

interface Fixture {
  answer(): number;
  helper: string;
  dirname: string;
  thisIsExports: boolean;
  module: { filename: string; id: string; loadedDuringTopLevel: boolean; loaded(): boolean };
}

describe('boot/codeCache: loading the bundle with V8’s code cache', () => {
  let dir: string;
  let bundle: string;
  let cacheDir: string;
  const source = (n: number) =>
    [
      "'use strict';",
      "const helper = require('./helper.js');",
      `function answer() { return ${n}; }`,
      'const loadedDuringTopLevel = module.loaded;',
      'module.exports = { answer, helper: helper.name, dirname: __dirname, thisIsExports: this === exports,',
      '  module: { filename: module.filename, id: module.id, loadedDuringTopLevel, loaded: () => module.loaded } };',
    ].join('\n');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-codecache-'));
    bundle = path.join(dir, 'bundle.js');
    cacheDir = path.join(dir, 'storage', 'code-cache');
    fs.writeFileSync(path.join(dir, 'helper.js'), "exports.name = 'helper beside the bundle';");
    fs.writeFileSync(bundle, source(42));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  let time: VirtualTime;
  beforeEach(() => (time = new VirtualTime()));
  const cacheFiles = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []);

  it('loads the module as require would: its exports, a require relative to it, __dirname, this, module', () => {
    const started = performance.now();
    const loaded = loadWithCodeCache<Fixture>(bundle, undefined);
    const elapsed = performance.now() - started;
    assert.equal(loaded.exports.answer(), 42);
    assert.equal(loaded.exports.helper, 'helper beside the bundle');
    assert.equal(loaded.exports.dirname, dir);
    assert.equal(loaded.exports.thisIsExports, true);
    assert.deepEqual(
      { ...loaded.exports.module, loaded: loaded.exports.module.loaded() },
      { filename: bundle, id: bundle, loadedDuringTopLevel: false, loaded: true },
      'module.loaded is false while the top level runs, true after',
    );
    assert.equal(loaded.cache, 'none');
    assert.ok(loaded.loadMs >= 0 && loaded.loadMs <= elapsed, `the load's own time (${loaded.loadMs} ms), within the call's (${elapsed} ms)`);
    assert.ok(loaded.compileMs >= 0 && loaded.compileMs <= loaded.loadMs, `compiling (${loaded.compileMs} ms) is part of the load`);
  });

  it('an empty cache (a hash of nothing) is no cache', () => {
    const file = path.join(dir, 'empty.bin');
    writeCache(file, Buffer.alloc(0));
    assert.equal(readCache(file), undefined);
  });

  it("writing a cache removes the other versions' files and nothing else (another window's file being written stays)", () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    const other = path.join(cacheDir, 'old-version.bin');
    const beingWritten = path.join(cacheDir, `${cacheFileName(source(42))}.4242.tmp`);
    fs.writeFileSync(other, 'x');
    fs.writeFileSync(beingWritten, 'x');
    writeCache(path.join(cacheDir, cacheFileName(source(42))), Buffer.from('data'));
    assert.deepEqual(cacheFiles().sort(), [cacheFileName(source(42)), path.basename(beingWritten)].sort());
  });

  it('no cache yet: writes one after the delay, which the next load takes', async () => {
    const first = loadWithCodeCache<Fixture>(bundle, cacheDir);
    assert.equal(first.cache, 'none');
    first.exports.answer(); // compiled now: in the cache written after this
    first.saveLater(5000, time);
    await time.advance(4999);
    assert.deepEqual(cacheFiles(), [], 'nothing written before the delay');
    await time.advance(1);
    assert.deepEqual(cacheFiles(), [cacheFileName(source(42))]);
    const next = loadWithCodeCache<Fixture>(bundle, cacheDir);
    assert.equal(next.cache, 'used');
    assert.equal(next.exports.answer(), 42);
    const mtime = fs.statSync(path.join(cacheDir, cacheFiles()[0])).mtimeMs;
    next.saveLater(1, time);
    assert.equal(time.pending.size, 0, 'no timer even');
    await time.advance(10);
    assert.equal(fs.statSync(path.join(cacheDir, cacheFiles()[0])).mtimeMs, mtime, 'a cache V8 took is not written again');
  });

  it('disposing the save before its delay writes nothing', async () => {
    loadWithCodeCache<Fixture>(bundle, cacheDir).saveLater(5, time).dispose();
    await time.advance(10);
    assert.deepEqual(cacheFiles(), []);
  });

  it('a damaged or short file is not given to V8; a changed bundle has a cache of its own and the old one goes', async () => {
    const first = loadWithCodeCache<Fixture>(bundle, cacheDir);
    first.saveLater(1, time);
    await time.advance(1);
    const file = path.join(cacheDir, cacheFileName(source(42)));
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 0xff;
    fs.writeFileSync(file, bytes);
    assert.equal(readCache(file), undefined, 'one byte changed: refused by its hash');
    const damaged = loadWithCodeCache<Fixture>(bundle, cacheDir);
    assert.deepEqual([damaged.cache, damaged.exports.answer()], ['none', 42]);
    fs.writeFileSync(file, bytes.subarray(0, 32));
    assert.equal(readCache(file), undefined, 'a hash and nothing after it');
    assert.equal(readCache(path.join(cacheDir, 'missing.bin')), undefined);

    fs.writeFileSync(bundle, source(43)); // a new version of the extension
    assert.notEqual(cacheFileName(source(43)), cacheFileName(source(42)));
    const changed = loadWithCodeCache<Fixture>(bundle, cacheDir);
    assert.deepEqual([changed.cache, changed.exports.answer()], ['none', 43]);
    changed.saveLater(1, time);
    await time.advance(1);
    assert.deepEqual(cacheFiles(), [cacheFileName(source(43))], "the old version's file is removed");
  });

  it('data V8 refuses (another V8, other flags) is reported as refused, and the bundle still loads', () => {
    writeCache(path.join(cacheDir, cacheFileName(source(42))), Buffer.from('not a V8 code cache, but whole and hashed'));
    const loaded = loadWithCodeCache<Fixture>(bundle, cacheDir);
    assert.deepEqual([loaded.cache, loaded.exports.answer()], ['refused', 42]);
  });

  it('the file name: the bundle hash and a V8 version made safe for a file name', () => {
    assert.match(cacheFileName('x', '12.4.254.21-node.33'), /^[0-9a-f]{16}-v8-12\.4\.254\.21-node\.33\.bin$/);
    assert.equal(cacheFileName('x', '1/2\\3:4'), `${cacheFileName('x', '1').split('-v8-')[0]}-v8-1_2_3_4.bin`);
  });

  it('a folder that cannot be written loses nothing but the cache', async () => {
    const blocked = path.join(dir, 'a file, not a folder');
    fs.writeFileSync(blocked, '');
    const loaded = loadWithCodeCache<Fixture>(bundle, path.join(blocked, 'code-cache'));
    loaded.saveLater(1, time);
    await time.advance(1);
    assert.equal(loaded.exports.answer(), 42);
    assert.equal(time.pending.size, 0, 'the failed write is over');
  });
});
