import * as assert from 'node:assert/strict';
import {
  addCheck,
  applyLimits,
  compactCheck,
  emptyHistory,
  HISTORY_SCHEMA_VERSION,
  MAX_STORED_STRING,
  parseHistory,
  removeEntry,
  setLabel,
} from '../../src/core/history';
import type { StatusCheck } from '../../src/core/types';

const A = '8d963dbf-d655-4fe6-9157-48885a036050';
const B = 'd4c6b4e9-532d-4be7-9e9e-897f97847fbd';
const C = '0012c7f5-2ba5-49db-8901-4ee9be6dc8d1';
const limits = { maxEntries: 200, maxChecksPerEntry: 20 };

let clock = Date.parse('2026-11-25T10:00:00Z');
function check(otpId: string, status = 'OPEN', extra: Partial<StatusCheck> = {}): StatusCheck {
  clock += 1000;
  return { otpId, checkedAt: new Date(clock).toISOString(), ok: true, status, httpStatus: 200, durationMs: 12, body: { status }, ...extra };
}

describe('history model', () => {
  it('puts the newest entry and the newest check first, one entry per otp_id', () => {
    let doc = emptyHistory();
    doc = addCheck(doc, check(A), limits);
    doc = addCheck(doc, check(B), limits);
    doc = addCheck(doc, check(A, 'APPROVED'), limits);
    assert.deepEqual(doc.entries.map((e) => e.otpId), [A, B]);
    assert.deepEqual(doc.entries[0].checks.map((c) => c.status), ['APPROVED', 'OPEN']);
  });

  it('deduplicates otp_ids case-insensitively and keeps the first spelling', () => {
    let doc = addCheck(emptyHistory(), check(A), limits);
    doc = addCheck(doc, check(A.toUpperCase(), 'EXPIRED'), limits);
    assert.equal(doc.entries.length, 1);
    assert.equal(doc.entries[0].otpId, A);
    assert.equal(doc.entries[0].checks.length, 2);
  });

  it('caps entries and checks per entry, dropping the oldest', () => {
    const small = { maxEntries: 2, maxChecksPerEntry: 3 };
    let doc = emptyHistory();
    for (const id of [A, B, C]) doc = addCheck(doc, check(id), small);
    assert.deepEqual(doc.entries.map((e) => e.otpId), [C, B]);
    for (let i = 0; i < 5; i++) doc = addCheck(doc, check(C, `S${i}`), small);
    assert.deepEqual(doc.entries[0].checks.map((c) => c.status), ['S4', 'S3', 'S2']);
    const wide = addCheck(addCheck(emptyHistory(), check(A), limits), check(B), limits);
    assert.equal(applyLimits(wide, { maxEntries: 1, maxChecksPerEntry: 1 }).entries.length, 1);
  });

  it('removes entries and sets labels without touching others', () => {
    let doc = addCheck(addCheck(emptyHistory(), check(A), limits), check(B), limits);
    doc = setLabel(doc, A.toUpperCase(), '  signup test, iPhone  ');
    assert.equal(doc.entries[1].label, 'signup test, iPhone');
    doc = setLabel(doc, A, '');
    assert.equal('label' in doc.entries[1], false);
    doc = removeEntry(doc, B);
    assert.deepEqual(doc.entries.map((e) => e.otpId), [A]);
  });

  it('records the entry an id was resent from, once', () => {
    const doc = addCheck(emptyHistory(), check(B), limits, { resendOf: A });
    assert.equal(doc.entries[0].resendOf, A);
  });

  it('cuts oversized strings and bodies before storing', () => {
    const long = 'x'.repeat(100_000);
    const stored = compactCheck(check(A, long, { body: { status: long, nested: { deep: long } } }));
    assert.ok((stored.status ?? '').length < 1100);
    const body = stored.body as { status: string; nested: { deep: string } };
    assert.ok(body.status.length < MAX_STORED_STRING + 60);
    assert.match(body.nested.deep, /more characters not kept/);
    const huge = compactCheck(check(A, 'OPEN', { body: { list: Array.from({ length: 900 }, () => 'y'.repeat(4000)) } }));
    assert.equal(typeof huge.body, 'string');
  });

  describe('reading stored history', () => {
    it('reads nothing as empty, without a problem', () => {
      assert.deepEqual(parseHistory(undefined), { doc: emptyHistory() });
    });

    it('round-trips a valid document', () => {
      const doc = addCheck(emptyHistory(), check(A, 'OPEN', { error: undefined }), limits);
      const parsed = parseHistory(JSON.parse(JSON.stringify(doc)));
      assert.equal(parsed.problem, undefined);
      assert.deepEqual(parsed.doc, JSON.parse(JSON.stringify(doc)));
    });

    it('upgrades the pre-versioned layout (a bare list of entries)', () => {
      const legacy = [{ otpId: A, checks: [check(A)] }];
      const parsed = parseHistory(legacy);
      assert.equal(parsed.problem, undefined);
      assert.equal(parsed.doc.version, HISTORY_SCHEMA_VERSION);
      assert.equal(parsed.doc.entries[0].otpId, A);
    });

    it('sets aside a future version unchanged', () => {
      const future = { version: 99, entries: [{ whatever: true }] };
      const parsed = parseHistory(future);
      assert.deepEqual(parsed.doc, emptyHistory());
      assert.match(parsed.problem ?? '', /newer version \(schema 99\)/);
      assert.equal(parsed.rejected, future);
    });

    it('sets aside garbage of any type without throwing', () => {
      for (const raw of ['{"version":1', 42, true, { version: 1 }, { version: 1, entries: 'x' }, { no: 'version' }, { version: '1', entries: [] }]) {
        const parsed = parseHistory(raw);
        assert.deepEqual(parsed.doc, emptyHistory(), JSON.stringify(raw));
        assert.ok(parsed.problem, JSON.stringify(raw));
      }
    });

    it('keeps the readable entries and sets aside the broken ones', () => {
      const good = { otpId: A, checks: [check(A)] };
      const raw = {
        version: 1,
        entries: [
          good,
          null,
          { otpId: B },
          { otpId: C, checks: [] },
          { otpId: C, checks: [{ otpId: C, checkedAt: 'yesterday', ok: true, durationMs: 1 }] },
          { otpId: C, checks: [{ otpId: C, checkedAt: new Date().toISOString(), ok: false, durationMs: 1 }] },
          { otpId: C, checks: [{ otpId: C, checkedAt: new Date().toISOString(), ok: true, durationMs: 1, status: 3 }] },
          { ...good },
        ],
      };
      const parsed = parseHistory(raw);
      assert.deepEqual(parsed.doc.entries.map((e) => e.otpId), [A]);
      assert.match(parsed.problem ?? '', /^6 stored history entries were unreadable/);
      assert.equal((parsed.rejected as unknown[]).length, 6);
    });
  });
});
