/**
 * Send, resend and verify as the commands and the public API make them: under progress unless quiet, a sent or
 * resent OTP watched when the user wants it, and one message on success (failures are the recorder's to announce).
 */
import * as vscode from 'vscode';
import type { StatusCheck } from '../../core/check';
import type { SendOtpParams } from '../../core/client/request';
import type { CallRequest } from '../../core/calls';
import { parseOtpId, sameOtpId, type OtpId } from '../../core/otpId';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { withCallProgress } from '../../ui/progress';
import { outcomeText } from '../history/rows';
import { recipientText } from '../../core/recipient';
import { expiryOf } from './sendOptions';

/** What the Verify calls need of the watches. */
export interface Watcher {
  watch(otpId: OtpId, expirySeconds?: number): unknown;
  stop(otpId: OtpId): unknown;
}

export class VerifyService {
  constructor(
    private readonly s: Services,
    private readonly watches: Watcher,
  ) {}

  /** Sends an OTP and records it under the otp_id D7 returned; resolves with the record (never rejects). */
  async send(params: SendOtpParams, quiet = false): Promise<StatusCheck> {
    const recipient = recipientText(params.recipient, this.s.config.showPhoneNumbers);
    const check = await this.run(vscode.l10n.t('Sending OTP to {0}', recipient), quiet, (request) => this.s.calls.send(params, request));
    if (!check.ok || !check.otpId) return check;
    if (this.s.config.watchAfterSend) this.watches.watch(check.otpId, expiryOf(check.body, params.expiry));
    if (!quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP sent to {0}: {1} ({2}).', recipient, check.otpId, outcomeText(check, localized)));
    return check;
  }

  /** Asks D7 to resend; a new otp_id gets its own entry linked to the original (and the watch moves to it). */
  async resend(input: unknown, quiet = false): Promise<StatusCheck> {
    const original = parseOtpId(input);
    const title = vscode.l10n.t('Resending {0}', original.ok ? original.otpId : '');
    const check = await this.run(title, quiet, (request) => this.s.calls.resend(input, request));
    if (!check.ok || !original.ok || !check.otpId) return check;
    const created = !sameOtpId(check.otpId, original.otpId);
    if (created && this.s.config.watchAfterSend) {
      this.watches.stop(original.otpId);
      this.watches.watch(check.otpId, expiryOf(check.body));
    }
    if (!quiet) {
      const message = created
        ? vscode.l10n.t('OTP resent: new otp_id {0} (from {1}).', check.otpId, original.otpId)
        : vscode.l10n.t('OTP {0} resent.', original.otpId);
      void vscode.window.showInformationMessage(message);
    }
    return check;
  }

  /** Checks a code with D7; records APPROVED / FAILED / EXPIRED / ALREADY_VERIFIED / INVALID_OTP_CODE. */
  async verify(input: unknown, code: string, quiet = false): Promise<StatusCheck> {
    const parsed = parseOtpId(input);
    const check = await this.run(vscode.l10n.t('Verifying {0}', parsed.ok ? parsed.otpId : ''), quiet, (request) => this.s.calls.verify(input, code, request));
    if (check.ok && !quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP {0}: {1}', check.otpId, outcomeText(check, localized)));
    return check;
  }

  /** One call: quiet ones directly, others under progress (cancellable, showing retry waits). */
  private run(title: string, quiet: boolean, call: (request: CallRequest) => Promise<StatusCheck>): Promise<StatusCheck> {
    if (quiet) return call({ quiet: true });
    return withCallProgress(title, undefined, ({ signal, onWait }) => call({ signal, onWait }));
  }
}
