/**
 * D7's error shapes and what to tell the user about them. No `vscode` import.
 * `detail` comes as a string, an object `{code, message}`, or FastAPI's list `[{loc, msg, type}]`.
 */
import type { CheckError, ErrorKind, ValidationIssue } from './types';
import { printable } from './otpId';

export interface ParsedDetail {
  code?: string;
  message?: string;
  issues?: ValidationIssue[];
}

/** Reads D7's `detail` from a parsed body, whatever its shape; empty when there is none. */
export function parseDetail(body: unknown): ParsedDetail {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return {};
  const detail = (body as Record<string, unknown>).detail;
  if (typeof detail === 'string') return { message: detail };
  if (Array.isArray(detail)) {
    const issues = detail.filter(isIssueLike).map(toIssue);
    return issues.length ? { issues, message: issues.map(formatIssue).join('; ') } : {};
  }
  if (detail && typeof detail === 'object') {
    const { code, message } = detail as Record<string, unknown>;
    return {
      code: typeof code === 'string' ? code : undefined,
      message: typeof message === 'string' ? message : undefined,
    };
  }
  return {};
}

function isIssueLike(item: unknown): item is Record<string, unknown> {
  return !!item && typeof item === 'object' && !Array.isArray(item);
}

function toIssue(item: Record<string, unknown>): ValidationIssue {
  return {
    loc: Array.isArray(item.loc) ? item.loc.filter((p): p is string | number => ['string', 'number'].includes(typeof p)) : [],
    msg: typeof item.msg === 'string' ? item.msg : JSON.stringify(item.msg ?? ''),
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

/**
 * Untrusted text (D7's words, a reason phrase, a URL from an answer) made fit for a message: one printable line,
 * bounded, and with `](` broken apart, since VS Code's notifications turn `[label](command:…)` into a link that runs
 * the command when clicked. The raw text stays in the recorded body.
 */
export function inertText(value: string, max: number): string {
  return printable(value, max).replace(/\]\(/g, '] (');
}

/** Builds the recorded error for an HTTP answer that is not a success. */
export function httpError(httpStatus: number, statusText: string, body: unknown, retryAfterSeconds?: number): CheckError {
  const kind = kindForHttpStatus(httpStatus);
  const detail = parseDetail(body);
  const said = detail.message ? inertText(detail.message, 300) : undefined;
  const code = detail.code ? inertText(detail.code, 80) : undefined;
  const http = `HTTP ${httpStatus}${statusText ? ` ${inertText(statusText, 40)}` : ''}`;
  let message: string;
  switch (kind) {
    case 'unauthorized':
      message =
        httpStatus === 401
          ? `Token rejected by D7 (${code ?? http})${said ? `: ${said}` : ''}. Set a valid API token.`
          : `Access denied by D7 (${code ?? http})${said ? `: ${said}` : ''}. Check that the token's application may use Verify.`;
      break;
    case 'not-found':
      message = `No OTP with this id (${code ?? http})${said ? `: ${said}` : ''}`;
      break;
    case 'validation':
      message = `D7 refused the request (${code ?? http}): ${said ?? 'no reason given'}`;
      break;
    case 'rate-limited':
      message = `D7 is rate limiting requests (${http})${retryAfterSeconds !== undefined ? `; it asked to retry after ${retryAfterSeconds} s` : ''}.`;
      break;
    case 'server':
      message = `D7 server error (${http})${said ? `: ${said}` : ''}. Try again later.`;
      break;
    case 'timeout':
      message = `D7 timed out handling the request (${http}).`;
      break;
    default:
      message = `Unexpected answer from D7 (${http})${said ? `: ${said}` : ''}.`;
  }
  return {
    kind,
    ...(code ? { code } : {}),
    message,
    ...(detail.issues ? { issues: detail.issues } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}

/** A short title for an error kind, for tree rows and summaries. */
export function errorKindLabel(kind: ErrorKind): string {
  switch (kind) {
    case 'unauthorized':
      return 'token rejected';
    case 'not-found':
      return 'not found';
    case 'validation':
      return 'refused';
    case 'rate-limited':
      return 'rate limited';
    case 'server':
      return 'server error';
    case 'network':
      return 'network error';
    case 'timeout':
      return 'timed out';
    case 'cancelled':
      return 'cancelled';
    case 'bad-response':
      return 'bad response';
    case 'config':
      return 'not sent';
  }
}

/** Kinds after which trying the same request again may help. */
export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'rate-limited' || kind === 'server' || kind === 'network' || kind === 'timeout';
}
