import * as assert from 'node:assert/strict';
import type { FiledCheck, StatusCheck } from '../../../../src/core/check';
import { Recorder, sameOutcome, type Recorded, type StatusChange } from '../../../../src/core/history/recorder';
import { errno, testFs, testStore } from '../../historyFixtures';
import { at, check, uuid, type CheckSpec } from '../../helpers';

const A = uuid(0xa);
const B = uuid(0xb);

function setup() {
  const fs = testFs();
  const store = testStore({ fs, limits: () => ({ maxEntries: 50, maxChecksPerEntry: 50 }) });
  const storeErrors: unknown[] = [];
  const recorder = new Recorder(store, (e) => storeErrors.push(e));
  const recorded: Recorded[] = [];
  const changes: StatusChange[] = [];
  recorder.onDidRecord((r) => recorded.push(r));
  recorder.onDidChangeStatus((c) => changes.push(c));
  return { fs, store, recorder, recorded, changes, storeErrors };
}

let clock = 0;
const next = (spec: CheckSpec = {}, id = A) => check(id, { checkedAt: at(++clock), ...spec });
const failure = (spec: CheckSpec = {}, error: Partial<NonNullable<CheckSpec['error']>> = {}) =>
  next({ httpStatus: 503, ...spec, error: { kind: 'server', message: 'D7 server error (HTTP 503).', ...error } });
const unfiled: StatusCheck = { otpId: '', checkedAt: at(0), durationMs: 0, ok: false, operation: 'send', error: { kind: 'config', message: 'bad input' } };

