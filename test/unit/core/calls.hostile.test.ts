/**
 * Issue 11's adversarial matrix at the unit level: every hostile-server mode of the mock (test/mock/hostile.ts)
 * through every Verify call it answers, by OtpCalls with a real Recorder and HistoryStore, and the rules each
 * record must keep: an otp_id is a UUID or nothing, no token anywhere, every message one inert line, the stored
 * check bounded, no prototype polluted, every tree row id unique.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OtpCalls } from '../../../src/core/calls';
import type { FiledCheck, StatusCheck } from '../../../src/core/check';
import { Recorder } from '../../../src/core/history/recorder';
import { MAX_STORED_BODY } from '../../../src/core/history/model';
import { english } from '../../../src/core/messages';
import { readOtpId } from '../../../src/core/otpId';
import { WatchScheduler } from '../../../src/core/watch';
import { checkFields, checkRow, entryRow, fieldRow } from '../../../src/features/history/rows';
import { HOSTILE_MODES, type HostileMode, type HostileOperation } from '../../mock/hostile';
import { MOCK_TOKEN, SCENARIOS } from '../../mock/server';
import { assertInertLine, FakeMemento, rowContext, VirtualTime, useMock } from '../helpers';
import { tempDir, testStore } from '../historyFixtures';

const PARAMS = { originator: 'SignOTP', recipient: '+971501234567', content: 'Your code is {}', expiry: 600 };
const OTHER_TOKEN = 'eyJ.other-profile-token.sig-0123456789abcdef';

function setup(ctx: ReturnType<typeof useMock>) {
  const memento = new FakeMemento(true);
  const dir = tempDir();
  const store = testStore({ dir, memento });
  const calls = new OtpCalls({
    client: ctx.client({ otherSecrets: async () => [OTHER_TOKEN] }),
    recorder: new Recorder(store),
    history: store,
    profiles: { active: () => 'default', exists: () => true },
    word: english,
    onInternalError: (op, error) => assert.fail(`internal error in ${op}: ${String(error)}`),
  });
  return { calls, store, memento, dir };
}

/** The text of every file under `dir` (the history's snapshot, logs and set-asides). */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'));
}

async function call(calls: OtpCalls, operation: HostileOperation, id: string): Promise<StatusCheck> {
  if (operation === 'send') return calls.send(PARAMS);
  if (operation === 'resend') return calls.resend(id);
  if (operation === 'verify') return calls.verify(id, '123456');
  return calls.status(id);
}

/** Every row id under an entry, walked the way the tree walks it (rows → fields → nested fields). */
function rowIds(entryChecks: FiledCheck[]): string[] {
  const ctx = rowContext();
  const entry = { otpId: entryChecks[0].otpId, checks: entryChecks };
  const ids = [entryRow(entry, ctx).id];
  const walk = (parentId: string, value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    Object.entries(value as Record<string, unknown>).forEach(([k, v], i) => {
      const row = fieldRow(parentId, i, k, v);
      ids.push(row.id);
      walk(row.id, v);
    });
  };
  entryChecks.forEach((c, i) => {
    const row = checkRow(entry, c, i, ctx);
    ids.push(row.id);
    checkFields(c, ctx).forEach(([name, value], j) => {
      const field = fieldRow(row.id, j, name, value);
      ids.push(field.id);
      walk(field.id, value);
    });
  });
  return ids;
}

