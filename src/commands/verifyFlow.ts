/**
 * The rest of the Verify flow: D7 OTP: Send OTP…, Resend OTP, Verify Code…. Each call is recorded in the
 * entry's history (and so its timeline) through the same client, error model and tree as status checks.
 */
import * as vscode from 'vscode';
import * as config from '../config';
import { Commands, Settings, StorageKeys } from '../constants';
import type { CallOptions, D7VerifyClient, SendOtpParams } from '../core/client';
import { formatDuration } from '../core/timeline';
import { outcomeText } from '../tree/presentation';
import type { StatusCheck } from '../core/types';
import type { Lookups } from '../lookups';
import type { Profiles } from '../profiles/profiles';
import type { HistoryStore } from '../stores/historyStore';
import type { WatchManager } from '../watch/watchManager';
import { otpIdFromArg } from './args';

export interface VerifyFlowDeps {
  client: D7VerifyClient;
  lookups: Lookups;
  history: HistoryStore;
  profiles: Profiles;
  watches: WatchManager;
  globalState: vscode.Memento;
}

const E164 = /^\+?[1-9]\d{6,14}$/;
const OPTION_KEYS = ['expiry', 'channel', 'otp_code_length', 'otp_type', 'retry_delay', 'retry_count', 'data_coding'] as const;
const NUMERIC_OPTIONS = new Set(['expiry', 'otp_code_length', 'retry_delay', 'retry_count']);

/** Send OTP parameters from a scripted argument; `confirm: false` skips the billing confirmation. */
export interface SendArgument extends Partial<SendOtpParams> {
  confirm?: boolean;
}

export class VerifyFlow {
  constructor(private readonly deps: VerifyFlowDeps) {}

