/**
 * Plain data types shared by the core and the VS Code layer. No `vscode` import here:
 * everything in `src/core` runs (and is unit-tested) in plain Node.
 */

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
  /** One human sentence saying what happened. */
  message: string;
  /** Each 422 validation issue, when D7 sent the FastAPI list shape. */
  issues?: ValidationIssue[];
  /** Seconds the server asked us to wait (Retry-After), when it said. */
  retryAfterSeconds?: number;
}

/** Which Verify call produced a record. */
export type Operation = 'status' | 'send' | 'resend' | 'verify';

/** One call to D7 and what came of it. */
export interface StatusCheck {
  otpId: string;
  /** ISO 8601 time the request started. */
  checkedAt: string;
  ok: boolean;
  /** Raw `status` string from the body, when the API gave one (never normalised: unknown values kept as sent). */
  status?: string;
  /** HTTP status code, absent when no answer arrived (network, timeout, cancelled, config). */
  httpStatus?: number;
  durationMs: number;
  /** Parsed JSON body, or the raw text (capped) when it was not JSON. */
  body?: unknown;
  /** True when the body was longer than the cap and was cut. */
  bodyTruncated?: boolean;
  error?: CheckError;
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

/** Every check of one otp_id, newest first. */
export interface HistoryEntry {
  otpId: string;
  label?: string;
  /** otp_id this one was created from by a resend, if any. */
  resendOf?: string;
  checks: StatusCheck[];
}
