import * as assert from 'node:assert/strict';
import { ERROR_KINDS } from '../../../src/core/check';
import {
  draft,
  errorKindLabel,
  formatIssue,
  httpError,
  isRetryable,
  kindForHttpStatus,
  parseDetail,
  parseRetryAfter,
  wordError,
} from '../../../src/core/errors';
import { english, msg } from '../../../src/core/messages';
import { HTTP_ERROR_BODIES, HTTP_STATUS_RANGE, PARSE_RETRY_AFTER, RETRY_AFTER_NOW, TIME_ZONES } from '../../cases/responses';
import { assertInertLine } from '../helpers';

const ISSUE = { loc: ['path', 'otp_id'], msg: 'value is not a valid uuid', type: 'type_error.uuid' };

describe('core/errors', () => {
  describe('parseDetail', () => {
    it('parses the three shapes of detail', () => {
      assert.deepEqual(parseDetail({ detail: 'Frequent resend request' }), { message: 'Frequent resend request' });
      assert.deepEqual(parseDetail({ detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists' } }), {
        code: 'MESSAGE_LOG_NOT_EXISTS',
        message: 'Given message otp id not exists',
      });
      const list = parseDetail({ detail: [ISSUE] });
      assert.deepEqual(list.issues, [ISSUE]);
      assert.equal(list.message, 'path.otp_id: value is not a valid uuid');
    });

    it('tolerates bodies that are none of them', () => {
      for (const body of [
        undefined,
        null,
        'text',
        42,
        [],
        {},
        { detail: null },
        { detail: 7 },
        { detail: [1, 'x'] },
        { detail: { code: 5, message: ['x'] } },
      ]) {
        assert.deepEqual(parseDetail(body), {}, JSON.stringify(body));
      }
    });

    it('normalises odd issue items: a loc that is not a list, a msg that is not text, no type', () => {
      assert.deepEqual(
        parseDetail({
          detail: [
            { loc: 'body', msg: 7 },
            { loc: ['a', 0, {}], msg: 'm', type: 't' },
            { loc: ['b'] },
            { loc: ['c'], msg: null },
            { loc: ['d'], msg: { text: 'x' } },
          ],
        }).issues,
        [
          { loc: [], msg: '7', type: '' },
          { loc: ['a', 0], msg: 'm', type: 't' },
          { loc: ['b'], msg: '', type: '' },
          { loc: ['c'], msg: 'null', type: '' },
          { loc: ['d'], msg: '{"text":"x"}', type: '' },
        ],
      );
    });
  });

  describe('formatIssue', () => {
    it('joins the location, or gives the message alone', () => {
      assert.equal(formatIssue(ISSUE), 'path.otp_id: value is not a valid uuid');
      assert.equal(formatIssue({ loc: [], msg: 'bad', type: '' }), 'bad');
    });
  });

  describe('kindForHttpStatus', () => {
    it('maps HTTP statuses to kinds', () => {
      const expected: Record<number, string> = {
        400: 'validation',
        401: 'unauthorized',
        403: 'unauthorized',
        404: 'not-found',
        405: 'bad-response',
        408: 'timeout',
        409: 'bad-response',
        410: 'bad-response',
        413: 'bad-response',
        422: 'validation',
        429: 'rate-limited',
        500: 'server',
        502: 'server',
        503: 'server',
        504: 'server',
        302: 'bad-response',
        599: 'server',
        100: 'bad-response',
      };
      for (const [status, kind] of Object.entries(expected)) assert.equal(kindForHttpStatus(Number(status)), kind, status);
    });
  });

  describe('httpError', () => {
    it("writes the messages the user sees, with D7's code and words", () => {
      const e401 = httpError(401, 'Unauthorized', {
        detail: { code: 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED', message: 'Access token signature verification failed' },
      });
      assert.equal(e401.kind, 'unauthorized');
      assert.equal(e401.text.id, 'tokenRejectedSaid');
      assert.match(english(e401.text), /^Token rejected by D7 \(ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED\): Access token signature/);
      const e403 = httpError(403, 'Forbidden', { detail: 'Not authenticated' });
      assert.equal(english(e403.text), "Access denied by D7 (HTTP 403 Forbidden): Not authenticated. Check that the token's application may use Verify.");
      const e404 = httpError(404, 'Not Found', { detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists in the system.' } });
      assert.match(english(e404.text), /^No OTP with this id \(MESSAGE_LOG_NOT_EXISTS\): Given message/);
      assert.equal(e404.code, 'MESSAGE_LOG_NOT_EXISTS');
      const e422 = httpError(422, '', { detail: [{ ...ISSUE, type: 't' }] });
      assert.equal(english(e422.text), 'D7 refused the request (HTTP 422): path.otp_id: value is not a valid uuid');
      assert.equal(e422.issues?.length, 1);
      assert.equal(english(httpError(400, 'Bad Request', {}).text), 'D7 refused the request (HTTP 400 Bad Request): no reason given');
      const e429 = httpError(429, 'Too Many Requests', {}, 3);
      assert.equal(e429.retryAfterSeconds, 3);
      assert.match(english(e429.text), /retry after 3 s/);
      assert.equal(english(httpError(429, '', {}).text), 'D7 is rate limiting requests (HTTP 429).');
      assert.equal(english(httpError(502, 'Bad Gateway', '<html>…</html>').text), 'D7 server error (HTTP 502 Bad Gateway). Try again later.');
      assert.equal(english(httpError(408, '', {}).text), 'D7 timed out handling the request (HTTP 408).');
      assert.equal(
        english(httpError(418, "I'm a teapot", { detail: 'short and stout' }).text),
        "Unexpected answer from D7 (HTTP 418 I'm a teapot): short and stout.",
      );
    });

    it(`every status from ${HTTP_STATUS_RANGE.first} to ${HTTP_STATUS_RANGE.last} × ${HTTP_ERROR_BODIES.length} bodies: a known kind and one inert line`, () => {
      for (let status = HTTP_STATUS_RANGE.first; status <= HTTP_STATUS_RANGE.last; status++) {
        for (const body of HTTP_ERROR_BODIES) {
          const error = httpError(status, 'Reason [x](command:y)\u0085', body);
          assert.ok(ERROR_KINDS.includes(error.kind), `${status}: ${error.kind}`);
          assertInertLine(english(error.text), `HTTP ${status} ${JSON.stringify(body)}`);
        }
      }
    });
  });

  describe('draft and wordError', () => {
    it('word the draft with the given wording, keep its message id, and carry only what is set', () => {
      const word = (m: ReturnType<typeof msg>) => `<${m.id}:${m.args.join(',')}>`;
      assert.deepEqual(wordError(draft('config', 'noToken'), word), { kind: 'config', message: '<noToken:>', messageId: 'noToken' });
      const full = wordError({ ...httpError(429, '', { detail: { code: 'SLOW_DOWN' } }, 4), issues: [ISSUE] }, english);
      assert.deepEqual(Object.keys(full).sort(), ['code', 'issues', 'kind', 'message', 'messageId', 'retryAfterSeconds']);
      assert.equal(full.messageId, 'rateLimitedRetryAfter');
    });
  });

  describe('parseRetryAfter', () => {
    it('reads seconds or an HTTP date, from now', () => {
      const now = Date.parse('2026-11-25T10:00:00Z');
      assert.equal(parseRetryAfter('5', now), 5);
      assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now), 30);
      assert.equal(parseRetryAfter('Wed, 25 Nov 2026 10:00:29 GMT', now + 500), 29, 'rounded up');
      assert.equal(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now), 0);
      assert.equal(parseRetryAfter('soon', now), undefined);
      assert.equal(parseRetryAfter(null, now), undefined);
    });

    it(`${PARSE_RETRY_AFTER.length} values × ${TIME_ZONES.length} time zones: only delta-seconds and the three HTTP-date forms, always GMT`, () => {
      const zone = process.env.TZ;
      try {
        for (const tz of TIME_ZONES) {
          process.env.TZ = tz;
          for (const [header, seconds] of PARSE_RETRY_AFTER) {
            assert.equal(parseRetryAfter(header, RETRY_AFTER_NOW), seconds, `Retry-After ${JSON.stringify(header)} in ${tz}`);
          }
        }
      } finally {
        if (zone === undefined) delete process.env.TZ;
        else process.env.TZ = zone;
      }
    });
  });

  describe('errorKindLabel', () => {
    it('gives each kind its own short title', () => {
      const labels = ERROR_KINDS.map((kind) => english(errorKindLabel(kind)));
      assert.equal(new Set(labels).size, ERROR_KINDS.length);
      assert.equal(english(errorKindLabel('not-found')), 'not found');
      assert.equal(english(errorKindLabel('config')), 'not sent');
    });
  });

  describe('isRetryable', () => {
    it('is true exactly for rate-limited, server, network and timeout', () => {
      assert.deepEqual(ERROR_KINDS.filter(isRetryable), ['rate-limited', 'server', 'network', 'timeout']);
    });
  });
});