describe('core/history/recorder', () => {
  describe('Recorder.record', () => {
    it('files every record under its otp_id, announces it, and resolves `stored` once it is stored', async () => {
      const { fs, store, recorder, recorded } = setup();
      const ok = next();
      const failed = failure({}, { code: 'X' });
      const result = recorder.record(ok);
      recorder.record(failed, { quiet: true });
      assert.deepEqual(store.find(A)?.checks, [failed, ok]);
      assert.deepEqual(
        recorded.map((r) => [r.check, r.options, r.notFiled]),
        [
          [ok, {}, undefined],
          [failed, { quiet: true }, undefined],
        ],
      );
      assert.deepEqual(result.check, ok, 'the record announced and returned is the one filed (a bounded copy)');
      await result.stored;
      assert.equal(fs.writes, 1, 'stored by then (one write for both)');
    });

    it('two calls of one otp_id that ended in the same millisecond are two checks: the later takes the next free one', async () => {
      const { store, recorder } = setup();
      const first = next();
      const same = { ...first }; // another call, same instant
      const third = next({ status: 'APPROVED', checkedAt: first.checkedAt });
      const results = [first, same, third].map((c) => recorder.record(c).check);
      assert.deepEqual(
        results.map((r) => Date.parse(r.checkedAt) - Date.parse(first.checkedAt)),
        [0, 1, 2],
      );
      assert.deepEqual(
        store.find(A)?.checks.map((c) => c.checkedAt),
        results.map((r) => r.checkedAt).reverse(),
        'all three filed, each as returned',
      );
    });

    it('a call that ended at the time of an older check (not the newest) takes the next free millisecond too; a later one keeps its time', async () => {
      const { store, recorder } = setup();
      const t = clock;
      clock += 9;
      recorder.record(check(A, { checkedAt: at(t + 1) }));
      recorder.record(check(A, { checkedAt: at(t + 5), status: 'APPROVED' }));
      const nextFree = new Date(Date.parse(at(t + 1)) + 1).toISOString();
      assert.equal(recorder.record(check(A, { checkedAt: at(t + 1) })).check.checkedAt, nextFree, 'the older one is taken: the next free');
      assert.equal(recorder.record(check(A, { checkedAt: at(t + 9) })).check.checkedAt, at(t + 9), 'later than every check: as it is');
      assert.deepEqual(
        store.find(A)?.checks.map((c) => c.checkedAt),
        [at(t + 9), at(t + 5), nextFree, at(t + 1)],
      );
    });

    it('a cancelled record is not filed (even with an otp_id), but announced', async () => {
      const { store, recorder, recorded, fs } = setup();
      const cancelled = next({ error: { kind: 'cancelled', message: 'Cancelled.' } });
      const result = recorder.record(cancelled);
      assert.equal(result.notFiled, 'cancelled');
      await result.stored;
      assert.deepEqual([store.entries.length, fs.writes, recorded.length], [0, 0, 1]);
    });

    it('a record without an otp_id (bad input, a refused send) is not filed, but announced', async () => {
      const { store, recorder, recorded } = setup();
      const result = recorder.record(unfiled, { quiet: true });
      assert.deepEqual([result.notFiled, result.check, result.options], ['no-otp-id', unfiled, { quiet: true }]);
      await result.stored;
      assert.deepEqual([store.entries.length, recorded[0].notFiled], [0, 'no-otp-id']);
    });

    it('links a resent otp_id to its original', () => {
      const { store, recorder } = setup();
      recorder.record(next({ operation: 'resend' }, B), { resendOf: A });
      assert.equal(store.find(B)?.resendOf, A);
    });
  });

  describe('Recorder.record with coalesce (watch polls)', () => {
    it('unchanged polls are counted on the latest row, not added; a change adds a row', () => {
      const { store, recorder } = setup();
      const polls = [
        next({ checkedAt: at(63) }),
        next({ checkedAt: at(68) }),
        next({ checkedAt: at(73), status: 'open' }),
        next({ checkedAt: at(100), status: 'APPROVED' }),
      ];
      for (const c of polls) recorder.record(c, { coalesce: true });
      const checks = store.find(A)?.checks ?? [];
      assert.deepEqual(
        checks.map((c) => [c.status, c.repeat, c.lastCheckedAt]),
        [
          ['APPROVED', undefined, undefined],
          ['OPEN', 3, at(73)],
        ],
      );
    });

    it('without coalesce, every result is a row', () => {
      const { store, recorder } = setup();
      recorder.record(next());
      recorder.record(next());
      assert.equal(store.find(A)?.checks.length, 2);
    });

    it('counts only on the latest row: OPEN, APPROVED, OPEN are three rows', () => {
      const { store, recorder } = setup();
      for (const status of ['OPEN', 'APPROVED', 'OPEN']) recorder.record(next({ status }), { coalesce: true });
      assert.equal(store.find(A)?.checks.length, 3);
    });

    const differs: [string, FiledCheck, FiledCheck][] = [
      ['another profile: a staging result is not counted on a production row', next({ profile: 'production' }), next({ profile: 'staging' })],
      ['the default profile and a named one', next(), next({ profile: 'staging' })],
      ['another operation', next(), next({ operation: 'verify' })],
      ['another HTTP status', next(), next({ httpStatus: 202 })],
      ['another status', next(), next({ status: 'EXPIRED' })],
      ['a success and a failure', next(), failure()],
      ['another error kind', failure(), failure({}, { kind: 'network' })],
      ['another error code', failure({}, { code: 'A' }), failure({}, { code: 'B' })],
      ['another error message', failure(), failure({}, { message: 'other words' })],
    ];
    for (const [what, first, second] of differs) {
      it(`${what}: a row of its own`, () => {
        const { store, recorder } = setup();
        recorder.record(first, { coalesce: true });
        recorder.record(second, { coalesce: true });
        assert.deepEqual(
          store.find(A)?.checks.map((c) => c.repeat),
          [undefined, undefined],
        );
      });
    }

    it('the same failure again (kind, code, message) is counted', () => {
      const { store, recorder } = setup();
      recorder.record(failure({}, { code: 'X' }), { coalesce: true });
      recorder.record(failure({}, { code: 'X' }), { coalesce: true });
      assert.deepEqual(
        store.find(A)?.checks.map((c) => c.repeat),
        [2],
      );
    });
  });

  describe('Recorder.onDidChangeStatus', () => {
    it('fires when a recorded status differs from the last one (compared case-insensitively), not otherwise', () => {
      const { recorder, changes } = setup();
      for (const status of ['OPEN', 'open ', 'OPEN']) recorder.record(next({ status }), { coalesce: true });
      recorder.record(failure());
      recorder.record(next({ status: 'OPEN' }));
      recorder.record(next({ status: 'APPROVED' }));
      recorder.record(next({ status: 'APPROVED' }, B));
      assert.deepEqual(changes, [
        { otpId: A, to: 'OPEN', announced: true },
        { otpId: A, from: 'OPEN', to: 'APPROVED', announced: true },
        { otpId: B, to: 'APPROVED', announced: true },
      ]);
    });

    it('says whether the record that changed it is announced by its caller (not quiet), so a watch does not say it twice', () => {
      const { recorder, changes } = setup();
      recorder.record(next({ status: 'OPEN' }), { quiet: true, coalesce: true });
      recorder.record(next({ status: 'APPROVED', operation: 'verify' }));
      recorder.record(next({ status: 'EXPIRED' }, B), { quiet: true });
      assert.deepEqual(
        changes.map((c) => [c.to, c.announced ?? false]),
        [
          ['OPEN', false],
          ['APPROVED', true],
          ['EXPIRED', false],
        ],
      );
    });

    it('never fires for a record that is not filed', () => {
      const { recorder, changes } = setup();
      recorder.record(unfiled);
      recorder.record({ ...unfiled, ok: true, status: 'OPEN', error: undefined });
      recorder.record(next({ error: { kind: 'cancelled', message: 'x' } }));
      assert.deepEqual(changes, []);
    });
  });

  describe('failures around the recorder', () => {
    it('a store failure goes to onStoreError; `stored` rejects; the record is still returned and announced', async () => {
      const { fs, store, recorder, recorded, storeErrors } = setup();
      await store.ready;
      fs.fail = (operation) => (operation === 'write' ? errno('ENOSPC', 'disk full') : undefined);
      const result = recorder.record(next());
      assert.equal(recorded.length, 1);
      await assert.rejects(result.stored, /disk full/);
      assert.deepEqual(
        storeErrors.map((e) => (e as Error).message),
        ['ENOSPC: disk full'],
      );
    });

    it('listeners cannot break recording: a throwing listener, the others still told, the record still filed', () => {
      const { store, recorder, recorded, changes } = setup();
      recorder.onDidRecord(() => {
        throw new Error('listener bug');
      });
      recorder.onDidChangeStatus(() => {
        throw new Error('listener bug');
      });
      assert.doesNotThrow(() => recorder.record(next()));
      assert.deepEqual([store.entries.length, recorded.length, changes.length], [1, 1, 1]);
    });

    it('after dispose, nobody is told any more', () => {
      const { recorder, recorded, changes } = setup();
      recorder.dispose();
      recorder.record(next());
      assert.deepEqual([recorded.length, changes.length], [0, 0]);
    });
  });

  describe('sameOutcome and the status a change comes from', () => {
    it('sameOutcome: same call, HTTP status and profile, and the same status by statusKey or the same error', () => {
      assert.equal(sameOutcome(next({ status: ' approved' }), next({ status: 'APPROVED ' })), true);
      assert.equal(sameOutcome(next({ operation: 'status' }), next()), true, 'an absent operation is status');
      assert.equal(sameOutcome(failure({ httpStatus: undefined }, { kind: 'network' }), failure({ httpStatus: undefined }, { kind: 'network' })), true);
      assert.equal(sameOutcome(next({ profile: 'staging' }), next({ profile: 'production' })), false);
      assert.equal(sameOutcome(failure({ profile: 'staging' }), failure()), false);
    });

    it("a change comes from the newest successful record's status (past a failure after it); none before any success", () => {
      const { recorder, changes } = setup();
      recorder.record(failure());
      recorder.record(next({ status: 'OPEN' }));
      assert.equal(changes.at(-1)?.from, undefined, 'only a failure before it: no status to come from');
      recorder.record(next({ status: 'EXPIRED' }));
      recorder.record(failure());
      recorder.record(next({ status: 'APPROVED' }));
      assert.deepEqual(
        changes.map((c) => [c.from, c.to]),
        [
          [undefined, 'OPEN'],
          ['OPEN', 'EXPIRED'],
          ['EXPIRED', 'APPROVED'],
        ],
      );
    });
  });
});