describe('core/calls: hostile servers (issue 11 matrix)', function () {
  this.timeout(20_000);
  const ctx = useMock();

  for (const [mode, spec] of Object.entries(HOSTILE_MODES) as [HostileMode, (typeof HOSTILE_MODES)[HostileMode]][]) {
    for (const operation of spec.operations) {
      it(`${mode} × ${operation}: a UUID or no otp_id, no token, inert messages, bounded storage, unique rows`, async () => {
        const { calls, store, memento, dir } = setup(ctx);
        const sent = await ctx.client().sendOtp(PARAMS); // an OTP to resend or verify, before the mode is on
        const id = sent.otpId || SCENARIOS.open;
        ctx.mock.setHostile(mode, [OTHER_TOKEN]);
        const record = await call(calls, operation, operation === 'status' ? SCENARIOS.open : id);
        await store.flush();
        assert.ok(
          record.otpId === '' || readOtpId(record.otpId),
          `11.1: the record's otp_id ${JSON.stringify(record.otpId.slice(0, 80))} is a UUID or nothing`,
        );
        for (const entry of store.entries) assert.ok(readOtpId(entry.otpId), 'every entry is filed under a UUID');
        const everything = JSON.stringify({ record, stored: [...memento.values.values()], files: filesUnder(dir) });
        for (const secret of [MOCK_TOKEN, OTHER_TOKEN]) {
          assert.ok(!everything.includes(secret), `11.5: no token (${secret === MOCK_TOKEN ? 'current' : 'other profile'}) in the record or storage`);
        }
        if (!record.ok) assertInertLine(record.error.message, `${mode} × ${operation}: error message`, 3000);
        for (const entry of store.entries) {
          for (const c of entry.checks) {
            assert.ok(JSON.stringify(c).length <= MAX_STORED_BODY, `11.11: a stored check of ${JSON.stringify(c).length} characters`);
          }
          const ids = rowIds(entry.checks);
          assert.equal(new Set(ids).size, ids.length, `11.8: row ids unique (${ids.length})`);
        }
        assert.equal(({} as Record<string, unknown>).polluted, undefined, '11.17: Object.prototype untouched');
      });
    }
  }

  it('11.1: a send answered with a command link for an otp_id is a bad response, filed nowhere, its text inert', async () => {
    const { calls, store } = setup(ctx);
    ctx.mock.setHostile('linkOtpId');
    const record = await calls.send(PARAMS);
    assert.equal(record.ok, false);
    assert.deepEqual([record.otpId, record.error?.kind, record.error?.messageId], ['', 'bad-response', 'answerWithoutOtpId']);
    assert.equal(store.entries.length, 0, 'nothing filed under the link');
  });

  it('11.1: a resend answered with a 100 000-character otp_id is a bad response on the original, no new entry', async () => {
    const { calls, store } = setup(ctx);
    const sent = await calls.send(PARAMS);
    ctx.mock.setHostile('longOtpId');
    const record = await calls.resend(sent.otpId);
    assert.deepEqual([record.otpId, record.error?.kind], [sent.otpId, 'bad-response']);
    assert.deepEqual(
      store.entries.map((e) => e.otpId),
      [sent.otpId],
    );
  });

  it("11.5: a token echoed in a 200 body and in a 401's detail is stored as ***, for this profile's and another's token", async () => {
    const { calls, store } = setup(ctx);
    ctx.mock.setHostile('echoToken', [OTHER_TOKEN]);
    const ok = await calls.status(SCENARIOS.open);
    assert.equal(ok.ok, true);
    assert.match(JSON.stringify(ok.body), /Bearer \*\*\*.*"also":\["\*\*\*"\]/);
    ctx.mock.setHostile('echoTokenRejected', [OTHER_TOKEN]);
    const rejected = await calls.status(SCENARIOS.approved);
    assert.match(rejected.error?.message ?? '', /token \*\*\* or \*\*\* is not valid/);
    await store.flush();
    for (const secret of [MOCK_TOKEN, OTHER_TOKEN]) assert.ok(!JSON.stringify(store.entries).includes(secret));
  });

  it('11.14: a body nested 20 000 levels deep is recorded (cut), not thrown away', async () => {
    const { calls, store } = setup(ctx);
    ctx.mock.setHostile('deepBody');
    const record = await calls.status(SCENARIOS.open);
    await store.flush();
    assert.equal(record.ok, true);
    assert.equal(store.entries.length, 1);
    assert.match(JSON.stringify(store.entries[0].checks[0].body), /nested deeper than 20 levels/);
  });

  it('11.9: a huge Retry-After or expiry never arms a timer Node would run after 1 ms, and never loops', async () => {
    const { calls } = setup(ctx);
    ctx.mock.setHostile('hugeNumbers');
    const answer = await calls.status(SCENARIOS.open, { quiet: true });
    assert.equal(answer.error?.retryAfterSeconds, 99999999999, 'the record keeps what D7 said');
    const time = new VirtualTime();
    const armed: number[] = [];
    const timers = {
      setTimeout: (fn: () => void, ms: number) => (armed.push(ms), time.setTimeout(fn, ms)),
      clearTimeout: (h: unknown) => time.clearTimeout(h),
    };
    let polls = 0;
    const scheduler = new WatchScheduler({
      poll: async () => (polls++, answer),
      intervalMs: () => 1000,
      defaultDurationMs: () => 660_000,
      maxConcurrent: () => 10,
      now: () => time.now,
      timers,
    });
    const started = scheduler.start(readOtpId(SCENARIOS.open)!, 1e20);
    assert.ok(started.ok);
    assert.ok(started.info.deadline - time.now <= 86_400_000 + 60_000, '11.9: the expiry believed is at most a day');
    await time.advance(3_600_000);
    assert.ok(
      armed.every((ms) => ms >= 0 && ms <= 2 ** 31 - 1),
      `11.9: every delay armed is within Node's range (${armed.join(', ')})`,
    );
    assert.ok(armed.length <= 4 && polls <= 2, `11.9: no timer loop (${armed.length} arms, ${polls} polls in an hour)`);
    scheduler.dispose();
  });
});
