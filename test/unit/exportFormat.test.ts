import * as assert from 'node:assert/strict';
import {
  CSV_COLUMNS,
  csvCell,
  EXPORT_FORMAT,
  guardFormula,
  mergeHistory,
  parseImport,
  toCsv,
  toExportJson,
} from '../../src/core/exportFormat';
import { emptyHistory, HISTORY_SCHEMA_VERSION, MAX_STORED_STRING, type HistoryDocument } from '../../src/core/history';
import type { HistoryEntry, StatusCheck } from '../../src/core/types';
import { HistoryStore } from '../../src/stores/historyStore';
import { FakeMemento } from './fakes';

const A = '8d963dbf-d655-4fe6-9157-48885a036050';
const B = 'd4c6b4e9-532d-4be7-9e9e-897f97847fbd';
const C = '0012c7f5-2ba5-49db-8901-4ee9be6dc8d1';

function check(otpId: string, at: string, extra: Partial<StatusCheck> = {}): StatusCheck {
  return { otpId, checkedAt: at, ok: true, status: 'OPEN', httpStatus: 200, durationMs: 12, body: { status: 'OPEN' }, ...extra };
}

function doc(...entries: HistoryEntry[]): HistoryDocument {
  return { version: HISTORY_SCHEMA_VERSION, entries };
}

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to prove the writer's output reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.ok(ch !== '"' && ch !== '\n' && ch !== '\r', `unquoted special character at ${i}`);
      field += ch;
      i++;
    }
  }
  assert.equal(field, '', 'the text ends with CRLF');
  return rows;
}

describe('export format: CSV cells', () => {
  it('leaves plain text, numbers and booleans as they are, and writes nothing for absent values', () => {
    assert.equal(csvCell('APPROVED'), 'APPROVED');
    assert.equal(csvCell(200), '200');
    assert.equal(csvCell(-3), '-3');
    assert.equal(csvCell(true), 'true');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(Number.NaN), '');
  });

  it('quotes commas, semicolons, quotes, line breaks and surrounding spaces, doubling quotes', () => {
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('a;b'), '"a;b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('line1\nline2'), '"line1\nline2"');
    assert.equal(csvCell('line1\r\nline2'), '"line1\r\nline2"');
    assert.equal(csvCell(' padded '), '" padded "');
  });

  it('guards against formula injection: = + - @ tab and CR at the start become text', () => {
    for (const text of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\rx', '=HYPERLINK("http://evil","x")']) {
      const cell = csvCell(text);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(unquoted, `'${text}`, text);
    }
    assert.equal(guardFormula('APPROVED'), 'APPROVED');
    assert.equal(guardFormula('a=b'), 'a=b');
    assert.equal(csvCell('=1,2'), `"'=1,2"`);
  });
});

