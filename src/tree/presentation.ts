/** How checks look: icons, colours and short texts. Shared by the tree and messages. */
import * as vscode from 'vscode';
import { errorKindLabel } from '../core/errors';
import { describeStatus, type StatusTone } from '../core/status';
import { UNSAFE_TEXT_CHARS } from '../core/otpId';
import type { StatusCheck } from '../core/types';

const ICONS: Record<StatusTone | 'lookup-failed', [string, string]> = {
  waiting: ['clock', 'charts.blue'],
  success: ['pass-filled', 'testing.iconPassed'],
  warning: ['warning', 'list.warningForeground'],
  error: ['circle-slash', 'testing.iconFailed'],
  unknown: ['question', 'charts.purple'],
  'lookup-failed': ['error', 'list.errorForeground'],
};

/** The tone of a check: its status's tone, or "lookup-failed" when the call failed. */
export function toneOf(check: StatusCheck): StatusTone | 'lookup-failed' {
  if (check.ok && check.status !== undefined) return describeStatus(check.status).tone;
  return 'lookup-failed';
}

export function iconFor(check: StatusCheck): vscode.ThemeIcon {
  const [id, color] = ICONS[toneOf(check)];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

/**
 * "APPROVED", "unknown: PENDING_REVIEW", or "not found (404)" — one line, no control characters. It goes into
 * notifications and the status bar as well as the tree, so D7's text in it cannot form a `[label](link)` (which a
 * notification renders as a link that may run a command) or a `$(icon)` (which the status bar renders).
 */
export function outcomeText(check: StatusCheck): string {
  if (check.ok && check.status !== undefined) {
    const info = describeStatus(check.status);
    return inertLine(info.known ? check.status.toUpperCase() : info.label, 80);
  }
  const kind = check.error ? errorKindLabel(check.error.kind) : 'failed';
  return check.error?.code ? `${kind}: ${inertLine(check.error.code, 40)}` : kind;
}

/** `oneLine`, with `](` and `$(` broken apart so that no renderer of messages turns the text into a link or an icon. */
function inertLine(value: string, max: number): string {
  return oneLine(value, max).replace(/\]\(/g, '] (').replace(/\$\(/g, '$ (');
}

/** "2 min ago", "just now", "3 h ago", "5 d ago". */
export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 10) return vscode.l10n.t('just now');
  if (seconds < 60) return vscode.l10n.t('{0} s ago', seconds);
  if (seconds < 3600) return vscode.l10n.t('{0} min ago', Math.floor(seconds / 60));
  if (seconds < 86400) return vscode.l10n.t('{0} h ago', Math.floor(seconds / 3600));
  return vscode.l10n.t('{0} d ago', Math.floor(seconds / 86400));
}

/** Local time of day, with the date when it is not today. */
export function clockTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString(undefined, { hour12: false });
  return date.toDateString() === now.toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}

const UNSAFE_RUN = new RegExp(`[${UNSAFE_TEXT_CHARS}]+`, 'g');

/**
 * Untrusted text for a tree label or description: one line, bounded, without control characters, line or paragraph
 * separators (U+2028/2029 break a line like a newline) or bidi controls.
 */
export function oneLine(value: string, max = 200): string {
  const clean = value.replace(UNSAFE_RUN, ' ');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * A MarkdownString whose `appendText` also escapes `&` and `<`. VS Code's own escaping leaves `<` alone, so
 * untrusted text such as `<img src=x onerror=…>` reached the value as an HTML tag: with HTML off the hover drops it
 * instead of showing it. Escaped, it is shown as the text it is.
 */
class PlainTextMarkdownString extends vscode.MarkdownString {
  override appendText(value: string): vscode.MarkdownString {
    return super.appendText(value.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
  }
}

/** A Markdown string that renders untrusted text (added with `appendText`) as text: no HTML, no command links, no theme icons. */
export function safeMarkdown(): vscode.MarkdownString {
  const md = new PlainTextMarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}
