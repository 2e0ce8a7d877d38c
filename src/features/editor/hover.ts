/**
 * A hover on an otp_id in any text: the last known status from history, and "Check status" / "Watch" links.
 * It reads history only and never makes a request.
 */
import { clockTime } from '../../ui/time';
import * as vscode from 'vscode';
import { Commands, Schemes } from '../../constants';
import { seenAt, type HistoryEntry } from '../../core/check';
import { msg } from '../../core/messages';
import type { OtpId } from '../../core/otpId';
import { buildTimeline, formatTimeline } from '../../core/timeline';
import { localized } from '../../l10n';
import type { Config } from '../../config';
import { iconOf, outcomeText, relativeTime } from '../history/rows';
import { commandMarkdown } from '../../ui/markdown';
import { otpIdAt } from './otpIdAt';

/** Where the hover is offered: files on disk, in remote and virtual workspaces, unsaved, in diffs, notebooks and logs. */
export const HOVER_SELECTOR: vscode.DocumentFilter[] = [
  { scheme: 'file' },
  { scheme: 'untitled' },
  { scheme: 'vscode-remote' },
  { scheme: 'vscode-vfs' },
  { scheme: 'git' },
  { scheme: 'vscode-notebook-cell' },
  { scheme: 'output' },
  { scheme: Schemes.history },
];

/** The only commands the hover's links may run. */
const HOVER_COMMANDS: readonly string[] = [Commands.checkStatus, Commands.watchStatus];

export class OtpIdHover implements vscode.HoverProvider {
  constructor(
    private readonly config: Config,
    private readonly find: (otpId: OtpId) => HistoryEntry | undefined,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const settings = this.config.hover(document);
    if (!settings.enabled || (settings.languages.length > 0 && !settings.languages.includes(document.languageId))) return undefined;
    const found = otpIdAt(document, position);
    return found && new vscode.Hover(hoverMarkdown(found.otpId, this.find(found.otpId)), found.range);
  }
}

/** The hover's text. Untrusted parts (status, label, timeline) go through `appendText`; links run only HOVER_COMMANDS. */
export function hoverMarkdown(otpId: OtpId, entry: HistoryEntry | undefined, now = Date.now()): vscode.MarkdownString {
  const md = commandMarkdown(HOVER_COMMANDS);
  // An OtpId is a UUID: hex digits and dashes only, safe inside a code span.
  md.appendMarkdown(`**D7 OTP** \`${otpId}\`\n\n`);
  const latest = entry?.checks[0];
  if (!entry || !latest) {
    md.appendMarkdown('$(circle-outline) ').appendText(vscode.l10n.t('Not checked yet')).appendMarkdown('\n\n');
  } else {
    const ago = relativeTime(seenAt(latest), now);
    const facts = [ago ? localized(ago) : '', latest.httpStatus !== undefined ? `HTTP ${latest.httpStatus}` : ''].filter(Boolean);
    md.appendMarkdown(`$(${iconOf(latest).id}) **`)
      .appendText(outcomeText(latest, localized))
      .appendMarkdown('** · ')
      .appendText(facts.join(' · '))
      .appendMarkdown('\n\n');
    if (entry.label) {
      md.appendMarkdown(`${vscode.l10n.t('Label')}: `)
        .appendText(entry.label)
        .appendMarkdown('\n\n');
    }
    const steps = buildTimeline(entry);
    if (steps.length > 1) {
      md.appendText(formatTimeline(steps, clockTime, localized)).appendMarkdown('\n\n');
    }
    const polls = entry.checks.reduce((n, c) => n + (c.repeat ?? 1), 0);
    const recorded = polls > entry.checks.length ? msg('checksRecordedPolls', entry.checks.length, polls) : msg('checksRecorded', entry.checks.length);
    md.appendText(localized(recorded)).appendMarkdown('\n\n');
  }
  const args = encodeURIComponent(JSON.stringify([otpId]));
  md.appendMarkdown(`[$(refresh) ${vscode.l10n.t('Check status')}](command:${Commands.checkStatus}?${args})`);
  md.appendMarkdown(` · [$(eye) ${vscode.l10n.t('Watch')}](command:${Commands.watchStatus}?${args})`);
  return md;
}
