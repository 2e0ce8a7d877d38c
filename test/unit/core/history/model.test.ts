import * as assert from 'node:assert/strict';
import { compactCheck, countChecks, HISTORY_SCHEMA_VERSION, MAX_STORED_BODY, MAX_STORED_STRING, parseHistory } from '../../../../src/core/history/model';
import { english } from '../../../../src/core/messages';
import { at, check, entryOf, otpId, type CheckSpec } from '../../helpers';

const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');
const C = otpId('0012c7f5-2ba5-49db-8901-4ee9be6dc8d1');
const EMPTY = { version: HISTORY_SCHEMA_VERSION, entries: [] };

let clock = 0;
/** A record one second after the previous one. */
const next = (id: typeof A, status = 'OPEN', extra: CheckSpec = {}) => check(id, { checkedAt: at(++clock), status, ...extra });

describe('core/history/model', () => {
  describe('countChecks', () => {
    it('counts the checks of every entry', () => {
      assert.equal(countChecks([entryOf([next(A), next(A)]), entryOf([next(B)])]), 3);
      assert.equal(countChecks([]), 0);
    });
  });

  describe('compactCheck', () => {
    it('cuts oversized strings and bodies before storing, marking each cut', () => {
      const long = 'x'.repeat(100_000);
      const stored = compactCheck(next(A, long, { body: { status: long, nested: { deep: long } } }));
      assert.ok(stored.ok);
      assert.equal(stored.status, `${'x'.repeat(1024)}… [98976 more characters not kept]`);
      const body = stored.body as { status: string; nested: { deep: string } };
      assert.ok(body.status.length < MAX_STORED_STRING + 60);
      assert.match(body.nested.deep, /more characters not kept/);
      const huge = compactCheck(next(A, 'OPEN', { body: { list: Array.from({ length: 900 }, () => 'y'.repeat(4000)) } }));
      assert.equal(typeof huge.body, 'string');
      assert.ok((huge.body as string).length < MAX_STORED_BODY + 60);
    });

    it('a record it made is returned as it is when compacted again (the recorder and the store both compact); a copy of one is compacted anew', () => {
      const once = compactCheck(next(A, 'x'.repeat(5000)));
      assert.equal(compactCheck(once), once);
      const copy = { ...once, durationMs: 1 };
      assert.ok(compactCheck(copy) !== copy);
      assert.deepEqual(compactCheck(copy), copy, 'compacting a bounded record changes nothing');
    });

    it("cuts an error's message, code and issues", () => {
      const issues = Array.from({ length: 150 }, () => ({ loc: ['a'.repeat(300)], msg: 'm'.repeat(2000), type: 't' }));
      const stored = compactCheck(check(A, { error: { kind: 'validation', code: 'C'.repeat(300), message: 'M'.repeat(3000), issues } }));
      assert.ok(!stored.ok);
      assert.ok(stored.error.message.startsWith('M'.repeat(2048)) && stored.error.message.length < 2100);
      assert.ok(stored.error.code?.startsWith('C'.repeat(256)) && stored.error.code.length < 300);
      assert.equal(stored.error.issues?.length, 20);
      assert.ok(stored.error.issues?.every((i) => (i.loc[0] as string).length < 100 && i.msg.length < 560));
      const deep = compactCheck(
        check(A, { error: { kind: 'validation', message: 'm', issues: [{ loc: Array.from({ length: 25 }, (_, i) => i), msg: 'm', type: 't' }] } }),
      );
      assert.ok(!deep.ok);
      assert.deepEqual(deep.error.issues?.[0].loc, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'the first 10 parts of a location');
    });

    it('is idempotent: a check compacted twice (the recorder, then the store) is the check compacted once', () => {
      const long = check(A, { status: 'S'.repeat(5000), body: { note: 'n'.repeat(10_000), big: 'b'.repeat(200_000) } });
      const once = compactCheck(long);
      assert.deepEqual(compactCheck(once), once);
      const failed = check(A, {
        error: {
          kind: 'validation',
          code: 'C'.repeat(999),
          message: 'M'.repeat(9999),
          issues: [{ loc: ['l'.repeat(999)], msg: 'm'.repeat(9999), type: 't'.repeat(999) }],
        },
      });
      assert.deepEqual(compactCheck(compactCheck(failed)), compactCheck(failed));
    });

    it('11.11: a 422 with thousands of long issues and a huge body stores at most 64 KiB, issues included', () => {
      const issues = Array.from({ length: 5000 }, (_, i) => ({ loc: ['body', `f${i}`.repeat(40)], msg: '"\\'.repeat(400), type: 'x'.repeat(200) }));
      const body = { detail: issues, echo: '"'.repeat(200_000) };
      const stored = compactCheck(check(A, { httpStatus: 422, body, error: { kind: 'validation', message: 'M'.repeat(3000), issues } }));
      const size = JSON.stringify(stored).length;
      assert.ok(size <= MAX_STORED_BODY, `${size} characters stored`);
      assert.ok(size > MAX_STORED_BODY / 2, 'the room is used, not thrown away');
      assert.equal(typeof stored.body, 'string', 'the body, too large, is kept as cut JSON text');
    });

    it('11.17, 11.14: keeps a body key "__proto__" a plain key, and bounds nesting', () => {
      const body = JSON.parse('{"__proto__":{"polluted":true},"status":"OPEN"}') as unknown;
      const stored = compactCheck(next(A, 'OPEN', { body })).body as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(stored), Object.prototype);
      assert.deepEqual(Object.keys(stored), ['__proto__', 'status']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      let deep: unknown = 'bottom';
      for (let i = 0; i < 30; i++) deep = { d: deep };
      assert.match(JSON.stringify(compactCheck(next(A, 'OPEN', { body: deep })).body), /nested deeper than 20 levels; not kept/);
    });
  });

  describe('compactCheck: the exact bounds', () => {
    const chain = (levels: number): unknown => {
      let value: unknown = 'leaf';
      for (let i = 0; i < levels; i++) value = { d: value };
      return value;
    };
    const depthOf = (value: unknown): number => (typeof value === 'object' && value !== null ? 1 + depthOf((value as { d: unknown }).d) : 0);
    const bodyOf = (body: unknown) => compactCheck(next(A, 'OPEN', { body })).body;

    it('a body nested 20 levels deep is kept whole; the 21st level is replaced by a marker', () => {
      assert.deepEqual(bodyOf(chain(20)), chain(20));
      const cut = bodyOf(chain(21));
      assert.equal(depthOf(cut), 20);
      assert.match(JSON.stringify(cut), /"d":"… \[nested deeper than 20 levels; not kept\]"\}+$/);
      let list: unknown = 'leaf';
      for (let i = 0; i < 21; i++) list = [list];
      assert.match(JSON.stringify(bodyOf(list)), /^\[{20}"… \[nested deeper than 20 levels; not kept\]"\]{20}$/);
    });

    it('keeps the first 1000 keys of an object and items of a list, no more', () => {
      const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]));
      assert.equal(Object.keys(bodyOf(keys(1000)) as object).length, 1000);
      assert.deepEqual(Object.keys(bodyOf(keys(1001)) as object), Object.keys(keys(1000)));
      assert.deepEqual(
        bodyOf(Array.from({ length: 1001 }, (_, i) => i)),
        Array.from({ length: 1000 }, (_, i) => i),
      );
    });

    it("a stored body holds only the value's own keys, each a plain writable, enumerable, configurable property", () => {
      const body = Object.assign(Object.create({ inherited: 'from the prototype' }) as object, { own: 1 });
      const stored = bodyOf(body) as Record<string, unknown>;
      assert.deepEqual(Object.keys(stored), ['own']);
      assert.equal('inherited' in stored, false);
      assert.deepEqual(Object.getOwnPropertyDescriptor(stored, 'own'), { value: 1, writable: true, enumerable: true, configurable: true });
      const key = 'k'.repeat(300);
      assert.deepEqual(Object.keys(bodyOf({ [key]: 1 }) as object), [`${'k'.repeat(256)}… [44 more characters not kept]`]);
    });

    it('a string of exactly the cap is kept; one more character is cut; a string cut before is not cut again', () => {
      assert.equal(bodyOf('s'.repeat(MAX_STORED_STRING)), 's'.repeat(MAX_STORED_STRING));
      assert.equal(bodyOf('s'.repeat(MAX_STORED_STRING + 1)), `${'s'.repeat(MAX_STORED_STRING)}… [1 more characters not kept]`);
      const once = `${'s'.repeat(MAX_STORED_STRING)}… [123456789 more characters not kept]`;
      assert.equal(bodyOf(once), once);
      const longestMark = `${'s'.repeat(MAX_STORED_STRING)}… [${'9'.repeat(19)} more characters not kept]`;
      assert.equal(longestMark.length, MAX_STORED_STRING + 48);
      assert.equal(bodyOf(longestMark), longestMark);
      const endsLikeAMark = `${'s'.repeat(MAX_STORED_STRING + 49)}… [5 more characters not kept]`;
      assert.match(bodyOf(endsLikeAMark) as string, /^s{4096}… \[79 more characters not kept\]$/, 'a long text that only ends like a mark is cut');
      const notAMark = `${'s'.repeat(MAX_STORED_STRING)}… [many more characters not kept]`;
      assert.match(bodyOf(notAMark) as string, /… \[33 more characters not kept\]$/);
    });

    it('a body whose stored check is exactly 64 KiB is kept; one character more and it is stored as cut JSON text that fills the room', () => {
      const base = next(A, 'OPEN', { body: [] });
      const room = MAX_STORED_BODY - JSON.stringify({ ...base, body: undefined }).length - ',"body":'.length;
      /** A list of strings whose JSON text is `length` characters long. */
      const listOf = (length: number) => {
        const items: string[] = [];
        let left = length - 2;
        while (left > 0) {
          const take = Math.min(4000, left - (items.length ? 1 : 0) - 2);
          items.push('x'.repeat(take));
          left -= take + 2 + (items.length > 1 ? 1 : 0);
        }
        assert.equal(JSON.stringify(items).length, length);
        return items;
      };
      const fits = compactCheck({ ...base, body: listOf(room) });
      assert.ok(Array.isArray(fits.body), 'kept as it is');
      assert.equal(JSON.stringify(fits).length, MAX_STORED_BODY);
      const over = compactCheck({ ...base, body: listOf(room + 1) });
      assert.equal(typeof over.body, 'string', 'kept as cut JSON text');
      const size = JSON.stringify(over).length;
      assert.ok(size <= MAX_STORED_BODY && size > MAX_STORED_BODY - 200, `${size} characters stored`);
    });

    it('cut JSON text is at most the room, to the character: never over 64 KiB, and a cut that fits exactly is kept', () => {
      // Lists of strings of 3300–3700 characters: the first cut's quotes, escaped again when stored, leave it a few
      // characters under, exactly at, or a few over the room.
      const sizes = new Set<number>();
      for (let length = 3300; length <= 3700; length++) {
        const stored = compactCheck(next(A, 'OPEN', { body: Array.from({ length: Math.ceil(70_000 / length) }, () => 'x'.repeat(length)) }));
        assert.equal(typeof stored.body, 'string');
        const size = JSON.stringify(stored).length;
        assert.ok(size <= MAX_STORED_BODY, `${length}: ${size} characters stored`);
        sizes.add(size);
      }
      assert.ok(sizes.has(MAX_STORED_BODY), 'a cut that fits exactly is not cut further');
    });

    it('cut JSON text full of quotes (escaped again when stored) still fits, and uses the room', () => {
      for (const quotes of [30, 300, 3000]) {
        const body = Array.from({ length: quotes }, () => '"\\'.repeat(1000));
        const stored = compactCheck(next(A, 'OPEN', { body }));
        const size = JSON.stringify(stored).length;
        assert.ok(size <= MAX_STORED_BODY, `${size} characters stored`);
        assert.ok(size > MAX_STORED_BODY * 0.7, `${size} characters stored: the room is used`);
      }
    });
  });

  describe('parseHistory', () => {
    it('reads nothing as empty, without a problem', () => {
      assert.deepEqual(parseHistory(undefined), { doc: EMPTY });
      assert.deepEqual(parseHistory(null), { doc: EMPTY });
    });

    it('round-trips a valid document', () => {
      const doc = {
        version: HISTORY_SCHEMA_VERSION,
        entries: [entryOf([check(B, { checkedAt: at(++clock), error: { kind: 'network', message: 'x', messageId: 'connectionReset' } })]), entryOf([next(A)])],
      };
      const parsed = parseHistory(JSON.parse(JSON.stringify(doc)));
      assert.equal(parsed.problem, undefined);
      assert.deepEqual(parsed.doc, JSON.parse(JSON.stringify(doc)));
    });

    it('upgrades the pre-versioned layout (a bare list of entries)', () => {
      const parsed = parseHistory([{ otpId: A, checks: [next(A)] }]);
      assert.equal(parsed.problem, undefined);
      assert.equal(parsed.doc.version, HISTORY_SCHEMA_VERSION);
      assert.equal(parsed.doc.entries[0].otpId, A);
    });

    it('sets aside a future version unchanged', () => {
      const future = { version: 99, entries: [{ whatever: true }] };
      const parsed = parseHistory(future);
      assert.deepEqual(parsed.doc, EMPTY);
      assert.equal(
        english(parsed.problem ?? { id: 'typeNull', args: [] }),
        'Stored history was written by a newer version (schema 99); it was set aside unchanged.',
      );
      assert.equal(parsed.rejected, future);
    });

    it('an unknown version is named by the first 40 characters of its JSON', () => {
      assert.deepEqual(parseHistory({ version: 'v'.repeat(100), entries: [] }).problem, { id: 'historyUnknownSchema', args: [`"${'v'.repeat(39)}`] });
    });

    it('a version JSON cannot even write (a BigInt) is named "?"', () => {
      assert.deepEqual(parseHistory({ version: 2n, entries: [] }).problem, { id: 'historyUnknownSchema', args: ['?'] });
    });

    it('sets aside garbage of any type without throwing', () => {
      for (const raw of ['{"version":1', 42, true, { version: 1 }, { version: 1, entries: 'x' }, { no: 'version' }, { version: '1', entries: [] }]) {
        const parsed = parseHistory(raw);
        assert.deepEqual(parsed.doc, EMPTY, JSON.stringify(raw));
        assert.ok(parsed.problem, JSON.stringify(raw));
        assert.equal(parsed.rejected, raw);
      }
    });

    it('keeps the readable entries and sets aside the broken ones, a second entry of one otp_id too', () => {
      const good = { otpId: A, checks: [next(A)] };
      const entries = [
        good,
        null,
        { otpId: B },
        { otpId: C, checks: [] },
        { otpId: C, checks: [{ otpId: C, checkedAt: 'yesterday', ok: true, durationMs: 1 }] },
        { otpId: C, checks: [{ otpId: C, checkedAt: at(0), ok: false, durationMs: 1 }] },
        { otpId: C, checks: [{ otpId: C, checkedAt: at(0), ok: true, durationMs: 1, status: 3 }] },
        { ...good },
      ];
      const parsed = parseHistory({ version: 1, entries });
      assert.deepEqual(
        parsed.doc.entries.map((e) => e.otpId),
        [A],
      );
      assert.equal(english(parsed.problem ?? { id: 'typeNull', args: [] }), '7 stored history entries were unreadable and set aside.');
      assert.deepEqual(parsed.rejected, entries.slice(1));
    });

    it('keeps the good checks of an entry and sets aside its bad ones, under its otp_id', () => {
      const bad = { otpId: A, checkedAt: 'never', ok: true, durationMs: 1, status: 'OPEN' };
      const parsed = parseHistory({ version: 1, entries: [{ otpId: A, checks: [next(A), bad] }] });
      assert.equal(parsed.doc.entries[0].checks.length, 1);
      assert.deepEqual(parsed.rejected, [{ otpId: A, checks: [bad] }]);
      assert.equal(english(parsed.problem ?? { id: 'typeNull', args: [] }), '1 stored history entry was unreadable and set aside.');
    });
  });
});
