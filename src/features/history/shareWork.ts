/**
 * The work of the share commands (shareCommands.ts registers them): loaded on first use (dist/chunks/, see
 * esbuild.js), with the curl and Markdown builders of core/share.
 */
import * as vscode from 'vscode';
import { otpIdArg } from '../../core/args';
import type { HistoryEntry } from '../../core/check';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { otpLink } from '../../core/links';
import type { OtpId } from '../../core/otpId';
import { parseBaseUrl } from '../../core/baseUrl';
import { curlCommand, markdownReport, TOKEN_VARIABLE } from '../../core/share';
import { localized } from '../../l10n';
import { baseUrlSetting, type Profile } from '../../services/profiles';
import type { Services } from '../../services/services';

/** Get Status of the otp_id as curl, against its profile's origin; the token stays `$D7_API_TOKEN`. */
export async function copyCurl(s: Services, arg: unknown): Promise<string | undefined> {
  const otpId = otpIdOf(arg);
  if (!otpId) return undefined;
  const profile = profileOf(s, s.history.find(otpId));
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
export async function copyMarkdown(s: Services, arg: unknown): Promise<string | undefined> {
  const otpId = otpIdOf(arg);
  const entry = otpId && s.history.find(otpId);
  if (!entry) {
    if (otpId) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not in the history.', otpId));
    return undefined;
  }
  const base = parseBaseUrl(profileOf(s, entry).baseUrl);
  const version = String((s.context.extension.packageJSON as { version?: string }).version ?? '');
  const text = markdownReport(entry, { word: localized, origin: base.ok ? base.origin : undefined, version });
  await vscode.env.clipboard.writeText(text);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} as Markdown', otpId), 3000);
  return text;
}

/** A link that checks the otp_id in whichever editor opens it (through this extension's URI handler). */
export async function copyLink(s: Services, arg: unknown): Promise<string | undefined> {
  const otpId = otpIdOf(arg);
  if (!otpId) return undefined;
  const link = vscode.Uri.parse(otpLink(vscode.env.uriScheme, s.context.extension.id, 'check', otpId));
  // In a browser-hosted editor this becomes an https address of that editor; on the desktop it stays as it is.
  const external = (await vscode.env.asExternalUri(link)).toString(true);
  await vscode.env.clipboard.writeText(external);
  void vscode.window.setStatusBarMessage(vscode.l10n.t('Copied a link to {0}', otpId), 3000);
  return external;
}

function otpIdOf(arg: unknown): OtpId | undefined {
  const otpId = otpIdArg(arg);
  if (otpId.kind === 'bad') void vscode.window.showWarningMessage(localized(otpId.message));
  return otpId.kind === 'ok' ? otpId.value : undefined;
}

/** The profile the entry was last checked with, when it still exists; else the active one. */
function profileOf(s: Services, entry: HistoryEntry | undefined): Profile {
  const name = entry?.checks[0]?.profile ?? DEFAULT_PROFILE;
  return s.profiles.list().find((p) => p.name === name) ?? s.profiles.active();
}
