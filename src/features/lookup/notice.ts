/**
 * What a person is told about a record, as data (no `vscode` import, so it is unit-tested in plain Node): a failure's
 * one-line notice, how severe it is and which actions it offers; a status check's status-bar line. `outcomes.ts`
 * shows them.
 */
import { operationOf, type FailedCheck, type StatusCheck } from '../../core/check';
import { isRetryable } from '../../core/errors';
import type { Wording } from '../../core/messages';
import { inert } from '../../core/text';
import { outcomeText } from '../history/rows';

/** The actions a failure's notice offers, by the error's kind and message id (never its text). */
export type NoticeAction = 'setToken' | 'retry' | 'showLog' | 'openSettings';

export interface FailureNotice {
  /** What happened first (a collapsed notification shows one line), the otp_id after it; one inert line. */
  text: string;
  /** Not-found and validation are the caller's input: a warning; the rest an error. */
  severity: 'warning' | 'error';
  actions: NoticeAction[];
}

export function failureNotice(check: FailedCheck): FailureNotice {
  const { kind, messageId } = check.error;
  const actions: NoticeAction[] = [];
  if (kind === 'unauthorized' || messageId === 'noToken' || messageId === 'storedTokenUnusable' || messageId === 'tokenForOtherOrigin') {
    actions.push('setToken');
  } else if (kind === 'config' && messageId?.startsWith('baseUrl')) actions.push('openSettings');
  if (isRetryable(kind)) actions.push('retry');
  if (kind !== 'not-found' && kind !== 'validation' && kind !== 'config') actions.push('showLog');
  const said = inert(check.error.message, 1000);
  return {
    text: check.otpId ? `${said} (${check.otpId})` : said,
    severity: kind === 'not-found' || kind === 'validation' ? 'warning' : 'error',
    actions,
  };
}

/** The status-bar line of a successful status check; undefined for the other calls (they say it themselves). */
export function statusBarText(check: StatusCheck, word: Wording): string | undefined {
  if (!check.ok || operationOf(check) !== 'status') return undefined;
  return `$(check) D7 OTP ${check.otpId}: ${outcomeText(check, word)}`;
}
