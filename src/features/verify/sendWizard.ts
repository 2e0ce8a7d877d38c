/** The Send OTP wizard: four steps (recipient, originator, content, send or more options) and the billing confirmation. */
import * as vscode from 'vscode';
import { StorageKeys } from '../../constants';
import type { SendOtpParams } from '../../core/client/request';
import { inert } from '../../core/text';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { recipientText } from '../../core/recipient';
import { pickThenInput } from '../../ui/steps';
import { OPTION_KEYS, optionSummary, optionsLine, parseOptions, readRecipient, recipientProblem } from './sendOptions';

export class SendWizard {
  constructor(private readonly s: Services) {}

  /** The inputs of Send OTP, the last ones (per profile) offered again; undefined when the user backs out. */
  async ask(): Promise<SendOtpParams | undefined> {
    const key = `${StorageKeys.sendDefaults}.${this.s.profiles.active().name}`;
    const last = this.s.context.globalState.get<Partial<SendOtpParams>>(key) ?? {};
    const title = (n: number) => vscode.l10n.t('D7 OTP: Send OTP ({0}/4)', n);
    const recipient = await this.input(title(1), vscode.l10n.t('Recipient phone number in E.164 format, e.g. +971501234567.'), text(last.recipient), (v) => {
      const problem = recipientProblem(v);
      return problem && localized(problem);
    });
    if (!recipient?.trim()) return undefined;
    const originator = await this.input(title(2), vscode.l10n.t('Originator (sender id) shown on the phone.'), text(last.originator) || 'SignOTP', (v) =>
      v.trim().length >= 1 && v.trim().length <= 15 ? undefined : vscode.l10n.t('1 to 15 characters.'),
    );
    if (!originator?.trim()) return undefined;
    const lastContent = text(last.content) || (last.template_id !== undefined ? String(last.template_id) : 'Your verification code is {}');
    const content = await this.input(title(3), vscode.l10n.t('Message text with {} where the code goes, or a template id (digits).'), lastContent, (v) =>
      v.includes('{}') || /^\d+$/.test(v.trim()) ? undefined : vscode.l10n.t('Put {} where the code goes, or enter a template id.'),
    );
    if (content === undefined) return undefined;
    const params: SendOtpParams = { recipient: readRecipient(recipient) ?? recipient.trim(), originator: originator.trim() };
    if (/^\d+$/.test(content.trim())) params.template_id = Number(content.trim());
    else params.content = content;
    for (const k of OPTION_KEYS) if (last[k] !== undefined) (params as Record<string, unknown>)[k] = last[k];
    if (!(await this.lastStep(title(4), params))) return undefined;
    // The next Send offers these again; a phone number is kept only when the user chose to see phone numbers.
    const { recipient: _recipient, ...kept } = params;
    await this.s.context.globalState.update(key, this.s.config.showPhoneNumbers ? params : kept);
    return params;
  }

  /** The billing confirmation; true when the user says send. */
  async confirm(params: SendOtpParams): Promise<boolean> {
    const profile = this.s.profiles.active();
    const send = vscode.l10n.t('Send OTP');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Send a real OTP to {0}?', recipientText(params.recipient, this.s.config.showPhoneNumbers)),
      {
        modal: true,
        detail: vscode.l10n.t(
          'D7 will send a real message, which may be billed to your account.\nProfile: {0} ({1})',
          profile.name,
          inert(profile.baseUrl, 100),
        ),
      },
      send,
    );
    return choice === send;
  }

  /** "Send" or "More options…" (then the options line); false when dismissed. Fills `params` with the options. */
  private async lastStep(title: string, params: SendOtpParams): Promise<boolean> {
    const sendNow = { label: vscode.l10n.t('$(send) Send'), description: optionSummary(params) };
    const more = {
      label: vscode.l10n.t('$(settings) More options…'),
      description: vscode.l10n.t('expiry, channel, code length and type, retry delay and count'),
    };
    // One widget for the step and the options line, so the keyboard focus stays in the line (src/ui/steps.ts).
    const answer = await pickThenInput({
      title,
      items: [sendNow, more],
      next: (picked) =>
        picked === more
          ? {
              title: vscode.l10n.t('D7 OTP: Send OTP — more options'),
              prompt: vscode.l10n.t('key=value pairs separated by spaces; leave a key out for D7’s default.'),
              value: optionsLine(params),
              ignoreFocusOut: true,
              validateInput: (v) => {
                const problem = parseOptions(v).problem;
                return problem && localized(problem);
              },
            }
          : undefined,
    });
    if (!answer) return false;
    if (answer.value !== undefined) Object.assign(params, parseOptions(answer.value).values);
    return true;
  }

  private input(title: string, prompt: string, value: string, validateInput: (value: string) => string | undefined): Thenable<string | undefined> {
    return vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput });
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
