import * as assert from 'node:assert/strict';
import { isFiled, type ErrorKind, type StatusCheck } from '../../../../src/core/check';
import { answerRecord, failedRecord, type RecordContext } from '../../../../src/core/client/interpret';
import type { D7Request } from '../../../../src/core/client/request';
import type { HttpAnswer } from '../../../../src/core/client/transport';
import { draft } from '../../../../src/core/errors';
import type { HistoryStore } from '../../../../src/core/history/store';
import { tempDir, testStore } from '../../historyFixtures';
import { english } from '../../../../src/core/messages';
import { BROKEN_200_BODIES, HOSTILE_ERRORS, RAW_STATUSES, STATUS_CODES } from '../../../cases/responses';
import { edgeId, json, REPORT_PATH } from '../../../mock/edgeServer';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { assertInertLine, otpId, T0, useEdgeServers, useMock } from '../../helpers';

const A = otpId(SCENARIOS.open);
const NEW = otpId('0000aaaa-0000-4000-8000-000000000001');
const id = (name: keyof typeof SCENARIOS) => otpId(SCENARIOS[name]);

function ctxOf(request: Partial<D7Request> = {}, profile?: string): RecordContext {
  return { request: { operation: 'status', otpId: A, method: 'GET', path: '/x', ...request }, startedAt: T0, now: T0 + 40, profile, word: english };
}
function answer(httpStatus: number, text: string, extra: Partial<HttpAnswer> = {}): HttpAnswer {
  return { httpStatus, statusText: '', headers: { get: () => null }, text, truncated: false, ...extra };
}

/** Asserts the shape every failed call must have: a kind, one printable inert line, no token. */
function assertClearFailure(result: StatusCheck, kind: ErrorKind, message?: RegExp): void {
  assert.equal(result.ok, false, `expected ${kind}, got ok (${result.status})`);
  assert.equal(result.error?.kind, kind, result.error?.message);
  assertInertLine(result.error?.message ?? '', 'the message');
  if (message) assert.match(result.error?.message ?? '', message);
  assert.ok(!JSON.stringify(result).includes(MOCK_TOKEN), 'no token in the record');
}

