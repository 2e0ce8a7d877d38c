import * as assert from 'node:assert/strict';
import { httpError, kindForHttpStatus, parseDetail, parseRetryAfter } from '../../src/core/errors';
import { describeStatus } from '../../src/core/status';

describe('error model', () => {
  it('parses the three shapes of detail', () => {
    assert.deepEqual(parseDetail({ detail: 'Frequent resend request' }), { message: 'Frequent resend request' });
    assert.deepEqual(parseDetail({ detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists' } }), {
      code: 'MESSAGE_LOG_NOT_EXISTS',
      message: 'Given message otp id not exists',
    });
    const list = parseDetail({ detail: [{ loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' }] });
    assert.deepEqual(list.issues, [{ loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' }]);
    assert.equal(list.message, 'path.otp_id: value is not a valid uuid');
  });

  it('tolerates bodies that are none of them', () => {
    for (const body of [undefined, null, 'text', 42, [], {}, { detail: null }, { detail: 7 }, { detail: [1, 'x'] }]) {
      assert.deepEqual(parseDetail(body), {});
    }
    assert.deepEqual(parseDetail({ detail: { code: 5, message: ['x'] } }), { code: undefined, message: undefined });
  });

  it('maps HTTP statuses to kinds', () => {
    const expected: Record<number, string> = {
      400: 'validation', 401: 'unauthorized', 403: 'unauthorized', 404: 'not-found', 405: 'bad-response', 408: 'timeout',
      409: 'bad-response', 410: 'bad-response', 413: 'bad-response', 422: 'validation', 429: 'rate-limited', 500: 'server',
      502: 'server', 503: 'server', 504: 'server', 302: 'bad-response',
    };
    for (const [status, kind] of Object.entries(expected)) assert.equal(kindForHttpStatus(Number(status)), kind, status);
  });

  it('writes the messages the user sees', () => {
    const e401 = httpError(401, 'Unauthorized', { detail: { code: 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED', message: 'Access token signature verification failed' } });
    assert.equal(e401.kind, 'unauthorized');
    assert.match(e401.message, /^Token rejected by D7 \(ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED\)/);
    const e404 = httpError(404, 'Not Found', { detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists in the system.' } });
    assert.match(e404.message, /^No OTP with this id \(MESSAGE_LOG_NOT_EXISTS\)/);
    assert.equal(e404.code, 'MESSAGE_LOG_NOT_EXISTS');
    const e422 = httpError(422, '', { detail: [{ loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 't' }] });
    assert.match(e422.message, /path\.otp_id: value is not a valid uuid/);
    assert.equal(e422.issues?.length, 1);
    const e429 = httpError(429, 'Too Many Requests', {}, 3);
    assert.equal(e429.retryAfterSeconds, 3);
    assert.match(e429.message, /retry after 3 s/);
    const e502 = httpError(502, 'Bad Gateway', '<html>…</html>');
    assert.match(e502.message, /D7 server error \(HTTP 502 Bad Gateway\)/);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    assert.equal(parseRetryAfter('5', now), 5);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  it('describes every known status and keeps unknown ones raw', () => {
    assert.equal(describeStatus('OPEN').tone, 'waiting');
    assert.equal(describeStatus('OPEN').terminal, false);
    assert.equal(describeStatus('approved').tone, 'success');
    assert.equal(describeStatus('ALREADY_VERIFIED').tone, 'success');
    assert.equal(describeStatus('EXPIRED').tone, 'warning');
    assert.equal(describeStatus('FAILED').tone, 'error');
    assert.deepEqual(describeStatus('PENDING_REVIEW'), { known: false, label: 'unknown: PENDING_REVIEW', tone: 'unknown', terminal: true });
  });
});
