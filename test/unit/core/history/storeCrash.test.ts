/**
 * A host killed mid-write, for real: a child Node process records checks as fast as it can (compacting often, so
 * the kill lands in the middle of appends and of compactions alike) and prints each check once its `add` resolved
 * — what a command would have reported. It is killed with SIGKILL; every check it printed must be there afterwards.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HistoryStore } from '../../../../src/core/history/store';
import { tempDir, testStore } from '../../historyFixtures';

const STORE = path.resolve(__dirname, '../../../../src/core/history/store.js');

/** The child: a store over DIR, recording checks of new otp_ids in bursts of 5, printing each one stored. */
const CHILD = `
const { HistoryStore } = require(process.env.STORE);
const store = new HistoryStore({
  dir: process.env.DIR, memento: { get: () => undefined, update: async () => undefined }, key: 'k', backupKey: 'b',
  limits: () => ({ maxEntries: 100000, maxChecksPerEntry: 20 }), warn: () => undefined, pollMs: 0,
  compactAfter: Number(process.env.COMPACT_AFTER),
});
const id = (n) => 'c0ffee00-0000-4000-8000-' + n.toString(16).padStart(12, '0');
let n = Number(process.env.FIRST);
(async () => {
  await store.ready;
  process.stdout.write('ready\\n');
  for (;;) {
    const burst = [];
    for (let i = 0; i < 5; i++) {
      const otpId = id(n++);
      const check = { otpId, checkedAt: new Date().toISOString(), ok: true, status: 'OPEN', httpStatus: 200, durationMs: 3, body: { status: 'OPEN', pad: 'x'.repeat(300) } };
      burst.push(store.add(check).then(() => process.stdout.write(otpId + '\\n')));
    }
    await Promise.all(burst);
  }
})();
`;

/** Runs the child until it has reported `atLeast` checks (plus a random moment), kills it; resolves what it reported. */
function runAndKill(dir: string, first: number, compactAfter: number, atLeast: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      env: { ...process.env, STORE, DIR: dir, FIRST: String(first), COMPACT_AFTER: String(compactAfter) },
    });
    const reported: string[] = [];
    let buffer = '';
    let killing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line !== 'ready') reported.push(line);
      if (!killing && reported.length >= atLeast) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 20));
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(reported) : reject(new Error(`the child ended on its own (${String(_code)})`))));
  });
}

describe('core/history/store: a host killed mid-write', function () {
  this.timeout(60_000);

  it('SIGKILL during appends and compactions, three times over one folder: every check reported before is there, the folder stays readable', async () => {
    const dir = tempDir();
    const reported: string[] = [];
    for (const [round, compactAfter] of [50, 20, 1000].entries()) reported.push(...(await runAndKill(dir, round * 100_000, compactAfter, 400 + round * 100)));
    const warnings: string[] = [];
    const limits = () => ({ maxEntries: 100_000, maxChecksPerEntry: 20 });
    const check = async (s: HistoryStore, when: string) => {
      await s.ready;
      const present = new Set(s.entries.map((e) => e.otpId));
      const lost = reported.filter((id) => !present.has(id as never));
      assert.deepEqual(lost.slice(0, 5), [], `${when}: ${lost.length} of ${reported.length} reported checks lost`);
    };
    const s = testStore({ dir, warnings, limits });
    await check(s, 'after the kills');
    assert.equal(await s.compact(), true, 'the lock of a killed compaction is taken over');
    await check(s, 'after a compaction');
    await s.close();
    await check(testStore({ dir, limits }), 'in a window opened afterwards');
    assert.ok(
      warnings.every((w) => /lines? of history logs were unreadable/.test(w)),
      `only a torn last line may be set aside: ${JSON.stringify(warnings)}`,
    );
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no half-written snapshot left',
    );
  });
});
