/**
 * The history store (src/core/history/store.ts, as the services build it) in a real extension host: order,
 * deduplication, a check on disk before its command resolves, the folder under globalStorageUri (not globalState),
 * other windows' writes merged, the migration of version 0.1's globalState document, the caps, and damaged data.
 *
 * "Another window" here is a second HistoryStore over the same folder in this host (a second extension host is
 * test/integration/twoWindows/); "a restart" is a fresh store reading the folder (`storedHistory`).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
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

describe('history: order and deduplication', () => {
  beforeEach(() => resetState());

  it('newest otp_id first; checking an older one again moves it to the top', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.approved);
    await check(SCENARIOS.expired);
    assert.deepStrictEqual(ids(ctx().api.getHistory()), [SCENARIOS.expired, SCENARIOS.approved, SCENARIOS.open]);
    await check(SCENARIOS.open);
    assert.deepStrictEqual(ids(ctx().api.getHistory()), [SCENARIOS.open, SCENARIOS.expired, SCENARIOS.approved]);
  });

  it('one entry per otp_id, compared case-insensitively; its checks newest first', async () => {
    const lower = SCENARIOS.turnsApproved;
    const first = await check(lower);
    const second = await check(lower.toUpperCase());
    const third = await check(`'${lower}'`);
    assert.equal(ctx().api.getHistory().length, 1, 'deduplicated by otp_id');
    const entry = entryOf(lower);
    assert.deepStrictEqual(entry.checks, [third, second, first], 'checks newest first');
    assert.deepStrictEqual(
      entry.checks.map((c) => c.status),
      ['APPROVED', 'OPEN', 'OPEN'],
    );
    assert.equal(entry.checks[1].otpId, lower.toUpperCase(), 'each check keeps the case it was asked with');
  });

  it('failed lookups are recorded next to successful ones', async () => {
    await check(SCENARIOS.open);
    await check(UNKNOWN_ID);
    assert.deepStrictEqual(
      ctx()
        .api.getHistory()
        .map((e) => [e.otpId, e.checks[0].ok, e.checks[0].error?.kind]),
      [
        [UNKNOWN_ID, false, 'not-found'],
        [SCENARIOS.open, true, undefined],
      ],
    );
  });
});

describe('history: where and when it is stored', () => {
  beforeEach(() => resetState());

  it('a check is on disk when its command resolves: a restart reads it, with nothing flushed', async () => {
    const result = await check(SCENARIOS.approved);
    assert.deepStrictEqual(json(await storedHistory()), json([{ otpId: result.otpId, checks: [result] }]));
  });

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

describe('history: migration from version 0.1 (its document in globalState)', () => {
  beforeEach(() => resetState());

  it('a document written by version 0.1 is read, loses nothing, and leaves globalState', async () => {
    const fixture = path.resolve(__dirname, '../../../../test/fixtures/history/globalState-0.1.json');
    const legacy = JSON.parse(fs.readFileSync(fixture, 'utf8')) as { entries: { checks: Record<string, string>[] }[] };
    // Moved to start just now (this suite cleared the history a moment ago; a Clear removes what was stored before it).
    const shift = Date.now() + 1000 - Date.parse('2026-11-20T09:00:00.000Z');
    const moved = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
    for (const e of legacy.entries) {
      for (const c of e.checks) {
        c.checkedAt = moved(c.checkedAt);
        if (c.lastCheckedAt) c.lastCheckedAt = moved(c.lastCheckedAt);
      }
    }
    await ctx().api.internals.globalState.update(HISTORY_KEY, legacy);
    await ctx().api.internals.history.reload();
    const byId = (entries: readonly HistoryEntry[]) => json([...entries].sort((a, b) => (a.otpId < b.otpId ? -1 : 1)));
    assert.equal(ctx().api.getHistory().length, 8);
    assert.deepStrictEqual(byId(ctx().api.getHistory()), byId(legacy.entries as unknown as HistoryEntry[]));
    await waitFor(() => ctx().api.internals.globalState.get(HISTORY_KEY) === undefined, 'globalState to let go of the history');
    assert.deepStrictEqual(byId(await storedHistory()), byId(legacy.entries as unknown as HistoryEntry[]), 'in the files');
  });

  for (const [what, value] of [
    ['garbage text', 'not a history document \u0000 {['],
    ['a number', 42],
    ['an object without entries', { foo: 'bar' }],
    ['a future schema version', { version: 99, entries: [] }],
  ] as [string, unknown][]) {
    it(`${what} in the 0.1 key: set aside in a file, one warning in the log, and the history keeps working`, async () => {
      const logBefore = ctx().api.internals.logLines().length;
      await ctx().api.internals.globalState.update(HISTORY_KEY, value);
      await ctx().api.internals.history.reload();
      assert.deepStrictEqual(ctx().api.getHistory(), []);
      const warnings = ctx()
        .api.internals.logLines()
        .slice(logBefore)
        .filter((l) => l.startsWith('[warn]') && /set-aside file/.test(l));
      assert.equal(warnings.length, 1, 'one warning');
      const [newest] = await ctx().api.internals.history.setAsides();
      assert.ok(warnings[0].includes(newest.id), 'naming the set-aside file');
      assert.deepStrictEqual((JSON.parse(fs.readFileSync(newest.path, 'utf8')) as { data: unknown }).data, value, 'kept unchanged');
      const result = await check(SCENARIOS.open);
      assert.deepStrictEqual(ids(await storedHistory()), [result.otpId]);
    });
  }
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

describe('history: a damaged folder', () => {
  beforeEach(() => resetState());

  it('a corrupt snapshot is set aside with one warning; what the logs hold is kept; checks go on', async () => {
    const first = await check(SCENARIOS.open);
    const logBefore = ctx().api.internals.logLines().length;
    fs.writeFileSync(path.join(ctx().api.internals.historyDir, 'snapshot.json'), 'garbage \u0000 {[');
    await ctx().api.internals.history.reload();
    const warnings = ctx()
      .api.internals.logLines()
      .slice(logBefore)
      .filter((l) => l.startsWith('[warn]') && /set-aside file/.test(l));
    assert.equal(warnings.length, 1);
    assert.deepStrictEqual(ids(ctx().api.getHistory()), [first.otpId]);
    await check(SCENARIOS.approved);
    assert.deepStrictEqual(ids(await storedHistory()), [SCENARIOS.approved, SCENARIOS.open]);
    assert.equal(await ctx().api.internals.history.compact(), true, 'a compaction writes a good snapshot again');
    assert.deepStrictEqual(ids(await storedHistory()), [SCENARIOS.approved, SCENARIOS.open]);
  });

  it('a check right after unreadable data was set aside is kept', async () => {
    for (let round = 0; round < 5; round++) {
      await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
      await ctx().api.internals.globalState.update(HISTORY_KEY, `garbage, round ${round}`);
      void ctx().api.internals.history.reload();
      const result = await check(SCENARIOS.open);
      assert.deepStrictEqual(ids(await storedHistory()), [result.otpId], `round ${round}`);
    }
  });
});
