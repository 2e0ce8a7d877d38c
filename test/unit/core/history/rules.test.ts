import * as assert from 'node:assert/strict';
import { readCheck, readEntry } from '../../../../src/core/history/rules';
import { english } from '../../../../src/core/messages';
import { at, otpId } from '../../helpers';

const A = otpId('8d963dbf-d655-4fe6-9157-48885a036050');
const B = otpId('d4c6b4e9-532d-4be7-9e9e-897f97847fbd');

/** A stored check with every field set. */
const FULL = {
  otpId: A,
  checkedAt: at(0),
  ok: true,
  status: 'OPEN',
  httpStatus: 200,
  durationMs: 12.5,
  body: { status: 'OPEN', nested: [1, { x: null }] },
  bodyTruncated: false,
  operation: 'resend',
  profile: 'staging',
  repeat: 3,
  lastCheckedAt: at(10),
  attempts: 2,
};
const FAILED = {
  otpId: A,
  checkedAt: at(0),
  ok: false,
  durationMs: 1,
  error: {
    kind: 'validation',
    code: 'INVALID_OTP_CODE',
    message: 'Wrong code',
    messageId: 'refused',
    retryAfterSeconds: 0,
    issues: [{ loc: ['body', 0], msg: 'm', type: 't' }],
  },
};

/** Why `raw` is refused, in English. */
function why(raw: unknown, entryId?: typeof A): string {
  const read = readCheck(raw, entryId);
  assert.equal(read.ok, false, `${JSON.stringify(raw)} is refused`);
  return read.ok ? '' : english(read.why);
}

