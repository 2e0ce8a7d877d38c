/**
 * Shared fixtures of the unit suite: otp_ids and check records, a fixed `RowContext`, in-memory stand-ins for VS
 * Code storage, timer probes and virtual time, condition waits, and the D7 client against the mock (and the edge
 * servers) for a describe block.
 */
import * as assert from 'node:assert/strict';
import fetch from 'node-fetch';
import type { CheckError, FiledCheck, HistoryEntry } from '../../src/core/check';
import { D7VerifyClient, type ClientOptions } from '../../src/core/client/client';
import type { FetchLike, RequestLogEntry } from '../../src/core/client/request';
import type { MementoLike } from '../../src/core/history/store';
import { english } from '../../src/core/messages';
import { readOtpId, type OtpId } from '../../src/core/otpId';
import type { Timers } from '../../src/core/watch';
import type { RowContext } from '../../src/features/history/rows';
import { startEdgeServer, type EdgeServer } from '../mock/edgeServer';
import { MOCK_TOKEN, startMockServer, type MockOptions, type MockServer } from '../mock/server';

// ---- text assertions ------------------------------------------------------------------------------------

/**
 * C0/C1 controls, line and paragraph separators, bidi controls: nothing a one-line text may contain. Written here,
 * not imported from src/core/text.ts, so that a character the source forgets is caught.
 */
export const UNSAFE_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** The link syntax VS Code's notification renderer turns into a clickable link (copied from the workbench). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;

/** `text` is one printable line of at most `max` characters, that no renderer makes a link (or, `icons`, an icon) of. */
export function assertInertLine(text: string, where: string, max = 600, icons = true): void {
  assert.ok(text.length <= max, `${where}: at most ${max} characters (${text.length})`);
  assert.doesNotMatch(text, UNSAFE_CHARS, `${where}: one printable line`);
  assert.doesNotMatch(text, NOTIFICATION_LINK, `${where}: no link a notification would render`);
  assert.ok(!text.includes(']('), `${where}: no "](" left`);
  if (icons) assert.ok(!text.includes('$('), `${where}: no "$(" left`);
}

// ---- ids and records ----------------------------------------------------------------------------------------

/** A UUID as the parser makes it; fails the test when `value` is not one. */
export function otpId(value: string): OtpId {
  const id = readOtpId(value);
  assert.ok(id, `${JSON.stringify(value)} is a UUID`);
  return id;
}

/** The n-th test otp_id: `<prefix>-0000-4000-8000-<n in hex>`. */
export function uuid(n: number, prefix = '00000000'): OtpId {
  return otpId(`${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`);
}

/** A fixed instant all fixtures count from: 2026-11-25 10:00:00 UTC. */
export const T0 = Date.parse('2026-11-25T10:00:00.000Z');

/** ISO time `seconds` after T0. */
export function at(seconds: number): string {
  return new Date(T0 + seconds * 1000).toISOString();
}

/** What a fixture may set: any field of a record; `error` makes it a failed one, else it is ok with `status`. */
export type CheckSpec = Partial<Omit<FiledCheck, 'ok' | 'otpId' | 'status' | 'error'>> & { status?: string; error?: CheckError };

/**
 * A filed record for fixtures. Ok by default (status OPEN, HTTP 200, body `{ status }`); with `error`, a failed one
 * (no HTTP status unless given). Checked at T0 unless `checkedAt` says otherwise; 12 ms.
 */
export function check(id: OtpId, spec: CheckSpec = {}): FiledCheck {
  const { status, error, ...fields } = spec;
  if (error) return { otpId: id, checkedAt: at(0), durationMs: 12, ...fields, ok: false, error };
  const s = status ?? 'OPEN';
  return { otpId: id, checkedAt: at(0), httpStatus: 200, durationMs: 12, body: { status: s }, ...fields, ok: true, status: s };
}

/** An entry of these checks (newest first), filed under the first one's otp_id. */
export function entryOf(checks: FiledCheck[], extra: Pick<HistoryEntry, 'label' | 'resendOf'> = {}): HistoryEntry {
  assert.ok(checks.length > 0, 'an entry has checks');
  return { otpId: checks[0].otpId, ...extra, checks };
}

// ---- the history view's context ----------------------------------------------------------------------------

/** "Now" of the view-model tests: 5 minutes after T0. */
export const ROW_NOW = T0 + 5 * 60_000;

/** English words, a fixed clock, and times as ISO slices ("10:01:03", "2026-11-25 10:01:03") whatever the zone. */
export function rowContext(now = ROW_NOW): RowContext {
  return {
    word: english,
    now: () => now,
    time: (iso) => iso.slice(11, 19),
    dateTime: (iso) => `${iso.slice(0, 10)} ${iso.slice(11, 19)}`,
  };
}

// ---- storage ----------------------------------------------------------------------------------------------

/**
 * A Memento over a Map. `get` honours stored falsy values (false, 0, ''), unlike a `||` fallback would.
 * With `clone`, values are serialised like VS Code's storage does (so identity never survives a round trip).
 */
export class FakeMemento implements MementoLike {
  readonly values = new Map<string, unknown>();
  writes = 0;
  constructor(private readonly clone = false) {}

  get<T>(key: string, defaultValue?: T): T | undefined {
    if (!this.values.has(key)) return defaultValue;
    const value = this.values.get(key);
    return (this.clone ? JSON.parse(JSON.stringify(value)) : value) as T;
  }

