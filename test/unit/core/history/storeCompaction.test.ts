/** When the store folds its log into the snapshot: on its own after enough of its own writes, and under the lock. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { at, check, uuid } from '../../helpers';
import { tempDir, testStore } from '../../historyFixtures';

const snapshotOf = (dir: string) => fs.existsSync(path.join(dir, 'snapshot.json'));

describe('core/history/store: compaction', () => {
  it('compacts on its own once it has written compactAfter operations of its own, not before', async () => {
    const dir = tempDir();
    const s = testStore({ dir, compactAfter: 3 });
    await s.ready;
    for (const n of [1, 2]) await s.add(check(uuid(n), { checkedAt: at(n) }));
    await s.flush();
    assert.equal(snapshotOf(dir), false, 'two operations: no compaction yet');
    await s.add(check(uuid(3), { checkedAt: at(3) }));
    await s.flush();
    assert.equal(snapshotOf(dir), true, 'the third: folded into the snapshot');
    await s.close();
  });

  it('waits for a lock another window holds and compacts once it is let go; without waiting it gives up at once', async () => {
    const dir = tempDir();
    const s = testStore({ dir, compactAfter: Infinity });
    await s.ready;
    await s.add(check(uuid(1), { checkedAt: at(1) }));
    const lock = path.join(dir, 'lock');
    // held by a live process of this machine (this one, as another window's writer), just now
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, writer: 'another-window', host: os.hostname(), at: Date.now() }));
    assert.equal(await s.compact(false), false, 'not waiting: false at once');
    assert.equal(snapshotOf(dir), false);
    const waiting = s.compact(true);
    let settled = false;
    void waiting.then(() => (settled = true));
    // Not finishing can only be seen over time: three of its 30 ms retries.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(settled, false, 'still waiting while the lock is held');
    fs.rmSync(lock);
    assert.equal(await waiting, true, 'compacted once the lock was let go');
    assert.equal(snapshotOf(dir), true);
    await s.close();
  });
});