describe('core/history/rules', () => {
  describe('readCheck', () => {
    it('accepts a check with every field, rebuilt field by field', () => {
      assert.deepEqual(readCheck(FULL), { ok: true, value: FULL });
      assert.deepEqual(readCheck(FAILED), { ok: true, value: FAILED });
      assert.deepEqual(readCheck({ otpId: A, checkedAt: at(0), ok: true, status: '', durationMs: 0 }), {
        ok: true,
        value: { otpId: A, checkedAt: at(0), ok: true, status: '', durationMs: 0 },
      });
    });

    it('drops fields it does not know, on the check and its error', () => {
      const read = readCheck({ ...FAILED, token: 'secret', extra: 1, error: { ...FAILED.error, stack: 'x', html: '<b>' } });
      assert.ok(read.ok);
      assert.deepEqual(read.value, FAILED);
      assert.equal(JSON.stringify(read.value).includes('secret'), false);
    });

    it('refuses a check that is not an object, or whose otpId, checkedAt, ok or durationMs is wrong', () => {
      const cases: [unknown, string][] = [
        [null, 'not an object'],
        [[FULL], 'not an object'],
        ['x', 'not an object'],
        [{ ...FULL, otpId: 'not-a-uuid' }, 'otpId is not a UUID'],
        [{ ...FULL, otpId: ` ${A}` }, 'otpId is not a UUID'],
        [{ ...FULL, otpId: undefined }, 'otpId is not a UUID'],
        [{ ...FULL, checkedAt: 'yesterday' }, 'checkedAt is not an ISO date'],
        [{ ...FULL, checkedAt: 1764064800000 }, 'checkedAt is not an ISO date'],
        [{ ...FULL, ok: 'yes' }, 'ok is not true or false'],
        [{ ...FULL, durationMs: 'fast' }, 'durationMs is not a number'],
        [{ ...FULL, durationMs: -1 }, 'durationMs is not a number'],
        [{ ...FULL, durationMs: null }, 'durationMs is not a number'],
      ];
      for (const [raw, reason] of cases) assert.equal(why(raw), reason, JSON.stringify(raw));
    });

    it('refuses an otpId of another entry (in any case it is the same one)', () => {
      assert.equal(why(FULL, B), `its otpId is not ${B}`);
      assert.equal(readCheck({ ...FULL, otpId: A.toUpperCase() }, A).ok, true);
    });

    it('11.7: checks the type of every optional field', () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ httpStatus: '200' }, 'httpStatus is not an HTTP status code'],
        [{ httpStatus: 99 }, 'httpStatus is not an HTTP status code'],
        [{ httpStatus: 600 }, 'httpStatus is not an HTTP status code'],
        [{ httpStatus: 200.5 }, 'httpStatus is not an HTTP status code'],
        [{ bodyTruncated: 'yes' }, 'bodyTruncated is not true or false'],
        [{ operation: 'delete' }, 'operation is not status, send, resend or verify'],
        [{ operation: 7 }, 'operation is not status, send, resend or verify'],
        [{ profile: '' }, 'profile is not a profile name'],
        [{ profile: 'p'.repeat(41) }, 'profile is not a profile name'],
        [{ profile: 5 }, 'profile is not a profile name'],
        [{ repeat: 0 }, 'repeat is not a whole number of at least 1'],
        [{ repeat: 1.5 }, 'repeat is not a whole number of at least 1'],
        [{ repeat: '2' }, 'repeat is not a whole number of at least 1'],
        [{ lastCheckedAt: 'later' }, 'lastCheckedAt is not an ISO date'],
        [{ attempts: 0 }, 'attempts is not a whole number of at least 1'],
      ];
      for (const [field, reason] of cases) assert.equal(why({ ...FULL, ...field }), reason, JSON.stringify(field));
    });

    it('an ok check needs a status that is text; a legacy resend record without one is recovered from its body', () => {
      const { status: _status, ...noStatus } = FULL;
      assert.equal(why({ ...noStatus, body: { otp_id: B } }), 'a successful check without a status');
      assert.equal(why({ ...FULL, status: 7 }), 'status is not text');
      assert.equal(why({ ...noStatus, body: { status: 7 } }), 'status is not text');
      // Version 0.1 recorded a successful resend on its original without a status: D7's answer still names it.
      const legacy = { otpId: A, checkedAt: at(0), ok: true, durationMs: 5, httpStatus: 200, operation: 'resend', body: { status: 'OPEN', otp_id: B } };
      assert.deepEqual(readCheck(legacy), { ok: true, value: { ...legacy, status: 'OPEN' } });
    });

    it('11.7: a failed check needs an error: an object with a known kind and a message that is text, every field typed', () => {
      const error = (e: unknown) => ({ ...FAILED, error: e });
      const cases: [unknown, string][] = [
        [{ ...FAILED, error: undefined }, 'a failed check without an error'],
        [error('network'), 'error is not an object'],
        [error(null), 'error is not an object'],
        [error({ kind: 42, message: 'x' }), 'error.kind is not a known error kind'],
        [error({ kind: 'exploded', message: 'x' }), 'error.kind is not a known error kind'],
        [error({ kind: 'network' }), 'error.message is not text'],
        [error({ kind: 'network', message: 5 }), 'error.message is not text'],
        [error({ kind: 'not-found', message: 'x', code: 7 }), 'error.code is not text'],
        [error({ kind: 'rate-limited', message: 'x', retryAfterSeconds: -1 }), 'error.retryAfterSeconds is not a number'],
        [error({ kind: 'rate-limited', message: 'x', retryAfterSeconds: '5' }), 'error.retryAfterSeconds is not a number'],
        [error({ kind: 'validation', message: 'x', issues: 'abc' }), 'error.issues is not a list of {loc, msg, type}'],
        [error({ kind: 'validation', message: 'x', issues: [{ loc: 'body', msg: 'm', type: 't' }] }), 'error.issues is not a list of {loc, msg, type}'],
        [error({ kind: 'validation', message: 'x', issues: [{ loc: [{}], msg: 'm', type: 't' }] }), 'error.issues is not a list of {loc, msg, type}'],
        [error({ kind: 'validation', message: 'x', issues: [{ loc: [], msg: 'm' }] }), 'error.issues is not a list of {loc, msg, type}'],
      ];
      for (const [raw, reason] of cases) assert.equal(why(raw), reason, JSON.stringify((raw as { error: unknown }).error));
    });

    it('keeps a known messageId, drops an unknown one, and copies the issues', () => {
      const unknownId = readCheck({ ...FAILED, error: { ...FAILED.error, messageId: 'noSuchMessage' } });
      assert.ok(unknownId.ok && !unknownId.value.ok);
      assert.equal('messageId' in unknownId.value.error, false);
      const proto = readCheck({ ...FAILED, error: { ...FAILED.error, messageId: 'toString' } });
      assert.ok(proto.ok && !proto.value.ok && !('messageId' in proto.value.error));
      const read = readCheck(FAILED);
      assert.ok(read.ok && !read.value.ok);
      assert.notEqual(read.value.error.issues, FAILED.error.issues);
      assert.notEqual(read.value.error.issues?.[0].loc, FAILED.error.issues[0].loc);
    });
  });

  describe('readEntry', () => {
    it('reads an entry: its good checks kept, each bad one listed with its index and why', () => {
      const bad = { ...FULL, durationMs: 'slow' };
      const read = readEntry({ otpId: A, label: '  signup  ', resendOf: B, extra: 'dropped', checks: [FULL, bad, FAILED] });
      assert.deepEqual(read.entry, { otpId: A, label: 'signup', resendOf: B, checks: [FULL, FAILED] });
      assert.deepEqual(
        read.badChecks.map((b) => [b.index, b.raw, english(b.why)]),
        [[1, bad, 'durationMs is not a number']],
      );
      assert.equal(read.why, undefined);
    });

    it('refuses an entry that is not an object, has no UUID, or no checks', () => {
      const cases: [unknown, string][] = [
        ['x', 'not an object'],
        [null, 'not an object'],
        [{ otpId: 'nope', checks: [FULL] }, 'otpId is not a UUID'],
        [{ otpId: A }, 'no list of checks'],
        [{ otpId: A, checks: [] }, 'no list of checks'],
        [{ otpId: A, checks: 'x' }, 'no list of checks'],
      ];
      for (const [raw, reason] of cases) assert.equal(english(readEntry(raw).why ?? { id: 'typeNull', args: [] }), reason, JSON.stringify(raw));
    });

    it('an entry whose checks are all bad gives no entry, and no reason of its own (each check has one)', () => {
      const read = readEntry({ otpId: A, checks: [{ ...FULL, otpId: B }] });
      assert.deepEqual([read.entry, read.why, read.badChecks.length], [undefined, undefined, 1]);
    });

    it('a label is trimmed and cut to 200 characters (a 500-character label is never stored); a label of the wrong type is dropped', () => {
      assert.equal(readEntry({ otpId: A, label: ` ${'l'.repeat(500)} `, checks: [FULL] }).entry?.label?.length, 200);
      assert.deepEqual(readEntry({ otpId: A, label: 5, checks: [FULL] }).entry, { otpId: A, checks: [FULL] });
      assert.deepEqual(readEntry({ otpId: A, label: '   ', checks: [FULL] }).entry, { otpId: A, checks: [FULL] });
    });

    it('a resendOf is kept only when it is an otp_id: a path ("../../x"), another string or a number is dropped', () => {
      for (const resendOf of ['../../x', '../../etc/passwd', 'not-a-uuid', `${B}/..`, 5]) {
        assert.deepEqual(readEntry({ otpId: A, resendOf, checks: [FULL] }).entry, { otpId: A, checks: [FULL] }, JSON.stringify(resendOf));
      }
      assert.equal(readEntry({ otpId: A, resendOf: B.toUpperCase(), checks: [FULL] }).entry?.resendOf, B.toUpperCase(), 'an otp_id is kept as written');
    });
  });
});
