/** Markdown for tooltips and hovers that renders untrusted text as text (src/core/text.ts holds the rules). */
import * as vscode from 'vscode';
import { codeFence, escapeHtml, type TextPart } from '../core/text';

/**
 * A MarkdownString whose `appendText` also escapes `&` and `<` (VS Code's own escaping leaves `<` alone), and
 * whose code blocks use a fence the code cannot close.
 */
class PlainTextMarkdownString extends vscode.MarkdownString {
  override appendText(value: string): vscode.MarkdownString {
    return super.appendText(escapeHtml(value));
  }

  override appendCodeblock(value: string, language = ''): vscode.MarkdownString {
    return this.appendMarkdown(codeFence(value, language));
  }
}

/** A Markdown string for untrusted text (added with `appendText`): no HTML, no command links, no theme icons. */
export function safeMarkdown(): vscode.MarkdownString {
  const md = new PlainTextMarkdownString('', false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

/**
 * A Markdown string whose own links may run only `enabledCommands` and which shows theme icons; untrusted text
 * added with `appendText` stays text (the hover).
 */
export function commandMarkdown(enabledCommands: readonly string[]): vscode.MarkdownString {
  const md = new PlainTextMarkdownString('', true);
  md.supportHtml = false;
  md.isTrusted = { enabledCommands: [...enabledCommands] };
  return md;
}

/** Rich text (a tooltip of the history view's model, say), rendered as untrusted text. */
export function richMarkdown(parts: readonly TextPart[]): vscode.MarkdownString {
  const md = safeMarkdown();
  for (const part of parts) {
    if ('bold' in part) md.appendMarkdown('**').appendText(part.bold).appendMarkdown('**');
    else if ('text' in part) md.appendText(part.text);
    else if ('code' in part) appendInlineOrBlock(md, part.code, part.language);
    else if ('item' in part) md.appendMarkdown('\n- ').appendText(part.item);
    else md.appendMarkdown('\n\n');
  }
  return md;
}

/** A one-line UUID-like value as inline code; anything else as a fenced block. */
function appendInlineOrBlock(md: vscode.MarkdownString, code: string, language: string): void {
  if (language === '' && /^[0-9A-Za-z-]+$/.test(code)) md.appendMarkdown(`\`${code}\``);
  else md.appendCodeblock(code, language);
}
