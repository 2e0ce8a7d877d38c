/**
 * Reliability matrix, history side ("nothing lost"): concurrent lookups through the real client and the history
 * store, two windows over one Memento, corrupt / truncated / oversized / future-version stored history, and
 * cancelled lookups that must leave no timer behind. Plain Node against the real mock.
 * Prints `[reliability-count] <class>=<n>` lines.
 */
import * as assert from 'node:assert/strict';
import fetch from 'node-fetch';
import { D7VerifyClient, type ClientOptions, type FetchLike } from '../../src/core/client';
import { HISTORY_SCHEMA_VERSION, MAX_STORED_BODY } from '../../src/core/history';
import type { HistoryEntry, StatusCheck } from '../../src/core/types';
import { HistoryStore, type MementoLike } from '../../src/stores/historyStore';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockServer } from '../mock/server';
import { FakeMemento, timerBaseline, timersSettle } from './fakes';

const KEY = 'd7otp.history';
const BACKUP = 'd7otp.history.backup';

const counts = new Map<string, number>();
function tally(cls: string, n = 1): void {
  counts.set(cls, (counts.get(cls) ?? 0) + n);
}

function uuid(n: number): string {
  return `0000abcd-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function okCheck(otpId: string, status = 'OPEN', at = Date.now()): StatusCheck {
  return { otpId, checkedAt: new Date(at).toISOString(), ok: true, status, httpStatus: 200, durationMs: 1, body: { status } };
}

/** Like VS Code's Memento: the new value is visible at once, persisting takes a while (here: a random few ms). */
class SlowMemento extends FakeMemento {
  override async update(key: string, value: unknown): Promise<void> {
    await super.update(key, value);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5)));
  }
}

describe('reliability matrix: nothing lost', function () {
  let mock: MockServer;
  let tick: number;

  before(async () => {
    mock = await startMockServer({ slowMs: 3000 });
  });
  after(async () => {
    await mock.close();
    for (const [cls, n] of counts) console.log(`      [reliability-count] ${cls}=${n}`);
  });
  beforeEach(() => {
    mock.reset();
    tick = Date.parse('2025-01-01T00:00:00Z');
  });

  /** A client whose clock gives every call its own start time, so each record is told apart by `checkedAt`. */
  function client(overrides: Partial<ClientOptions> = {}): D7VerifyClient {
    return new D7VerifyClient({
      fetch: fetch as unknown as FetchLike,
      baseUrl: () => mock.url,
      token: async () => MOCK_TOKEN,
      timeoutMs: () => 5000,
      sleep: async () => undefined,
      now: () => (tick += 1000),
      ...overrides,
    });
  }

  function store(memento: MementoLike, warnings: string[] = [], limits = { maxEntries: 200, maxChecksPerEntry: 20 }): HistoryStore {
    return new HistoryStore({ memento, key: KEY, backupKey: BACKUP, limits: () => limits, warn: (m) => warnings.push(m) });
  }

  /** Looks up `otpId` and records the result as soon as it arrives; `order` gets each record in the order it was handed to the store. */
  async function lookAndRecord(c: D7VerifyClient, s: HistoryStore, otpId: string, order: StatusCheck[]): Promise<void> {
    const check = await c.getStatus(otpId);
    order.push(check);
    await s.add(check);
  }

  async function sendOtps(n: number): Promise<string[]> {
    const c = client();
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const sent = await c.sendOtp({ originator: 'Test', recipient: '+971501234567', content: 'Code {}', expiry: 600 });
      assert.equal(sent.ok, true, sent.error?.message);
      ids.push(sent.otpId);
    }
    return ids;
  }

  describe('concurrent lookups', () => {
    for (const [what, makeMemento] of [
      ['a Memento that persists at once', () => new FakeMemento(true)],
      ['a Memento that persists after a random delay', () => new SlowMemento(true)],
    ] as const) {
      it(`50 ids at once, ${what}: all 50 land, newest first, in the order they arrived`, async () => {
        tally('history.concurrency');
        const ids = await sendOtps(50);
        const memento = makeMemento();
        const s = store(memento);
        const order: StatusCheck[] = [];
        const c = client();
        await Promise.all(ids.map((id) => lookAndRecord(c, s, id, order)));
        assert.equal(s.entries.length, 50);
        assert.deepEqual(s.entries.map((e) => e.otpId), order.map((c) => c.otpId).reverse());
        assert.ok(s.entries.every((e) => e.checks.length === 1 && e.checks[0].status === 'OPEN'));
        assert.deepEqual(store(memento).entries, s.entries, 'what is stored is what the store shows');
      });

      it(`20 at once for one id, ${what}: all 20 checks land, newest first, none overwritten`, async () => {
        tally('history.concurrency');
        const [id] = await sendOtps(1);
        const memento = makeMemento();
        const s = store(memento);
        const order: StatusCheck[] = [];
        const c = client();
        await Promise.all(Array.from({ length: 20 }, () => lookAndRecord(c, s, id, order)));
        assert.equal(s.entries.length, 1);
        assert.equal(new Set(order.map((c) => c.checkedAt)).size, 20, 'each record is distinct');
        assert.deepEqual(s.entries[0].checks.map((c) => c.checkedAt), order.map((c) => c.checkedAt).reverse());
        assert.deepEqual(store(memento).entries, s.entries);
      });
    }

    it('mixed: 30 ids, 3 lookups each, hostile scenarios among them, all at once: every record lands once', async () => {
      tally('history.concurrency');
      const ids = [...(await sendOtps(20)), SCENARIOS.html200, SCENARIOS.statusMissing, SCENARIOS.markup, SCENARIOS.controlChars, SCENARIOS.truncated, SCENARIOS.reset, SCENARIOS.status500, '99999999-9999-4999-8999-999999999999', SCENARIOS.redirectOtherHost, SCENARIOS.longStatus];
      const memento = new SlowMemento(true);
      const s = store(memento);
      const order: StatusCheck[] = [];
      const c = client({ maxRetries: () => 0 });
      await Promise.all(ids.flatMap((id) => [1, 2, 3].map(() => lookAndRecord(c, s, id, order))));
      assert.equal(order.length, 90);
      assert.equal(s.entries.length, 30);
      for (const entry of s.entries) {
        const expected = order.filter((c) => c.otpId.toLowerCase() === entry.otpId.toLowerCase()).map((c) => c.checkedAt).reverse();
        assert.deepEqual(entry.checks.map((c) => c.checkedAt), expected, entry.otpId);
      }
    });
  });

  describe('two windows over one Memento', () => {
    it('concurrent lookups in two windows: neither erases the other, both end up seeing all', async () => {
      tally('history.windows');
      const ids = await sendOtps(20);
      const memento = new SlowMemento(true);
      const windowA = store(memento);
      const windowB = store(memento);
      assert.equal(windowA.entries.length + windowB.entries.length, 0, 'both read the empty history first');
      const order: StatusCheck[] = [];
      const c = client();
      await Promise.all(ids.map((id, i) => lookAndRecord(c, i % 2 ? windowB : windowA, id, order)));
      await Promise.all([windowA.flush(), windowB.flush()]);
      for (const view of [windowA, windowB, store(memento)]) assert.deepEqual(new Set(view.entries.map((e) => e.otpId)), new Set(ids));
    });

    it('a removal in one window is not undone by the next write of the other', async () => {
      tally('history.windows');
      const memento = new FakeMemento(true);
      const windowA = store(memento);
      const windowB = store(memento);
      await windowA.add(okCheck(uuid(1)));
      await windowA.add(okCheck(uuid(2)));
      assert.equal(windowB.entries.length, 2);
      await windowB.remove(uuid(1));
      await windowA.add(okCheck(uuid(3)));
      assert.deepEqual(store(memento).entries.map((e) => e.otpId), [uuid(3), uuid(2)]);
    });

    it('a newer check of the same id from the other window is kept when this window adds one', async () => {
      tally('history.windows');
      const memento = new FakeMemento(true);
      const windowA = store(memento);
      const windowB = store(memento);
      await windowA.add(okCheck(uuid(1), 'OPEN', 1000));
      assert.equal(windowB.entries.length, 1);
      await windowB.add(okCheck(uuid(1), 'APPROVED', 2000));
      await windowA.add(okCheck(uuid(1), 'APPROVED', 3000));
      assert.deepEqual(store(memento).entries[0].checks.map((c) => c.status), ['APPROVED', 'APPROVED', 'OPEN']);
    });

    it('a clear in one window while the other writes: the other write lands after the clear, nothing resurrected', async () => {
      tally('history.windows');
      const memento = new SlowMemento(true);
      const windowA = store(memento);
      const windowB = store(memento);
      for (let i = 0; i < 5; i++) await windowA.add(okCheck(uuid(i)));
      await Promise.all([windowB.clear(), windowA.add(okCheck(uuid(99)))]);
      const ids = store(memento).entries.map((e) => e.otpId);
      assert.ok(ids.every((id) => id === uuid(99)), `left: ${ids.join(', ')}`);
    });
  });

  describe('stored history that cannot be read as it is', () => {
    const good = (n: number): HistoryEntry => ({ otpId: uuid(n), checks: [okCheck(uuid(n))] });
    const cases: [string, unknown, number, RegExp][] = [
      ['truncated JSON text (a string)', '{"version":1,"entries":[{"otpId":"0000abcd-0000-4000-8000-00', 0, /not readable/],
      ['a number', 42, 0, /not readable/],
      ['a boolean', true, 0, /not readable/],
      ['an object without a version', { entries: [good(1)] }, 0, /not readable/],
      ['entries that are not a list', { version: 1, entries: 'x' }, 0, /no list of entries/],
      ['no entries at all', { version: 1 }, 0, /no list of entries/],
      ['a future version', { version: HISTORY_SCHEMA_VERSION + 1, entries: [good(1)], extra: 'new field' }, 0, /newer version/],
      ['an unknown version', { version: 'one', entries: [good(1)] }, 0, /unknown schema/],
      ['a version 0', { version: 0, entries: [good(1)] }, 0, /unknown schema/],
      ['some garbage entries among good ones', { version: 1, entries: [good(1), 'garbage', null, 7, good(2), { otpId: 5 }] }, 2, /4 stored history entries/],
      ['an entry cut off mid-write (a check without fields)', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [{ otpId: uuid(2), checkedAt: '2025-01-01T00:00:00Z' }] }] }, 1, /1 stored history entry/],
      ['an entry without checks', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [] }] }, 1, /1 stored history entry/],
      ['a check with an invalid date', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [{ ...okCheck(uuid(2)), checkedAt: 'yesterday' }] }] }, 1, /1 stored history entry/],
      ['a check with a non-string status', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [{ ...okCheck(uuid(2)), status: { x: 1 } }] }] }, 1, /1 stored history entry/],
      ['a failed check without an error', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [{ ...okCheck(uuid(2)), ok: false }] }] }, 1, /1 stored history entry/],
      ['a durationMs that is not finite', { version: 1, entries: [good(1), { otpId: uuid(2), checks: [{ ...okCheck(uuid(2)), durationMs: null }] }] }, 1, /1 stored history entry/],
    ];

    for (const [what, raw, readable, problem] of cases) {
      it(`${what}: the readable part kept, the rest under the backup key, one warning, writes go on`, async () => {
        tally('history.stored');
        const memento = new FakeMemento(true);
        memento.values.set(KEY, raw);
        const warnings: string[] = [];
        const s = store(memento, warnings);
        assert.doesNotThrow(() => s.entries, 'reading never throws');
        assert.equal(s.entries.length, readable);
        await s.add(okCheck(uuid(50)));
        await s.flush();
        assert.equal(s.entries.length, readable + 1);
        assert.equal(warnings.length, 1, 'warned once');
        assert.match(warnings[0], problem);
        assert.match(warnings[0], /d7otp\.history\.backup/, 'the warning names the backup key');
        const backups = memento.values.get(BACKUP) as { problem: string; data: unknown }[];
        assert.equal(backups.length, 1);
        const setAside = backups[0].data;
        if (readable === 0) assert.deepEqual(setAside, raw, 'everything set aside, unchanged');
        else assert.ok(Array.isArray(setAside) && setAside.length > 0, 'the unreadable entries set aside');
        assert.equal(store(memento, warnings).entries.length, readable + 1, 'a new window reads the cleaned history without a new warning');
        assert.equal(warnings.length, 1);
      });
    }

    it('the pre-versioned layout (a bare list of entries) is upgraded without a warning', async () => {
      tally('history.stored');
      const memento = new FakeMemento(true);
      memento.values.set(KEY, [good(1), good(2)]);
      const warnings: string[] = [];
      const s = store(memento, warnings);
      assert.equal(s.entries.length, 2);
      await s.add(okCheck(uuid(3)));
      assert.equal((memento.values.get(KEY) as { version: number }).version, HISTORY_SCHEMA_VERSION);
      assert.deepEqual(warnings, []);
    });

    it('corrupt twice in one session (another window wrote garbage again): both set aside, neither reported twice', async () => {
      tally('history.stored');
      const memento = new FakeMemento(true);
      memento.values.set(KEY, 'garbage one');
      const warnings: string[] = [];
      const s = store(memento, warnings);
      assert.equal(s.entries.length, 0);
      await s.add(okCheck(uuid(1)));
      memento.values.set(KEY, { version: 1, entries: [good(2), 'garbage two'] });
      assert.deepEqual(s.entries.map((e) => e.otpId), [uuid(2)]);
      await s.flush();
      const backups = memento.values.get(BACKUP) as { data: unknown }[];
      assert.deepEqual(backups.map((b) => b.data), ['garbage one', ['garbage two']]);
      assert.ok(warnings.length >= 1 && warnings.length <= 2, `${warnings.length} warnings for two set-asides`);
      const reported = warnings.length;
      for (let i = 0; i < 5; i++) void s.entries;
      await s.add(okCheck(uuid(3)));
      assert.equal(warnings.length, reported, 'reading again reports nothing more');
    });

    it('oversized: 5000 stored entries (25 times the cap) load at once; the newest 200 are kept by the next write', async () => {
      tally('history.stored');
      const memento = new FakeMemento();
      const entries = Array.from({ length: 5000 }, (_, i) => good(i));
      memento.values.set(KEY, { version: 1, entries });
      const warnings: string[] = [];
      const s = store(memento, warnings);
      const started = Date.now();
      assert.equal(s.entries.length, 5000, 'all readable entries are shown until a write applies the cap');
      assert.ok(Date.now() - started < 2000);
      await s.add(okCheck(uuid(9999)));
      assert.equal(s.entries.length, 200);
      assert.deepEqual(s.entries.slice(1).map((e) => e.otpId), entries.slice(0, 199).map((e) => e.otpId));
      assert.deepEqual(warnings, []);
    });

    it.skip('NEEDS src/core/history.ts + historyStore.ts: entries beyond the cap in stored history are set aside, not dropped by the next write', () => {
      // Today the next write keeps maxEntries and drops the rest without a backup (see docs/RELIABILITY.md).
    });

    it('oversized values: a 2 MB status and a 5 MB body in a stored check load; a new check is stored capped', async () => {
      tally('history.stored');
      const memento = new FakeMemento();
      const huge: StatusCheck = { ...okCheck(uuid(1)), status: 'X'.repeat(2_000_000), body: { status: 'OPEN', padding: 'y'.repeat(5_000_000) } };
      memento.values.set(KEY, { version: 1, entries: [{ otpId: uuid(1), checks: [huge] }] });
      const s = store(memento);
      assert.equal(s.entries[0].checks[0].status?.length, 2_000_000, 'loaded as stored');
      const result = await client().getStatus(SCENARIOS.longStatus);
      assert.equal(result.status?.length, 100_000, 'the record returned keeps the raw status');
      await s.add(result);
      const stored = s.find(SCENARIOS.longStatus)?.checks[0];
      assert.ok(stored?.status && stored.status.length < 1100 && stored.status.startsWith('X'.repeat(1024)), 'stored capped, marked as cut');
      assert.match(stored?.status ?? '', /more characters not kept/);
    });

    it('a body over the size cap (huge scenario) is stored as a cut string, never 1 MiB', async () => {
      tally('history.stored');
      const s = store(new FakeMemento(true));
      const result = await client().getStatus(SCENARIOS.huge);
      await s.add(result);
      const stored = s.find(SCENARIOS.huge)?.checks[0];
      assert.equal(stored?.bodyTruncated, true);
      assert.ok(JSON.stringify(stored).length < MAX_STORED_BODY + 1024, `stored ${JSON.stringify(stored).length} characters`);
    });

    it('markup, control characters and unicode: the stored status is the raw one (capped), not rewritten', async () => {
      for (const scenario of ['markup', 'controlChars', 'unicode'] as const) {
        tally('history.stored');
        const s = store(new FakeMemento(true));
        const result = await client().getStatus(SCENARIOS[scenario]);
        await s.add(result);
        assert.equal(s.find(SCENARIOS[scenario])?.checks[0].status, result.status, scenario);
      }
    });
  });

  describe('cancelled lookups', () => {
    const later = (ms: number) => (c: AbortController) => {
      setTimeout(() => c.abort(), ms);
      return {};
    };
    const phases: [string, keyof typeof SCENARIOS, (c: AbortController) => Partial<{ onWait: () => void }>, number][] = [
      [
        'before it starts',
        'open',
        (c) => {
          c.abort();
          return {};
        },
        0,
      ],
      ['while waiting for an answer (slow)', 'slow', later(100), 1],
      ['while the body trickles in', 'trickle', later(300), 1],
      ['while waiting to retry (429)', 'rateLimited', (c) => ({ onWait: () => setImmediate(() => c.abort()) }), 1],
    ];
    for (const [when, scenario, arrange, requests] of phases) {
      it(`cancelled ${when}: ends at once as "cancelled", nothing recorded, no timer left`, async () => {
        tally('history.cancel');
        const baseline = await timerBaseline();
        const memento = new FakeMemento(true);
        const s = store(memento);
        const controller = new AbortController();
        const extra = arrange(controller);
        const started = Date.now();
        const result = await client({ sleep: undefined }).getStatus(SCENARIOS[scenario], { signal: controller.signal, ...extra });
        assert.equal(result.error?.kind, 'cancelled', result.error?.message);
        assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
        assert.equal(result.httpStatus, undefined, 'no half answer recorded');
        // What the extension does with a cancelled result (src/lookups.ts record()): nothing is written.
        if (result.error?.kind !== 'cancelled') await s.add(result);
        await s.flush();
        assert.equal(memento.writes, 0);
        assert.equal(mock.requests.length, requests);
        assert.equal(await timersSettle(baseline), baseline, 'no timer left');
      });
    }

    it('a write that fails (disk full) leaves the stored history as it was, never half-written', async () => {
      tally('history.cancel');
      const memento = new FakeMemento(true);
      const s = store(memento);
      await s.add(okCheck(uuid(1)));
      const before = JSON.stringify(memento.values.get(KEY));
      const original = memento.update.bind(memento);
      memento.update = async () => {
        throw new Error('disk full');
      };
      await assert.rejects(s.add(okCheck(uuid(2))), /disk full/);
      assert.equal(JSON.stringify(memento.values.get(KEY)), before);
      assert.deepEqual(s.entries.map((e) => e.otpId), [uuid(1)], 'the store shows what is stored');
      memento.update = original;
      await s.add(okCheck(uuid(3)));
      assert.deepEqual(s.entries.map((e) => e.otpId), [uuid(3), uuid(1)]);
    });
  });
});
