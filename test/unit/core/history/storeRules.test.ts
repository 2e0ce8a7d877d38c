/**
 * The history's rules as a status check meets them (moved from test/integration/features/historyStore.test.ts,
 * issue 16): `OtpCalls` against the mock, filing into a real Recorder and HistoryStore over a temp folder, as
 * src/services/services.ts wires them. Order and one entry per otp_id, failures next to successes, a check on disk
 * when its call resolves, and what version 0.1's globalState key may hold when it is read again: set aside with one
 * warning, the history going on. The host keeps where the folder is (globalStorageUri), the file watcher between
 * windows, and the caps' settings.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OtpCalls } from '../../../../src/core/calls';
import type { HistoryEntry } from '../../../../src/core/check';
import { Recorder } from '../../../../src/core/history/recorder';
import type { HistoryStore } from '../../../../src/core/history/store';
import { english } from '../../../../src/core/messages';
import { SCENARIOS } from '../../../mock/server';
import { FakeMemento, useMock } from '../../helpers';
import { HISTORY_KEY, tempDir, testStore } from '../../historyFixtures';

const UNKNOWN_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const ids = (entries: readonly HistoryEntry[]) => entries.map((e) => e.otpId);
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('core/history: what a check files (plain Node; moved from the host suite)', function () {
  this.timeout(20_000);
  const mock = useMock();
  const open: HistoryStore[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });

  function setup() {
    const dir = tempDir();
    const memento = new FakeMemento(true);
    const warnings: string[] = [];
    const store = testStore({ dir, memento, warnings });
    open.push(store);
    const calls = new OtpCalls({
      client: mock.client(),
      recorder: new Recorder(store),
      history: store,
      profiles: { active: () => 'default', exists: () => true },
      word: english,
      onInternalError: (op, error) => assert.fail(`internal error in ${op}: ${String(error)}`),
    });
    /** What a window opened now (a restart) reads from the folder. */
    const restarted = async () => {
      const again = testStore({ dir });
      await again.ready;
      const entries = again.entries;
      await again.close();
      return entries;
    };
    return { dir, memento, warnings, store, calls, restarted };
  }

  it('newest otp_id first; checking an older one again moves it to the top', async () => {
    const { calls, store } = setup();
    for (const id of [SCENARIOS.open, SCENARIOS.approved, SCENARIOS.expired]) await calls.status(id);
    assert.deepEqual(ids(store.entries), [SCENARIOS.expired, SCENARIOS.approved, SCENARIOS.open]);
    await calls.status(SCENARIOS.open);
    assert.deepEqual(ids(store.entries), [SCENARIOS.open, SCENARIOS.expired, SCENARIOS.approved]);
  });

  it('one entry per otp_id, compared case-insensitively; its checks newest first, each with the case it was asked with', async () => {
    const { calls, store } = setup();
    const lower = SCENARIOS.turnsApproved;
    const first = await calls.status(lower);
    const second = await calls.status(lower.toUpperCase());
    const third = await calls.status(`'${lower}'`);
    assert.equal(store.entries.length, 1, 'deduplicated by otp_id');
    const [entry] = store.entries;
    assert.deepStrictEqual(entry.checks, [third, second, first], 'checks newest first');
    assert.deepEqual(
      entry.checks.map((c) => c.status),
      ['APPROVED', 'OPEN', 'OPEN'],
    );
    assert.equal(entry.checks[1].otpId, lower.toUpperCase(), 'each check keeps the case it was asked with');
  });

  it('failed lookups are recorded next to successful ones', async () => {
    const { calls, store } = setup();
    await calls.status(SCENARIOS.open);
    await calls.status(UNKNOWN_ID);
    assert.deepEqual(
      store.entries.map((e) => [e.otpId, e.checks[0].ok, e.checks[0].error?.kind]),
      [
        [UNKNOWN_ID, false, 'not-found'],
        [SCENARIOS.open, true, undefined],
      ],
    );
  });

  it('a check is on disk when its call resolves: a restart reads it, with nothing flushed', async () => {
    const { dir, calls, restarted } = setup();
    const result = await calls.status(SCENARIOS.approved);
    // Read synchronously at once: a write still in flight when the call resolved would not be in the files yet.
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const onDisk = files.map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')).join('\n');
    assert.ok(onDisk.includes(result.checkedAt) && onDisk.includes(result.otpId), 'the check is in the folder when the call resolves');
    assert.deepStrictEqual(json(await restarted()), json([{ otpId: result.otpId, checks: [result] }]));
  });

  for (const [what, value] of [
    ['garbage text', 'not a history document \u0000 {['],
    ['a number', 42],
    ['an object without entries', { foo: 'bar' }],
    ['a future schema version', { version: 99, entries: [] }],
  ] as [string, unknown][]) {
    it(`${what} written to the 0.1 key later: set aside in a file, one warning naming it, and the history keeps working`, async () => {
      const { memento, warnings, store, calls, restarted } = setup();
      await store.ready;
      await memento.update(HISTORY_KEY, value);
      await store.reload();
      assert.deepEqual(store.entries, []);
      assert.equal(warnings.length, 1, `one warning: ${JSON.stringify(warnings)}`);
      const [newest] = await store.setAsides();
      assert.ok(newest, 'a set-aside file');
      assert.ok(warnings[0].includes(newest.id) && /set-aside file/.test(warnings[0]), `the warning names ${newest.id}: ${warnings[0]}`);
      assert.deepStrictEqual((JSON.parse(fs.readFileSync(newest.path, 'utf8')) as { data: unknown }).data, value, 'kept unchanged');
      const result = await calls.status(SCENARIOS.open);
      assert.deepEqual(ids(await restarted()), [result.otpId]);
    });
  }

  it('a check right after unreadable data was set aside is kept (a reload not awaited, five rounds)', async () => {
    const { memento, store, calls, restarted } = setup();
    await store.ready;
    for (let round = 0; round < 5; round++) {
      await store.clear();
      await memento.update(HISTORY_KEY, `garbage, round ${round}`);
      void store.reload();
      const result = await calls.status(SCENARIOS.open);
      assert.deepEqual(ids(await restarted()), [result.otpId], `round ${round}`);
    }
  });
});
