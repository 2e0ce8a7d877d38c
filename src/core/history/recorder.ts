/**
 * The recorder: every call's record goes through here into the history. It decides what a record becomes (a new
 * row, a repeat counted on the latest row, nothing for a cancelled call or one without an otp_id) and tells
 * whoever listens: the view reveals, the failure UI explains, watches announce a status change. It calls back into
 * nobody. No `vscode` import.
 */
import { isFiled, operationOf, type FiledCheck, type StatusCheck } from '../check';
import { Emitter, type Event } from '../events';
import type { OtpId } from '../otpId';
import { sameStatus, statusKey } from '../status';
import { compactCheck, type AddOptions } from './model';
import type { RecentChecks } from './view';

/** A recorded status that differs from the one recorded before for that otp_id. */
export interface StatusChange {
  otpId: OtpId;
  from?: string;
  to: string;
  /**
   * True when the record that changed it was not made quietly: whoever asked (Check Status, Verify Code…) tells
   * the user about it, so nobody else has to (one event, one message).
   */
  announced?: boolean;
}

export interface RecordOptions {
  /** No message and no reveal: watch polls, bulk runs, the original's half of a resend. */
  quiet?: boolean;
  /** An unchanged result counts on the latest row instead of adding one (watch polls). */
  coalesce?: boolean;
  /** The otp_id a resend created this one from. */
  resendOf?: OtpId;
}

/** What became of a record. */
export interface Recorded {
  check: StatusCheck;
  options: RecordOptions;
  /** Why it is not in the history: a cancelled call, or one that names no otp_id (bad input, a refused send). */
  notFiled?: 'cancelled' | 'no-otp-id';
  /** Resolves once the history has stored it (at once when not filed). */
  stored: Promise<void>;
}

/** The part of the history store the recorder uses. */
export interface HistoryWriter {
  /** The newest checks of an otp_id's entry and the check times it holds (see `HistoryView.recent`). */
  recent(otpId: OtpId): RecentChecks | undefined;
  add(check: FiledCheck, options?: AddOptions): Promise<void>;
}

export class Recorder {
  private readonly recorded = new Emitter<Recorded>();
  private readonly statusChanged = new Emitter<StatusChange>();
  /** Fires for every record, filed or not. */
  readonly onDidRecord: Event<Recorded> = this.recorded.event;
  /** Fires when a recorded status differs from the previous recorded status of that otp_id. */
  readonly onDidChangeStatus: Event<StatusChange> = this.statusChanged.event;

  constructor(
    private readonly history: HistoryWriter,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Records a call's result. What is filed, announced and returned is the same bounded record (bodies, texts and
   * nesting capped as stored): a caller never holds more of what a server sent than the history does.
   */
  record(result: StatusCheck, options: RecordOptions = {}): Recorded {
    const check = compactCheck(result);
    if (check.error?.kind === 'cancelled') return this.announce({ check, options, notFiled: 'cancelled', stored: Promise.resolve() });
    if (!isFiled(check)) return this.announce({ check, options, notFiled: 'no-otp-id', stored: Promise.resolve() });
    const recent = this.history.recent(check.otpId);
    return this.file(distinctTime(check, recent), recent, options);
  }

  private file(check: FiledCheck, recent: RecentChecks | undefined, options: RecordOptions): Recorded {
    const before = recent?.newestOk?.status;
    const latest = recent?.newest;
    const repeatOf = options.coalesce && latest && sameOutcome(latest, check) ? latest.checkedAt : undefined;
    const stored = this.history.add(check, { ...(options.resendOf ? { resendOf: options.resendOf } : {}), ...(repeatOf ? { repeatOf } : {}) });
    stored.catch((error: unknown) => this.onStoreError(error));
    if (check.ok && !sameStatus(before, check.status)) {
      this.statusChanged.fire({
        otpId: check.otpId,
        ...(before !== undefined ? { from: before } : {}),
        to: check.status,
        ...(options.quiet ? {} : { announced: true }),
      });
    }
    return this.announce({ check, options, stored });
  }

  dispose(): void {
    this.recorded.dispose();
    this.statusChanged.dispose();
  }

  private announce(recorded: Recorded): Recorded {
    this.recorded.fire(recorded);
    return recorded;
  }
}

/**
 * The history tells checks of one otp_id apart by their time: two calls that ended in the same millisecond are two
 * checks, so the later one takes the next free millisecond (never one already filed).
 */
function distinctTime(check: FiledCheck, recent: RecentChecks | undefined): FiledCheck {
  let at = Date.parse(check.checkedAt);
  if (!recent?.taken(at)) return check;
  while (recent.taken(at)) at++;
  return { ...check, checkedAt: new Date(at).toISOString() };
}

/**
 * True when two records say the same thing: the same call with the same profile, and the same status (compared
 * by `statusKey`) or the same error. The repeat rule: such a result of a watch poll is counted, not added.
 */
export function sameOutcome(a: StatusCheck, b: StatusCheck): boolean {
  if (operationOf(a) !== operationOf(b) || a.httpStatus !== b.httpStatus || a.profile !== b.profile) return false;
  if (a.ok || b.ok) return a.ok && b.ok && statusKey(a.status) === statusKey(b.status);
  return a.error.kind === b.error.kind && a.error.code === b.error.code && a.error.message === b.error.message;
}
