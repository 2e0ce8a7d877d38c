import * as assert from 'node:assert/strict';
import { checkOutput, entryLine, entryOutput } from '../../../src/core/toolOutput';
import { MOCK_TOKEN } from '../../mock/scenarios';
import { at, check, entryOf, uuid } from '../helpers';

const ID = uuid(3);

describe('core/toolOutput', () => {
  it('answers a status with its time, HTTP code and whether it is final', () => {
    assert.deepEqual(checkOutput(check(ID, { status: 'APPROVED', durationMs: 41.6, profile: 'staging' })), {
      otpId: ID,
      operation: 'status',
      ok: true,
      status: 'APPROVED',
      terminal: true,
      checkedAt: at(0),
      httpStatus: 200,
      durationMs: 42,
      profile: 'staging',
    });
    assert.equal(checkOutput(check(ID, { status: 'OPEN' })).terminal, false);
  });

  it("answers a failure with the error's kind, code and message, and no body", () => {
    const out = checkOutput(
      check(ID, {
        httpStatus: 404,
        body: { detail: { code: 'MESSAGE_LOG_NOT_EXISTS' } },
        error: { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: 'No OTP with this id' },
      }),
    );
    assert.deepEqual(out.error, { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: 'No OTP with this id' });
    assert.equal(out.httpStatus, 404);
    assert.equal('body' in out, false);
  });

  it('tells what the history knows of an entry: label, resend link, timeline in UTC, checks newest first', () => {
    const entry = entryOf([check(ID, { status: 'APPROVED', checkedAt: at(37) }), check(ID, { checkedAt: at(0) })], { label: 'signup', resendOf: uuid(4) });
    const out = entryOutput(entry);
    assert.equal(out.timeline, 'OPEN 10:00:00Z → APPROVED 10:00:37Z (37 s)');
    assert.equal(out.label, 'signup');
    assert.equal(out.resendOf, uuid(4));
    assert.deepEqual(
      out.checks.map((c) => c.status),
      ['APPROVED', 'OPEN'],
    );
    assert.equal(entryLine(entry).latest?.status, 'APPROVED');
  });

  it('says only what the record holds: no HTTP code, profile or error code when there is none; a repeated check is dated by its last poll', () => {
    assert.deepEqual(checkOutput(check(ID, { durationMs: 3, error: { kind: 'network', message: 'refused' } })), {
      otpId: ID,
      operation: 'status',
      ok: false,
      checkedAt: at(0),
      durationMs: 3,
      error: { kind: 'network', message: 'refused' },
    });
    const repeated = checkOutput(check(ID, { status: 'OPEN', repeat: 4, lastCheckedAt: at(90) }));
    assert.equal(repeated.checkedAt, at(90), 'the time it was last seen so');
  });

  it('an entry gives at most maxChecks checks (newest) but counts all; without a label or resend link those keys are absent', () => {
    const entry = entryOf([check(ID, { status: 'APPROVED', checkedAt: at(2) }), check(ID, { checkedAt: at(1) }), check(ID, { checkedAt: at(0) })]);
    const out = entryOutput(entry, 2);
    assert.deepEqual([out.checksRecorded, out.checks.map((c) => c.checkedAt), 'label' in out, 'resendOf' in out], [3, [at(2), at(1)], false, false]);
    assert.deepEqual(Object.keys(entryLine(entry)), ['otpId', 'latest']);
    assert.deepEqual(entryLine(entryOf([check(ID)], { label: 'x' })).label, 'x');
  });

  it('never carries a token, whatever the record holds', () => {
    const text = JSON.stringify([
      checkOutput(check(ID, { body: { token: MOCK_TOKEN } })),
      entryOutput(entryOf([check(ID, { body: { authorization: MOCK_TOKEN } })])),
    ]);
    assert.ok(!text.includes(MOCK_TOKEN));
  });
});
