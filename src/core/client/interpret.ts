/**
 * Response interpretation: an HTTP answer (or why there was none) becomes the record of the call. Everything the
 * server sent is checked before it is trusted: the token is redacted from the body before it is parsed, a 2xx must
 * carry a string status, and an otp_id it names must be a UUID. No `vscode` import.
 */
import type { FailedCheck, StatusCheck } from '../check';
import { draft, httpError, parseRetryAfter, wordError, type ErrorDraft } from '../errors';
import { isRecord, typeOf } from '../json';
import type { Wording } from '../messages';
import { readOtpId } from '../otpId';
import { redactToken } from '../token';
import type { D7Request } from './request';
import type { HttpAnswer } from './transport';

/** What a record needs besides the answer. */
export interface RecordContext {
  request: D7Request;
  startedAt: number;
  now: number;
  profile?: string;
  word: Wording;
}

/** The record of a call that failed before, or instead of, an answer. */
export function failedRecord(ctx: RecordContext, error: ErrorDraft): FailedCheck {
  return { ...recordFields(ctx), ok: false, error: wordError(error, ctx.word) };
}

/** The record of an answer. Every secret in `redact` is removed from the body and reason phrase before anything reads them. */
export function answerRecord(ctx: RecordContext, answer: HttpAnswer, redact: readonly string[]): StatusCheck {
  const { httpStatus, truncated } = answer;
  const text = redactToken(answer.text, ...redact);
  const statusText = redactToken(answer.statusText, ...redact);
  const { body, json } = parseBody(text, truncated);
  const fields = {
    ...recordFields(ctx),
    httpStatus,
    ...(body !== undefined ? { body } : {}),
    ...(truncated ? { bodyTruncated: true } : {}),
  };
  if (httpStatus < 200 || httpStatus >= 300) {
    const error = httpError(httpStatus, statusText, body, parseRetryAfter(answer.headers.get('retry-after'), ctx.now));
    return { ...fields, ok: false, error: wordError(error, ctx.word) };
  }
  const problem = shapeProblem(httpStatus, text, body, json, truncated) ?? idProblem(ctx.request, httpStatus, body);
  if (problem || !isRecord(body) || typeof body.status !== 'string') {
    return { ...fields, ok: false, error: wordError(problem ?? draft('bad-response', 'bodyNoStatus', httpStatus), ctx.word) };
  }
  const sent = ctx.request.operation === 'send' ? readOtpId(body.otp_id) : undefined;
  return { ...fields, ...(sent ? { otpId: sent } : {}), ok: true, status: body.status };
}

function recordFields(ctx: RecordContext) {
  const { request } = ctx;
  return {
    otpId: request.otpId,
    checkedAt: new Date(ctx.startedAt).toISOString(),
    durationMs: Math.max(0, ctx.now - ctx.startedAt),
    ...(request.operation !== 'status' ? { operation: request.operation } : {}),
    ...(ctx.profile ? { profile: ctx.profile } : {}),
  };
}

/** The parsed JSON body, the raw text when it is not JSON, or undefined when empty. */
function parseBody(text: string, truncated: boolean): { body: unknown; json: boolean } {
  if (text === '') return { body: undefined, json: false };
  if (!truncated) {
    try {
      return { body: JSON.parse(text) as unknown, json: true };
    } catch {
      // not JSON: kept raw below
    }
  }
  return { body: text, json: false };
}

/** Why a 2xx answer carries no usable status, or undefined when it does. */
function shapeProblem(httpStatus: number, text: string, body: unknown, json: boolean, truncated: boolean): ErrorDraft | undefined {
  if (truncated) return draft('bad-response', 'bodyTooLarge', httpStatus);
  if (text.trim() === '') return draft('bad-response', 'bodyEmpty', httpStatus);
  if (!json) return draft('bad-response', 'bodyNotJson', httpStatus);
  if (!isRecord(body)) return draft('bad-response', 'bodyNotObject', httpStatus, typeOf(body));
  if (!('status' in body)) return draft('bad-response', 'bodyNoStatus', httpStatus);
  if (typeof body.status !== 'string') return draft('bad-response', 'statusNotString', httpStatus, typeOf(body.status));
  return undefined;
}

/** A send must name the new otp_id, and a resend may name another one: either must be a UUID. */
function idProblem(request: D7Request, httpStatus: number, body: unknown): ErrorDraft | undefined {
  if (!isRecord(body)) return undefined;
  const named = body.otp_id;
  const required = request.operation === 'send';
  const allowed = request.operation === 'send' || request.operation === 'resend';
  if (!allowed || (named === undefined && !required)) return undefined;
  return readOtpId(named) ? undefined : draft('bad-response', 'answerWithoutOtpId', httpStatus);
}
