/**
 * The four Verify calls as every entry point makes them (palette, tree, watch, bulk, the public API): the input
 * parsed into an `OtpId`, the call made with the active profile, the record handed to the recorder. Never rejects:
 * an unexpected failure becomes a record too. No `vscode` import.
 */
import { type FailedCheck, type Operation, type StatusCheck } from './check';
import type { D7VerifyClient } from './client/client';
import type { CallOptions, SendOtpParams } from './client/request';
import { draft, parseDetail, wordError } from './errors';
import type { Recorded, RecordOptions, Recorder } from './history/recorder';
import type { HistoryEntry } from './check';
import { msg, type Wording } from './messages';
import { parseOtpId, readOtpId, sameOtpId, type OtpId } from './otpId';
import { maskedCheck } from './recipient';
import { formatDuration } from './timeline';

export interface CallsOptions {
  client: Pick<D7VerifyClient, 'getStatus' | 'sendOtp' | 'resendOtp' | 'verifyOtp'>;
  recorder: Recorder;
  history: { find(otpId: OtpId): HistoryEntry | undefined };
  /** The profiles calls are made with: the active one (by default), and whether a named one still exists. */
  profiles: { active(): string; exists(name: string): boolean };
  word: Wording;
  /** Told about failures that are bugs, not D7's answers. */
  onInternalError: (operation: Operation, error: unknown) => void;
  /** True (the default) when phone numbers in D7's answers are masked before they are recorded. */
  maskRecipients?: () => boolean;
}

/** Options of one call: cancellation, retry waits, and how it is recorded. */
export type CallRequest = Omit<CallOptions, 'profile'> &
  Pick<RecordOptions, 'quiet' | 'coalesce'> & {
    /** The profile to call with (a watch's or an entry's own); none: the active one. */
    profile?: string;
  };

export class OtpCalls {
  constructor(private readonly options: CallsOptions) {}

  /** Get Status of what the caller passed (an otp_id, or anything: it is parsed first). */
  status(input: unknown, request: CallRequest = {}): Promise<StatusCheck> {
    return this.guard('status', request, async () => {
      const otpId = this.parse(input, 'status', request);
      if (typeof otpId !== 'string') return this.record(otpId, request);
      return this.record(await this.options.client.getStatus(otpId, this.callOptions(request)), request);
    });
  }

  /** Send OTP; the record is filed under the otp_id D7 returned. */
  send(params: SendOtpParams, request: Omit<CallRequest, 'profile'> = {}): Promise<StatusCheck> {
    return this.guard('send', request, async () => this.record(await this.options.client.sendOtp(params, this.callOptions(request)), request));
  }

  /**
   * Resend OTP. When D7 answers with another otp_id, the original gets the call and the new id an entry of its
   * own, linked to it; the record of the new id is returned. A refusal that names D7's minimum delay says when a
   * resend is allowed again.
   */
  resend(input: unknown, request: CallRequest = {}): Promise<StatusCheck> {
    return this.guard('resend', request, async () => {
      const otpId = this.parse(input, 'resend', request);
      if (typeof otpId !== 'string') return this.record(otpId, request);
      const check = await this.options.client.resendOtp(otpId, this.callOptions(request));
      if (!check.ok) return this.record(this.withResendWait(otpId, check), request);
      const created = readOtpId((check.body as { otp_id?: unknown } | undefined)?.otp_id);
      if (!created || sameOtpId(created, otpId)) return this.record(check, request);
      const original = this.options.recorder.record(check, { quiet: true });
      const result = await this.record({ ...check, otpId: created }, { ...request, resendOf: otpId });
      await original.stored.catch(() => undefined);
      return result;
    });
  }

  /** Verify OTP with a code. */
  verify(input: unknown, code: string, request: CallRequest = {}): Promise<StatusCheck> {
    return this.guard('verify', request, async () => {
      const otpId = this.parse(input, 'verify', request);
      if (typeof otpId !== 'string') return this.record(otpId, request);
      return this.record(await this.options.client.verifyOtp(otpId, code, this.callOptions(request)), request);
    });
  }

  /**
   * The otp_id, or the record of a call that cannot be made: input that is not an otp_id (not filed), or a profile
   * that no longer exists (filed: it is about that otp_id). Nothing is sent for either.
   */
  private parse(input: unknown, operation: Operation, request: CallRequest): OtpId | FailedCheck {
    const parsed = parseOtpId(input);
    if (!parsed.ok) return this.failure(operation, { kind: 'config', text: parsed.message });
    if (request.profile === undefined || this.options.profiles.exists(request.profile)) return parsed.otpId;
    return { ...this.failure(operation, draft('config', 'profileGone', request.profile)), otpId: parsed.otpId, profile: request.profile };
  }

  /**
   * Records a check and resolves once the history has it on disk, so a check reported to the user survives a reload
   * or a killed host. A failure to store is told through the recorder's store-error handler; the check is still returned.
   */
  private async record(check: StatusCheck, options: RecordOptions): Promise<StatusCheck> {
    const recorded: Recorded = this.options.recorder.record((this.options.maskRecipients?.() ?? true) ? maskedCheck(check) : check, options);
    await recorded.stored.catch(() => undefined);
    return recorded.check;
  }

  private callOptions(request: CallRequest): CallOptions {
    return { signal: request.signal, onWait: request.onWait, profile: request.profile ?? this.options.profiles.active() };
  }

  /** The API's promise contract: an unexpected failure becomes a record (about no otp_id), never a rejection. */
  private async guard(operation: Operation, request: CallRequest, run: () => Promise<StatusCheck>): Promise<StatusCheck> {
    try {
      return await run();
    } catch (error) {
      this.options.onInternalError(operation, error);
      return this.record(this.failure(operation, draft('bad-response', 'internalError')), request);
    }
  }

  private failure(operation: Operation, error: Parameters<typeof wordError>[0]): FailedCheck {
    return {
      otpId: '',
      checkedAt: new Date().toISOString(),
      ok: false,
      durationMs: 0,
      ...(operation !== 'status' ? { operation } : {}),
      profile: this.options.profiles.active(),
      error: wordError(error, this.options.word),
    };
  }

  /** D7's "minimum N seconds delay" with the time left, when the last send of this otp_id is known. */
  private withResendWait(otpId: OtpId, check: FailedCheck): FailedCheck {
    const minimum = /minimum\s+(\d+)\s*seconds?/i.exec(parseDetail(check.body).message ?? '');
    if (!minimum) return check;
    const entry = this.options.history.find(otpId);
    const lastSend = entry?.checks.find((c) => c.ok && (c.operation === 'send' || c.operation === 'resend'));
    const created = lastSend ?? entry?.checks[entry.checks.length - 1];
    if (!created) return check;
    const left = Number(minimum[1]) * 1000 - (Date.parse(check.checkedAt) - Date.parse(created.checkedAt));
    if (!(left > 0)) return check;
    const said = /[.!?]$/.test(check.error.message) ? check.error.message : `${check.error.message}.`;
    return { ...check, error: { ...check.error, message: this.options.word(msg('resendAllowedIn', said, formatDuration(left))) } };
  }
}
