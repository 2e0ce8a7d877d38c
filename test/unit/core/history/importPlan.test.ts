import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/core/check';
import { MAX_IMPORT_CHECKS, parseImport, toExportJson } from '../../../../src/core/history/exportFormat';
import { planImport } from '../../../../src/core/history/importPlan';
import { HistoryState } from '../../../../src/core/history/state';
import { HistoryView } from '../../../../src/core/history/view';
import { at, check, otpId, turnProbe, uuid } from '../../helpers';
import { testStore } from '../../historyFixtures';

const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');
const LIMITS = { maxEntries: 200, maxChecksPerEntry: 20 };
const NOW = Date.parse(at(100_000));

/** A state holding these entries as the user's own checks. */
function own(entries: HistoryEntry[]) {
  const state = new HistoryState();
  for (const e of entries) {
    for (const c of e.checks) state.apply({ o: 'add', at: Date.parse(c.checkedAt), c }, 'w');
    if (e.label) state.apply({ o: 'label', at: 1, k: e.otpId, label: e.label }, 'w');
  }
  return { state, view: new HistoryView(state) };
}

/** The plan, and the history after applying it. */
async function plan(current: HistoryEntry[], incoming: HistoryEntry[], limits = LIMITS) {
  const { state, view } = own(current);
  const p = await planImport(state, view, limits, incoming, NOW);
  for (const op of p.ops) state.apply(op, 'import');
  return { ...p, after: view.entries(limits) };
}

const stats = (p: Awaited<ReturnType<typeof plan>>) => ({
  addedEntries: p.addedEntries,
  addedChecks: p.addedChecks,
  duplicates: p.duplicates,
  droppedByLimits: p.droppedByLimits,
});

