import * as assert from 'node:assert/strict';
import type { FiledCheck, HistoryEntry } from '../../../../src/core/check';
import { english } from '../../../../src/core/messages';
import type { TextPart } from '../../../../src/core/text';
import {
  checkFields,
  checkRow,
  entryRow,
  fieldRow,
  iconOf,
  infoRows,
  outcomeText,
  relativeTime,
  rowOutcome,
  rowTimeKey,
  shortAgo,
  type Row,
} from '../../../../src/features/history/rows';
import { RAW_STATUSES } from '../../../cases/responses';
import { HOSTILE_TEXTS } from '../../../cases/text';
import { assertInertLine, check, entryOf, otpId, ROW_NOW, rowContext, UNSAFE_CHARS, uuid, type CheckSpec } from '../../helpers';

const ID = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const OTHER = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');
const ctx = rowContext();
const ago = (ms: number) => new Date(ROW_NOW - ms).toISOString();
/** A record of ID seen 2 s before "now" (or `ms` before). */
const recent = (spec: CheckSpec = {}, ms = 2000) => check(ID, { checkedAt: ago(ms), ...spec });
const NOT_FOUND = {
  kind: 'not-found' as const,
  code: 'MESSAGE_LOG_NOT_EXISTS',
  message: 'No OTP with this id (MESSAGE_LOG_NOT_EXISTS): Given message otp id not exists in the system. Please Try Again!',
};
const ISSUES = [
  { loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' },
  { loc: ['query', 'x'], msg: 'extra fields not permitted', type: 'value_error.extra' },
];
const texts = (parts: TextPart[]) => parts.map((p) => Object.values(p)[0]).filter((v): v is string => typeof v === 'string');
const fieldsOf = (c: FiledCheck) => Object.fromEntries(checkFields(c, ctx));

/** Every row under a field, as the view builds them (nodes.ts): positional ids, an object's keys as children. */
function fieldTree(parentId: string, index: number, name: string, value: unknown): Row[] {
  const row = fieldRow(parentId, index, name, value);
  const children = value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([k, v], i) => fieldTree(row.id, i, k, v)) : [];
  return [row, ...children];
}
/** Every row of an entry: its root, info rows, checks and their fields. */
function entryTree(entry: HistoryEntry, all: HistoryEntry[] = [entry], watchedSince?: number): Row[] {
  const checks = entry.checks.flatMap((c, i) => {
    const row = checkRow(entry, c, i, ctx);
    return [row, ...checkFields(c, ctx).flatMap(([name, value], j) => fieldTree(row.id, j, name, value))];
  });
  return [entryRow(entry, ctx, watchedSince), ...infoRows(entry, all, ctx), ...checks];
}

