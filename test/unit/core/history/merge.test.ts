import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/core/check';
import { countChecks, mergeHistory } from '../../../../src/core/history/merge';
import { emptyHistory, HISTORY_SCHEMA_VERSION, type HistoryDocument } from '../../../../src/core/history/model';
import { check, otpId, type CheckSpec } from '../../helpers';

const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');
const C = otpId('0012c7f5-2ba5-49db-8901-4ee9be6dc8d1');

const at = (id: typeof A, checkedAt: string, spec: CheckSpec = {}) => check(id, { checkedAt, ...spec });
const doc = (...entries: HistoryEntry[]): HistoryDocument => ({ version: HISTORY_SCHEMA_VERSION, entries });

describe('core/history/merge', () => {
  describe('mergeHistory', () => {
    it('adds new otp_ids and new checks, skips checks already there (otp_id + checkedAt)', () => {
      const current = doc({ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] });
      const incoming: HistoryEntry[] = [
        {
          otpId: otpId(A.toUpperCase()),
          checks: [at(A, '2026-11-25T10:00:00.000Z', { status: 'CHANGED?' }), at(A, '2026-11-25T11:00:00.000Z', { status: 'APPROVED' })],
        },
        { otpId: B, checks: [at(B, '2026-11-25T09:00:00.000Z')] },
      ];
      const result = mergeHistory(current, incoming);
      assert.deepEqual([result.addedEntries, result.addedChecks, result.duplicates, result.droppedByLimits], [1, 2, 1, 0]);
      assert.deepEqual(
        result.doc.entries.map((e) => e.otpId),
        [A, B],
        'existing spelling kept, newest first',
      );
      assert.deepEqual(
        result.doc.entries[0].checks.map((c) => c.status),
        ['APPROVED', 'OPEN'],
        'current check wins, newest first',
      );
    });

    it('treats the same instant in another ISO form as a duplicate', () => {
      const current = doc({ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] });
      const result = mergeHistory(current, [{ otpId: A, checks: [at(A, '2026-11-25T12:00:00+02:00')] }]);
      assert.deepEqual([result.duplicates, result.addedChecks], [1, 0]);
    });

    it('keeps an existing label and resendOf, and fills missing ones', () => {
      const current = doc(
        { otpId: A, label: 'mine', resendOf: C, checks: [at(A, '2026-11-25T10:00:00.000Z')] },
        { otpId: B, checks: [at(B, '2026-11-25T09:00:00.000Z')] },
      );
      const result = mergeHistory(current, [
        { otpId: A, label: 'theirs', resendOf: B, checks: [] },
        { otpId: B, label: 'theirs', resendOf: C, checks: [] },
      ]);
      const find = (id: typeof A) => result.doc.entries.find((e) => e.otpId === id);
      assert.deepEqual([find(A)?.label, find(A)?.resendOf], ['mine', C]);
      assert.deepEqual([find(B)?.label, find(B)?.resendOf], ['theirs', C]);
    });

    it('merges an otp_id that appears twice in the import', () => {
      const result = mergeHistory(emptyHistory(), [
        { otpId: C, checks: [at(C, '2026-11-25T10:00:00.000Z')] },
        { otpId: C, checks: [at(C, '2026-11-25T10:00:00.000Z'), at(C, '2026-11-25T10:01:00.000Z', { status: 'EXPIRED' })] },
      ]);
      assert.equal(result.doc.entries.length, 1);
      assert.deepEqual([result.addedEntries, result.addedChecks, result.duplicates], [1, 2, 1]);
      assert.equal(result.doc.entries[0].checks[0].status, 'EXPIRED');
    });

    it("orders entries by their latest sighting (a repeat's last poll counts)", () => {
      const result = mergeHistory(doc({ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z', { repeat: 5, lastCheckedAt: '2026-11-25T12:00:00.000Z' })] }), [
        { otpId: B, checks: [at(B, '2026-11-25T11:00:00.000Z')] },
      ]);
      assert.deepEqual(
        result.doc.entries.map((e) => e.otpId),
        [A, B],
      );
    });

    it('applies the caps and counts what they drop', () => {
      const current = doc({ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] });
      const result = mergeHistory(current, [{ otpId: B, checks: [at(B, '2026-11-24T10:00:00.000Z'), at(B, '2026-11-24T09:00:00.000Z')] }], {
        maxEntries: 1,
        maxChecksPerEntry: 20,
      });
      assert.deepEqual(
        result.doc.entries.map((e) => e.otpId),
        [A],
        'the older imported entry is the one dropped',
      );
      assert.equal(result.droppedByLimits, 2);
    });

    it('does not change its inputs', () => {
      const current = doc({ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] });
      const incoming: HistoryEntry[] = [{ otpId: A, checks: [at(A, '2026-11-25T11:00:00.000Z')] }];
      const before = JSON.stringify([current, incoming]);
      mergeHistory(current, incoming, { maxEntries: 1, maxChecksPerEntry: 1 });
      assert.equal(JSON.stringify([current, incoming]), before);
    });

    it('an incoming entry without checks adds nothing, and is not counted as added', () => {
      const result = mergeHistory(emptyHistory(), [{ otpId: A, label: 'empty', checks: [] }]);
      assert.deepEqual(result.doc.entries, []);
      assert.equal(result.addedEntries, 0, 'addedEntries counts entries the merged history has');
    });
  });

  describe('countChecks', () => {
    it('counts the checks of every entry', () => {
      assert.equal(
        countChecks([
          { otpId: A, checks: [check(A), check(A)] },
          { otpId: B, checks: [check(B)] },
        ]),
        3,
      );
      assert.equal(countChecks([]), 0);
    });
  });
});
