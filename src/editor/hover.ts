/**
 * A hover on an otp_id in any text: the last known status from history, and "Check status" / "Watch" links.
 * It reads history only and never makes a request.
 */
import * as vscode from 'vscode';
import { Commands, Schemes, Settings } from '../constants';
import { buildTimeline, formatTimeline } from '../core/timeline';
import type { HistoryEntry } from '../core/types';
import type { HistoryStore } from '../stores/historyStore';
import { clockTime, iconFor, outcomeText, relativeTime } from '../tree/presentation';
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
export const HOVER_COMMANDS: readonly string[] = [Commands.checkStatus, Commands.watchStatus];

export function registerHover(deps: { history: HistoryStore }): vscode.Disposable[] {
  const { history } = deps;
  const provider: vscode.HoverProvider = {
    provideHover(document, position) {
      if (!hoverWanted(document)) return undefined;
      const found = otpIdAt(document, position);
      if (!found) return undefined;
      return new vscode.Hover(hoverMarkdown(found.otpId, history.find(found.otpId)), found.range);
    },
  };
  return [vscode.languages.registerHoverProvider(HOVER_SELECTOR, provider)];
}

/** `d7otp.hover.enabled` and `d7otp.hover.languages` (empty = every language), read for this document. */
function hoverWanted(document: vscode.TextDocument): boolean {
  const settings = vscode.workspace.getConfiguration(Settings.section, document);
  if (settings.get<boolean>(Settings.hoverEnabled, true) === false) return false;
  const languages = settings.get<unknown>(Settings.hoverLanguages);
  if (!Array.isArray(languages) || languages.length === 0) return true;
  return languages.some((id) => typeof id === 'string' && id === document.languageId);
}

/** The hover's text. Untrusted parts (status, label, timeline) go through `appendText`; links run only HOVER_COMMANDS. */
export function hoverMarkdown(otpId: string, entry: HistoryEntry | undefined, now = Date.now()): vscode.MarkdownString {
  const md = new vscode.MarkdownString('', true);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: HOVER_COMMANDS };
  // otpId is a UUID (checked by the caller): hex digits and dashes only, safe inside a code span.
  md.appendMarkdown(`**D7 OTP** \`${otpId}\`\n\n`);
  const latest = entry?.checks[0];
  if (!entry || !latest) {
    md.appendMarkdown('$(circle-outline) ').appendText(vscode.l10n.t('Not checked yet')).appendMarkdown('\n\n');
  } else {
    const icon = iconFor(latest);
    const facts = [relativeTime(latest.lastCheckedAt ?? latest.checkedAt, now)];
    if (latest.httpStatus !== undefined) facts.push(`HTTP ${latest.httpStatus}`);
    md.appendMarkdown(`$(${icon.id}) **`).appendText(outcomeText(latest)).appendMarkdown('** · ').appendText(facts.join(' · ')).appendMarkdown('\n\n');
    if (entry.label) md.appendMarkdown(`${vscode.l10n.t('Label')}: `).appendText(entry.label).appendMarkdown('\n\n');
    const steps = buildTimeline(entry);
    if (steps.length > 1) md.appendText(formatTimeline(steps, (iso) => clockTime(iso))).appendMarkdown('\n\n');
    const polls = entry.checks.reduce((n, c) => n + (c.repeat ?? 1), 0);
    md.appendText(
      polls > entry.checks.length
        ? vscode.l10n.t('{0} checks recorded ({1} polls)', entry.checks.length, polls)
        : vscode.l10n.t('{0} check(s) recorded', entry.checks.length),
    ).appendMarkdown('\n\n');
  }
  const args = encodeURIComponent(JSON.stringify([otpId]));
  md.appendMarkdown(`[$(refresh) ${vscode.l10n.t('Check status')}](command:${Commands.checkStatus}?${args})`);
  md.appendMarkdown(` · [$(eye) ${vscode.l10n.t('Watch')}](command:${Commands.watchStatus}?${args})`);
  return md;
}
