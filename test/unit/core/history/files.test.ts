import * as assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as sinon from 'sinon';
import { nodeFs, processAlive } from '../../../../src/core/history/files';
import { waitFor } from '../../helpers';
import { tempDir } from '../../historyFixtures';

/** The contract of the history's file system on Node (what the store relies on), against a temp folder. */
describe('core/history/files: nodeFs', () => {
  it('a missing folder lists as empty and a missing file reads as undefined; a file where a folder is expected is an error', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'abc');
    assert.deepEqual(await nodeFs.list(path.join(dir, 'none')), []);
    await assert.rejects(nodeFs.list(file), { code: 'ENOTDIR' });
    assert.equal(await nodeFs.read(path.join(dir, 'none')), undefined);
    await assert.rejects(nodeFs.read(dir), { code: 'EISDIR' });
    assert.equal(await nodeFs.readFrom(path.join(dir, 'none'), 0), undefined);
    await assert.rejects(nodeFs.readFrom(path.join(file, 'x'), 0), { code: 'ENOTDIR' });
    assert.equal(await nodeFs.version(path.join(dir, 'none')), undefined);
    await assert.rejects(nodeFs.version(path.join(file, 'x')), { code: 'ENOTDIR' });
  });

  it('readFrom closes every file it opens, whatever it read (a host reading logs all day keeps no descriptor)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'f.log');
    fs.writeFileSync(file, 'hello world');
    // the module object itself (an `import * as` namespace is read-only): files.ts reads `open` off it at each call
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
    const open = fsp.open;
    let opened = 0;
    let closed = 0;
    const stub = sinon.stub(fsp, 'open').callsFake(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await open(...args);
      opened++;
      const close = handle.close.bind(handle);
      handle.close = async () => (closed++, close());
      return handle;
    });
    try {
      await nodeFs.readFrom(file, 0);
      await nodeFs.readFrom(file, 6);
      await nodeFs.readFrom(file, 50);
      await nodeFs.readFrom(path.join(dir, 'none'), 0);
    } finally {
      stub.restore();
    }
    assert.deepEqual([opened, closed], [3, 3]);
  });

  it('reads from an offset to the end; past the end is empty', async () => {
    const file = path.join(tempDir(), 'log');
    fs.writeFileSync(file, 'hello world');
    assert.equal((await nodeFs.readFrom(file, 0))?.toString(), 'hello world');
    assert.equal((await nodeFs.readFrom(file, 6))?.toString(), 'world');
    assert.equal((await nodeFs.readFrom(file, 50))?.length, 0);
    assert.equal((await nodeFs.read(file))?.toString(), 'hello world');
  });

  it('appends whole writes, truncates back, and a version that changes with every write', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'own.log');
    const log = await nodeFs.openAppend(file);
    const versions = new Set([await nodeFs.version(file)]);
    await log.write(Buffer.from('one\n'));
    versions.add(await nodeFs.version(file));
    await log.write(Buffer.from('two\n'));
    await log.sync();
    versions.add(await nodeFs.version(file));
    assert.equal(fs.readFileSync(file, 'utf8'), 'one\ntwo\n');
    await log.truncate(4);
    await log.write(Buffer.from('three\n'));
    await log.close();
    assert.equal(fs.readFileSync(file, 'utf8'), 'one\nthree\n');
    assert.equal(versions.size, 3);
    assert.deepEqual(await nodeFs.list(dir), ['own.log']);
  });

  it('a small append is written synchronously (the kernel has it when write() returns); a large one, or any after a slow one, through the thread pool', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('node:fs') as typeof import('node:fs');
    const file = path.join(tempDir(), 'own.log');
    const writeSync = sinon.spy(fsModule, 'writeSync');
    try {
      const log = await nodeFs.openAppend(file);
      const writing = log.write(Buffer.from('one\n'));
      assert.equal(fs.readFileSync(file, 'utf8'), 'one\n', 'in the file before write() resolved');
      await writing;
      assert.equal(writeSync.callCount, 1);
      await log.write(Buffer.alloc(64 * 1024 + 1, 'x'));
      assert.equal(writeSync.callCount, 1, 'above 64 KiB: not synchronous');
      const slow = await nodeFs.openAppend(file, { slowWriteMs: -1 }); // every synchronous write counts as slow
      await slow.write(Buffer.from('two\n'));
      await slow.write(Buffer.from('three\n'));
      assert.equal(writeSync.callCount, 2, 'after a slow write, the handle writes asynchronously');
      await log.write(Buffer.from('four\n'));
      assert.equal(writeSync.callCount, 3, 'another handle is not slowed');
      assert.equal(fs.readFileSync(file, 'utf8'), `one\n${'x'.repeat(64 * 1024 + 1)}two\nthree\nfour\n`);
      await slow.sync();
      await Promise.all([log.close(), slow.close()]);
    } finally {
      writeSync.restore();
    }
  });

  it('writes a file atomically: the new content replaces the old, no temp file is left, even when the write fails', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'snapshot.json');
    fs.writeFileSync(file, 'old');
    const before = await nodeFs.version(file);
    await nodeFs.writeAtomic(file, Buffer.from('new'));
    assert.equal(fs.readFileSync(file, 'utf8'), 'new');
    assert.notEqual(await nodeFs.version(file), before);
    assert.deepEqual(fs.readdirSync(dir), ['snapshot.json']);
    fs.mkdirSync(path.join(dir, 'taken'));
    await assert.rejects(nodeFs.writeAtomic(path.join(dir, 'taken'), Buffer.from('x')));
    assert.deepEqual(fs.readdirSync(dir).sort(), ['snapshot.json', 'taken'], 'the temp file of a failed rename is removed');
    await assert.rejects(nodeFs.writeAtomic(path.join(dir, 'none', 'f'), Buffer.from('x')), { code: 'ENOENT' });
  });

  it('a write that fails before the rename leaves the old file as it was and no temp file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'snapshot.json');
    fs.writeFileSync(file, 'old');
    // data the file handle refuses to write: the failure comes after the temp file was created
    await assert.rejects(nodeFs.writeAtomic(file, 42 as unknown as Buffer));
    assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    assert.deepEqual(fs.readdirSync(dir), ['snapshot.json'], 'the temp file is removed');
  });

  it('creates a file only when it does not exist; a missing folder is an error, not "taken"', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'lock');
    assert.equal(await nodeFs.createExclusive(lock, Buffer.from('a')), true);
    assert.equal(await nodeFs.createExclusive(lock, Buffer.from('b')), false);
    assert.equal(fs.readFileSync(lock, 'utf8'), 'a');
    await assert.rejects(nodeFs.createExclusive(path.join(dir, 'none', 'lock'), Buffer.from('a')), { code: 'ENOENT' });
    await nodeFs.remove(lock);
    await nodeFs.remove(lock);
    assert.deepEqual(fs.readdirSync(dir), []);
    await nodeFs.mkdir(path.join(dir, 'a', 'b'));
    assert.ok(fs.statSync(path.join(dir, 'a', 'b')).isDirectory());
  });

  it('watches a folder (the name of what changed), and cannot watch a missing one', async () => {
    const dir = tempDir();
    assert.equal(
      nodeFs.watch(path.join(dir, 'none'), () => undefined),
      undefined,
    );
    const names: (string | undefined)[] = [];
    const handles = process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length;
    const watching = nodeFs.watch(dir, (name) => names.push(name));
    assert.ok(watching);
    assert.equal(
      process.getActiveResourcesInfo().filter((r) => r === 'FSEventWrap').length,
      handles,
      'the watch does not keep the process alive (a host can exit while it watches)',
    );
    fs.writeFileSync(path.join(dir, 'w.log'), 'x');
    await waitFor(() => names.includes('w.log'), 'the event of w.log');
    watching.dispose();
  });

  it('processAlive: a process this user may not signal (EPERM) runs too; any other refusal means it does not', () => {
    for (const [code, alive] of [
      ['EPERM', true],
      ['ESRCH', false],
    ] as const) {
      const kill = sinon.stub(process, 'kill').throws(Object.assign(new Error(code), { code }));
      try {
        assert.equal(processAlive(4242), alive, code);
      } finally {
        kill.restore();
      }
    }
  });

  it('a watch whose folder fails (an error event) closes, without throwing in the host', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsModule = require('node:fs') as typeof import('node:fs');
    const fake = Object.assign(new EventEmitter(), { closed: 0, close: () => void fake.closed++ });
    const watch = sinon.stub(fsModule, 'watch').returns(fake as unknown as fs.FSWatcher);
    try {
      const watching = nodeFs.watch('/any', () => undefined);
      assert.ok(watching);
      fake.emit('error', new Error('EPERM: the folder went away'));
      assert.equal(fake.closed, 1);
      watching.dispose();
      assert.equal(fake.closed, 2, 'dispose closes it too (closing twice is harmless)');
    } finally {
      watch.restore();
    }
  });

  it('an atomic write syncs the folder after the rename, and closes it', async () => {
    const dir = tempDir();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fsp = require('node:fs/promises') as typeof import('node:fs/promises');
    const open = fsp.open;
    const seen: string[] = [];
    const stub = sinon.stub(fsp, 'open').callsFake(async (...args: Parameters<typeof fsp.open>) => {
      const handle = await open(...args);
      if (args[0] === dir) {
        const sync = handle.sync.bind(handle);
        const close = handle.close.bind(handle);
        handle.sync = async () => (seen.push('sync'), sync());
        handle.close = async () => (seen.push('close'), close());
      }
      return handle;
    });
    try {
      await nodeFs.writeAtomic(path.join(dir, 'snapshot.json'), Buffer.from('x'));
    } finally {
      stub.restore();
    }
    assert.deepEqual(seen, ['sync', 'close']);
  });

  it('processAlive: this process is, an exited one is not', async () => {
    assert.equal(processAlive(process.pid), true);
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(processAlive(child.pid as number), false);
  });
});
