/** D7 OTP: Send OTP…, Resend OTP, Verify Code… (palette and tree items). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { candidateOtpId, skipsConfirmation } from '../../core/args';
import type { StatusCheck } from '../../core/check';
import type { SendOtpParams } from '../../core/client/request';
import { isRecord } from '../../core/json';
import { oneLine } from '../../core/text';
import type { Services } from '../../services/services';
import { askOtpId } from '../../ui/inputs';
import { pickThenInput } from '../../ui/steps';
import { Feature } from '../feature';
import type { SendWizard } from './sendWizard';
import { VerifyService, type Watcher } from './verifyService';

const CODE = /^[0-9A-Za-z]{1,16}$/;

export class VerifyFeature extends Feature {
  readonly service: VerifyService;
  /** The Send wizard, loaded the first time someone sends from the palette (dist/chunks/, see esbuild.js). */
  private wizardLoaded?: Promise<SendWizard>;

  constructor(
    private readonly s: Services,
    watches: Watcher,
  ) {
    super();
    this.service = new VerifyService(s, watches);
    this.registerCommands({
      /** Optional argument: SendOtpParams (plus `confirm: false` to skip the billing confirmation). */
      [Commands.sendOtp]: (arg?: unknown) => this.send(arg),
      [Commands.resendOtp]: (arg?: unknown) => this.resend(arg),
      [Commands.historyResend]: (arg?: unknown) => this.resend(arg),
      [Commands.verifyOtp]: (arg?: unknown, code?: unknown) => this.verify(arg, code),
      [Commands.historyVerify]: (arg?: unknown, code?: unknown) => this.verify(arg, code),
    });
  }

  private wizard(): Promise<SendWizard> {
    this.wizardLoaded ??= import('./sendWizard').then(({ SendWizard }) => new SendWizard(this.s));
    return this.wizardLoaded;
  }

  private async send(arg: unknown): Promise<StatusCheck | undefined> {
    const given = isRecord(arg) && typeof arg.recipient === 'string' ? arg : undefined;
    let params: SendOtpParams | undefined;
    if (given) {
      const { confirm: _confirm, ...rest } = given;
      params = { originator: '', ...rest } as SendOtpParams;
    } else params = await (await this.wizard()).ask();
    if (!params) return undefined;
    if (!skipsConfirmation(arg) && !(await (await this.wizard()).confirm(params))) return undefined;
    return this.service.send(params);
  }

  private async resend(arg: unknown): Promise<StatusCheck | undefined> {
    const otpId = candidateOtpId(arg) ?? (await this.pickOtpId(vscode.l10n.t('D7 OTP: Resend OTP')));
    return otpId === undefined ? undefined : this.service.resend(otpId);
  }

  private async verify(arg: unknown, codeArg: unknown): Promise<StatusCheck | undefined> {
    const title = vscode.l10n.t('D7 OTP: Verify Code');
    let otpId = candidateOtpId(arg);
    let code = typeof codeArg === 'string' || typeof codeArg === 'number' ? String(codeArg) : undefined;
    if (otpId === undefined && code === undefined && this.s.history.entries.length > 0) {
      // The pick and the code box in one widget, so the keyboard focus stays in the box (src/ui/steps.ts).
      const answer = await pickThenInput({
        title,
        placeHolder: vscode.l10n.t('otp_id from the history'),
        items: this.historyItems(),
        next: (p) => this.codeBox(p.label),
      });
      otpId = answer?.picked.label;
      code = answer?.value;
    } else {
      otpId ??= await this.pickOtpId(title);
      if (otpId !== undefined) code ??= await vscode.window.showInputBox(this.codeBox(otpId));
    }
    if (otpId === undefined || !code?.trim()) return undefined;
    return this.service.verify(otpId, code.trim());
  }

  private codeBox(otpId: string): vscode.InputBoxOptions {
    return {
      title: vscode.l10n.t('D7 OTP: Verify Code'),
      prompt: vscode.l10n.t('The code received for {0}.', oneLine(otpId, 40)),
      password: this.s.config.maskCode,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || CODE.test(v.trim()) ? undefined : vscode.l10n.t('1 to 16 letters or digits.')),
    };
  }

  /** The history's otp_ids (newest first) as pick items. */
  private historyItems(): vscode.QuickPickItem[] {
    return this.s.history.entries.slice(0, 50).map((e) => ({
      label: e.otpId,
      description: [e.label ? oneLine(e.label, 60) : undefined, e.checks[0]?.ok ? oneLine(e.checks[0].status, 40) : undefined].filter(Boolean).join(' · '),
    }));
  }

  /** Picks an otp_id from history (newest first), or lets the user type one. */
  private async pickOtpId(title: string): Promise<string | undefined> {
    const items = this.historyItems();
    if (items.length === 0) return askOtpId(title, vscode.l10n.t('The otp_id (a UUID).'));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('otp_id from the history') });
    return picked?.label;
  }
}
