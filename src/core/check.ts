/**
 * The call model: one record per call to D7, success or failure, as stored in history and returned by the public
 * API. A record is either `ok: true` with the status D7 gave, or `ok: false` with an error — never both, never
 * neither. No `vscode` import.
 */
import type { MessageId } from './messages';
import type { OtpId } from './otpId';

/** Why a call failed. Stable strings: they are stored in history and exposed through the public API. */
export type ErrorKind =
  | 'unauthorized' // 401 / 403: token missing, rejected or not allowed
  | 'not-found' // 404: no OTP with this id
  | 'validation' // 400 / 422: the request was refused as invalid (bad id, resend too early, wrong code)
  | 'rate-limited' // 429
  | 'server' // 5xx
  | 'network' // connection refused / reset / DNS / body cut short
  | 'timeout' // no complete answer within the configured time
  | 'cancelled' // the user (or the caller's AbortSignal) stopped it
  | 'bad-response' // an answer we cannot use: unexpected status, not JSON, wrong shape, redirect elsewhere
  | 'config'; // bad settings or input caught before any request (base URL, otp_id, token)

export const ERROR_KINDS: readonly ErrorKind[] = [
  'unauthorized',
  'not-found',
  'validation',
  'rate-limited',
  'server',
  'network',
  'timeout',
  'cancelled',
  'bad-response',
  'config',
];

/** One item of FastAPI's 422 `detail` list. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** A failure as recorded in history and returned by the API. Never contains the token. */
export interface CheckError {
  kind: ErrorKind;
  /** D7's `detail.code` when it sent one (e.g. MESSAGE_LOG_NOT_EXISTS). */
  code?: string;
  /** One sentence saying what happened, worded when the call was made. */
  message: string;
  /** Which of the extension's messages `message` is (src/core/messages.ts): what the failure UI acts on. */
  messageId?: MessageId;
  /** Each 422 validation issue, when D7 sent the FastAPI list shape. */
  issues?: ValidationIssue[];
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  retryAfterSeconds?: number;
}

/** Which Verify call produced a record. */
export type Operation = 'status' | 'send' | 'resend' | 'verify';
export const OPERATIONS: readonly Operation[] = ['status', 'send', 'resend', 'verify'];

interface CheckFields<Id extends OtpId | ''> {
  /** The otp_id the call was about; '' when there is none (input that is not an otp_id, a send D7 refused). */
  otpId: Id;
  /** ISO 8601 time the request started. */
  checkedAt: string;
  /** HTTP status code, absent when no answer arrived (network, timeout, cancelled, config). */
  httpStatus?: number;
  durationMs: number;
  /** Parsed JSON body, or the raw text (capped) when it was not JSON. */
  body?: unknown;
  /** True when the body was longer than the cap and was cut. */
  bodyTruncated?: boolean;
  /** Which Verify call (absent = 'status', the Get Status lookup). */
  operation?: Operation;
  /** Profile the call was made with (absent = the default profile). */
  profile?: string;
  /** Watch bookkeeping: how many consecutive identical results this record stands for, and the last one's time. */
  repeat?: number;
  lastCheckedAt?: string;
  /** Number of HTTP attempts when automatic retries happened (absent = 1). */
  attempts?: number;
}

/** D7 answered with a status. */
interface OkCheck<Id extends OtpId | '' = OtpId | ''> extends CheckFields<Id> {
  ok: true;
  /** Raw `status` string from the body (never normalised: unknown values kept as sent). */
  status: string;
  error?: undefined;
}

/** The call failed; what D7 said, if anything, is in `error` and `body`. */
export interface FailedCheck<Id extends OtpId | '' = OtpId | ''> extends CheckFields<Id> {
  ok: false;
  error: CheckError;
  status?: undefined;
}

/** One call to D7 and what came of it. */
export type StatusCheck = OkCheck | FailedCheck;

/** A record filed under an otp_id: what history holds. */
export type FiledCheck = OkCheck<OtpId> | FailedCheck<OtpId>;

/** Every check of one otp_id, newest first. */
export interface HistoryEntry {
  otpId: OtpId;
  label?: string;
  /** otp_id this one was created from by a resend, if any. */
  resendOf?: OtpId;
  checks: FiledCheck[];
}

/** True when a record can be filed in history (it names an otp_id). */
export function isFiled(check: StatusCheck): check is FiledCheck {
  return check.otpId !== '';
}

/** The operation of a record ('status' when absent). */
export function operationOf(check: StatusCheck): Operation {
  return check.operation ?? 'status';
}

/** When a record was last seen (a repeated watch result's last poll, else its own time). */
export function seenAt(check: StatusCheck): string {
  return check.lastCheckedAt ?? check.checkedAt;
}
