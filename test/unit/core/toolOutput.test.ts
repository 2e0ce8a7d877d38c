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

  it('never carries a token, whatever the record holds', () => {
    const text = JSON.stringify([
      checkOutput(check(ID, { body: { token: MOCK_TOKEN } })),
      entryOutput(entryOf([check(ID, { body: { authorization: MOCK_TOKEN } })])),
    ]);
    assert.ok(!text.includes(MOCK_TOKEN));
  });
});
