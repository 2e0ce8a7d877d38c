/** D7 OTP: Check Status, Check Again (tree item), Check All Again (view title), Show Log, and what a person is told of each. */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { candidateOtpId, otpIdArg } from '../../core/args';
import type { StatusCheck } from '../../core/check';
import { findOtpIds, parseOtpId, type OtpId } from '../../core/otpId';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { askOtpId, selectedOtpIdInEditor } from '../../ui/inputs';
import { Feature } from '../feature';
import { Lookups } from './lookups';
import { Outcomes } from './outcomes';

export class LookupFeature extends Feature {
  readonly lookups: Lookups;
  readonly outcomes: Outcomes;

  constructor(s: Services) {
    super();
    this.lookups = new Lookups(s);
    this.outcomes = this.register(new Outcomes(s));
    this.registerCommands({
      /** Optional argument: the otp_id (then no prompt). Returns the recorded check, or undefined when dismissed. */
      [Commands.checkStatus]: (arg?: unknown) => this.checkStatus(arg),
      /** Without an argument (a keybinding in the view): the selected row's otp_id. */
      [Commands.historyCheckAgain]: (arg?: unknown) => {
        const otpId = otpIdArg(arg === undefined ? s.selectedOtpId : arg);
        if (otpId.kind === 'ok') return this.lookups.checkAgain(otpId.value);
        return otpId.kind === 'bad' ? this.lookups.check(candidateOtpId(arg), true) : undefined;
      },
      [Commands.refreshAll]: () =>
        this.lookups.checkMany(
          s.history.entries.map((e) => e.otpId),
          { ownProfiles: true },
        ),
      [Commands.showLog]: () => s.log.show(),
    });
  }

  private async checkStatus(arg: unknown): Promise<StatusCheck | undefined> {
    const given = candidateOtpId(arg);
    if (given !== undefined) return this.lookups.check(given, false);
    const otpId = await promptForOtpId();
    return otpId === undefined ? undefined : this.lookups.check(otpId, true);
  }
}

/** Asks for an otp_id, validating as the user types; offers a UUID from the selection or the clipboard. */
async function promptForOtpId(): Promise<OtpId | undefined> {
  const input = await askOtpId(vscode.l10n.t('D7 OTP: Check Status'), vscode.l10n.t('The otp_id returned by Send OTP (a UUID).'), await suggestedOtpId());
  if (input === undefined) return undefined;
  const parsed = parseOtpId(input);
  if (parsed.ok) return parsed.otpId;
  void vscode.window.showErrorMessage(localized(parsed.message));
  return undefined;
}

async function suggestedOtpId(): Promise<string | undefined> {
  const fromSelection = selectedOtpIdInEditor();
  if (fromSelection) return fromSelection;
  // In a browser (code-server, Codespaces, vscode.dev) the page may have no clipboard permission, and then the
  // workbench itself shows an error toast for the read: the pre-fill stays silent there and reads nothing.
  if (vscode.env.uiKind === vscode.UIKind.Web) return undefined;
  try {
    // Bounded: a clipboard read may wait on something nobody answers.
    const clip = await Promise.race([Promise.resolve(vscode.env.clipboard.readText()), new Promise<string>((resolve) => setTimeout(() => resolve(''), 500))]);
    return clip.length < 10_000 ? findOtpIds(clip)[0] : undefined;
  } catch {
    return undefined;
  }
}
