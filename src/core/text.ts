/**
 * Untrusted text (D7's answers, stored or imported history, file names, labels, what another extension passes):
 * the one set of rules for showing it. No `vscode` import.
 *
 * - `oneLine`: one printable line, bounded — for tree labels, descriptions, quick picks, documents' titles.
 * - `inert`: `oneLine` that no renderer turns into a link or an icon — for notifications, the status bar, the log.
 *   VS Code's notifications render `[label](command:…)` as a link that runs the command when clicked, and the
 *   status bar renders `$(icon)`.
 * - `escapeHtml`, `codeFence`: for Markdown (tooltips, hovers), beside `MarkdownString.appendText`.
 */

/**
 * Rich text built from untrusted parts (tooltips, hovers): rendered in order; the renderer (src/ui/markdown.ts)
 * escapes every part, so any of them may hold untrusted text.
 */
export type TextPart = { bold: string } | { text: string } | { code: string; language: string } | { item: string } | { paragraph: true };

/** C0/C1 controls, line and paragraph separators, bidi marks, overrides and isolates. */
const UNSAFE = '\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069';
/** The unsafe characters that break a line: shown as one space. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;
const UNSAFE_CHAR = new RegExp(`[${UNSAFE}]`, 'g');
/** Tests assert rendered text against this. */
export const UNSAFE_TEXT = new RegExp(`[${UNSAFE}]`);

/** Cuts `value` to `max` characters, marking the cut with "…" (never inside a surrogate pair). */
export function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(value[max - 1]) ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}

/** One printable line: line breaks become a space, other unsafe characters U+FFFD; at most `max` characters (and "…"). */
export function oneLine(value: string, max = 200): string {
  return cut(String(value).replace(LINE_BREAKS, ' ').replace(UNSAFE_CHAR, '\uFFFD'), max);
}

/** `oneLine` with `](` and `$(` broken apart, so that no message renderer makes a link or an icon of it. */
export function inert(value: string, max = 200): string {
  return oneLine(value, max).replace(/\]\(/g, '] (').replace(/\$\(/g, '$ (');
}

/**
 * `&` and `<` as entities. `MarkdownString.appendText` escapes Markdown but leaves `<` alone, so `<img onerror=…>`
 * reached the value as a tag, which a hover with HTML off drops instead of showing.
 */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

/**
 * A fenced code block that the value cannot close: the fence is longer than any run of backticks in it (a
 * CommonMark fence closes on a line of at least as many backticks, even indented by up to three spaces).
 */
export function codeFence(value: string, language = ''): string {
  let longest = 0;
  for (const run of value.matchAll(/`+/g)) longest = Math.max(longest, run[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `\n${fence}${language}\n${value}\n${fence}\n`;
}

/** A scalar as one line of text: strings as they are, everything else as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}