  /** Sends an OTP and records it; resolves with the record (never rejects). */
  async send(params: SendOtpParams, quiet = false): Promise<StatusCheck> {
    const check = await this.call(vscode.l10n.t('Sending OTP to {0}', params.recipient), quiet, (options) => this.deps.client.sendOtp(params, options));
    await this.deps.lookups.record(check, { quiet });
    if (check.ok && check.otpId && config.flag(Settings.sendWatchAfterSend, true)) {
      const expiry = Number((check.body as { expiry?: unknown } | undefined)?.expiry ?? params.expiry);
      this.deps.watches.watch(check.otpId, Number.isFinite(expiry) && expiry > 0 ? expiry : undefined);
    }
    if (check.ok && !quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP sent to {0}: {1} ({2}).', params.recipient, check.otpId, outcomeText(check)));
    return check;
  }

  /** Asks D7 to resend; records the call on the original and the returned otp_id linked to it. */
  async resend(otpId: string, quiet = false): Promise<StatusCheck> {
    const check = await this.call(vscode.l10n.t('Resending {0}', otpId), quiet, (options) => this.deps.client.resendOtp(otpId, options));
    const newId = check.ok ? (check.body as { otp_id?: unknown } | undefined)?.otp_id : undefined;
    if (!check.ok) {
      const wait = this.resendWait(otpId, check);
      if (wait !== undefined && check.error) {
        const said = /[.!?]$/.test(check.error.message) ? check.error.message : `${check.error.message}.`;
        check.error = { ...check.error, message: `${said} ${vscode.l10n.t('A resend is allowed again in {0}.', formatDuration(wait))}` };
      }
      await this.deps.lookups.record(check, { quiet });
      return check;
    }
    if (typeof newId === 'string' && newId.toLowerCase() !== otpId.toLowerCase()) {
      // The original gets the call (without a status: the status is the new OTP's), the new id its own entry.
      const { status: _status, ...onOriginal } = check;
      await this.deps.lookups.record(onOriginal, { quiet: true });
      const created: StatusCheck = { ...check, otpId: newId };
      await this.deps.lookups.record(created, { quiet, resendOf: otpId });
      if (config.flag(Settings.sendWatchAfterSend, true)) {
        this.deps.watches.stop(otpId);
        const expiry = Number((check.body as { expiry?: unknown }).expiry);
        this.deps.watches.watch(newId, Number.isFinite(expiry) && expiry > 0 ? expiry : undefined);
      }
      if (!quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP resent: new otp_id {0} (from {1}).', newId, otpId));
      return created;
    }
    await this.deps.lookups.record(check, { quiet });
    if (!quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP {0} resent.', otpId));
    return check;
  }

  /** Checks a code with D7; records APPROVED / FAILED / EXPIRED / ALREADY_VERIFIED / INVALID_OTP_CODE. */
  async verify(otpId: string, code: string, quiet = false): Promise<StatusCheck> {
    const check = await this.call(vscode.l10n.t('Verifying {0}', otpId), quiet, (options) => this.deps.client.verifyOtp(otpId, code, options));
    await this.deps.lookups.record(check, { quiet });
    if (check.ok && !quiet) void vscode.window.showInformationMessage(vscode.l10n.t('OTP {0}: {1}', otpId, outcomeText(check)));
    return check;
  }

  /** One Verify call with the active profile: under progress (cancellable, showing retry waits) unless quiet. */
  private call(title: string, quiet: boolean, run: (options: CallOptions) => Promise<StatusCheck>): Promise<StatusCheck> {
    const profile = this.deps.profiles.active().name;
    if (quiet) return run({ profile });
    return this.deps.lookups.withProgress(title, undefined, (signal, onWait) => run({ signal, onWait, profile }));
  }

  /** Milliseconds until D7 allows a resend, when its message says the minimum delay and the last send is known. */
  private resendWait(otpId: string, check: StatusCheck): number | undefined {
    const minimum = /minimum\s+(\d+)\s*seconds?/i.exec(check.error?.message ?? '');
    if (!minimum) return undefined;
    const entry = this.deps.history.find(otpId);
    const lastSend = entry?.checks.find((c) => c.ok && (c.operation === 'send' || c.operation === 'resend'));
    const created = entry && !lastSend ? entry.checks[entry.checks.length - 1] : lastSend;
    if (!created) return undefined;
    const left = Number(minimum[1]) * 1000 - (Date.parse(check.checkedAt) - Date.parse(created.checkedAt));
    return left > 0 ? left : undefined;
  }

  /** The multi-step input of Send OTP; resolves undefined when the user backs out. */
  async promptSendParams(): Promise<SendOtpParams | undefined> {
    const key = `${StorageKeys.sendDefaults}.${this.deps.profiles.active().name}`;
    const last = this.deps.globalState.get<Partial<SendOtpParams>>(key) ?? {};
    const title = (n: number) => vscode.l10n.t('D7 OTP: Send OTP ({0}/4)', n);
    const recipient = await vscode.window.showInputBox({
      title: title(1),
      prompt: vscode.l10n.t('Recipient phone number in E.164 format, e.g. +971501234567.'),
      value: typeof last.recipient === 'string' ? last.recipient : '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' || E164.test(v.replace(/[\s-]/g, '')) ? undefined : vscode.l10n.t('Use E.164: + and 7 to 15 digits, e.g. +971501234567.')),
    });
    if (!recipient?.trim()) return undefined;
    const originator = await vscode.window.showInputBox({
      title: title(2),
      prompt: vscode.l10n.t('Originator (sender id) shown on the phone.'),
      value: typeof last.originator === 'string' ? last.originator : 'SignOTP',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim().length >= 1 && v.trim().length <= 15 ? undefined : vscode.l10n.t('1 to 15 characters.')),
    });
    if (!originator?.trim()) return undefined;
    const content = await vscode.window.showInputBox({
      title: title(3),
      prompt: vscode.l10n.t('Message text with {} where the code goes, or a template id (digits).'),
      value: typeof last.content === 'string' ? last.content : last.template_id !== undefined ? String(last.template_id) : 'Your verification code is {}',
      ignoreFocusOut: true,
      validateInput: (v) => (v.includes('{}') || /^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('Put {} where the code goes, or enter a template id.')),
    });
    if (content === undefined) return undefined;
    const params: SendOtpParams = { recipient: recipient.replace(/[\s-]/g, ''), originator: originator.trim() };
    if (/^\d+$/.test(content.trim())) params.template_id = Number(content.trim());
    else params.content = content;
    for (const k of OPTION_KEYS) if (last[k] !== undefined) (params as Record<string, unknown>)[k] = last[k];
    const sendNow = { label: vscode.l10n.t('$(send) Send'), description: optionSummary(params) };
    const more = { label: vscode.l10n.t('$(settings) More options…'), description: vscode.l10n.t('expiry, channel, code length and type, retry delay and count') };
    const step = await vscode.window.showQuickPick([sendNow, more], { title: title(4), ignoreFocusOut: true });
    if (!step) return undefined;
    if (step === more) {
      const options = await vscode.window.showInputBox({
        title: vscode.l10n.t('D7 OTP: Send OTP — more options'),
        prompt: vscode.l10n.t('key=value pairs separated by spaces; leave a key out for D7’s default.'),
        value: OPTION_KEYS.filter((k) => k !== 'data_coding').map((k) => `${k}=${params[k] ?? defaultOption(k)}`).join(' '),
        ignoreFocusOut: true,
        validateInput: (v) => parseOptions(v).problem,
      });
      if (options === undefined) return undefined;
      Object.assign(params, parseOptions(options).values);
    }
    await this.deps.globalState.update(key, params);
    return params;
  }

  /** The billing confirmation; true when the user says send. */
  async confirmSend(params: SendOtpParams): Promise<boolean> {
    const profile = this.deps.profiles.active();
    const send = vscode.l10n.t('Send OTP');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Send a real OTP to {0}?', params.recipient),
      {
        modal: true,
        detail: vscode.l10n.t('D7 will send a real message, which may be billed to your account.\nProfile: {0} ({1})', profile.name, profile.baseUrl),
      },
      send,
    );
    return choice === send;
  }
}

