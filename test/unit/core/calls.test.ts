import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import nodeFetch from 'node-fetch';
import { OtpCalls, type CallsOptions } from '../../../src/core/calls';
import type { Operation, StatusCheck } from '../../../src/core/check';
import type { D7VerifyClient } from '../../../src/core/client/client';
import type { FetchInit, FetchLike } from '../../../src/core/client/request';
import { Recorder, type Recorded } from '../../../src/core/history/recorder';
import type { HistoryFs } from '../../../src/core/history/files';
import type { HistoryStore } from '../../../src/core/history/store';
import { tempDir, testFs, testStore } from '../historyFixtures';
import { english } from '../../../src/core/messages';
import { EXAMPLE_OTP_ID, readOtpId, type OtpId } from '../../../src/core/otpId';
import { ACCEPTED_OTP_IDS, HOSTILE_OTP_IDS, OTP_ID_PROPERTY_RUNS as RUNS } from '../../cases/otpIds';
import { SCENARIOS } from '../../mock/server';
import { otpId, T0, timerBaseline, timersSettle, UNSAFE_CHARS, useMock, waitFor, type MockFixture } from '../helpers';

const PARAMS = { originator: 'SignOTP', recipient: '+971501234567', content: 'Your code is {}', expiry: 600 };
const UNKNOWN = '99999999-9999-4999-8999-999999999999';
const REPORT_PATH = /^\/verify\/v1\/report\/([^/?#]+)$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** OtpCalls over a real Recorder and HistoryStore (over the folder `dir`), recording what the recorder announced. */
/** Stores made by `setup`, closed after each test (their watchers and writes end with the test). */
const opened: HistoryStore[] = [];

function setup(client: CallsOptions['client'], options: { dir?: string; fs?: HistoryFs; profile?: string } = {}) {
  const { dir = tempDir(), fs, profile = 'default' } = options;
  const store = testStore({ dir, ...(fs ? { fs } : {}) });
  opened.push(store);
  const recorder = new Recorder(store);
  const recorded: Recorded[] = [];
  recorder.onDidRecord((r) => recorded.push(r));
  const internalErrors: [Operation, unknown][] = [];
  const calls = new OtpCalls({
    client,
    recorder,
    history: store,
    profiles: { active: () => profile, exists: (name) => name === profile || name === 'default' },
    word: english,
    onInternalError: (op, e) => internalErrors.push([op, e]),
  });
  return { calls, store, recorder, recorded, internalErrors };
}

/** A client every call of which throws (a bug, not an answer). */
const throwing = (error: unknown): CallsOptions['client'] => {
  const fail = () => (typeof error === 'function' ? (error as () => Promise<StatusCheck>)() : Promise.reject(error));
  return { getStatus: fail, sendOtp: fail, resendOtp: fail, verifyOtp: fail } as unknown as Pick<
    D7VerifyClient,
    'getStatus' | 'sendOtp' | 'resendOtp' | 'verifyOtp'
  >;
};

async function sendOtps(ctx: MockFixture, n: number): Promise<OtpId[]> {
  const ids: OtpId[] = [];
  for (let i = 0; i < n; i++) ids.push(otpId((await ctx.client().sendOtp(PARAMS)).otpId));
  return ids;
}

describe('core/calls: OtpCalls against the mock, with a Recorder and a HistoryStore', () => {
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  const ctx = useMock({ slowMs: 3000 });

  describe('status', () => {
    it('looks up an otp_id and files the record; the record returned is the one filed', async () => {
      const { calls, store, recorded } = setup(ctx.client());
      const result = await calls.status(SCENARIOS.approved);
      assert.deepEqual([result.status, result.profile], ['APPROVED', 'default']);
      assert.deepEqual(store.find(otpId(SCENARIOS.approved))?.checks, [result]);
      assert.equal(recorded[0].check, result);
    });

    it(`${ACCEPTED_OTP_IDS.length} accepted spellings: parsed first, sent as exactly one path segment, filed under the parsed id`, async () => {
      const { calls, store } = setup(ctx.client());
      for (const [what, input, expected] of ACCEPTED_OTP_IDS) {
        ctx.mock.reset();
        const result = await calls.status(input);
        assert.deepEqual([result.ok, result.otpId], [true, expected], what);
        assert.deepEqual(
          ctx.mock.requests.map((r) => r.path),
          [`/verify/v1/report/${expected}`],
          what,
        );
      }
      assert.equal(store.entries.length, 1, 'one entry: otp_ids compare case-insensitively');
    });

    it('passes quiet and coalesce to the recorder, and the active profile to the client', async () => {
      const { calls, store, recorded } = setup(ctx.client(), { profile: 'staging' });
      await calls.status(SCENARIOS.open, { coalesce: true, quiet: true });
      await calls.status(SCENARIOS.open, { coalesce: true, quiet: true });
      assert.deepEqual(
        store.find(otpId(SCENARIOS.open))?.checks.map((c) => [c.profile, c.repeat]),
        [['staging', 2]],
      );
      assert.deepEqual(
        recorded.map((r) => r.options),
        [
          { coalesce: true, quiet: true },
          { coalesce: true, quiet: true },
        ],
      );
    });
  });

  describe('phone numbers in answers', () => {
    const answering = (body: unknown): CallsOptions['client'] =>
      ({
        getStatus: async (otpId: OtpId) => ({ otpId, checkedAt: new Date(T0).toISOString(), ok: true, status: 'OPEN', httpStatus: 200, durationMs: 1, body }),
      }) as unknown as CallsOptions['client'];
    const body = { status: 'OPEN', recipient: '+971501234567', note: 'to +4915112345678' };

    it('are masked before a record exists (so storage, Settings Sync and exports never hold them), by default', async () => {
      const { calls, store } = setup(answering(body));
      const result = await calls.status(SCENARIOS.open);
      const masked = { status: 'OPEN', recipient: '+97150•••4567', note: 'to +49151•••5678' };
      assert.deepEqual(result.body, masked);
      assert.deepEqual(store.find(otpId(SCENARIOS.open))?.checks[0].body, masked);
    });

    it('are kept when the user chose to see phone numbers (maskRecipients() false)', async () => {
      const { store, recorder } = setup(answering(body));
      const calls = new OtpCalls({
        client: answering(body),
        recorder,
        history: store,
        profiles: { active: () => 'default', exists: () => true },
        word: english,
        onInternalError: () => undefined,
        maskRecipients: () => false,
      });
      assert.deepEqual((await calls.status(SCENARIOS.open)).body, body);
    });
  });

  describe('input that is not an otp_id', () => {
    it(`${HOSTILE_OTP_IDS.length} hostile inputs × status, resend, verify: an unfiled config record with otpId '', nothing sent`, async () => {
      const { calls, store, recorded } = setup(ctx.client(), { profile: 'staging' });
      for (const [what, input] of HOSTILE_OTP_IDS) {
        for (const [operation, result] of [
          ['status', await calls.status(input)],
          ['resend', await calls.resend(input)],
          ['verify', await calls.verify(input, '123456')],
        ] as const) {
          assert.deepEqual([result.ok, result.otpId, result.error?.kind, result.httpStatus], [false, '', 'config', undefined], `${operation} ${what}`);
          assert.ok(['otpIdMissing', 'otpIdInvalid'].includes(result.error?.messageId ?? ''), `${operation} ${what}`);
          assert.equal(result.operation, operation === 'status' ? undefined : operation);
          assert.equal(result.profile, 'staging');
          assert.doesNotMatch(result.error?.message ?? '', UNSAFE_CHARS);
          if (typeof input === 'string' && input.length > 8) {
            assert.ok(!JSON.stringify(result).replace(EXAMPLE_OTP_ID, '').includes(JSON.stringify(input).slice(1, -1)), `${what}: never the raw input`);
          }
        }
      }
      assert.equal(ctx.mock.requests.length, 0, 'the mock saw nothing');
      assert.equal(store.entries.length, 0);
      assert.ok(recorded.every((r) => r.notFiled === 'no-otp-id'));
      assert.equal(recorded.length, HOSTILE_OTP_IDS.length * 3);
    });
  });

  describe('send, verify, resend', () => {
    it('send: filed under the otp_id D7 returned; a refused send is announced, not filed', async () => {
      const { calls, store, recorded } = setup(ctx.client());
      const sent = await calls.send(PARAMS);
      assert.deepEqual([sent.ok, sent.operation, store.entries.map((e) => e.otpId)], [true, 'send', [sent.otpId]]);
      const refused = await calls.send({ originator: '', recipient: 'nope' });
      assert.deepEqual([refused.httpStatus, refused.otpId, recorded[1].notFiled, store.entries.length], [422, '', 'no-otp-id', 1]);
    });

    it('verify: the right code APPROVED, a wrong one INVALID_OTP_CODE, both filed', async () => {
      const { calls, store } = setup(ctx.client());
      const id = otpId((await calls.send(PARAMS)).otpId);
      const code = ctx.mock.codeOf(id) ?? '';
      const wrong = await calls.verify(id, code === '123456' ? '654321' : '123456');
      const right = await calls.verify(` ${id} `, code);
      assert.deepEqual([wrong.error?.code, right.status], ['INVALID_OTP_CODE', 'APPROVED']);
      assert.deepEqual(
        store.find(id)?.checks.map((c) => c.operation),
        ['verify', 'verify', 'send'],
      );
    });

    it('a resend that returns a new otp_id files both: the original gets the call (quietly), the new id is linked by resendOf', async () => {
      const { calls, store, recorded } = setup(ctx.client());
      const original = otpId((await calls.send(PARAMS)).otpId);
      ctx.mock.advanceClock(61);
      const resent = await calls.resend(original);
      const created = readOtpId((resent.body as { otp_id: unknown }).otp_id);
      assert.ok(resent.ok && created && created !== original);
      assert.equal(resent.otpId, created, "the record returned is the new id's");
      assert.deepEqual(
        store.find(original)?.checks.map((c) => [c.operation, c.otpId]),
        [
          ['resend', original],
          ['send', original],
        ],
      );
      assert.deepEqual(
        store.find(created)?.checks.map((c) => [c.operation, c.otpId]),
        [['resend', created]],
      );
      assert.equal(store.find(created)?.resendOf, original);
      assert.deepEqual(
        recorded.slice(1).map((r) => [r.check.otpId, r.options]),
        [
          [original, { quiet: true }],
          [created, { resendOf: original }],
        ],
      );
    });

    it('a resend answer that names the same otp_id (or none) is one record, under it', async () => {
      for (const body of [{ status: 'OPEN', otp_id: SCENARIOS.open.toUpperCase() }, { status: 'OPEN' }]) {
        const id = otpId(SCENARIOS.open);
        const check: StatusCheck = {
          otpId: id,
          checkedAt: new Date(T0).toISOString(),
          durationMs: 1,
          httpStatus: 200,
          ok: true,
          status: 'OPEN',
          operation: 'resend',
          body,
        };
        const { calls, store, recorded } = setup({ ...throwing(new Error('unused')), resendOtp: async () => check });
        assert.deepEqual(await calls.resend(id), check, 'the record returned is the one filed (bounded, an equal copy)');
        assert.deepEqual([recorded.length, store.entries.length], [1, 1]);
      }
    });

    it('a "minimum N seconds" refusal says when a resend is allowed again, counted from the last send of that id', async () => {
      let now = T0;
      const { calls } = setup(ctx.client({ now: () => now }));
      const id = otpId((await calls.send(PARAMS)).otpId);
      now = T0 + 15_000;
      const early = await calls.resend(id);
      assert.equal(
        early.error?.message,
        'D7 refused the request (HTTP 400 Bad Request): Frequent resend request, resend request need minimum 60 seconds delay. A resend is allowed again in 45 s.',
      );
      assert.equal(early.error?.messageId, 'refused');
      now = T0 + 70_000; // our clock says the delay has passed, D7's does not: its words alone
      assert.match((await calls.resend(id)).error?.message ?? '', /seconds delay$/);
    });

    it('a "minimum N seconds" refusal of an id without history keeps D7\'s words alone', async () => {
      const { calls } = setup(ctx.client());
      const other = setup(ctx.client());
      const id = otpId((await other.calls.send(PARAMS)).otpId);
      assert.match((await calls.resend(id)).error?.message ?? '', /minimum 60 seconds delay$/);
    });
  });

  describe('internal errors', () => {
    for (const operation of ['status', 'send', 'resend', 'verify'] as const) {
      it(`11.20: ${operation}: a client that throws gives a bad-response record with otpId '' (never the raw input), never a rejection; onInternalError is told`, async () => {
        const bug = new TypeError('bug in the client');
        const { calls, store, recorded, internalErrors } = setup(throwing(bug));
        const run = {
          status: () => calls.status(SCENARIOS.open),
          send: () => calls.send(PARAMS),
          resend: () => calls.resend(SCENARIOS.open),
          verify: () => calls.verify(SCENARIOS.open, '1234'),
        }[operation];
        const result = await run();
        assert.deepEqual(
          [result.ok, result.otpId, result.error?.kind, result.error?.messageId, result.error?.message],
          [false, '', 'bad-response', 'internalError', 'Unexpected internal error; see the log.'],
        );
        assert.equal(result.operation, operation === 'status' ? undefined : operation);
        assert.deepEqual(internalErrors, [[operation, bug]]);
        assert.deepEqual([store.entries.length, recorded[0].notFiled], [0, 'no-otp-id']);
      });
    }

    it('a client that throws synchronously is caught too', async () => {
      const { calls, internalErrors } = setup(
        throwing(() => {
          throw new Error('sync');
        }),
      );
      assert.equal((await calls.status(SCENARIOS.open)).error?.messageId, 'internalError');
      assert.equal(internalErrors.length, 1);
    });
  });

  describe('cancelled calls', () => {
    const realFetch = nodeFetch as unknown as FetchLike;
    /** Aborts once the request has reached the mock: the answer is being waited for. */
    const abortWhenReceived =
      (c: AbortController): FetchLike =>
      (url, init) => {
        void waitFor(() => ctx.mock.requests.length === 1, 'the request to reach the mock').then(() => c.abort());
        return realFetch(url, init);
      };
    /** Aborts once the answer's headers arrived: its body is being read. */
    const abortAfterHeaders =
      (c: AbortController): FetchLike =>
      async (url, init) => {
        const response = await realFetch(url, init);
        c.abort();
        return response;
      };
    type Arranged = { onWait?: () => void; fetch?: FetchLike };
    const phases: [string, keyof typeof SCENARIOS, (c: AbortController) => Arranged, number][] = [
      ['before it starts', 'open', (c) => (c.abort(), {}), 0],
      ['while waiting for an answer (slow)', 'slow', (c) => ({ fetch: abortWhenReceived(c) }), 1],
      ['while the body trickles in', 'trickle', (c) => ({ fetch: abortAfterHeaders(c) }), 1],
      ['while waiting to retry (429)', 'rateLimited', (c) => ({ onWait: () => setImmediate(() => c.abort()) }), 1],
    ];
    for (const [when, scenario, arrange, requests] of phases) {
      it(`cancelled ${when}: ends at once as "cancelled", nothing written, no timer left`, async () => {
        const baseline = await timerBaseline();
        const fs = testFs();
        const controller = new AbortController();
        const { fetch, onWait } = arrange(controller);
        const { calls, recorded } = setup(ctx.client({ sleep: undefined, ...(fetch ? { fetch } : {}) }), { fs });
        const started = Date.now();
        const result = await calls.status(SCENARIOS[scenario], { signal: controller.signal, onWait });
        assert.equal(result.error?.kind, 'cancelled', result.error?.message);
        assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
        assert.equal(result.httpStatus, undefined, 'no half answer recorded');
        assert.equal(recorded[0].notFiled, 'cancelled');
        await recorded[0].stored;
        assert.deepEqual([fs.writes, ctx.mock.requests.length], [0, requests]);
        assert.equal(await timersSettle(baseline), baseline, 'no timer left');
      });
    }
  });

  describe('nothing lost: concurrent calls', () => {
    let tick = 0;
    /** A client whose clock gives every call its own start time, so each record is told apart by `checkedAt`. */
    const client = () => ctx.client({ now: () => (tick += 1000) + T0, maxRetries: () => 0 });

    for (const [what, disk] of [
      ['a disk that writes at once', () => testFs()],
      ['a disk that writes after a random delay', () => testFs(5)],
    ] as const) {
      it(`50 ids at once, ${what}: all 50 land, newest first, in the order they were recorded`, async () => {
        const ids = await sendOtps(ctx, 50);
        const dir = tempDir();
        const { calls, store, recorded } = setup(client(), { dir, fs: disk() });
        await Promise.all(ids.map((id) => calls.status(id)));
        assert.deepEqual(
          store.entries.map((e) => e.otpId),
          recorded.map((r) => r.check.otpId).reverse(),
        );
        assert.ok(store.entries.every((e) => e.checks.length === 1 && e.checks[0].status === 'OPEN'));
        await store.flush();
        const reread = setup(client(), { dir }).store;
        await reread.ready;
        assert.deepEqual(reread.entries, store.entries, 'what is stored is what the store shows');
      });

      it(`20 at once for one id, ${what}: all 20 checks land, newest first, none overwritten`, async () => {
        const [id] = await sendOtps(ctx, 1);
        const dir = tempDir();
        const { calls, store, recorded } = setup(client(), { dir, fs: disk() });
        await Promise.all(Array.from({ length: 20 }, () => calls.status(id)));
        assert.equal(new Set(recorded.map((r) => r.check.checkedAt)).size, 20, 'each record is distinct');
        assert.deepEqual(
          store.entries[0].checks.map((c) => c.checkedAt),
          recorded.map((r) => r.check.checkedAt).reverse(),
        );
        await store.flush();
        const reread = setup(client(), { dir }).store;
        await reread.ready;
        assert.deepEqual(reread.entries, store.entries);
      });
    }

    it('mixed: 30 ids, 3 calls each, hostile scenarios among them, all at once: every record lands once', async () => {
      const hostile = ['html200', 'statusMissing', 'markup', 'controlChars', 'truncated', 'reset', 'status500', 'redirectOtherHost', 'longStatus'] as const;
      const ids = [...(await sendOtps(ctx, 20)), ...hostile.map((s) => SCENARIOS[s]), UNKNOWN];
      const { calls, store, recorded } = setup(client(), { fs: testFs(5) });
      await Promise.all(ids.flatMap((id) => [1, 2, 3].map(() => calls.status(id))));
      assert.deepEqual([recorded.length, store.entries.length], [90, 30]);
      for (const entry of store.entries) {
        const expected = recorded
          .filter((r) => r.check.otpId.toLowerCase() === entry.otpId.toLowerCase())
          .map((r) => r.check.checkedAt)
          .reverse();
        assert.deepEqual(
          entry.checks.map((c) => c.checkedAt),
          expected,
          entry.otpId,
        );
      }
    });

    it('two windows over one history folder, calls in both at once: neither erases the other, both end up seeing all', async () => {
      const ids = await sendOtps(ctx, 20);
      const dir = tempDir();
      const [a, b] = [setup(client(), { dir, fs: testFs(5) }), setup(client(), { dir, fs: testFs(5) })];
      await Promise.all([a.store.ready, b.store.ready]);
      assert.equal(a.store.entries.length + b.store.entries.length, 0, 'both read the empty history first');
      await Promise.all(ids.map((id, i) => (i % 2 ? b : a).calls.status(id)));
      const third = setup(client(), { dir }).store;
      await Promise.all([a.store.reload(), b.store.reload(), third.ready]);
      for (const view of [a.store, b.store, third]) assert.deepEqual(new Set(view.entries.map((e) => e.otpId)), new Set(ids));
    });
  });

  describe('otp_id properties (fast-check): what reaches the request', () => {
    /** Calls through a fetch that records each URL and answers OPEN without a socket (fast enough for thousands of runs). */
    function recording(): { calls: OtpCalls; urls: string[]; inits: FetchInit[] } {
      const urls: string[] = [];
      const inits: FetchInit[] = [];
      const fetch: FetchLike = async (url, init) => {
        urls.push(url);
        inits.push(init);
        return { status: 200, statusText: 'OK', headers: { get: () => null }, body: '{"status":"OPEN"}' };
      };
      const recorder = new Recorder({ recent: () => undefined, add: async () => undefined });
      const calls = new OtpCalls({
        client: ctx.client({ fetch }),
        recorder,
        history: { find: () => undefined },
        profiles: { active: () => 'default', exists: () => true },
        word: english,
        onInternalError: () => undefined,
      });
      return { calls, urls, inits };
    }

    /** No request, or exactly one GET to /verify/v1/report/<one segment that decodes to a UUID>, the recorded otp_id. */
    function pathStaysOneSegment(urls: string[], result: StatusCheck): boolean {
      if (urls.length === 0) return result.error?.kind === 'config' && result.otpId === '';
      const url = new URL(urls[0]);
      const match = REPORT_PATH.exec(url.pathname);
      return (
        urls.length === 1 &&
        url.origin === new URL(ctx.mock.url).origin &&
        url.search === '' &&
        url.hash === '' &&
        !!match &&
        UUID_RE.test(decodeURIComponent(match[1])) &&
        urls[0] === `${ctx.mock.url}/verify/v1/report/${match[1]}` &&
        UUID_RE.test(result.otpId) &&
        match[1] === result.otpId
      );
    }

    const hostileAlphabet = fc.constantFrom(
      '/',
      '\\',
      '.',
      '..',
      '%',
      '%2e',
      '%2f',
      '%2F',
      '?',
      '#',
      '&',
      '=',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '"',
      "'",
      '`',
      '“',
      '”',
      '\u200b',
      '\u202e',
      '\u2028',
      '\ufeff',
      '\u00a0',
      '－',
      '\u2010',
      'а',
      'е',
      '０',
      '<',
      '>',
      '[',
      ']',
      '(',
      ')',
      ':',
      '@',
      '+',
      '~',
    );
    const hostileString = fc.array(fc.oneof(hostileAlphabet, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
    const anyUuid = fc
      .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
      .map(([u, upper]) => u.replace(/./g, (c, i: number) => (upper[i] ? c.toUpperCase() : c)));
    const arbitraries: [string, fc.Arbitrary<string>, number][] = [
      ['binary strings (any UTF-16, lone surrogates too)', fc.string({ unit: 'binary', maxLength: 120 }), RUNS.binary],
      ['grapheme strings (full Unicode)', fc.string({ unit: 'grapheme', maxLength: 60 }), RUNS.grapheme],
      ['hostile fragments', hostileString, RUNS.hostileFragments],
      ['a UUID with hostile text before and after', fc.tuple(hostileString, anyUuid, hostileString).map(([a, u, b]) => a + u + b), RUNS.hostileAround],
      [
        'a UUID with one character replaced by a hostile one',
        fc.tuple(anyUuid, fc.nat(35), hostileAlphabet).map(([u, i, ch]) => u.slice(0, i) + ch + u.slice(i + 1)),
        RUNS.replaced,
      ],
      [
        'a UUID with a hostile character inserted',
        fc.tuple(anyUuid, fc.nat(36), hostileAlphabet).map(([u, i, ch]) => u.slice(0, i) + ch + u.slice(i)),
        RUNS.inserted,
      ],
      [
        'a UUID wrapped in whitespace and quotes',
        fc.tuple(fc.constantFrom('', ' ', '\n', '\t', '"', "'", '`', '“'), anyUuid).map(([q, u]) => `${q}${u}${q === '“' ? '”' : q}`),
        RUNS.wrapped,
      ],
      [
        'partly percent-encoded UUIDs',
        fc
          .tuple(anyUuid, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
          .map(([u, e]) => u.replace(/./g, (c, i: number) => (e[i] ? `%${c.charCodeAt(0).toString(16)}` : c))),
        RUNS.percentEncoded,
      ],
    ];

    for (const [what, arbitrary, numRuns] of arbitraries) {
      it(`${what}: ${numRuns} runs, the request path always stays /verify/v1/report/<one segment>`, async () => {
        const rec = recording();
        await fc.assert(
          fc.asyncProperty(arbitrary, async (input) => {
            rec.urls.length = 0;
            return pathStaysOneSegment(rec.urls, await rec.calls.status(input));
          }),
          { numRuns },
        );
      });
    }

    it(`wrapped UUIDs are always accepted (${RUNS.wrappedAccepted} runs): whitespace and matching quotes never cost a lookup`, async () => {
      const rec = recording();
      const wrapped = fc.tuple(
        fc.uuid(),
        fc.array(fc.constantFrom(' ', '\n', '\t', '\r'), { maxLength: 3 }),
        fc.constantFrom(['', ''], ['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’']),
      );
      await fc.assert(
        fc.asyncProperty(wrapped, async ([u, ws, [open, close]]) => {
          rec.urls.length = 0;
          const pad = ws.join('');
          const result = await rec.calls.status(`${pad}${open}${pad}${u}${pad}${close}${pad}`);
          return result.ok && result.otpId === u && rec.urls.length === 1 && rec.urls[0].endsWith(`/verify/v1/report/${u}`);
        }),
        { numRuns: RUNS.wrappedAccepted },
      );
    });

    it(`resend and verify (${RUNS.resendVerify} runs each): the body carries a UUID and the path never changes`, async () => {
      const rec = recording();
      const input = fc.oneof(
        hostileString,
        fc.tuple(hostileString, fc.uuid(), hostileString).map(([a, u, b]) => a + u + b),
        fc.uuid(),
      );
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          rec.urls.length = 0;
          rec.inits.length = 0;
          const resend = await rec.calls.resend(value);
          const verify = await rec.calls.verify(value, '1234');
          if (rec.urls.length === 0) return resend.error?.kind === 'config' && verify.error?.kind === 'config';
          const ids = rec.inits.map((i) => (JSON.parse(i.body ?? '{}') as { otp_id?: string }).otp_id ?? '');
          return (
            rec.urls.map((u) => new URL(u).pathname).join() === '/verify/v1/otp/resend-otp,/verify/v1/otp/verify-otp' &&
            rec.urls.every((u) => u.startsWith(`${ctx.mock.url}/verify/v1/otp/`) && !/[?#]/.test(u)) &&
            ids.every((id) => UUID_RE.test(id))
          );
        }),
        { numRuns: RUNS.resendVerify },
      );
    });

    it(`against the real mock over a socket (${RUNS.overSocket} runs): the mock records only /verify/v1/report/<UUID>`, async () => {
      const { calls } = setup(ctx.client());
      const input = fc.oneof(
        hostileString,
        fc.tuple(hostileString, fc.uuid(), hostileString).map(([a, u, b]) => a + u + b),
        fc.uuid(),
      );
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          ctx.mock.reset();
          const result = await calls.status(value);
          if (ctx.mock.requests.length === 0) return result.error?.kind === 'config';
          const match = ctx.mock.requests.length === 1 ? REPORT_PATH.exec(ctx.mock.requests[0].path) : null;
          return !!match && UUID_RE.test(match[1]) && ctx.mock.requests[0].method === 'GET';
        }),
        { numRuns: RUNS.overSocket },
      );
    });
  });
});
