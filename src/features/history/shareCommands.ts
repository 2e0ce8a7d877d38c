/**
 * Out of the editor: an entry's lookup as a curl command, the entry as a Markdown block for a bug report, and a link
 * that opens it in another editor. Tree items (or an otp_id string) as the argument; each returns what it copied.
 */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { otpIdArg } from '../../core/args';
import type { HistoryEntry } from '../../core/check';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { otpLink } from '../../core/links';
import type { OtpId } from '../../core/otpId';
import { parseBaseUrl } from '../../core/baseUrl';
import { localized } from '../../l10n';
import { baseUrlSetting, type Profile } from '../../services/profiles';
import type { Services } from '../../services/services';
import { Feature } from '../feature';

export class ShareCommands extends Feature {
  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      [Commands.historyCopyCurl]: (arg?: unknown) => this.copyCurl(arg),
      [Commands.historyCopyMarkdown]: (arg?: unknown) => this.copyMarkdown(arg),
      [Commands.historyCopyLink]: (arg?: unknown) => this.copyLink(arg),
    });
  }

  /** Get Status of the otp_id as curl, against its profile's origin; the token stays `$D7_API_TOKEN`. */
  private async copyCurl(arg: unknown): Promise<string | undefined> {
    const otpId = this.otpId(arg);
    if (!otpId) return undefined;
    const profile = this.profileOf(this.s.history.find(otpId));
    const { curlCommand, TOKEN_VARIABLE } = await import('../../core/share'); // on demand: dist/chunks/
    const curl = curlCommand(otpId, profile.baseUrl, baseUrlSetting(profile.name));
    if (!curl.ok) {
      void vscode.window.showWarningMessage(localized(curl.message));
      return undefined;
    }
    await vscode.env.clipboard.writeText(curl.command);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied a curl command for {0}: set {1} before running it', otpId, TOKEN_VARIABLE), 5000);
    return curl.command;
  }

  /** The entry (timeline, every check, D7's codes and messages, recipient masked) as Markdown for an issue tracker. */
  private async copyMarkdown(arg: unknown): Promise<string | undefined> {
    const otpId = this.otpId(arg);
    const entry = otpId && this.s.history.find(otpId);
    if (!entry) {
      if (otpId) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not in the history.', otpId));
      return undefined;
    }
    const base = parseBaseUrl(this.profileOf(entry).baseUrl);
    const version = String((this.s.context.extension.packageJSON as { version?: string }).version ?? '');
    const { markdownReport } = await import('../../core/share');
    const text = markdownReport(entry, { word: localized, origin: base.ok ? base.origin : undefined, version });
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} as Markdown', otpId), 3000);
    return text;
  }

  /** A link that checks the otp_id in whichever editor opens it (through this extension's URI handler). */
  private async copyLink(arg: unknown): Promise<string | undefined> {
    const otpId = this.otpId(arg);
    if (!otpId) return undefined;
    const link = vscode.Uri.parse(otpLink(vscode.env.uriScheme, this.s.context.extension.id, 'check', otpId));
    // In a browser-hosted editor this becomes an https address of that editor; on the desktop it stays as it is.
    const external = (await vscode.env.asExternalUri(link)).toString(true);
    await vscode.env.clipboard.writeText(external);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied a link to {0}', otpId), 3000);
    return external;
  }

  private otpId(arg: unknown): OtpId | undefined {
    const otpId = otpIdArg(arg);
    if (otpId.kind === 'bad') void vscode.window.showWarningMessage(localized(otpId.message));
    return otpId.kind === 'ok' ? otpId.value : undefined;
  }

  /** The profile the entry was last checked with, when it still exists; else the active one. */
  private profileOf(entry: HistoryEntry | undefined): Profile {
    const name = entry?.checks[0]?.profile ?? DEFAULT_PROFILE;
    return this.s.profiles.list().find((p) => p.name === name) ?? this.s.profiles.active();
  }
}
