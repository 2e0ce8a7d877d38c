import * as assert from 'node:assert/strict';
import { OtpCalls, type CallsOptions } from '../../../src/core/calls';
import type { FailedCheck, FiledCheck, HistoryEntry, StatusCheck } from '../../../src/core/check';
import type { Recorder } from '../../../src/core/history/recorder';
import { english } from '../../../src/core/messages';

import { uuid } from '../helpers';

/**
 * The "resend allowed again in …" rule of OtpCalls.resend, against a history given as data (no store, no mock):
 * what D7's refusal must say, and which earlier record the wait is counted from.
 */
const ID = uuid(41);
const T0 = Date.parse('2026-01-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function refusal(detail: string, message: string, atMs: number): FailedCheck {
  return {
    otpId: ID,
    checkedAt: at(atMs),
    ok: false,
    durationMs: 5,
    operation: 'resend',
    httpStatus: 400,
    body: { detail },
    error: { kind: 'validation', message, messageId: 'refused' },
  };
}

function check(operation: FiledCheck['operation'], atMs: number, ok = true): FiledCheck {
  return ok
    ? { otpId: ID, checkedAt: at(atMs), ok: true, status: 'OPEN', durationMs: 5, ...(operation ? { operation } : {}) }
    : { otpId: ID, checkedAt: at(atMs), ok: false, durationMs: 5, ...(operation ? { operation } : {}), error: { kind: 'validation', message: 'no' } };
}

/** The message OtpCalls gives D7's refusal `answer`, with `checks` (newest first) as the id's history. */
async function said(answer: FailedCheck, checks: FiledCheck[] | undefined): Promise<string | undefined> {
  const entry: HistoryEntry | undefined = checks && { otpId: ID, checks };
  const recorder = { record: (c: StatusCheck) => ({ check: c, options: {}, stored: Promise.resolve() }) } as unknown as Recorder;
  const fail = () => Promise.reject(new Error('not this call'));
  const calls = new OtpCalls({
    client: { getStatus: fail, sendOtp: fail, verifyOtp: fail, resendOtp: async () => answer } as unknown as CallsOptions['client'],
    recorder,
    history: { find: () => entry },
    profiles: { active: () => 'default', exists: () => true },
    word: english,
    onInternalError: (_op, error) => assert.fail(String(error)),
  });
  return (await calls.resend(ID)).error?.message;
}

const D7_WORDS = 'D7 refused the request: Frequent resend request, resend request need minimum 60 seconds delay';

describe('core/calls: the resend wait of a "minimum N seconds" refusal', () => {
  it('D7\'s wording is read loosely: several spaces, no space before "seconds", or "second"', async () => {
    const sent = [check('send', 0)];
    for (const detail of ['need minimum   60   seconds delay', 'need minimum 60seconds delay', 'need minimum 60 second delay', 'NEED MINIMUM 60 SECONDS']) {
      assert.equal(await said(refusal(detail, `D7: ${detail}`, 15_000), sent), `D7: ${detail}. A resend is allowed again in 45 s.`, detail);
    }
  });

  it('without "minimum N seconds" in the detail, D7\'s words stay alone', async () => {
    for (const detail of ['minimum seconds delay', 'minimum 60 minutes delay', 'Frequent resend request']) {
      assert.equal(await said(refusal(detail, 'D7 refused.', 15_000), [check('send', 0)]), 'D7 refused.', detail);
    }
  });

  it('counted from the newest successful send or resend of the id, not from a failed one or a status check', async () => {
    const checks = [check('status', 14_000), check('resend', 12_000, false), check(undefined, 11_000), check('resend', 10_000), check('send', 0)];
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 15_000), checks), `${D7_WORDS}. A resend is allowed again in 55 s.`);
    const sendOnly = [check('status', 14_000), check('send', 5_000, false), check('send', 2_000), check('status', 1_000)];
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 15_000), sendOnly), `${D7_WORDS}. A resend is allowed again in 47 s.`);
  });

  it('with no successful send of the id known, counted from its oldest record', async () => {
    const checks = [check('status', 14_000), check('resend', 9_000, false), check('status', 3_000)];
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 15_000), checks), `${D7_WORDS}. A resend is allowed again in 48 s.`);
  });

  it("no history of the id, or a delay already over (to the millisecond), leaves D7's words alone", async () => {
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 15_000), undefined), D7_WORDS);
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 60_000), [check('send', 0)]), D7_WORDS, 'exactly 60 s later');
    assert.equal(await said(refusal(D7_WORDS, D7_WORDS, 59_000), [check('send', 0)]), `${D7_WORDS}. A resend is allowed again in 1 s.`);
  });

  it("a sentence mark is added after D7's words only when they do not already end with one", async () => {
    for (const [message, expected] of [
      ['Wait a bit, e.g. 60 s', 'Wait a bit, e.g. 60 s.'],
      ['Wait.', 'Wait.'],
      ['Wait!', 'Wait!'],
      ['Wait?', 'Wait?'],
    ] as const) {
      assert.equal(await said(refusal(D7_WORDS, message, 15_000), [check('send', 0)]), `${expected} A resend is allowed again in 45 s.`, message);
    }
  });
});
