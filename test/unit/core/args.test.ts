import * as assert from 'node:assert/strict';
import { candidateOtpId, nodeCheck, otpIdArg, otpIdsArg, skipsConfirmation, stringArg, stringField } from '../../../src/core/args';
import { parseOtpId } from '../../../src/core/otpId';
import { check, entryOf, uuid } from '../helpers';

const A = uuid(0xa);
const B = uuid(0xb);

describe('core/args', () => {
  describe('candidateOtpId', () => {
    it('reads a string, a tree node ({ entry } or { check }) or { otpId }', () => {
      assert.equal(candidateOtpId(' x '), ' x ');
      assert.equal(candidateOtpId({ entry: entryOf([check(A)]) }), A);
      assert.equal(candidateOtpId({ check: check(B) }), B);
      assert.equal(candidateOtpId({ otpId: 'typed' }), 'typed');
    });

    it('reads nothing from other shapes', () => {
      for (const arg of [undefined, null, 42, true, [A], {}, { otpId: 42 }, { entry: { otpId: 7 } }, { check: { label: 'x' } }]) {
        assert.equal(candidateOtpId(arg), undefined, JSON.stringify(arg));
      }
      assert.equal(candidateOtpId({ entry: A, otpId: B }), B, 'an entry that is not an object is not a node');
    });
  });

  describe('otpIdArg', () => {
    it('no argument: none (the command asks)', () => {
      for (const arg of [undefined, null, 42, {}, [A]]) assert.deepEqual(otpIdArg(arg), { kind: 'none' }, JSON.stringify(arg));
    });

    it('an otp_id, parsed: quotes and whitespace trimmed, case kept, from every shape', () => {
      assert.deepEqual(otpIdArg(` "${A.toUpperCase()}" `), { kind: 'ok', value: A.toUpperCase() });
      assert.deepEqual(otpIdArg({ entry: entryOf([check(A)]) }), { kind: 'ok', value: A });
      assert.deepEqual(otpIdArg({ check: check(B) }), { kind: 'ok', value: B });
      assert.deepEqual(otpIdArg({ otpId: B }), { kind: 'ok', value: B });
    });

    it("a bad id: bad, with the parser's message (nothing is asked, nothing is sent)", () => {
      for (const arg of ['', '../x', { otpId: 'nope' }, { check: { otpId: `${A}/..` } }]) {
        const parsed = parseOtpId(typeof arg === 'string' ? arg : (candidateOtpId(arg) as string));
        assert.ok(!parsed.ok);
        assert.deepEqual(otpIdArg(arg), { kind: 'bad', message: parsed.message }, JSON.stringify(arg));
      }
    });
  });

  describe('nodeCheck', () => {
    it("is a check node's check, or an entry node's latest; nothing for anything else", () => {
      const latest = check(A, { status: 'APPROVED' });
      assert.equal(nodeCheck({ check: latest }), latest);
      assert.equal(nodeCheck({ entry: entryOf([latest, check(A)]) }), latest);
      for (const arg of [A, undefined, { entry: { otpId: A, checks: [] } }, { entry: { otpId: A, checks: 'x' } }, { otpId: A }]) {
        assert.equal(nodeCheck(arg), undefined, JSON.stringify(arg));
      }
    });
  });

  describe('otpIdsArg', () => {
    it('text: every UUID in it, in order, each once (case-insensitively)', () => {
      assert.deepEqual(otpIdsArg(`${A}, ${B}\n${A.toUpperCase()} not-an-id`), [A, B]);
      assert.deepEqual(otpIdsArg('no ids here'), []);
    });

    it('a list: each valid id (quotes trimmed), the invalid skipped, duplicates dropped case-insensitively', () => {
      assert.deepEqual(otpIdsArg([` "${A}" `, A.toUpperCase(), 'bad', 42, null, { otpId: B }, B, `${B} ${A}`]), [A, B]);
      assert.deepEqual(otpIdsArg([]), []);
    });

    it('anything else: undefined (the command asks)', () => {
      for (const arg of [undefined, null, 42, { otpIds: [A] }]) assert.equal(otpIdsArg(arg), undefined, JSON.stringify(arg));
    });
  });

  describe('stringArg, skipsConfirmation, stringField', () => {
    it('stringArg: a string argument, or undefined', () => {
      assert.equal(stringArg('label'), 'label');
      assert.equal(stringArg(''), '');
      assert.equal(stringArg(42), undefined);
    });

    it('skipsConfirmation: only { confirm: false } skips the question', () => {
      assert.equal(skipsConfirmation({ confirm: false }), true);
      for (const arg of [{ confirm: 'false' }, { confirm: 0 }, { confirm: true }, {}, false, undefined, [false]]) {
        assert.equal(skipsConfirmation(arg), false, JSON.stringify(arg));
      }
    });

    it('stringField: a field of an object argument, when it is a string', () => {
      assert.equal(stringField({ profile: 'staging' }, 'profile'), 'staging');
      assert.equal(stringField({ profile: 7 }, 'profile'), undefined);
      assert.equal(stringField('staging', 'profile'), undefined);
      assert.equal(stringField(null, 'profile'), undefined);
    });
  });
});