describe('features/history/rows', () => {
  describe('entryRow', () => {
    const icons: [string, FiledCheck, string, string, string][] = [
      ['OPEN', recent({ status: 'OPEN' }), 'clock', 'charts.blue', 'OPEN · just now'],
      ['APPROVED', recent({ status: 'APPROVED' }), 'pass-filled', 'charts.green', 'APPROVED · just now'],
      ['ALREADY_VERIFIED', recent({ status: 'ALREADY_VERIFIED' }), 'pass-filled', 'charts.green', 'ALREADY_VERIFIED · just now'],
      ['EXPIRED', recent({ status: 'EXPIRED' }), 'warning', 'list.warningForeground', 'EXPIRED · just now'],
      ['FAILED', recent({ status: 'FAILED' }), 'circle-slash', 'testing.iconFailed', 'FAILED · just now'],
      ['unknown PENDING_REVIEW', recent({ status: 'PENDING_REVIEW' }), 'question', 'charts.purple', 'unknown: PENDING_REVIEW · just now'], // the row: raw
      ['a failed lookup (404)', recent({ httpStatus: 404, error: NOT_FOUND }), 'error', 'list.errorForeground', 'not found: MESSAGE_LOG_NOT_EXISTS · just now'],
      [
        'a failed lookup (502)',
        recent({ httpStatus: 502, error: { kind: 'server', message: 'D7 server error (HTTP 502 Bad Gateway). Try again later.' } }),
        'error',
        'list.errorForeground',
        'server error · just now',
      ],
    ];
    for (const [what, latest, iconId, color, first] of icons) {
      const [outcome, when] = first.split(' · ');
      const lead = outcome.replace(/^unknown: /, ''); // an unknown status leads raw: its icon says it is unknown
      it(`${what}: label "${lead} · now · <otp_id>" (status first), icon ${iconId} in ${color}, contextValue entry, expandable`, () => {
        const row = entryRow(entryOf([latest]), ctx);
        assert.deepEqual(
          [row.label, row.description, row.icon, row.contextValue, row.expandable, row.id],
          [`${lead} · now · ${ID}`, '', { id: iconId, color }, 'entry', true, `entry:${ID}`],
        );
        assert.equal(row.accessibility, `${outcome}, ${when}, otp_id ${ID}`);
        assert.deepEqual(row.tooltip?.().at(-1), { text: '1 check(s) recorded' });
      });
    }

    it('reads at the default side bar width: the status comes first and the otp_id last, where the width cuts it', () => {
      const row = entryRow(entryOf([recent({ status: 'APPROVED' })], { label: 'signup' }), ctx);
      assert.ok(row.label.startsWith('APPROVED · '), row.label);
      assert.ok(row.label.endsWith(ID), 'the whole otp_id stays in the label, so type-to-filter finds it');
      assert.ok(row.label.indexOf('APPROVED') < row.label.indexOf('signup') && row.label.indexOf('signup') < row.label.indexOf(ID));
    });

    it('follows the latest check, and its last sighting for the time', () => {
      const row = entryRow(entryOf([recent({ status: 'APPROVED', repeat: 3, lastCheckedAt: ago(90_000) }, 600_000), recent({}, 700_000)]), ctx);
      assert.equal(row.label, `APPROVED · 1 min · ${ID}`);
      assert.deepEqual(row.icon, { id: 'pass-filled', color: 'charts.green' });
    });

    it('a check whose time cannot be read: the row says no time, in its label or its accessibility text', () => {
      const row = entryRow(entryOf([recent({ checkedAt: 'not a date' })]), ctx);
      assert.equal(row.label, `OPEN · ${ID}`);
      assert.equal(row.accessibility, `OPEN, otp_id ${ID}`);
    });

    it("a label goes into the row's label (type-to-filter finds it), and the accessibility text", () => {
      const row = entryRow(entryOf([recent()], { label: 'signup test, iPhone' }), ctx);
      assert.equal(row.label, `OPEN · now · signup test, iPhone · ${ID}`);
      assert.equal(row.accessibility, `OPEN, just now, signup test, iPhone, otp_id ${ID}`);
      const long = entryRow(entryOf([recent()], { label: `a\u202eb\n${'l'.repeat(100)}` }), ctx);
      assert.equal(long.label, `OPEN · now · a\uFFFDb ${'l'.repeat(56)}… · ${ID}`);
    });

    it('a watched entry: "watching …" first, the spinning icon, contextValue entry.watching', () => {
      const entry = entryOf([recent()]);
      const watched = entryRow(entry, ctx, ROW_NOW - 12_000);
      assert.deepEqual(
        [watched.label, watched.icon, watched.contextValue, watched.accessibility],
        [`OPEN · watching 12 s · ${ID}`, { id: 'loading~spin' }, 'entry.watching', `OPEN, watching 12 s, otp_id ${ID}`],
      );
      assert.equal(entryRow(entry, ctx, ROW_NOW - 125_000).label, `OPEN · watching 2 min 5 s · ${ID}`);
      const idle = entryRow(entry, ctx);
      assert.deepEqual([idle.contextValue, idle.icon?.id], ['entry', 'clock']);
    });

    it('one row id per otp_id, in any case', () => {
      assert.equal(entryRow(entryOf([check(otpId(ID.toUpperCase()))]), ctx).id, entryRow(entryOf([check(ID)]), ctx).id);
    });

    it('the tooltip: the otp_id as code, the label, the latest check, the timeline, the count', () => {
      const entry = entryOf(
        [recent({ status: 'APPROVED', checkedAt: '2026-11-25T10:01:40.000Z' }), recent({ checkedAt: '2026-11-25T10:01:03.000Z', durationMs: 7.4 })],
        { label: 'signup' },
      );
      assert.deepEqual(entryRow(entry, ctx).tooltip?.(), [
        { bold: 'otp_id' },
        { text: ' ' },
        { code: ID, language: '' },
        { paragraph: true },
        { bold: 'Label' },
        { text: ' signup' },
        { paragraph: true },
        { bold: 'APPROVED' },
        { paragraph: true },
        { text: '2026-11-25 10:01:40 · HTTP 200 · 12 ms' },
        { paragraph: true },
        { bold: 'Timeline' },
        { text: ' OPEN 10:01:03 → APPROVED 10:01:40 (37 s)' },
        { paragraph: true },
        { text: '2 check(s) recorded' },
      ]);
    });
  });

  describe('checkRow', () => {
    it('a check: "outcome · time of day", "HTTP · ms", icon, contextValue check, expandable with body fields', () => {
      const entry = entryOf([recent({ status: 'APPROVED', durationMs: 41.6 }), recent({}, 60_000)]);
      const rows = entry.checks.map((c, i) => checkRow(entry, c, i, ctx));
      assert.deepEqual(
        rows.map((r) => [r.label, r.description, r.icon?.id, r.contextValue, r.expandable]),
        [
          [`APPROVED · ${ago(2000).slice(11, 19)}`, 'HTTP 200 · 42 ms', 'pass-filled', 'check', true],
          [`OPEN · ${ago(60_000).slice(11, 19)}`, 'HTTP 200 · 12 ms', 'clock', 'check', true],
        ],
      );
      assert.equal(rows[0].accessibility, `APPROVED, checked ${ago(2000).slice(0, 10)} ${ago(2000).slice(11, 19)}, HTTP 200 · 42 ms`);
      assert.notEqual(rows[0].id, rows[1].id);
      assert.deepEqual(rows[0].tooltip?.().slice(0, 3), [
        { bold: 'APPROVED' },
        { paragraph: true },
        { text: `${ago(2000).slice(0, 10)} ${ago(2000).slice(11, 19)} · HTTP 200 · 42 ms` },
      ]);
    });

    it('a check of another day shows the date too', () => {
      const old = check(ID, { checkedAt: '2026-11-22T09:00:00.000Z' });
      assert.equal(checkRow(entryOf([old]), old, 0, ctx).label, 'OPEN · 2026-11-22 09:00:00');
    });

    it('names the operation (not for status), the repeats, and no HTTP code when no answer came', () => {
      const rowOf = (c: FiledCheck) => checkRow(entryOf([c]), c, 0, ctx).description;
      assert.equal(rowOf(recent({ operation: 'verify', status: 'APPROVED' })), 'verify · HTTP 200 · 12 ms');
      assert.equal(rowOf(recent({ operation: 'status', repeat: 4 })), 'HTTP 200 · 12 ms · ×4');
      const failed = recent({ durationMs: 9, error: { kind: 'network', message: 'Could not connect' } });
      assert.equal(rowOf(failed), '9 ms');
      assert.match(checkRow(entryOf([failed]), failed, 0, ctx).label, /^network error · /);
    });

    it('a failed check (404): "not found: code · HTTP 404 · ms", the error icon, its message and issues in the tooltip', () => {
      const failed = recent({ httpStatus: 404, durationMs: 7, error: { ...NOT_FOUND, issues: ISSUES } });
      const row = checkRow(entryOf([failed]), failed, 0, ctx);
      assert.deepEqual(
        [row.label.split(' · ')[0], row.description, row.icon],
        ['not found: MESSAGE_LOG_NOT_EXISTS', 'HTTP 404 · 7 ms', { id: 'error', color: 'list.errorForeground' }],
      );
      assert.deepEqual(row.tooltip?.().slice(3), [
        { paragraph: true },
        { text: NOT_FOUND.message },
        { item: 'path.otp_id: value is not a valid uuid' },
        { item: 'query.x: extra fields not permitted' },
      ]);
    });

    it('is not expandable when it has nothing to show under it', () => {
      const bare = recent({ body: undefined });
      assert.equal(checkRow(entryOf([bare]), bare, 0, ctx).expandable, false);
    });
  });

  describe('checkFields', () => {
    it('the body fields of a check', () => {
      assert.deepEqual(fieldsOf(recent({ body: { status: 'OPEN', otp_id: ID, recipient: '+9715XXXXXXX', expiry: 600 } })), {
        status: 'OPEN',
        otp_id: ID,
        recipient: '+9715XXXXXXX',
        expiry: 600,
      });
    });

    it('a failed check: error, kind, code, then the body without the detail already shown', () => {
      const body = { detail: { code: NOT_FOUND.code, message: 'Given message otp id not exists' }, request_id: 'r-1' };
      assert.deepEqual(checkFields(recent({ httpStatus: 404, body, error: NOT_FOUND }), ctx), [
        ['error', NOT_FOUND.message],
        ['kind', 'not-found'],
        ['code', NOT_FOUND.code],
        ['request_id', 'r-1'],
      ]);
    });

    it("a 429: the Retry-After it asked for, and D7's detail (no code or issues to show it)", () => {
      const fields = fieldsOf(
        recent({ httpStatus: 429, body: { detail: 'Too Many Requests' }, error: { kind: 'rate-limited', message: 'x', retryAfterSeconds: 1 } }),
      );
      assert.deepEqual([fields.kind, fields['retry after'], fields.detail], ['rate-limited', '1 s', 'Too Many Requests']);
    });

    it('each 422 issue is a row (loc: msg (type)); an issue without a location or type too', () => {
      const issues = [...ISSUES, { loc: [], msg: 'whole body', type: '' }];
      const c = recent({
        httpStatus: 422,
        body: { detail: issues },
        error: { kind: 'validation', message: 'D7 refused the request (HTTP 422): path.otp_id: value is not a valid uuid', issues },
      });
      assert.deepEqual(checkFields(c, ctx), [
        ['error', 'D7 refused the request (HTTP 422): path.otp_id: value is not a valid uuid'],
        ['kind', 'validation'],
        ['path.otp_id', 'value is not a valid uuid (type_error.uuid)'],
        ['query.x', 'extra fields not permitted (value_error.extra)'],
        ['detail', 'whole body'],
      ]);
      assert.equal(entryRow(entryOf([c]), ctx).label, `refused · now · ${ID}`);
    });

    it('a body that is not an object is one row; a cut body, retries and a non-default profile are said', () => {
      assert.deepEqual(checkFields(recent({ body: '<h1>502 Bad Gateway</h1>', error: { kind: 'server', message: 'x' } }), ctx).slice(2), [
        ['body', '<h1>502 Bad Gateway</h1>'],
      ]);
      assert.deepEqual(checkFields(recent({ body: [1, 2] }), ctx), [['body', [1, 2]]]);
      assert.deepEqual(checkFields(recent({ body: null }), ctx), [['body', null]]);
      assert.deepEqual(checkFields(recent({ body: 'x', bodyTruncated: true, attempts: 3, profile: 'staging' }), ctx), [
        ['body', 'x'],
        ['body size', 'larger than the cap; cut'],
        ['attempts', 3],
        ['profile', 'staging'],
      ]);
      assert.deepEqual(checkFields(recent({ body: undefined, attempts: 1, profile: 'default' }), ctx), []);
    });
  });

  describe('phone numbers', () => {
    const withPhone = recent({ operation: 'send', body: { status: 'OPEN', recipient: '+971501234567' } });

    it('field rows and tooltips show them masked by default, in full when shown', () => {
      assert.equal(fieldsOf(withPhone).recipient, '+97150•••4567');
      assert.equal(Object.fromEntries(checkFields(withPhone, { ...ctx, masked: () => false })).recipient, '+971501234567');
      const failed = recent({ httpStatus: 422, error: { kind: 'validation', message: 'bad recipient +971501234567' }, body: undefined });
      assert.ok(texts(checkRow(entryOf([failed]), failed, 0, ctx).tooltip?.() ?? []).includes('bad recipient +97150•••4567'));
    });
  });

  describe('fieldRow', () => {
    it('a scalar: its text, not expandable, the full value in the tooltip', () => {
      const row = fieldRow('p', 3, 'expiry', 600);
      assert.deepEqual([row.id, row.label, row.description, row.contextValue, row.expandable], ['p/3', 'expiry', '600', 'field', false]);
      assert.deepEqual(row.tooltip?.(), [{ bold: 'expiry' }, { paragraph: true }, { code: '600', language: 'json' }]);
      assert.deepEqual(fieldRow('p', 0, 'note', 'a "b"').tooltip?.()[2], { code: 'a "b"', language: 'json' });
    });

    it('nested values expand into their own rows: {…} and [n]', () => {
      const rows = fieldTree('check', 0, 'meta', { channel: 'sms', tries: [1, 2], none: {} });
      assert.deepEqual(
        rows.map((r) => [r.id, r.label, r.description, r.expandable]),
        [
          ['check/0', 'meta', '{…}', true],
          ['check/0/0', 'channel', 'sms', false],
          ['check/0/1', 'tries', '[2]', true],
          ['check/0/1/0', '0', '1', false],
          ['check/0/1/1', '1', '2', false],
          ['check/0/2', 'none', '{}', false],
        ],
      );
    });

    it('11.8: ids are positional, so never repeated: a body key "error" beside the error row, two issues on one loc, "x/y" beside x: {y}', () => {
      const issues = [
        { loc: ['body', 'x'], msg: 'a', type: 't' },
        { loc: ['body', 'x'], msg: 'b', type: 't' },
      ];
      const c = recent({ httpStatus: 422, body: { error: 'theirs', 'x/y': 1, x: { y: 2 } }, error: { kind: 'validation', message: 'ours', issues } });
      const ids = entryTree(entryOf([c])).map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, ids.join('\n'));
      assert.deepEqual(
        checkFields(c, ctx).map(([name]) => name),
        ['error', 'kind', 'body.x', 'body.x', 'error', 'x/y', 'x'],
      );
    });
  });

  describe('infoRows', () => {
    const verifyFlow = entryOf([
      check(ID, { checkedAt: '2026-11-25T10:02:00.000Z', operation: 'verify', status: 'ALREADY_VERIFIED' }),
      check(ID, { checkedAt: '2026-11-25T10:01:40.000Z', operation: 'verify', status: 'APPROVED' }),
      check(ID, { checkedAt: '2026-11-25T10:01:03.000Z', operation: 'send' }),
    ]);

    it('the timeline row comes first: label Timeline, the steps with times and durations', () => {
      const [timeline] = infoRows(verifyFlow, [verifyFlow], ctx);
      const text = 'OPEN 10:01:03 → APPROVED 10:01:40 (37 s) → ALREADY_VERIFIED 10:02:00 (20 s)';
      assert.deepEqual(
        [timeline.id, timeline.label, timeline.description, timeline.icon, timeline.contextValue, timeline.expandable],
        [`timeline:${ID}`, 'Timeline', text, { id: 'git-commit' }, 'info', false],
      );
      assert.deepEqual(timeline.tooltip?.(), [{ text }]);
    });

    it('no timeline for an entry of failed lookups only', () => {
      assert.deepEqual(infoRows(entryOf([recent({ error: { kind: 'network', message: 'x' } })]), [], ctx), []);
    });

    it('links a resend both ways: "Resent from" the original, "Resent as" each new id (matched in any case); a click reveals it', () => {
      const resent = entryOf([check(OTHER, { operation: 'resend' })], { resendOf: otpId(ID.toUpperCase()) });
      const second = entryOf([check(uuid(3), { operation: 'resend' })], { resendOf: ID });
      const all = [second, resent, verifyFlow];
      const original = infoRows(verifyFlow, all, ctx).slice(1);
      assert.deepEqual(
        original.map((r) => [r.label, r.description, r.reveals, r.icon?.id, r.contextValue]),
        [
          ['Resent as', uuid(3), uuid(3), 'arrow-down', 'link'],
          ['Resent as', OTHER, OTHER, 'arrow-down', 'link'],
        ],
      );
      assert.notEqual(original[0].id, original[1].id);
      const from = infoRows(resent, all, ctx).filter((r) => r.contextValue === 'link');
      assert.deepEqual(
        from.map((r) => [r.label, r.description, r.reveals, r.icon?.id]),
        [['Resent from', ID.toUpperCase(), ID.toUpperCase(), 'arrow-up']],
      );
    });
  });

  describe('outcomeText', () => {
    it('known statuses in capitals, unknown ones raw after "unknown:", failures by kind and code', () => {
      const cases: [FiledCheck, string][] = [
        [recent({ status: ' approved ' }), 'APPROVED'],
        [recent({ status: 'PENDING_REVIEW' }), 'unknown: PENDING_REVIEW'],
        [recent({ error: { kind: 'validation', code: 'INVALID_OTP_CODE', message: 'x' } }), 'refused: INVALID_OTP_CODE'],
        [recent({ error: { kind: 'timeout', message: 'x' } }), 'timed out'],
        [recent({ error: { kind: 'config', message: 'x' } }), 'not sent'],
      ];
      for (const [c, text] of cases) assert.equal(outcomeText(c, english), text);
    });

    it(`hostile statuses and error codes (${HOSTILE_TEXTS.length + RAW_STATUSES.length} values): one bounded inert line`, () => {
      for (const value of [...HOSTILE_TEXTS, ...RAW_STATUSES.map(([, s]) => s)]) {
        assertInertLine(outcomeText(recent({ status: value }), english), `status ${JSON.stringify(value.slice(0, 30))}`, 90);
        assertInertLine(
          outcomeText(recent({ error: { kind: 'not-found', code: value, message: value } }), english),
          `code ${JSON.stringify(value.slice(0, 30))}`,
          60,
        );
      }
    });
  });

  describe('relativeTime', () => {
    it('says how long ago, in buckets', () => {
      const cases: [number, string | undefined][] = [
        [0, 'just now'],
        [9_400, 'just now'],
        [-60_000, 'just now'],
        [9_600, '10 s ago'],
        [59_000, '59 s ago'],
        [60_000, '1 min ago'],
        [3_599_000, '59 min ago'],
        [3_600_000, '1 h ago'],
        [86_399_000, '23 h ago'],
        [86_400_000, '1 d ago'],
        [30 * 86_400_000, '30 d ago'],
      ];
      for (const [ms, text] of cases) assert.equal(english(relativeTime(ago(ms), ROW_NOW) ?? { id: 'typeNull', args: [] }), text, String(ms));
      assert.equal(relativeTime('not a date', ROW_NOW), undefined);
    });
  });

  describe('shortAgo and rowOutcome (what a row leads with)', () => {
    it('says how long ago in as few characters as a row can afford', () => {
      const cases: [number, string][] = [
        [0, 'now'],
        [9_400, 'now'],
        [45_000, '45 s'],
        [125_000, '2 min'],
        [3 * 3_600_000, '3 h'],
        [5 * 86_400_000, '5 d'],
        // each unit from its first second on
        [10_000, '10 s'],
        [59_000, '59 s'],
        [60_000, '1 min'],
        [3_599_000, '59 min'],
        [3_600_000, '1 h'],
        [86_399_000, '23 h'],
        [86_400_000, '1 d'],
      ];
      for (const [ms, text] of cases) assert.equal(english(shortAgo(ago(ms), ROW_NOW) ?? { id: 'typeNull', args: [] }), text, String(ms));
      assert.equal(shortAgo('not a date', ROW_NOW), undefined);
    });

    it('a known status in capitals, an unknown one raw (inert), a failure as outcomeText says it', () => {
      assert.equal(rowOutcome(recent({ status: ' approved ' }), english), 'APPROVED');
      assert.equal(rowOutcome(recent({ status: 'PENDING_REVIEW' }), english), 'PENDING_REVIEW');
      assert.equal(rowOutcome(recent({ status: '[x](command:y)' }), english), '[x] (command:y)');
      assert.equal(rowOutcome(recent({ httpStatus: 404, error: NOT_FOUND }), english), 'not found: MESSAGE_LOG_NOT_EXISTS');
    });
  });

  describe('iconOf', () => {
    it('is the status\'s tone, or "lookup failed"', () => {
      assert.deepEqual(iconOf(recent({ status: 'open' })), { id: 'clock', color: 'charts.blue' });
      assert.deepEqual(iconOf(recent({ error: { kind: 'cancelled', message: 'x' } })), { id: 'error', color: 'list.errorForeground' });
    });
  });

  describe('hostile values in every row', () => {
    const markup = RAW_STATUSES[1][1];
    const entries: [string, HistoryEntry][] = [
      ...RAW_STATUSES.map(([name, status]): [string, HistoryEntry] => [
        name,
        entryOf([recent({ status, body: { status, [status.slice(0, 50)]: status } }), recent({ status }, 60_000)]),
      ]),
      [
        'html200',
        entryOf([
          recent({
            body: '<!DOCTYPE html><html><body><h1>It works!</h1></body></html>',
            error: { kind: 'bad-response', message: 'D7 answered HTTP 200 with a body that is not JSON.' },
          }),
        ]),
      ],
      [
        'huge',
        entryOf([recent({ bodyTruncated: true, body: '{"status":"OPEN","padding":"' + 'x'.repeat(5000), error: { kind: 'bad-response', message: 'cut' } })]),
      ],
      [
        'hostile error',
        entryOf(
          [
            recent({
              httpStatus: 422,
              body: { detail: HOSTILE_TEXTS[0] },
              error: {
                kind: 'validation',
                code: HOSTILE_TEXTS[2],
                message: HOSTILE_TEXTS[0],
                issues: [{ loc: [HOSTILE_TEXTS[1], 0], msg: HOSTILE_TEXTS[0], type: HOSTILE_TEXTS[2] }],
              },
            }),
          ],
          { label: HOSTILE_TEXTS[1] },
        ),
      ],
    ];
    for (const [what, entry] of entries) {
      it(`${what}: every label, description and accessibility text one printable bounded line; no link or icon in an outcome`, () => {
        const rows = entryTree(entry, [entry], ROW_NOW - 3000);
        assert.ok(rows.length >= 3, `${rows.length} rows`);
        for (const row of rows) {
          const where = `${what} / ${row.id.slice(0, 60)}`;
          for (const text of [row.label, row.description, row.accessibility ?? '']) assert.doesNotMatch(text, UNSAFE_CHARS, where);
          assert.ok(row.label.length <= 300 && row.description.length <= 400, `${where}: bounded`);
        }
        const bold = (entryRow(entry, ctx).tooltip?.() ?? []).flatMap((p) => ('bold' in p ? [p.bold] : []));
        for (const text of bold) assert.ok(!text.includes('](') && !text.includes('$('), `${what}: tooltip heading ${JSON.stringify(text)}`);
      });
    }

    it('markup in a status: the outcome is inert text in the tooltip (no command link, no icon syntax)', () => {
      const entry = entryOf([recent({ status: markup, body: undefined })]);
      const [outcome] = texts(entryRow(entry, ctx).tooltip?.() ?? []).filter((t) => t.includes('onerror'));
      assert.equal(outcome, 'unknown: <img src=x onerror=alert(1)>**bold** [x] (command:workbench.action.quit)…');
      assert.equal(outcomeText(recent({ status: '$(alert) [x](command:y)' }), english), 'unknown: $ (alert) [x] (command:y)');
      assert.equal(entryRow(entry, ctx).icon?.id, 'question');
    });
  });

  describe('rowTimeKey (when the tree may reuse a root node)', () => {
    const entry = entryOf([check(uuid(7))]);
    const seen = Date.parse(entry.checks[0].checkedAt);
    const row = (now: number) => entryRow(entry, rowContext(now)).label;

    it('is the same exactly when the row reads the same', () => {
      // Moments around every unit boundary: equal keys must give equal rows, and different rows different keys.
      const moments = [
        0, 4_000, 9_600, 10_000, 10_400, 30_000, 59_400, 60_000, 60_400, 119_000, 120_000, 3_599_000, 3_600_000, 3_601_000, 5_000_000, 7_199_000, 7_200_000,
        86_399_000, 86_400_000, 86_401_000, 100_000_000, 172_799_000, 200_000_000,
      ];
      for (const a of moments) {
        for (const b of moments) {
          const same = rowTimeKey(entry, seen + a, true) === rowTimeKey(entry, seen + b, true);
          assert.equal(same, row(seen + a) === row(seen + b), `${a} ms and ${b} ms after the check: ${row(seen + a)} / ${row(seen + b)}`);
        }
      }
    });

    it('a check whose time cannot be read has a key of its own ("x"), the same at every moment', () => {
      const odd = entryOf([check(uuid(7), { checkedAt: 'not a date' })]);
      assert.equal(rowTimeKey(odd, seen, true), rowTimeKey(odd, seen + 86_400_000, true));
      assert.match(rowTimeKey(odd, seen, true), /^x/);
      assert.notEqual(rowTimeKey(odd, seen, true), rowTimeKey(entry, seen, true));
    });

    it('differs when phone numbers are shown instead of masked (the tooltip shows them)', () => {
      assert.notEqual(rowTimeKey(entry, seen, true), rowTimeKey(entry, seen, false));
    });
  });
});
