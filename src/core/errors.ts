/**
 * The error model: D7's error shapes, what each HTTP status means, and what to tell the user. No `vscode` import.
 * `detail` comes as a string, an object `{code, message}`, or FastAPI's list `[{loc, msg, type}]`.
 */
import type { CheckError, ErrorKind, ValidationIssue } from './check';
import { isRecord } from './json';
import { msg, type Message, type MessageId, type Wording } from './messages';
import { inert } from './text';

/** A failure before it is worded: the record gets `message` (worded) and `messageId` from `text`. */
export interface ErrorDraft {
  kind: ErrorKind;
  text: Message;
  code?: string;
  issues?: ValidationIssue[];
  retryAfterSeconds?: number;
}

export function draft(kind: ErrorKind, id: MessageId, ...args: Message['args']): ErrorDraft {
  return { kind, text: msg(id, ...args) };
}

/** The recorded error of a draft, worded. */
export function wordError(error: ErrorDraft, word: Wording): CheckError {
  return {
    kind: error.kind,
    ...(error.code !== undefined ? { code: error.code } : {}),
    message: word(error.text),
    messageId: error.text.id,
    ...(error.issues ? { issues: error.issues } : {}),
    ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
  };
}

export interface ParsedDetail {
  code?: string;
  message?: string;
  issues?: ValidationIssue[];
}

/** Reads D7's `detail` from a parsed body, whatever its shape; empty when there is none. */
export function parseDetail(body: unknown): ParsedDetail {
  if (!isRecord(body)) return {};
  const detail = body.detail;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const issues = detail.filter(isRecord).map(toIssue);
    return issues.length ? { issues, message: issues.map(formatIssue).join('; ') } : {};
  }
  if (isRecord(detail)) {
    return {
      ...(typeof detail.code === 'string' ? { code: detail.code } : {}),
      ...(typeof detail.message === 'string' ? { message: detail.message } : {}),
    };
  }
  return {};
}

function toIssue(item: Record<string, unknown>): ValidationIssue {
  return {
    loc: Array.isArray(item.loc) ? item.loc.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number') : [],
    msg: typeof item.msg === 'string' ? item.msg : (JSON.stringify(item.msg) ?? ''), // no msg: no text
    type: typeof item.type === 'string' ? item.type : '',
  };
}

/** "path.otp_id: value is not a valid uuid" */
export function formatIssue(issue: ValidationIssue): string {
  return issue.loc.length ? `${issue.loc.join('.')}: ${issue.msg}` : issue.msg;
}

/** The error kind for an HTTP status that is not a success. */
export function kindForHttpStatus(httpStatus: number): ErrorKind {
  if (httpStatus === 401 || httpStatus === 403) return 'unauthorized';
  if (httpStatus === 404) return 'not-found';
  if (httpStatus === 400 || httpStatus === 422) return 'validation';
  if (httpStatus === 408) return 'timeout';
  if (httpStatus === 429) return 'rate-limited';
  if (httpStatus >= 500) return 'server';
  return 'bad-response';
}

/** The three HTTP-date forms of RFC 9110 (IMF-fixdate, RFC 850, asctime); asctime carries no zone but means GMT. */
const IMF_FIXDATE = /^[a-z]{3}, \d{2} [a-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/i;
const RFC850_DATE = /^[a-z]{6,9}, \d{2}-[a-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/i;
const ASCTIME_DATE = /^[a-z]{3} [a-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/i;

/**
 * Parses a Retry-After header (delta seconds or an HTTP date) into seconds from `nowMs`;
 * undefined when absent or unreadable. Only the HTTP-date forms are read as dates: `Date.parse` alone takes
 * "1.5" or "-1" for dates in 2001, which would turn garbage into "retry at once".
 */
export function parseRetryAfter(header: string | null | undefined, nowMs: number): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  let date = NaN;
  if (IMF_FIXDATE.test(value) || RFC850_DATE.test(value)) date = Date.parse(value);
  else if (ASCTIME_DATE.test(value)) date = Date.parse(`${value} GMT`);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** The error of an HTTP answer that is not a success. D7's words in it are inert (one line, no link). */
export function httpError(httpStatus: number, statusText: string, body: unknown, retryAfterSeconds?: number): ErrorDraft {
  const kind = kindForHttpStatus(httpStatus);
  const detail = parseDetail(body);
  const said = detail.message ? inert(detail.message, 300) : undefined;
  const code = detail.code ? inert(detail.code, 80) : undefined;
  const http = `HTTP ${httpStatus}${statusText ? ` ${inert(statusText, 40)}` : ''}`;
  return {
    kind,
    text: httpErrorText(kind, httpStatus === 401, code ?? http, http, said, retryAfterSeconds),
    ...(code ? { code } : {}),
    ...(detail.issues ? { issues: detail.issues } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** `what`: D7's code, or the HTTP status when it sent none; `said`: D7's own words. */
function httpErrorText(kind: ErrorKind, is401: boolean, what: string, http: string, said?: string, retryAfter?: number): Message {
  const either = (plain: MessageId, withWords: MessageId, subject: string) => (said ? msg(withWords, subject, said) : msg(plain, subject));
  switch (kind) {
    case 'unauthorized':
      return is401 ? either('tokenRejected', 'tokenRejectedSaid', what) : either('accessDenied', 'accessDeniedSaid', what);
    case 'not-found':
      return either('notFound', 'notFoundSaid', what);
    case 'validation':
      return msg('refused', what, said ?? msg('noReasonGiven'));
    case 'rate-limited':
      return retryAfter !== undefined ? msg('rateLimitedRetryAfter', http, retryAfter) : msg('rateLimited', http);
    case 'server':
      return either('serverError', 'serverErrorSaid', http);
    case 'timeout':
      return msg('d7TimedOut', http);
    default:
      return either('unexpectedAnswer', 'unexpectedAnswerSaid', http);
  }
}

const KIND_LABELS: Record<ErrorKind, MessageId> = {
  unauthorized: 'kindUnauthorized',
  'not-found': 'kindNotFound',
  validation: 'kindValidation',
  'rate-limited': 'kindRateLimited',
  server: 'kindServer',
  network: 'kindNetwork',
  timeout: 'kindTimeout',
  cancelled: 'kindCancelled',
  'bad-response': 'kindBadResponse',
  config: 'kindConfig',
};

/** A short title for an error kind, for tree rows and summaries ("not found", "rate limited"). */
export function errorKindLabel(kind: ErrorKind): Message {
  return msg(KIND_LABELS[kind]);
}

/** Kinds after which trying the same request again may help. */
export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'rate-limited' || kind === 'server' || kind === 'network' || kind === 'timeout';
}
