import * as assert from 'node:assert/strict';
import type { HistoryEntry } from '../../../../src/core/check';
import { CSV_COLUMNS, csvCell, EXPORT_FORMAT, guardFormula, parseImport, toCsv, toExportJson } from '../../../../src/core/history/exportFormat';
import { HISTORY_SCHEMA_VERSION, MAX_STORED_STRING } from '../../../../src/core/history/model';
import { english, type Message } from '../../../../src/core/messages';
import { check, otpId, type CheckSpec } from '../../helpers';

const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');
const C = otpId('0012c7f5-2ba5-49db-8901-4ee9be6dc8d1');

const at = (id: typeof A, checkedAt: string, spec: CheckSpec = {}) => check(id, { checkedAt, ...spec });
const words = (m: Message | undefined) => (m ? english(m) : undefined);

/** A strict RFC 4180 reader (quoted fields, doubled quotes, CRLF records), to prove the writer's output reads back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      assert.ok(ch !== '"' && ch !== '\n' && ch !== '\r', `unquoted special character at ${i}`);
      field += ch;
    }
  }
  assert.equal(field, '', 'the text ends with CRLF');
  return rows;
}

describe('core/history/exportFormat', () => {
  describe('csvCell and guardFormula', () => {
    it('leaves plain text, numbers and booleans as they are, and writes nothing for absent values', () => {
      const cases: [unknown, string][] = [
        ['APPROVED', 'APPROVED'],
        [200, '200'],
        [-3, '-3'],
        [true, 'true'],
        [false, 'false'],
        [undefined, ''],
        [null, ''],
        [Number.NaN, ''],
        [Infinity, ''],
        [{ a: 1 }, '"{""a"":1}"'],
        ['two words', 'two words'],
        ['tab\tinside', 'tab\tinside'],
      ];
      for (const [value, cell] of cases) assert.equal(csvCell(value), cell, String(value));
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

  describe('toCsv', () => {
    const nasty = 'signup, "iPhone"\nline two';
    const entries: HistoryEntry[] = [
      {
        otpId: A,
        label: nasty,
        checks: [
          at(A, '2026-11-25T10:00:05.000Z', { status: 'APPROVED', body: { status: 'APPROVED', note: '=cmd|"/c calc"!A1' } }),
          at(A, '2026-11-25T10:00:00.000Z', { repeat: 3, lastCheckedAt: '2026-11-25T10:00:03.000Z', profile: 'staging', attempts: 2 }),
        ],
      },
      {
        otpId: B,
        resendOf: A,
        checks: [
          at(B, '2026-11-25T09:00:00.000Z', {
            httpStatus: 404,
            durationMs: 7,
            operation: 'resend',
            body: '@raw text',
            error: { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: '-not found, sorry', retryAfterSeconds: 4 },
          }),
        ],
      },
    ];

    it('has a header and one row per check, each with every column, CRLF line ends', () => {
      const rows = parseCsv(toCsv(entries));
      assert.deepEqual(rows[0], [...CSV_COLUMNS]);
      assert.equal(rows.length, 1 + 3);
      for (const row of rows) assert.equal(row.length, CSV_COLUMNS.length);
      assert.equal(toCsv([]), `${CSV_COLUMNS.join(',')}\r\n`);
    });

    it('reads back the values, with quoting undone and the guard visible', () => {
      const rows = parseCsv(toCsv(entries));
      const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
      assert.deepEqual(
        ['otp_id', 'label', 'status', 'ok', 'http_status', 'operation'].map((c) => col(rows[1], c as never)),
        [A, nasty, 'APPROVED', 'true', '200', 'status'],
      );
      assert.deepEqual(JSON.parse(col(rows[1], 'body')), { status: 'APPROVED', note: '=cmd|"/c calc"!A1' });
      assert.deepEqual(
        ['repeat', 'last_checked_at', 'profile', 'attempts'].map((c) => col(rows[2], c as never)),
        ['3', '2026-11-25T10:00:03.000Z', 'staging', '2'],
      );
      assert.deepEqual(
        ['resend_of', 'operation', 'ok', 'error_kind', 'error_code', 'error_message', 'retry_after_seconds', 'body', 'status'].map((c) =>
          col(rows[3], c as never),
        ),
        [A, 'resend', 'false', 'not-found', 'MESSAGE_LOG_NOT_EXISTS', "'-not found, sorry", '4', "'@raw text", ''],
      );
    });

    it('starts no cell with a formula character', () => {
      for (const row of parseCsv(toCsv(entries)).slice(1)) {
        for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `cell ${JSON.stringify(cell)}`);
      }
    });
  });

  describe('toExportJson', () => {
    it('is the history document with a format marker, and imports back unchanged', async () => {
      const entries: HistoryEntry[] = [
        { otpId: A, label: 'signup test', checks: [at(A, '2026-11-25T10:00:00.000Z', { profile: 'staging', attempts: 2 })] },
        { otpId: B, resendOf: A, checks: [at(B, '2026-11-25T09:00:00.000Z', { operation: 'resend' })] },
      ];
      const text = toExportJson(entries, new Date('2026-11-26T00:00:00Z'));
      const raw = JSON.parse(text) as Record<string, unknown>;
      assert.deepEqual([raw.format, raw.version, raw.exportedAt], [EXPORT_FORMAT, HISTORY_SCHEMA_VERSION, '2026-11-26T00:00:00.000Z']);
      assert.ok(text.endsWith('}\n'));
      const parsed = await parseImport(text);
      assert.ok(parsed.ok);
      assert.deepEqual(parsed.entries, entries);
      assert.deepEqual([parsed.checks, parsed.badRows, parsed.firstProblem], [2, 0, undefined]);
    });
  });

  describe('phone numbers in exports', () => {
    const phoneEntries: HistoryEntry[] = [
      { otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z', { operation: 'send', body: { otp_id: A, status: 'OPEN', recipient: '+971501234567' } })] },
    ];

    it('JSON: masked by default, and the document says so; shown in full only when asked, and says that', async () => {
      const masked = JSON.parse(toExportJson(phoneEntries, new Date('2026-11-26T00:00:00Z'))) as { recipients: string; entries: HistoryEntry[] };
      assert.equal(masked.recipients, 'masked');
      assert.deepEqual(masked.entries[0].checks[0].body, { otp_id: A, status: 'OPEN', recipient: '+97150•••4567' });
      const shown = JSON.parse(toExportJson(phoneEntries, new Date('2026-11-26T00:00:00Z'), 'shown')) as { recipients: string; entries: HistoryEntry[] };
      assert.equal(shown.recipients, 'shown');
      assert.deepEqual(shown.entries[0].checks[0].body, { otp_id: A, status: 'OPEN', recipient: '+971501234567' });
      assert.ok((await parseImport(toExportJson(phoneEntries))).ok, 'a masked export imports');
    });

    it('CSV: masked by default; the last column of every row says masked or shown', () => {
      const col = (rows: string[][], name: (typeof CSV_COLUMNS)[number]) => rows[1][CSV_COLUMNS.indexOf(name)];
      const masked = parseCsv(toCsv(phoneEntries));
      assert.equal(CSV_COLUMNS.at(-1), 'recipients');
      assert.deepEqual([JSON.parse(col(masked, 'body')).recipient, col(masked, 'recipients')], ['+97150•••4567', 'masked']);
      const shown = parseCsv(toCsv(phoneEntries, 'shown'));
      assert.deepEqual([JSON.parse(col(shown, 'body')).recipient, col(shown, 'recipients')], ['+971501234567', 'shown']);
    });
  });

  describe('parseImport', () => {
    it('refuses what is not JSON, a newer schema, another shape, a missing list', async () => {
      const refused = async (text: string) => {
        const parsed = await parseImport(text);
        assert.ok(!parsed.ok, text);
        return english(parsed.message);
      };
      assert.match(await refused('otp_id,status\r\n'), /^The file is not JSON \(.+\)\. Import reads the JSON export\.$/);
      assert.equal(
        await refused(JSON.stringify({ version: 99, entries: [] })),
        'The file was written by a newer version (schema 99); update the extension to import it.',
      );
      assert.equal(await refused(JSON.stringify({ version: 'x', entries: [] })), 'The file is not a D7 OTP history export (schema version "x").');
      assert.equal(await refused(JSON.stringify({ entries: [] })), 'The file is not a D7 OTP history export (schema version missing).');
      assert.equal(await refused('42'), 'The file is not a D7 OTP history export.');
      assert.equal(await refused(JSON.stringify({ version: HISTORY_SCHEMA_VERSION })), 'The file has no list of entries.');
      for (const version of [0, -1, 0.5]) {
        assert.equal(await refused(JSON.stringify({ version, entries: [] })), `The file is not a D7 OTP history export (schema version ${version}).`);
      }
      assert.equal(
        await refused(JSON.stringify({ version: 2, entries: [] })),
        'The file was written by a newer version (schema 2); update the extension to import it.',
      );
    });

    it('accepts a bare array of entries and a leading byte-order mark', async () => {
      const parsed = await parseImport(`\uFEFF${JSON.stringify([{ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] }])}`);
      assert.ok(parsed.ok);
      assert.equal(parsed.entries.length, 1);
      // only a mark in front is dropped: one inside the data (a body D7 sent) stays as it was
      const inside = await parseImport(`${JSON.stringify([{ otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z', { body: { note: 'a\uFEFFb' } })] }])}`);
      assert.ok(inside.ok);
      assert.deepEqual(inside.entries[0].checks[0].body, { note: 'a\uFEFFb' });
    });

    it('skips bad rows, counts them, names the first reason, and keeps every good check', async () => {
      const text = JSON.stringify({
        version: HISTORY_SCHEMA_VERSION,
        entries: [
          {
            otpId: A,
            checks: [
              at(A, '2026-11-25T10:00:00.000Z'),
              at(A, 'yesterday-ish'),
              at(A, '2026-11-25T11:00:00.000Z', { status: 'APPROVED' }),
              { ...at(A, '2026-11-25T12:00:00.000Z'), durationMs: 'fast' },
            ],
          },
          'not an entry',
          { otpId: 'not-a-uuid', checks: [at(B, '2026-11-25T10:00:00.000Z')] },
          { otpId: B, checks: [] },
          { otpId: C, checks: [at(B, '2026-11-25T10:00:00.000Z'), { ...at(C, '2026-11-25T10:00:00.000Z'), ok: false }] },
        ],
      });
      const parsed = await parseImport(text);
      assert.ok(parsed.ok);
      assert.deepEqual(
        parsed.entries.map((e) => e.otpId),
        [A],
      );
      assert.deepEqual(
        parsed.entries[0].checks.map((c) => c.status),
        ['OPEN', 'APPROVED'],
      );
      assert.deepEqual([parsed.checks, parsed.badRows], [2, 7]);
      assert.equal(words(parsed.firstProblem), `entry 1 (${A}), check 2: checkedAt is not an ISO date`);
    });

    it('names where a bad entry is: by position, with its otp_id when it has one', async () => {
      const first = async (entries: unknown[]) => {
        const parsed = await parseImport(JSON.stringify(entries));
        assert.ok(parsed.ok);
        return words(parsed.firstProblem);
      };
      assert.equal(await first(['x']), 'entry 1: not an object');
      assert.equal(
        await first([
          { otpId: A, checks: [at(A, '2026-11-25T10:00:00.000Z')] },
          { otpId: B, checks: [] },
        ]),
        `entry 2 (${B}): no list of checks`,
      );
      assert.equal(await first([{ otpId: '[x](command:y)\n', checks: [] }]), 'entry 1: otpId is not a UUID');
    });

    it('explains each kind of bad check', async () => {
      const reason = async (bad: unknown) => {
        const parsed = await parseImport(JSON.stringify([{ otpId: A, checks: [bad] }]));
        assert.ok(parsed.ok);
        assert.equal(parsed.badRows, 1);
        return words(parsed.firstProblem)?.replace(`entry 1 (${A}), check 1: `, '');
      };
      const good = at(A, '2026-11-25T10:00:00.000Z');
      assert.equal(await reason(null), 'not an object');
      assert.equal(await reason({ ...good, ok: 'yes' }), 'ok is not true or false');
      assert.equal(await reason({ ...good, status: 7 }), 'status is not text');
      assert.equal(await reason({ ...good, httpStatus: '200' }), 'httpStatus is not an HTTP status code');
      assert.equal(await reason({ ...good, ok: false, error: { kind: 'network' } }), 'error.message is not text');
      assert.equal(await reason({ ...good, ok: false }), 'a failed check without an error');
      assert.equal(await reason({ ...good, otpId: B }), `its otpId is not ${A}`);
    });

    it('caps long strings and labels as stored history does', async () => {
      const long = 'x'.repeat(MAX_STORED_STRING + 100);
      const parsed = await parseImport(
        JSON.stringify([{ otpId: A, label: ` ${'l'.repeat(500)} `, checks: [at(A, '2026-11-25T10:00:00.000Z', { body: { note: long } })] }]),
      );
      assert.ok(parsed.ok);
      assert.equal(parsed.entries[0].label?.length, 200);
      const note = (parsed.entries[0].checks[0].body as { note: string }).note;
      assert.ok(note.length < long.length && note.includes('more characters not kept'));
    });
  });
});