describe('core/client/interpret', () => {
  describe('answerRecord: the body as recorded', () => {
    it('an empty body is no body (no key at all) and "empty"; a body of blanks is "empty" too, never "not JSON"', () => {
      const empty = answerRecord(ctxOf(), answer(200, ''), []);
      assert.equal('body' in empty, false);
      assert.equal(empty.error?.messageId, 'bodyEmpty');
      const blanks = answerRecord(ctxOf(), answer(200, '  \n\t '), []);
      assert.deepEqual([blanks.body, blanks.error?.messageId], ['  \n\t ', 'bodyEmpty']);
      const refused = answerRecord(ctxOf(), answer(500, ''), []);
      assert.equal('body' in refused, false, 'an error answer without a body has none either');
    });

    it('a body cut at the cap is kept as its raw text, even when the cut text happens to be valid JSON', () => {
      const cut = answerRecord(ctxOf(), answer(200, '1234', { truncated: true }), []);
      assert.deepEqual([cut.body, cut.bodyTruncated, cut.error?.messageId], ['1234', true, 'bodyTooLarge']);
      const whole = answerRecord(ctxOf(), answer(400, '{"detail":"x"}'), []);
      assert.deepEqual([whole.body, 'bodyTruncated' in whole], [{ detail: 'x' }, false]);
    });
  });

  describe('failedRecord', () => {
    it("is the request's record: started at, duration, operation (absent for status), profile, the worded error", () => {
      assert.deepEqual(failedRecord(ctxOf({ operation: 'verify' }, 'staging'), draft('config', 'codeInvalid')), {
        otpId: A,
        checkedAt: new Date(T0).toISOString(),
        durationMs: 40,
        operation: 'verify',
        profile: 'staging',
        ok: false,
        error: { kind: 'config', message: 'Enter the OTP code: 1 to 16 letters or digits.', messageId: 'codeInvalid' },
      });
      const status = failedRecord(ctxOf(), draft('cancelled', 'cancelled'));
      assert.equal('operation' in status || 'profile' in status || 'httpStatus' in status, false);
    });
  });

  describe('answerRecord', () => {
    it('redacts the token from the body before it is parsed or kept', () => {
      const record = answerRecord(ctxOf(), answer(200, JSON.stringify({ status: 'OPEN', echo: `Bearer tok-12345` })), ['tok-12345']);
      assert.deepEqual(record.body, { status: 'OPEN', echo: 'Bearer ***' });
      const error = answerRecord(ctxOf(), answer(400, JSON.stringify({ detail: 'bad token tok-12345' })), ['tok-12345']);
      assert.equal(error.error?.message, 'D7 refused the request (HTTP 400): bad token ***');
    });

    it('a send is filed under the otp_id D7 returned, which must be a UUID', () => {
      const send = { operation: 'send' as const, otpId: '' as const, method: 'POST' as const };
      const sent = answerRecord(ctxOf(send), answer(200, JSON.stringify({ status: 'OPEN', otp_id: NEW })), ['t0ken']);
      assert.deepEqual([sent.ok, sent.otpId, sent.operation], [true, NEW, 'send']);
      for (const otpIdValue of [undefined, 'nope', 42, `${NEW}/..`]) {
        const bad = answerRecord(ctxOf(send), answer(200, JSON.stringify({ status: 'OPEN', otp_id: otpIdValue })), ['t0ken']);
        assert.deepEqual([bad.ok, bad.otpId, bad.error?.messageId], [false, '', 'answerWithoutOtpId'], String(otpIdValue));
      }
    });

    it('a resend may name another otp_id (a UUID, or none); other calls may name anything', () => {
      const resend = { operation: 'resend' as const, method: 'POST' as const };
      assert.equal(answerRecord(ctxOf(resend), answer(200, '{"status":"OPEN"}'), ['t0ken']).ok, true);
      assert.equal(answerRecord(ctxOf(resend), answer(200, JSON.stringify({ status: 'OPEN', otp_id: NEW })), ['t0ken']).otpId, A, 'filed under the original');
      assert.equal(answerRecord(ctxOf(resend), answer(200, '{"status":"OPEN","otp_id":"x"}'), ['t0ken']).error?.messageId, 'answerWithoutOtpId');
      assert.equal(answerRecord(ctxOf(), answer(200, '{"status":"OPEN","otp_id":"x"}'), ['t0ken']).ok, true);
    });

    it('a body over the cap is never parsed: bad-response, the cut text kept', () => {
      const record = answerRecord(ctxOf(), answer(200, '{"status":"OPEN"', { truncated: true }), ['t0ken']);
      assert.deepEqual([record.error?.messageId, record.body, record.bodyTruncated], ['bodyTooLarge', '{"status":"OPEN"', true]);
    });

    it('only a 2xx answer is a status: 199 and 300 are errors with their HTTP status, 200 and 299 are read', () => {
      const body = '{"status":"OPEN","otp_id":"' + A + '"}';
      for (const httpStatus of [100, 199, 300, 301, 399]) {
        const record = answerRecord(ctxOf(), answer(httpStatus, body), []);
        assert.equal(record.ok, false, `HTTP ${httpStatus} is not a status`);
        assert.equal(record.httpStatus, httpStatus);
        assert.equal(record.status, undefined);
      }
      for (const httpStatus of [200, 299]) {
        const record = answerRecord(ctxOf(), answer(httpStatus, body), []);
        assert.deepEqual([record.ok, record.status, record.httpStatus], [true, 'OPEN', httpStatus]);
      }
    });

    it("reads Retry-After of an error answer from the context's clock", () => {
      const headers = { get: (name: string) => (name === 'retry-after' ? new Date(T0 + 40 + 9000).toUTCString() : null) };
      const record = answerRecord(ctxOf(), answer(429, '{}', { headers }), ['t0ken']);
      assert.equal(record.error?.retryAfterSeconds, 9);
    });
  });

  describe('answers of the mock', () => {
    const ctx = useMock({ slowMs: 2000 });

    for (const [scenario, message] of BROKEN_200_BODIES) {
      it(`${scenario}: bad-response, HTTP 200 and the raw body kept`, async () => {
        const result = await ctx.client().getStatus(id(scenario));
        assertClearFailure(result, 'bad-response', message);
        assert.equal(result.httpStatus, 200);
        assert.equal(result.status, undefined, 'no status invented');
        if (scenario !== 'empty200') assert.notEqual(result.body, undefined, 'the body is kept for inspection');
        assert.equal(ctx.mock.requests.length, 1, 'no retry for a shape problem');
      });
    }

    for (const [scenario, status] of RAW_STATUSES) {
      it(`${scenario}: ok, the status kept exactly as sent`, async () => {
        const result = await ctx.client().getStatus(id(scenario));
        assert.equal(result.ok, true, result.error?.message);
        assert.equal(result.httpStatus, 200);
        assert.equal(result.status, status);
      });
    }

    for (const [what, source, httpStatus, kind, message] of STATUS_CODES) {
      it(`HTTP ${what}: ${kind}, and a store keeps it as it is`, async () => {
        const c = ctx.client(source === 'wrongToken' ? { token: async () => 'not-the-mock-token' } : {});
        const result =
          source === 'sendMissing'
            ? await c.sendOtp({ originator: 'x', recipient: '', content: 'Your code {}' })
            : await c.getStatus(source === 'wrongToken' ? id('open') : source === 'unknownId' ? otpId('99999999-9999-4999-8999-999999999999') : id(source));
        assert.equal(result.httpStatus, httpStatus);
        if (kind === 'ok') assert.equal(result.status, 'OPEN', result.error?.message);
        else assertClearFailure(result, kind, message);
        assert.equal(ctx.mock.requests.length, httpStatus === 429 || httpStatus === 503 ? 3 : 1, 'only 429 and 503 are retried, twice by default');
        if (source === 'sendMissing') return assert.equal(result.otpId, '', 'a refused send names no otp_id: nothing to file');
        assert.ok(isFiled(result), 'filed under the otp_id asked about');
        const dir = tempDir();
        const store = (): HistoryStore => testStore({ dir, limits: () => ({ maxEntries: 10, maxChecksPerEntry: 10 }) });
        const writer = store();
        await writer.add(result);
        const reader = store();
        await reader.ready;
        const stored = reader.entries[0].checks[0];
        await Promise.all([writer.close(), reader.close()]);
        assert.deepEqual(
          [stored.ok, stored.error?.kind, stored.error?.messageId, stored.httpStatus],
          [result.ok, result.error?.kind, result.error?.messageId, httpStatus],
        );
      });
    }
  });

  describe('hostile text in error answers (edge server)', () => {
    const ctx = useMock();
    const servers = useEdgeServers();

    HOSTILE_ERRORS.forEach(([what, status, body, reason], i) => {
      it(`${what}: the message stays one inert line, the raw body is kept as sent`, async () => {
        const { edge } = servers;
        const otpIdValue = edgeId(300 + i);
        edge.route(REPORT_PATH + otpIdValue, (_req, res) => json(res, status, body, {}, reason));
        const result = await ctx.client({ baseUrl: () => edge.url, maxRetries: () => 0 }).getStatus(otpId(otpIdValue));
        assert.equal(result.httpStatus, status);
        assertClearFailure(result, result.error?.kind ?? 'bad-response');
        assert.deepEqual(result.body, body);
        if (result.error?.code) assertInertLine(result.error.code, 'the code');
      });
    });
  });
});
