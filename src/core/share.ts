/**
 * What a developer found, in forms that travel out of the editor: the lookup as a `curl` command (the token as
 * `$D7_API_TOKEN`, never its value) and an entry as a Markdown block for a bug report (timeline, every check, D7's
 * error code and message, the recipient masked). Everything from D7 or storage is escaped so that a tracker renders
 * it as text: no link, image, HTML or table cell of its own. No `vscode` import.
 */
import { operationOf, type HistoryEntry, type StatusCheck } from './check';
import { parseBaseUrl, type ParsedBaseUrl } from './baseUrl';
import { errorKindLabel } from './errors';
import { isRecord } from './json';
import { msg, type Wording } from './messages';
import type { OtpId } from './otpId';
import { maskRecipient } from './recipient';
import { describeStatus } from './status';
import { oneLine } from './text';
import { buildTimeline, formatTimeline } from './timeline';

/** The environment variable the copied command reads the token from. */
export const TOKEN_VARIABLE = 'D7_API_TOKEN';

/** `value` as one POSIX shell word: single-quoted, a quote inside written as `'\''`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Get Status of `otpId` as a curl command against the validated origin of `baseUrl` (a refused base URL is returned
 * as its message: nothing to copy). The token is `$D7_API_TOKEN`, expanded by the shell that runs it.
 */
export function curlCommand(otpId: OtpId, baseUrl: string, setting?: string): { ok: true; command: string } | Extract<ParsedBaseUrl, { ok: false }> {
  const base = parseBaseUrl(baseUrl, setting);
  if (!base.ok) return base;
  const url = `${base.origin}/verify/v1/report/${encodeURIComponent(otpId)}`;
  return { ok: true, command: `curl -sS -H "Authorization: Bearer $${TOKEN_VARIABLE}" -H 'Accept: application/json' ${shellQuote(url)}` };
}

/** Untrusted text as Markdown text: one line, every ASCII punctuation character backslash-escaped (CommonMark). */
export function markdownText(value: string, max = 300): string {
  return oneLine(value, max).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/** A D7 code or an otp_id as inline code when it is a plain identifier; anything else as escaped text. */
function markdownCode(value: string): string {
  return /^[A-Za-z0-9_.:-]{1,80}$/.test(value) ? `\`${value}\`` : markdownText(value, 80);
}

/** "2026-12-01 10:01:03Z": unambiguous in any time zone. */
export function utcTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? markdownText(iso, 40) : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** The recipient of an entry when a check's answer names it (D7's send answers may), or undefined. */
export function recipientOf(entry: HistoryEntry): string | undefined {
  for (const check of entry.checks) {
    const value = isRecord(check.body) ? check.body.recipient : undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

/** What the bug report needs besides the entry: wording, the profile's origin, the extension's version. */
export interface ReportContext {
  word: Wording;
  /** The origin the entry's checks went to, when known (validated). */
  origin?: string;
  version: string;
}

/** An entry as a Markdown block for a bug report (GitHub-flavoured tables). */
export function markdownReport(entry: HistoryEntry, ctx: ReportContext): string {
  const { word } = ctx;
  const lines = [`#### D7 OTP \`${entry.otpId}\``, '', `| | |`, `|---|---|`];
  const fact = (name: string, value: string) => lines.push(`| ${name} | ${value} |`);
  if (entry.label) fact(word(msg('shareLabel')), markdownText(entry.label, 100));
  const profile = entry.checks[0]?.profile ?? 'default';
  fact(word(msg('shareProfile')), `${markdownCode(profile)}${ctx.origin ? ` · ${markdownText(ctx.origin, 200)}` : ''}`);
  const recipient = recipientOf(entry);
  if (recipient !== undefined) fact(word(msg('shareRecipient')), markdownText(maskRecipient(recipient), 40));
  if (entry.resendOf) fact(word(msg('rowResentFrom')), markdownCode(entry.resendOf));
  const steps = buildTimeline(entry);
  if (steps.length > 0) {
    fact(
      word(msg('rowTimeline')),
      markdownText(
        formatTimeline(steps, (iso) => utcTime(iso).slice(11), word),
        600,
      ),
    );
  }
  lines.push(
    '',
    `| ${[msg('shareAt'), msg('shareCall'), msg('shareResult'), msg('shareHttp'), msg('shareDuration'), msg('shareCode'), msg('shareMessage')].map(word).join(' | ')} |`,
  );
  lines.push('|---|---|---|---|---|---|---|');
  for (const check of [...entry.checks].reverse()) lines.push(checkLine(check, word));
  lines.push('', `<sub>${markdownText(word(msg('shareFooter', ctx.version)), 200)}</sub>`);
  return lines.join('\n');
}

/** One table row: time, call, result, HTTP code, duration, D7's code and message (oldest row first). */
function checkLine(check: StatusCheck, word: Wording): string {
  const repeat = check.repeat && check.repeat > 1 ? ` ×${check.repeat}` : '';
  const result = markdownText(check.ok ? describeStatus(check.status).text : word(errorKindLabel(check.error.kind)), 60);
  const cells = [
    utcTime(check.checkedAt),
    operationOf(check),
    `${result}${repeat}`,
    check.httpStatus !== undefined ? String(check.httpStatus) : '—',
    `${Math.round(check.durationMs)} ms`,
    check.ok || !check.error.code ? '' : markdownCode(check.error.code),
    check.ok ? '' : markdownText(check.error.message, 300),
  ];
  return `| ${cells.join(' | ')} |`;
}