describe('export format: CSV file', () => {
  const nasty = 'signup, "iPhone"\nline two';
  const entries: HistoryEntry[] = [
    {
      otpId: A,
      label: nasty,
      checks: [
        check(A, '2026-11-25T10:00:05.000Z', { status: 'APPROVED', body: { status: 'APPROVED', note: '=cmd|"/c calc"!A1' } }),
        check(A, '2026-11-25T10:00:00.000Z', { repeat: 3, lastCheckedAt: '2026-11-25T10:00:03.000Z' }),
      ],
    },
    {
      otpId: B,
      checks: [
        {
          otpId: B,
          checkedAt: '2026-11-25T09:00:00.000Z',
          ok: false,
          httpStatus: 404,
          durationMs: 7,
          error: { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: '-not found, sorry' },
          body: '@raw text',
        },
      ],
    },
  ];

  it('has a header and one row per check, each with every column, CRLF line ends', () => {
    const rows = parseCsv(toCsv(entries));
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 1 + 3);
    for (const row of rows) assert.equal(row.length, CSV_COLUMNS.length);
  });

  it('reads back the values, with quoting undone and the guard visible', () => {
    const rows = parseCsv(toCsv(entries));
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    assert.equal(col(rows[1], 'otp_id'), A);
    assert.equal(col(rows[1], 'label'), nasty);
    assert.equal(col(rows[1], 'status'), 'APPROVED');
    assert.equal(col(rows[1], 'ok'), 'true');
    assert.equal(col(rows[1], 'http_status'), '200');
    assert.equal(col(rows[1], 'operation'), 'status');
    assert.deepEqual(JSON.parse(col(rows[1], 'body')), { status: 'APPROVED', note: '=cmd|"/c calc"!A1' });
    assert.equal(col(rows[2], 'repeat'), '3');
    assert.equal(col(rows[2], 'last_checked_at'), '2026-11-25T10:00:03.000Z');
    assert.equal(col(rows[3], 'error_kind'), 'not-found');
    assert.equal(col(rows[3], 'error_code'), 'MESSAGE_LOG_NOT_EXISTS');
    assert.equal(col(rows[3], 'error_message'), "'-not found, sorry");
    assert.equal(col(rows[3], 'body'), "'@raw text");
    assert.equal(col(rows[3], 'status'), '');
  });

  it('starts no cell with a formula character', () => {
    for (const row of parseCsv(toCsv(entries)).slice(1)) {
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)}`);
    }
  });
});

describe('export format: JSON', () => {
  it('is the history document with a format marker, and imports back unchanged', () => {
    const entries: HistoryEntry[] = [
      { otpId: A, label: 'signup test', checks: [check(A, '2026-11-25T10:00:00.000Z', { profile: 'staging', attempts: 2 })] },
      { otpId: B, resendOf: A, checks: [check(B, '2026-11-25T09:00:00.000Z', { operation: 'resend' })] },
    ];
    const text = toExportJson(entries, new Date('2026-11-26T00:00:00Z'));
    const raw = JSON.parse(text) as Record<string, unknown>;
    assert.equal(raw.format, EXPORT_FORMAT);
    assert.equal(raw.version, HISTORY_SCHEMA_VERSION);
    assert.equal(raw.exportedAt, '2026-11-26T00:00:00.000Z');
    const parsed = parseImport(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.entries, entries);
    assert.equal(parsed.checks, 2);
    assert.equal(parsed.badRows, 0);
    assert.equal(parsed.firstProblem, undefined);
  });
});

describe('export format: merge', () => {
  it('adds new otp_ids and new checks, skips checks already there (otp_id + checkedAt)', () => {
    const current = doc({ otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z')] });
    const incoming: HistoryEntry[] = [
      { otpId: A.toUpperCase(), checks: [check(A, '2026-11-25T10:00:00.000Z', { status: 'CHANGED?' }), check(A, '2026-11-25T11:00:00.000Z', { status: 'APPROVED' })] },
      { otpId: B, checks: [check(B, '2026-11-25T09:00:00.000Z')] },
    ];
    const result = mergeHistory(current, incoming);
    assert.equal(result.addedEntries, 1);
    assert.equal(result.addedChecks, 2);
    assert.equal(result.duplicates, 1);
    assert.equal(result.droppedByLimits, 0);
    assert.deepEqual(result.doc.entries.map((e) => e.otpId), [A, B], 'existing spelling kept, newest first');
    assert.deepEqual(result.doc.entries[0].checks.map((c) => c.status), ['APPROVED', 'OPEN'], 'current check wins, newest first');
  });

  it('treats the same instant in another ISO form as a duplicate', () => {
    const current = doc({ otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z')] });
    const result = mergeHistory(current, [{ otpId: A, checks: [check(A, '2026-11-25T12:00:00+02:00')] }]);
    assert.equal(result.duplicates, 1);
    assert.equal(result.addedChecks, 0);
  });

  it('keeps an existing label and fills a missing one', () => {
    const current = doc({ otpId: A, label: 'mine', checks: [check(A, '2026-11-25T10:00:00.000Z')] }, { otpId: B, checks: [check(B, '2026-11-25T09:00:00.000Z')] });
    const result = mergeHistory(current, [
      { otpId: A, label: 'theirs', checks: [] },
      { otpId: B, label: 'theirs', checks: [] },
    ]);
    assert.equal(result.doc.entries.find((e) => e.otpId === A)?.label, 'mine');
    assert.equal(result.doc.entries.find((e) => e.otpId === B)?.label, 'theirs');
  });

  it('merges an otp_id that appears twice in the import', () => {
    const result = mergeHistory(emptyHistory(), [
      { otpId: C, checks: [check(C, '2026-11-25T10:00:00.000Z')] },
      { otpId: C, checks: [check(C, '2026-11-25T10:00:00.000Z'), check(C, '2026-11-25T10:01:00.000Z', { status: 'EXPIRED' })] },
    ]);
    assert.equal(result.doc.entries.length, 1);
    assert.equal(result.addedEntries, 1);
    assert.equal(result.addedChecks, 2);
    assert.equal(result.duplicates, 1);
    assert.equal(result.doc.entries[0].checks[0].status, 'EXPIRED');
  });

  it('applies the caps and counts what they drop', () => {
    const current = doc({ otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z')] });
    const result = mergeHistory(
      current,
      [{ otpId: B, checks: [check(B, '2026-11-24T10:00:00.000Z'), check(B, '2026-11-24T09:00:00.000Z')] }],
      { maxEntries: 1, maxChecksPerEntry: 20 },
    );
    assert.deepEqual(result.doc.entries.map((e) => e.otpId), [A], 'the older imported entry is the one dropped');
    assert.equal(result.droppedByLimits, 2);
  });

  it('does not change its inputs', () => {
    const current = doc({ otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z')] });
    const incoming: HistoryEntry[] = [{ otpId: A, checks: [check(A, '2026-11-25T11:00:00.000Z')] }];
    const before = JSON.stringify([current, incoming]);
    mergeHistory(current, incoming, { maxEntries: 1, maxChecksPerEntry: 1 });
    assert.equal(JSON.stringify([current, incoming]), before);
  });
});

describe('export format: import validation', () => {
  it('refuses what is not JSON, a newer schema, another shape, a missing list', () => {
    const notJson = parseImport('otp_id,status\r\n');
    assert.ok(!notJson.ok && /not JSON/.test(notJson.message));
    const newer = parseImport(JSON.stringify({ version: 99, entries: [] }));
    assert.ok(!newer.ok && /newer version/.test(newer.message));
    const other = parseImport(JSON.stringify({ version: 'x', entries: [] }));
    assert.ok(!other.ok && /not a D7 OTP history export/.test(other.message));
    const scalar = parseImport('42');
    assert.ok(!scalar.ok);
    const noList = parseImport(JSON.stringify({ version: HISTORY_SCHEMA_VERSION }));
    assert.ok(!noList.ok && /no list of entries/.test(noList.message));
  });

  it('accepts a bare array of entries and a leading byte-order mark', () => {
    const parsed = parseImport(`\uFEFF${JSON.stringify([{ otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z')] }])}`);
    assert.ok(parsed.ok);
    assert.equal(parsed.entries.length, 1);
  });

  it('skips bad rows, counts them, names the first reason, and keeps every good check', () => {
    const text = JSON.stringify({
      version: HISTORY_SCHEMA_VERSION,
      entries: [
        {
          otpId: A,
          checks: [
            check(A, '2026-11-25T10:00:00.000Z'),
            { ...check(A, 'yesterday-ish') },
            check(A, '2026-11-25T11:00:00.000Z', { status: 'APPROVED' }),
            { ...check(A, '2026-11-25T12:00:00.000Z'), durationMs: 'fast' },
          ],
        },
        'not an entry',
        { otpId: 'not-a-uuid', checks: [check(B, '2026-11-25T10:00:00.000Z')] },
        { otpId: B, checks: [] },
        { otpId: C, checks: [check(B, '2026-11-25T10:00:00.000Z'), { ...check(C, '2026-11-25T10:00:00.000Z'), ok: false }] },
      ],
    });
    const parsed = parseImport(text);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.entries.map((e) => e.otpId), [A]);
    assert.deepEqual(parsed.entries[0].checks.map((c) => c.status), ['OPEN', 'APPROVED']);
    assert.equal(parsed.checks, 2);
    assert.equal(parsed.badRows, 7);
    assert.equal(parsed.firstProblem, `entry 1 (${A}), check 2: checkedAt is missing or not a date`);
  });

  it('explains each kind of bad check', () => {
    const reasons = (bad: unknown) => {
      const parsed = parseImport(JSON.stringify([{ otpId: A, checks: [bad] }]));
      assert.ok(parsed.ok);
      assert.equal(parsed.badRows, 1);
      return parsed.firstProblem;
    };
    const good = check(A, '2026-11-25T10:00:00.000Z');
    assert.match(reasons(null) ?? '', /not an object/);
    assert.match(reasons({ ...good, ok: 'yes' }) ?? '', /ok is not true or false/);
    assert.match(reasons({ ...good, status: 7 }) ?? '', /status is not text/);
    assert.match(reasons({ ...good, httpStatus: '200' }) ?? '', /httpStatus is not a number/);
    assert.match(reasons({ ...good, ok: false, error: { kind: 'network' } }) ?? '', /error has no kind or message/);
    assert.match(reasons({ ...good, ok: false }) ?? '', /failed check without an error/);
    assert.match(reasons({ ...good, otpId: B }) ?? '', /its otpId is not/);
  });

  it('caps long strings and labels as stored history does', () => {
    const long = 'x'.repeat(MAX_STORED_STRING + 100);
    const parsed = parseImport(JSON.stringify([{ otpId: A, label: ` ${'l'.repeat(500)} `, checks: [check(A, '2026-11-25T10:00:00.000Z', { body: { note: long } })] }]));
    assert.ok(parsed.ok);
    assert.equal(parsed.entries[0].label?.length, 200);
    const note = (parsed.entries[0].checks[0].body as { note: string }).note;
    assert.ok(note.length < long.length && note.includes('more characters not kept'));
  });
});

describe('HistoryStore.importEntries', () => {
  const limits = () => ({ maxEntries: 200, maxChecksPerEntry: 20 });

  it('merges into the stored history, fires a change, and resolves with the counts', async () => {
    const memento = new FakeMemento(true);
    const store = new HistoryStore({ memento, key: 'h', backupKey: 'b', limits, warn: () => undefined });
    await store.add(check(A, '2026-11-25T10:00:00.000Z'));
    let changes = 0;
    store.onDidChange(() => changes++);
    const stats = await store.importEntries([
      { otpId: A, checks: [check(A, '2026-11-25T10:00:00.000Z'), check(A, '2026-11-25T11:00:00.000Z', { status: 'APPROVED' })] },
      { otpId: B, label: 'imported', checks: [check(B, '2026-11-25T09:00:00.000Z')] },
    ]);
    assert.deepEqual(stats, { addedEntries: 1, addedChecks: 2, duplicates: 1, droppedByLimits: 0 });
    assert.equal(changes, 1);
    assert.deepEqual(store.entries.map((e) => e.otpId), [A, B]);
    assert.equal(store.find(A)?.checks.length, 2);
    assert.equal(store.find(B)?.label, 'imported');
    // Stored, not only in memory: a second store over the same Memento (another window) sees it.
    const other = new HistoryStore({ memento, key: 'h', backupKey: 'b', limits, warn: () => undefined });
    assert.equal(other.entries.length, 2);
  });

  it('imports the same file twice without adding anything the second time', async () => {
    const store = new HistoryStore({ memento: new FakeMemento(true), key: 'h', backupKey: 'b', limits, warn: () => undefined });
    const parsed = parseImport(toExportJson([{ otpId: C, checks: [check(C, '2026-11-25T10:00:00.000Z')] }]));
    assert.ok(parsed.ok);
    await store.importEntries(parsed.entries);
    const again = await store.importEntries(parsed.entries);
    assert.deepEqual(again, { addedEntries: 0, addedChecks: 0, duplicates: 1, droppedByLimits: 0 });
    assert.equal(store.entries.length, 1);
  });
});
