import * as assert from 'node:assert/strict';
import { ERROR_KINDS, isFiled, OPERATIONS, operationOf, seenAt, type StatusCheck } from '../../../src/core/check';
import { at, check, uuid } from '../helpers';

describe('core/check', () => {
  it('isFiled: a record is filed when it names an otp_id', () => {
    const unfiled: StatusCheck = { otpId: '', checkedAt: at(0), durationMs: 0, ok: false, error: { kind: 'config', message: 'x' } };
    assert.equal(isFiled(unfiled), false);
    assert.equal(isFiled(check(uuid(1))), true);
  });

  it('operationOf: "status" when absent', () => {
    assert.equal(operationOf(check(uuid(1))), 'status');
    assert.equal(operationOf(check(uuid(1), { operation: 'verify' })), 'verify');
  });

  it('seenAt: the last poll of a repeated row, else its own time', () => {
    assert.equal(seenAt(check(uuid(1), { checkedAt: at(0) })), at(0));
    assert.equal(seenAt(check(uuid(1), { checkedAt: at(0), repeat: 3, lastCheckedAt: at(10) })), at(10));
  });

  it('the stored kinds and operations are the stable strings the history and the API use', () => {
    assert.deepEqual(
      [...ERROR_KINDS],
      ['unauthorized', 'not-found', 'validation', 'rate-limited', 'server', 'network', 'timeout', 'cancelled', 'bad-response', 'config'],
    );
    assert.deepEqual([...OPERATIONS], ['status', 'send', 'resend', 'verify']);
  });
});