  async update(key: string, value: unknown): Promise<void> {
    // Like VS Code's ExtHostMemento: the new value is visible at once, persisting finishes later.
    this.writes++;
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, this.clone ? JSON.parse(JSON.stringify(value)) : value);
    await Promise.resolve();
  }
}

// ---- timers -----------------------------------------------------------------------------------------------

/** Timers Node holds right now (`Timeout` handles). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

/** Active timers once the test has started (mocha arms its own timeout timer just after the test function begins). */
export async function timerBaseline(): Promise<number> {
  await new Promise((r) => setImmediate(r));
  return activeTimers();
}

/** Waits (a bounded while) until no more timers are active than `baseline`; returns the count then. */
export async function timersSettle(baseline: number): Promise<number> {
  for (let i = 0; i < 100 && activeTimers() > baseline; i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 50 && activeTimers() > baseline; i++) await new Promise((r) => setTimeout(r, 10));
  return activeTimers();
}

/**
 * Watches the event loop turn over while code runs: `note()` marks a moment (an operation applied), `longestRun()`
 * is the most marks made within one turn — how long the code held the host up, in operations; `turns` how many
 * turns have passed since the probe started. `stop()` when done.
 */
export function turnProbe(): { note(): void; readonly notes: number; readonly turns: number; longestRun(): number; stop(): void } {
  let turn = 0;
  let ticking = true;
  const tick = () => {
    turn++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const marks: number[] = [];
  return {
    note: () => void marks.push(turn),
    get notes() {
      return marks.length;
    },
    get turns() {
      return turn;
    },
    longestRun: () => {
      let longest = 0;
      for (let i = 0, run = 0; i < marks.length; i++) longest = Math.max(longest, (run = i > 0 && marks[i] === marks[i - 1] ? run + 1 : 1));
      return longest;
    },
    stop: () => void (ticking = false),
  };
}

/** Resolves once `condition` holds; fails the test after `timeoutMs`. Never a fixed sleep before an assertion. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Resolves once `read()` gave the same value three polls in a row (a stream that stopped); fails after `timeoutMs`. */
export async function waitForStable(read: () => unknown, what: string, timeoutMs = 2000): Promise<void> {
  let last: unknown = Symbol('none');
  let same = 0;
  await waitFor(
    () => {
      const value = read();
      same = value === last ? same + 1 : 0;
      last = value;
      return same >= 3;
    },
    what,
    timeoutMs,
  );
}

/** A virtual clock with timers, so polling can be tested without waiting. */
export class VirtualTime implements Timers {
  now = 0;
  private seq = 0;
  readonly pending = new Map<number, { at: number; fn: () => void; ms: number }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn, ms });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Advances time, firing due timers in order and letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const next = [...this.pending.entries()].sort((a, b) => a[1].at - b[1].at)[0];
      if (!next || next[1].at > end) break;
      this.now = next[1].at;
      this.pending.delete(next[0]);
      next[1].fn();
    }
    this.now = end;
    await new Promise((r) => setImmediate(r));
  }
}

// ---- the client against the mock --------------------------------------------------------------------------

/** What a test client records: the retry waits it was asked to sleep, and its request log. */
interface ClientProbe {
  readonly waits: number[];
  readonly logs: RequestLogEntry[];
}

/**
 * The D7 client as the unit tests use it: node-fetch v3 (as the extension), the mock's URL, MOCK_TOKEN, a 5 s limit,
 * and a sleep that records the wait and returns at once (pass `sleep: undefined` for the real, abortable one).
 */
function mockClient(baseUrl: string, probe: ClientProbe, overrides: Partial<ClientOptions> = {}): D7VerifyClient {
  return new D7VerifyClient({
    fetch: fetch as unknown as FetchLike,
    baseUrl: () => baseUrl,
    token: async () => MOCK_TOKEN,
    timeoutMs: () => 5000,
    userAgent: 'd7-otp-inspector/test',
    log: (entry) => probe.logs.push(entry),
    sleep: async (ms) => void probe.waits.push(ms),
    ...overrides,
  });
}

export interface MockFixture extends ClientProbe {
  readonly mock: MockServer;
  /** A client against the mock (see `mockClient`). */
  client(overrides?: Partial<ClientOptions>): D7VerifyClient;
}

/** The mock D7 server for one describe block: started before, closed after, reset (with the probe) before each test. */
export function useMock(options: MockOptions = {}): MockFixture {
  let mock: MockServer | undefined;
  const waits: number[] = [];
  const logs: RequestLogEntry[] = [];
  before(async () => {
    mock = await startMockServer(options);
  });
  after(() => mock?.close());
  beforeEach(() => {
    mock?.reset();
    waits.length = 0;
    logs.length = 0;
  });
  const fixture: MockFixture = {
    get mock() {
      assert.ok(mock, 'the mock is running');
      return mock;
    },
    waits,
    logs,
    client: (overrides = {}) => mockClient(fixture.mock.url, fixture, overrides),
  };
  return fixture;
}

/** Two edge servers (test/mock/edgeServer.ts) for one describe block: `edge`, and `other` for another origin. */
export function useEdgeServers(): { readonly edge: EdgeServer; readonly other: EdgeServer } {
  const servers: EdgeServer[] = [];
  before(async () => {
    servers.push(await startEdgeServer(), await startEdgeServer());
  });
  after(() => Promise.all(servers.map((s) => s.close())));
  beforeEach(() => servers.forEach((s) => s.reset()));
  return {
    get edge() {
      return servers[0];
    },
    get other() {
      return servers[1];
    },
  };
}