function defaultOption(key: string): string | number {
  return ({ expiry: 600, channel: 'SMS', otp_code_length: 6, otp_type: 'numeric', retry_delay: 60, retry_count: 5 } as Record<string, string | number>)[key] ?? '';
}

function optionSummary(params: SendOtpParams): string {
  return OPTION_KEYS.filter((k) => params[k] !== undefined).map((k) => `${k}=${params[k]}`).join(' ');
}

/** Parses "expiry=600 channel=SMS …". */
export function parseOptions(text: string): { values: Partial<SendOtpParams>; problem?: string } {
  const values: Record<string, unknown> = {};
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const [k, ...rest] = pair.split('=');
    const v = rest.join('=');
    if (!(OPTION_KEYS as readonly string[]).includes(k)) return { values, problem: vscode.l10n.t('Unknown option "{0}". Known: {1}.', k, OPTION_KEYS.join(', ')) };
    if (v === '') continue;
    if (NUMERIC_OPTIONS.has(k)) {
      if (!/^\d+$/.test(v)) return { values, problem: vscode.l10n.t('{0} must be a whole number.', k) };
      values[k] = Number(v);
    } else values[k] = v;
  }
  const length = values.otp_code_length as number | undefined;
  if (length !== undefined && (length < 2 || length > 10)) return { values, problem: vscode.l10n.t('otp_code_length must be 2 to 10.') };
  return { values: values as Partial<SendOtpParams> };
}

export function registerVerifyFlowCommands(flow: VerifyFlow, deps: { history: HistoryStore }): vscode.Disposable[] {
  const maskCode = () => config.flag(Settings.verifyMaskCode, false);
  const resend = async (arg?: unknown) => {
    const otpId = otpIdFromArg(arg) ?? (await pickOtpId(deps.history, vscode.l10n.t('D7 OTP: Resend OTP')));
    return otpId === undefined ? undefined : flow.resend(otpId);
  };
  const verify = async (arg?: unknown, codeArg?: unknown) => {
    const otpId = otpIdFromArg(arg) ?? (await pickOtpId(deps.history, vscode.l10n.t('D7 OTP: Verify Code')));
    if (otpId === undefined) return undefined;
    const code =
      typeof codeArg === 'string' || typeof codeArg === 'number'
        ? String(codeArg)
        : await vscode.window.showInputBox({
            title: vscode.l10n.t('D7 OTP: Verify Code'),
            prompt: vscode.l10n.t('The code received for {0}.', otpId),
            password: maskCode(),
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() === '' || /^[0-9A-Za-z]{1,16}$/.test(v.trim()) ? undefined : vscode.l10n.t('1 to 16 letters or digits.')),
          });
    if (!code?.trim()) return undefined;
    return flow.verify(otpId, code.trim());
  };
  return [
    /** Optional argument: SendOtpParams (plus `confirm: false` to skip the billing confirmation). */
    vscode.commands.registerCommand(Commands.sendOtp, async (arg?: SendArgument): Promise<StatusCheck | undefined> => {
      let params: SendOtpParams | undefined;
      if (arg && typeof arg === 'object' && typeof arg.recipient === 'string') {
        const { confirm: _confirm, ...rest } = arg;
        params = { originator: '', ...rest } as SendOtpParams;
      } else {
        params = await flow.promptSendParams();
      }
      if (!params) return undefined;
      if (arg?.confirm !== false && !(await flow.confirmSend(params))) return undefined;
      return flow.send(params);
    }),
    vscode.commands.registerCommand(Commands.resendOtp, resend),
    vscode.commands.registerCommand(Commands.historyResend, resend),
    vscode.commands.registerCommand(Commands.verifyOtp, verify),
    vscode.commands.registerCommand(Commands.historyVerify, verify),
  ];
}

/** Picks an otp_id from history (newest first), or lets the user type one. */
async function pickOtpId(history: HistoryStore, title: string): Promise<string | undefined> {
  const items = history.entries.slice(0, 50).map((e) => ({ label: e.otpId, description: [e.label, e.checks[0]?.status].filter(Boolean).join(' · ') }));
  if (items.length === 0) {
    return vscode.window.showInputBox({ title, prompt: vscode.l10n.t('The otp_id (a UUID).'), ignoreFocusOut: true });
  }
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('otp_id from the history') });
  return picked?.label;
}
