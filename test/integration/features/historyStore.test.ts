/**
 * The history store (src/core/history/store.ts, as the services build it) in a real extension host: the folder under
 * globalStorageUri (not globalState), other windows' writes seen through the folder watcher, and the caps read from
 * the settings. Its rules (order, deduplication, migration, damaged data) run in plain Node (docs/TESTS.md).
 *
 * "Another window" here is a second HistoryStore over the same folder in this host (a second extension host is
 * test/integration/twoWindows/); "a restart" is a fresh store reading the folder (`storedHistory`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  HISTORY_KEY,
  SCENARIOS,
  UNKNOWN_ID,
  asOtpId,
  check,
  ctx,
  entryOf,
  historyStoreAt,
  resetState,
  setSetting,
  storedHistory,
  waitFor,
  type FiledCheck,
  type HistoryEntry,
} from '../helpers';

/** A stored check, as the extension writes one. */
function storedCheck(otpId: string, status: string, checkedAt = new Date().toISOString()): FiledCheck {
  return { otpId: asOtpId(otpId), checkedAt, ok: true, status, httpStatus: 200, durationMs: 5, body: { status } };
}

/** `n` distinct otp_ids the mock answers 404 to (each still recorded). */
function unknownIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`);
}

const ids = (entries: readonly HistoryEntry[]) => entries.map((e) => e.otpId);
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

// Order, one entry per otp_id, failures next to successes, a check on disk when its call resolves, version 0.1's key
// read again and a damaged folder: test/unit/core/history/storeRules.test.ts and storeMigration.test.ts (issue 16).
describe('history: where and when it is stored', () => {
  beforeEach(() => resetState());

  it('lives in files under globalStorageUri; globalState holds none of it (Settings Sync off)', async () => {
    await check(SCENARIOS.open);
    await check(UNKNOWN_ID);
    const dir = ctx().api.internals.historyDir;
    assert.equal(path.basename(dir), 'history');
    assert.ok(fs.existsSync(path.join(dir, 'logs')), 'the logs folder');
    assert.ok(
      fs.readdirSync(path.join(dir, 'logs')).some((f) => /^\d+-[a-z0-9]+-\d+\.log$/.test(f)),
      'this window’s log',
    );
    assert.equal(ctx().api.internals.globalState.get(HISTORY_KEY), undefined);
    assert.deepStrictEqual(json(await storedHistory()), json(ctx().api.getHistory()));
  });

  it("another window's check (another store over the folder) appears here without a reload, tree included", async () => {
    await check(SCENARIOS.open);
    const other = historyStoreAt();
    await other.ready;
    let fired = 0;
    const subscription = ctx().api.onDidChangeHistory(() => fired++);
    try {
      await other.add(storedCheck(SCENARIOS.expired, 'EXPIRED'));
      await waitFor(() => ctx().api.getHistory().length === 2, "the other window's check to show");
      assert.deepStrictEqual(ids(ctx().api.getHistory()), [SCENARIOS.expired, SCENARIOS.open]);
      assert.ok(fired >= 1, 'onDidChangeHistory fired');
      assert.equal((await ctx().api.internals.tree.getChildren())?.length, 2);
      // ... and this window's next check keeps it (merge, not overwrite).
      await check(SCENARIOS.approved);
      assert.deepStrictEqual(ids(await storedHistory()), [SCENARIOS.approved, SCENARIOS.expired, SCENARIOS.open]);
    } finally {
      subscription.dispose();
      await other.close();
    }
  });

  it('Remove and Clear in another window are seen here, and nothing comes back when this window writes', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.approved);
    const other = historyStoreAt();
    await other.ready;
    try {
      await other.remove(asOtpId(SCENARIOS.open));
      await waitFor(() => ctx().api.getHistory().length === 1, 'the removal to show');
      await check(SCENARIOS.failed);
      assert.deepStrictEqual(ids(await storedHistory()), [SCENARIOS.failed, SCENARIOS.approved]);
      await other.reload();
      await other.clear();
      await waitFor(() => ctx().api.getHistory().length === 0, 'the clear to show');
      await check(SCENARIOS.expired);
      assert.deepStrictEqual(ids(await storedHistory()), [SCENARIOS.expired]);
    } finally {
      await other.close();
    }
  });
});

describe('history: caps (d7otp.history.maxEntries, d7otp.history.maxChecksPerEntry)', () => {
  beforeEach(() => resetState());

  it('maxEntries: the oldest otp_ids are dropped', async () => {
    await setSetting('history.maxEntries', 3);
    const unknown = unknownIds(5);
    for (const id of unknown) await check(id);
    assert.deepStrictEqual(ids(ctx().api.getHistory()), unknown.slice(2).reverse());
  });

  it('maxChecksPerEntry: only the newest checks of an otp_id are kept', async () => {
    await setSetting('history.maxChecksPerEntry', 2);
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await check(SCENARIOS.turnsApproved));
    assert.deepStrictEqual(entryOf(SCENARIOS.turnsApproved).checks, [results[3], results[2]]);
  });

  it('lowering the caps trims the stored history at once', async () => {
    const unknown = unknownIds(4);
    for (const id of unknown) await check(id);
    for (let i = 0; i < 3; i++) await check(SCENARIOS.open);
    assert.equal(ctx().api.getHistory().length, 5);
    await setSetting('history.maxEntries', 2);
    await waitFor(() => ctx().api.getHistory().length === 2, 'the history to be trimmed to 2 entries');
    assert.deepStrictEqual(ids(ctx().api.getHistory()), [SCENARIOS.open, unknown[3]]);
    await setSetting('history.maxChecksPerEntry', 1);
    await waitFor(() => entryOf(SCENARIOS.open).checks.length === 1, 'the checks to be trimmed to 1');
    await ctx().api.internals.history.flush();
    const snapshot = fs.readFileSync(path.join(ctx().api.internals.historyDir, 'snapshot.json'), 'utf8');
    const adds = snapshot
      .trim()
      .split('\n')
      .slice(1)
      .filter((line) => (JSON.parse(line) as { o: string }).o === 'add');
    assert.equal(adds.length, 2, 'the snapshot keeps what the caps keep: two checks');
  });
});
