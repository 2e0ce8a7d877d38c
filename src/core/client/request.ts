/** The shapes the D7 client's parts exchange: a request, the fetch it goes through, what it logs. No `vscode` import. */
import type { Operation } from '../check';
import type { OtpId } from '../otpId';

/** One call to D7, described once and handed from part to part (transport, retry policy, interpretation). */
export interface D7Request {
  operation: Operation;
  /** The otp_id the call is about ('' for a send: D7 gives the id). */
  otpId: OtpId | '';
  method: 'GET' | 'POST';
  path: string;
  /** JSON body of a POST. */
  payload?: unknown;
}

/** What the caller of one call can add: cancellation, hearing about retry waits, the profile to record. */
export interface CallOptions {
  signal?: AbortSignal;
  onWait?: (wait: RetryWait) => void;
  profile?: string;
}

/** A pause before an automatic retry, reported so the UI can say it is waiting. */
export interface RetryWait {
  attempt: number;
  delayMs: number;
}

/** One line of the request log: never the token, never a header. */
export interface RequestLogEntry {
  method: string;
  path: string;
  httpStatus?: number;
  durationMs: number;
  /** "ok", an error kind, or "retry" when an automatic retry follows. */
  outcome: string;
  attempt: number;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  redirect: 'manual';
}

/** The part of a fetch Response this client uses (node-fetch v3 and Node's global fetch both fit). */
export interface FetchResponseLike {
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  body: unknown;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

/** Parameters of Send OTP, as D7 documents them. Extra keys are sent as given. */
export interface SendOtpParams {
  originator: string;
  recipient: string;
  content?: string;
  template_id?: string | number;
  channel?: string;
  expiry?: number;
  data_coding?: string;
  retry_delay?: number;
  retry_count?: number;
  otp_code_length?: number;
  otp_type?: string;
  [key: string]: unknown;
}
