/**
 * The rules of D7 OTP: Check Status that need no extension host (moved from test/integration/features/lookup.test.ts
 * and api.test.ts, issue 16): every scenario of the mock through `OtpCalls` with a real client, Recorder and
 * HistoryStore, as `src/services/services.ts` wires them (d7otp.requestTimeoutSeconds 1, d7otp.retry.maxRetries 0
 * unless a test says otherwise): the kind each answer ends as, the record returned = the one stored, the message a
 * person is told (`notice.ts`) and every tree row (`rows.ts`) one inert line. The host keeps what proves the
 * command, the settings and the notifications are wired.
 */
import * as assert from 'node:assert/strict';
import { OtpCalls } from '../../../../src/core/calls';
import type { ClientOptions } from '../../../../src/core/client/client';
import type { FiledCheck, HistoryEntry, StatusCheck } from '../../../../src/core/check';
import { Recorder } from '../../../../src/core/history/recorder';
import { english } from '../../../../src/core/messages';
import { checkFields, checkRow, entryRow, fieldRow, infoRows, type Row } from '../../../../src/features/history/rows';
import { failureNotice, statusBarText } from '../../../../src/features/lookup/notice';
import { BROKEN_200_BODIES } from '../../../cases/responses';
import { SCENARIO_OUTCOMES } from '../../../cases/scenarioOutcomes';
import { closedPort } from '../../../mock/ports';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { assertInertLine, rowContext, UNSAFE_CHARS, useMock } from '../../helpers';
import { testStore } from '../../historyFixtures';

type Scenario = keyof typeof SCENARIOS;

/** A UUID no scenario uses: the mock answers it 404 MESSAGE_LOG_NOT_EXISTS. */
const UNKNOWN_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** The fields every recorded check has: its otp_id, an ISO checkedAt of the call, a durationMs no longer than it took. */
function assertWellFormed(result: StatusCheck, otpId: string, startedAt: number): void {
  assert.equal(result.otpId, otpId);
  assert.equal(new Date(result.checkedAt).toISOString(), result.checkedAt, 'checkedAt is ISO 8601 (UTC)');
  const at = Date.parse(result.checkedAt);
  assert.ok(at >= startedAt - 1000 && at <= Date.now() + 1000, `checkedAt ${result.checkedAt} is the time of the check`);
  const took = Date.now() - startedAt;
  assert.ok(Number.isFinite(result.durationMs) && result.durationMs <= took + 1, `durationMs ${result.durationMs} is at most the ${took} ms the call took`);
}

/** Every row the view shows for an entry (root, info rows, checks, their fields and nested fields). */
function rowsOf(entry: HistoryEntry, all: readonly HistoryEntry[]): Row[] {
  const ctx = rowContext();
  const rows: Row[] = [entryRow(entry, ctx), ...infoRows(entry, all, ctx)];
  const walk = (parentId: string, value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object' || depth > 6) return;
    Object.entries(value as Record<string, unknown>).forEach(([k, v], i) => {
      const row = fieldRow(parentId, i, k, v);
      rows.push(row);
      walk(row.id, v, depth + 1);
    });
  };
  entry.checks.forEach((c: FiledCheck, i) => {
    const row = checkRow(entry, c, i, ctx);
    rows.push(row);
    checkFields(c, ctx).forEach(([name, value], j) => {
      const field = fieldRow(row.id, j, name, value);
      rows.push(field);
      walk(field.id, value, 0);
    });
  });
  return rows;
}