describe('core/history/importPlan', () => {
  it('adds new otp_ids and new checks, skips checks already there (otp_id + instant, in any ISO form)', async () => {
    const p = await plan(
      [{ otpId: A, checks: [check(A, { checkedAt: '2026-11-25T10:00:00.000Z' })] }],
      [
        { otpId: A, checks: [check(A, { checkedAt: '2026-11-25T12:00:00+02:00' }), check(A, { checkedAt: at(60), status: 'APPROVED' })] },
        { otpId: B, checks: [check(B, { checkedAt: at(30) })] },
      ],
    );
    assert.deepEqual(stats(p), { addedEntries: 1, addedChecks: 2, duplicates: 1, droppedByLimits: 0 });
    assert.deepEqual(
      p.after.map((e) => [e.otpId, e.checks.length]),
      [
        [A, 2],
        [B, 1],
      ],
    );
  });

  it('keeps an existing label and resendOf, fills missing ones; an otp_id twice in the file is merged', async () => {
    const p = await plan(
      [{ otpId: A, label: 'mine', checks: [check(A, { checkedAt: at(0) })] }],
      [
        { otpId: A, label: 'theirs', checks: [check(A, { checkedAt: at(1) })] },
        { otpId: B, label: 'theirs', resendOf: A, checks: [check(B, { checkedAt: at(2) })] },
        { otpId: B, checks: [check(B, { checkedAt: at(3) }), check(B, { checkedAt: at(2) })] },
      ],
    );
    assert.deepEqual(
      p.after.map((e) => [e.otpId, e.label, e.resendOf, e.checks.length]),
      [
        [B, 'theirs', A, 2],
        [A, 'mine', undefined, 2],
      ],
    );
    assert.equal(p.duplicates, 1);
  });

  it("11.4: imported entries dated later fill only the room the user's own leave; the rest, and imported ones pushed out, are set aside", async () => {
    const mine = Array.from({ length: 3 }, (_, i) => ({ otpId: uuid(i), checks: [check(uuid(i), { checkedAt: at(i) })] }));
    const first = await plan(mine, [{ otpId: uuid(10), checks: [check(uuid(10), { checkedAt: at(1000) })] }], { maxEntries: 4, maxChecksPerEntry: 20 });
    assert.deepEqual([first.after.length, first.droppedByLimits], [4, 0]);
    const { state, view } = own(mine);
    for (const op of first.ops) state.apply(op, 'import');
    const later: HistoryEntry[] = Array.from({ length: 3 }, (_, i) => ({ otpId: uuid(20 + i), checks: [check(uuid(20 + i), { checkedAt: at(2000 + i) })] }));
    const second = await planImport(state, view, { maxEntries: 4, maxChecksPerEntry: 20 }, later, NOW + 1);
    for (const op of second.ops) state.apply(op, 'import');
    const shown = view.entries({ maxEntries: 4, maxChecksPerEntry: 20 }).map((e) => e.otpId);
    assert.deepEqual(shown, [uuid(22), uuid(2), uuid(1), uuid(0)], 'own entries all kept, the newest imported one beside them');
    assert.deepEqual(
      second.dropped.map((e) => e.otpId).sort(),
      [uuid(10), uuid(20), uuid(21)].sort(),
      'set aside: the two that did not fit, and the earlier import they pushed out',
    );
  });

  it("within an entry the user's own checks come first too", async () => {
    const p = await plan(
      [{ otpId: A, checks: [check(A, { checkedAt: at(2) }), check(A, { checkedAt: at(1) })] }],
      [{ otpId: A, checks: [check(A, { checkedAt: at(10) }), check(A, { checkedAt: at(11) })] }],
      { maxEntries: 10, maxChecksPerEntry: 3 },
    );
    assert.deepEqual(
      p.after[0].checks.map((c) => c.checkedAt),
      [at(11), at(2), at(1)],
    );
    assert.deepEqual(
      p.dropped.map((e) => e.checks.map((c) => c.checkedAt)),
      [[at(10)]],
    );
  });

  it('what is set aside keeps its label and resendOf (an import pushed out by the caps loses neither)', async () => {
    const mine = [{ otpId: A, checks: [check(A, { checkedAt: at(5) })] }];
    const incoming: HistoryEntry[] = [{ otpId: B, label: 'staging run', resendOf: A, checks: [check(B, { checkedAt: at(1) })] }];
    const p = await plan(mine, incoming, { maxEntries: 1, maxChecksPerEntry: 20 });
    assert.deepEqual(
      p.after.map((e) => e.otpId),
      [A],
    );
    assert.deepEqual(p.dropped, [{ otpId: B, label: 'staging run', resendOf: A, checks: [check(B, { checkedAt: at(1) })] }]);
    const plain = await plan(mine, [{ otpId: B, checks: [check(B, { checkedAt: at(1) })] }], { maxEntries: 1, maxChecksPerEntry: 20 });
    assert.deepEqual(Object.keys(plain.dropped[0]).sort(), ['checks', 'otpId'], 'no empty label or resendOf invented');
  });

  it('the checks of one entry set aside stay together, in one entry', async () => {
    const mine = [{ otpId: A, checks: [check(A, { checkedAt: at(50) })] }];
    const incoming: HistoryEntry[] = [{ otpId: B, checks: [check(B, { checkedAt: at(2) }), check(B, { checkedAt: at(1) })] }];
    const p = await plan(mine, incoming, { maxEntries: 1, maxChecksPerEntry: 20 });
    assert.deepEqual(
      p.dropped.map((e) => [e.otpId, e.checks.map((c) => c.checkedAt).sort()]),
      [[B, [at(1), at(2)]]],
    );
    assert.equal(p.droppedByLimits, 2);
  });

  it('a label is imported only with an entry the caps keep: no operation for an entry set aside', async () => {
    const mine = [{ otpId: A, checks: [check(A, { checkedAt: at(5) })] }];
    const C = uuid(0xc);
    const incoming: HistoryEntry[] = [
      { otpId: B, label: 'kept', checks: [check(B, { checkedAt: at(9) })] },
      { otpId: C, label: 'set aside', checks: [check(C, { checkedAt: at(1) })] },
    ];
    const p = await plan(mine, incoming, { maxEntries: 2, maxChecksPerEntry: 20 });
    assert.deepEqual(
      p.after.map((e) => e.otpId),
      [B, A],
    );
    assert.deepEqual(
      p.dropped.map((e) => [e.otpId, e.label]),
      [[C, 'set aside']],
    );
    assert.deepEqual(
      p.ops.filter((op) => op.o === 'label').map((op) => (op as { k: string }).k),
      [B],
      'the label of the entry set aside goes with it, not into the history',
    );
  });

  it('a large import gives the event loop a turn every 5,000 checks (the host is never held up for the whole import)', async () => {
    const incoming: HistoryEntry[] = Array.from({ length: 12_000 }, (_, i) => ({ otpId: uuid(i), checks: [check(uuid(i), { checkedAt: at(i) })] }));
    const { state, view } = own([]);
    const probe = turnProbe();
    // Every check the plan tries goes through HistoryState.apply (on its scratch copy): note the turn of each.
    const apply = HistoryState.prototype.apply;
    HistoryState.prototype.apply = function (this: HistoryState, ...args: Parameters<typeof apply>) {
      probe.note();
      return apply.apply(this, args);
    };
    try {
      const p = await planImport(state, view, { maxEntries: 20_000, maxChecksPerEntry: 20 }, incoming, NOW);
      assert.equal(p.addedChecks, 12_000);
    } finally {
      HistoryState.prototype.apply = apply;
      probe.stop();
    }
    assert.ok(probe.notes >= 12_000, `${probe.notes} checks applied`);
    assert.ok(probe.longestRun() <= 5000, `${probe.longestRun()} checks applied without a turn of the event loop`);
  });

  describe('the per-file cap (parseImport reads at most maxChecks rows; the rest is counted, not read)', () => {
    const entry = (n: number, checks: number) => ({
      otpId: uuid(n),
      checks: Array.from({ length: checks }, (_, i) => check(uuid(n), { checkedAt: at(n * 100 + i) })),
    });

    it('an entry is cut at the room left, in file order; later rows are counted one per check (an item without checks as one)', async () => {
      const file = JSON.stringify([entry(1, 3), entry(2, 4), entry(3, 2), { otpId: uuid(4) }, 'not an entry', { otpId: uuid(6), checks: [] }]);
      const parsed = await parseImport(file, 5);
      assert.ok(parsed.ok);
      assert.equal(parsed.checks, 5);
      assert.deepEqual(
        parsed.entries.map((e) => [e.otpId, e.checks.map((c) => c.checkedAt)]),
        [
          [uuid(1), [at(100), at(101), at(102)]],
          [uuid(2), [at(200), at(201)]],
        ],
      );
      // entry 2: 2 of its 4 not read; entry 3: its 2 checks; the entry without checks, the string, the empty entry: 1 each
      assert.equal(parsed.notRead, 2 + 2 + 1 + 1 + 1);
      assert.equal(parsed.badRows, 0, 'rows not read are not bad rows');
    });

    it('a file that fits is read whole: nothing counted as not read', async () => {
      const parsed = await parseImport(JSON.stringify([entry(1, 3), entry(2, 2)]), 5);
      assert.ok(parsed.ok);
      assert.deepEqual([parsed.checks, parsed.notRead], [5, 0]);
    });

    it('a long file gives the event loop a turn every 2,000 items (the host is never held up for the whole file)', async () => {
      const file = JSON.stringify(Array.from({ length: 4001 }, (_, i) => entry(i, 1)));
      let ran = false;
      setImmediate(() => (ran = true));
      const parsed = await parseImport(file, 10);
      assert.ok(parsed.ok);
      assert.deepEqual([parsed.checks, parsed.notRead], [10, 3991]);
      assert.ok(ran, 'a callback queued before the import ran before it finished');
    });
  });

  it('11.15: one entry of 200,000 checks, and 300,000 entries: read up to the per-file cap, merged once, never a RangeError, never seconds', async function () {
    this.timeout(60_000);
    const id = uuid(0xbeef);
    const oneEntry = JSON.stringify({
      format: 'd7otp-history',
      version: 1,
      entries: [
        { otpId: id, checks: Array.from({ length: 200_000 }, (_, i) => check(id, { checkedAt: new Date(NOW - i * 1000).toISOString(), body: undefined })) },
      ],
    });
    const manyEntries = JSON.stringify({
      format: 'd7otp-history',
      version: 1,
      entries: Array.from({ length: 300_000 }, (_, i) => ({
        otpId: uuid(i, 'cccccccc'),
        checks: [check(uuid(i, 'cccccccc'), { checkedAt: new Date(NOW - i * 1000).toISOString(), body: undefined })],
      })),
    });
    for (const [what, text, notRead] of [
      ['one entry of 200,000 checks', oneEntry, 100_000],
      ['300,000 entries', manyEntries, 200_000],
    ] as const) {
      const parsed = await parseImport(text);
      assert.ok(parsed.ok);
      assert.deepEqual([parsed.checks, parsed.notRead], [MAX_IMPORT_CHECKS, notRead], what);
      const store = testStore({ limits: () => ({ maxEntries: 100_000, maxChecksPerEntry: 1000 }) });
      await store.ready;
      // The longest the event loop is held up while merging: a timer every millisecond sees the gaps, measured in the
      // CPU time this process used meanwhile (so other processes on a busy machine do not count).
      let longest = 0;
      let last = process.cpuUsage();
      const probe = setInterval(() => {
        const used = process.cpuUsage(last);
        longest = Math.max(longest, (used.user + used.system) / 1000);
        last = process.cpuUsage();
      }, 1);
      const result = await store.importEntries(parsed.entries);
      clearInterval(probe);
      assert.ok(result.addedChecks > 0 && result.addedChecks + result.droppedByLimits === MAX_IMPORT_CHECKS, `${what}: ${JSON.stringify(result)}`);
      assert.ok(longest < 1000, `${what}: the host was held up for ${longest.toFixed(0)} ms of CPU at a time`);
      await store.close();
    }
  });

  it('an export imports back unchanged, and twice adds nothing', async () => {
    const s = testStore();
    const entries: HistoryEntry[] = [{ otpId: A, label: 'x', checks: [check(A, { checkedAt: at(5) }), check(A, { checkedAt: at(1) })] }];
    const parsed = await parseImport(toExportJson(entries));
    assert.ok(parsed.ok);
    await s.importEntries(parsed.entries);
    assert.deepEqual(s.entries, entries);
    const second = await s.importEntries(parsed.entries);
    assert.deepEqual([second.addedChecks, second.duplicates], [0, 2]);
    await s.close();
  });
});