describe('features/lookup: Check Status rules (plain Node; moved from the host suite)', function () {
  this.timeout(20_000);
  const mock = useMock({ slowMs: 5000 });

  /** The services' wiring: a client with the settings' values, a Recorder over a store, OtpCalls over both. */
  function setup(client: Partial<ClientOptions> = {}) {
    const store = testStore();
    const calls = new OtpCalls({
      client: mock.client({ timeoutMs: () => 1000, maxRetries: () => 0, ...client }),
      recorder: new Recorder(store),
      history: store,
      profiles: { active: () => 'default', exists: () => true },
      word: english,
      onInternalError: (op, error) => assert.fail(`internal error in ${op}: ${String(error)}`),
    });
    const entry = (id: string) => {
      const found = store.entries.find((e) => e.otpId.toLowerCase() === id.toLowerCase());
      assert.ok(found, `history has an entry for ${id}`);
      return found;
    };
    const assertRecorded = (result: StatusCheck) => assert.deepStrictEqual(entry(result.otpId).checks[0], result, 'the returned check is the one recorded');
    return { store, calls, entry, assertRecorded };
  }

  describe('status values', () => {
    it('an unknown status (PENDING_REVIEW): ok, the raw status, HTTP 200, recorded', async () => {
      const { calls, assertRecorded } = setup();
      const startedAt = Date.now();
      const result = await calls.status(SCENARIOS.unknownStatus);
      assertWellFormed(result, SCENARIOS.unknownStatus, startedAt);
      assert.deepEqual([result.ok, result.status, result.httpStatus, result.error], [true, 'PENDING_REVIEW', 200, undefined]);
      assert.deepStrictEqual(result.body, { status: 'PENDING_REVIEW' });
      assertRecorded(result);
    });

    it('trims whitespace and quotes around the otp_id and keeps its case', async () => {
      const { calls, assertRecorded } = setup();
      const upper = SCENARIOS.approved.toUpperCase();
      const result = await calls.status(`  "${upper}"\n`);
      assert.deepEqual([result.ok, result.otpId], [true, upper]);
      assert.deepEqual(
        mock.mock.requests.map((r) => r.path),
        [`/verify/v1/report/${upper}`],
      );
      assertRecorded(result);
    });

    it('concurrent checks are all recorded (two of one id in one entry)', async () => {
      const { calls, store } = setup();
      const ids = [SCENARIOS.open, SCENARIOS.approved, SCENARIOS.expired, SCENARIOS.failed, UNKNOWN_ID, SCENARIOS.open];
      const results = await Promise.all(ids.map((id) => calls.status(id)));
      assert.equal(store.entries.length, 5);
      assert.equal(store.entries.find((e) => e.otpId === SCENARIOS.open)?.checks.length, 2);
      for (const result of results) {
        assert.ok(
          store.entries.some((e) => e.checks.some((c) => JSON.stringify(c) === JSON.stringify(result))),
          result.otpId,
        );
      }
    });
  });

  describe('every error kind, recorded', () => {
    it("unauthorized: a token the server rejects (401) → kind unauthorized with D7's code", async () => {
      const { calls, assertRecorded } = setup({ token: async () => 'wrong-token-for-the-mock' });
      const startedAt = Date.now();
      const result = await calls.status(SCENARIOS.open);
      assertWellFormed(result, SCENARIOS.open, startedAt);
      assert.deepEqual([result.ok, result.httpStatus, result.status], [false, 401, undefined]);
      assert.equal(result.error?.kind, 'unauthorized');
      assert.equal(result.error?.code, 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED');
      assert.match(result.error?.message ?? '', /token rejected/i);
      assertRecorded(result);
    });

    it('not-found: an unknown otp_id (404) → kind not-found, code MESSAGE_LOG_NOT_EXISTS; a warning naming the id', async () => {
      const { calls, assertRecorded } = setup();
      const result = await calls.status(UNKNOWN_ID);
      assert.deepEqual([result.ok, result.httpStatus, result.error?.kind, result.error?.code], [false, 404, 'not-found', 'MESSAGE_LOG_NOT_EXISTS']);
      assert.match(result.error?.message ?? '', /no OTP with this id \(MESSAGE_LOG_NOT_EXISTS\)/i);
      assertRecorded(result);
      assert.ok(!result.ok);
      const notice = failureNotice(result);
      assert.equal(notice.severity, 'warning');
      assert.ok(notice.text.endsWith(` (${UNKNOWN_ID})`), notice.text);
      assert.deepEqual(notice.actions, [], 'nothing to retry or look up in the log');
    });

    it("validation: an HTTP 400 answer → kind validation with D7's reason", async () => {
      const { calls, assertRecorded } = setup();
      const result = await calls.status(SCENARIOS.status400);
      assert.deepEqual([result.ok, result.httpStatus, result.error?.kind], [false, 400, 'validation']);
      assert.match(result.error?.message ?? '', /Bad Request/);
      assertRecorded(result);
    });

    for (const bad of ['not-a-uuid', '', '8d963dbf-d655-4fe6-9157-48885a03605', '../../etc/passwd']) {
      it(`config: a bad otp_id ${JSON.stringify(bad)} → kind config naming otp_id, nothing sent, nothing recorded`, async () => {
        const { calls, store } = setup();
        const result = await calls.status(bad);
        assert.deepEqual([result.ok, result.error?.kind], [false, 'config']);
        assert.match(result.error?.message ?? '', /otp_id/);
        assert.equal(mock.mock.requests.length, 0, 'nothing was sent');
        await store.flush();
        assert.equal(store.entries.length, 0, 'nothing was recorded');
      });
    }

    // What the public API's checkStatus is handed by another extension: anything (api.test.ts kept one of these).
    for (const bad of [undefined, null, 42, {}, [], 'nope', ' ', `${SCENARIOS.open}/../x`]) {
      it(`status(${JSON.stringify(bad) ?? 'undefined'}) resolves with kind config and a message, records and sends nothing`, async () => {
        const { calls, store } = setup();
        const result = await calls.status(bad);
        assert.deepEqual([result.ok, result.error?.kind, typeof result.error?.message], [false, 'config', 'string']);
        await store.flush();
        assert.equal(store.entries.length, 0);
        assert.equal(mock.mock.requests.length, 0);
      });
    }

    it('failures resolve (never reject) and are recorded: 404 and 5xx', async () => {
      const { calls, assertRecorded } = setup();
      const notFound = await calls.status(UNKNOWN_ID);
      assert.equal(notFound.error?.kind, 'not-found');
      assertRecorded(notFound);
      const server = await calls.status(SCENARIOS.serverError);
      assert.equal(server.error?.kind, 'server');
      assertRecorded(server);
    });

    it('rate-limited: 429 with retries off → kind rate-limited with Retry-After, one request', async () => {
      const { calls, assertRecorded } = setup();
      const result = await calls.status(SCENARIOS.rateLimited);
      assert.deepEqual([result.ok, result.httpStatus, result.error?.kind, result.error?.retryAfterSeconds], [false, 429, 'rate-limited', 1]);
      assert.equal(mock.mock.requests.length, 1, 'no automatic retry with maxRetries 0');
      assert.deepEqual(mock.waits, [], 'no wait either');
      assertRecorded(result);
    });

    it('a 429 once is retried after its Retry-After with maxRetries 1: OPEN, 2 attempts, a 1 s wait', async () => {
      const { calls, assertRecorded } = setup({ maxRetries: () => 1 });
      const result = await calls.status(SCENARIOS.rateLimitedOnce);
      assert.deepEqual([result.ok, result.status, result.attempts], [true, 'OPEN', 2]);
      assert.equal(mock.mock.requests.length, 2);
      assert.deepEqual(mock.waits, [1000], 'waited for Retry-After: 1');
      assertRecorded(result);
    });

    it('server: 502 with an HTML body → kind server, raw body kept; Retry and Show Log offered', async () => {
      const { calls, assertRecorded } = setup();
      const result = await calls.status(SCENARIOS.serverError);
      assert.deepEqual([result.ok, result.httpStatus, result.error?.kind], [false, 502, 'server']);
      assert.equal(typeof result.body, 'string');
      assert.match(String(result.body), /502 Bad Gateway/);
      assertRecorded(result);
      assert.ok(!result.ok);
      assert.deepEqual(failureNotice(result), { text: `${result.error.message} (${SCENARIOS.serverError})`, severity: 'error', actions: ['retry', 'showLog'] });
    });

    it('network: nothing listening at the base URL → kind network naming host:port, no HTTP status', async () => {
      const port = await closedPort();
      const { calls, assertRecorded } = setup({ baseUrl: () => `http://127.0.0.1:${port}` });
      const startedAt = Date.now();
      const result = await calls.status(SCENARIOS.open);
      assertWellFormed(result, SCENARIOS.open, startedAt);
      assert.deepEqual([result.ok, result.httpStatus, result.error?.kind], [false, undefined, 'network']);
      assert.match(result.error?.message ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
      assertRecorded(result);
    });

    for (const [scenario, message] of BROKEN_200_BODIES) {
      it(`bad-response: ${scenario} (HTTP 200 without a usable status) → kind bad-response, ${String(message)}`, async () => {
        const { calls, assertRecorded } = setup();
        const otpId = SCENARIOS[scenario];
        const startedAt = Date.now();
        const result = await calls.status(otpId);
        assertWellFormed(result, otpId, startedAt);
        assert.deepEqual([result.ok, result.httpStatus, result.error?.kind], [false, 200, 'bad-response']);
        assert.match(result.error?.message ?? '', message);
        assertRecorded(result);
      });
    }

    it('bad-response: a redirect to another host is not followed (the token stays here)', async () => {
      const { calls, assertRecorded } = setup();
      const result = await calls.status(SCENARIOS.redirectOtherHost);
      assert.deepEqual([result.ok, result.error?.kind], [false, 'bad-response']);
      assert.match(result.error?.message ?? '', /another host/);
      assert.equal(mock.mock.requests.length, 1, 'the redirect target was not requested');
      assertRecorded(result);
    });

    it('config: no token → "No API token set", nothing sent, recorded, Set API Token offered', async () => {
      const { calls, assertRecorded } = setup({ token: async () => undefined });
      const result = await calls.status(SCENARIOS.open);
      assert.deepEqual([result.ok, result.error?.kind], [false, 'config']);
      assert.match(result.error?.message ?? '', /No API token set/);
      assert.equal(mock.mock.requests.length, 0);
      assertRecorded(result);
      assert.ok(!result.ok);
      assert.deepEqual(failureNotice(result).actions, ['setToken']);
    });
  });

  describe('hostile responses: every scenario of the mock (1 s timeout, no retry)', () => {
    for (const scenario of Object.keys(SCENARIOS) as Scenario[]) {
      const expected = SCENARIO_OUTCOMES[scenario];
      it(`${scenario}: ${expected}, recorded as returned, one inert notice or status-bar line, every row one printable line`, async () => {
        const { calls, store, entry } = setup();
        const otpId = SCENARIOS[scenario];
        const result = await calls.status(otpId);
        assert.equal(result.error?.kind ?? 'ok', expected, result.error?.message);
        await store.flush();
        const stored = entry(otpId).checks[0];
        assert.equal(stored.error?.kind ?? 'ok', expected);
        assert.equal(stored.httpStatus, result.httpStatus);
        if (scenario === 'longStatus') {
          // The record returned is the one stored (bounded): a caller never holds more of an answer than the history.
          assert.ok(stored.status?.startsWith('X'.repeat(1024)) && stored.status.length < 1100, 'stored capped');
          assert.equal(result.status, stored.status, 'returned as stored');
        } else {
          assert.equal(stored.status, result.status, 'the raw status is stored as sent');
        }
        // What a person is told: a failure one notice, a success one status-bar line; each one inert line.
        if (result.ok) {
          const line = statusBarText(result, english);
          assert.ok(line, 'a status check says its outcome in the status bar');
          assertInertLine(line, 'the status-bar line', 1200, false);
          assert.ok(!line.replace(/^\$\(check\) /, '').includes('$('), `no icon from D7's text in the status bar: ${line}`);
        } else {
          assertInertLine(result.error.message, 'the error message', 3000);
          const notice = failureNotice(result);
          assertInertLine(notice.text, 'the notice', 1100);
          assert.ok(notice.text.includes(otpId), 'the notice names the otp_id');
        }
        // The tree renders every row of it as one printable line.
        const rows = rowsOf(entry(otpId), store.entries);
        assert.ok(rows.length >= 3, `${rows.length} rows`);
        for (const row of rows) {
          assert.doesNotMatch(row.label, UNSAFE_CHARS, `${scenario}: label ${JSON.stringify(row.label.slice(0, 80))}`);
          assert.doesNotMatch(row.description ?? '', UNSAFE_CHARS, `${scenario}: description`);
        }
      });
    }

    it('an unknown otp_id (404) and a rejected token (401) are recorded too', async () => {
      const { calls, entry } = setup();
      assert.equal((await calls.status(UNKNOWN_ID)).error?.kind, 'not-found');
      assert.equal(entry(UNKNOWN_ID).checks[0].error?.kind, 'not-found');
      const rejected = setup({ token: async () => 'not-the-mock-token' });
      assert.equal((await rejected.calls.status(SCENARIOS.approved)).error?.kind, 'unauthorized');
      assert.equal(rejected.entry(SCENARIOS.approved).checks[0].error?.kind, 'unauthorized');
      assert.ok(!JSON.stringify(rejected.store.entries).includes(MOCK_TOKEN));
    });
  });
});
