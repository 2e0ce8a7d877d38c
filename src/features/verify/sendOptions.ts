/** Send OTP's inputs, read and checked without `vscode`: the recipient and the "More options" line. */
import type { SendOtpParams } from '../../core/client/request';
import { msg, type Message } from '../../core/messages';

export const OPTION_KEYS = ['expiry', 'channel', 'otp_code_length', 'otp_type', 'retry_delay', 'retry_count', 'data_coding'] as const;
const NUMERIC_OPTIONS = new Set<string>(['expiry', 'otp_code_length', 'retry_delay', 'retry_count']);
/** D7's defaults, shown in the "More options" step. */
const DEFAULT_OPTIONS: Record<Exclude<(typeof OPTION_KEYS)[number], 'data_coding'>, string | number> = {
  expiry: 600,
  channel: 'SMS',
  otp_code_length: 6,
  otp_type: 'numeric',
  retry_delay: 60,
  retry_count: 5,
};
const E164 = /^\+?[1-9]\d{6,14}$/;

/** The recipient without the spaces and dashes people type, or undefined when it is not E.164. */
export function readRecipient(input: string): string | undefined {
  const value = input.replace(/[\s-]/g, '');
  return E164.test(value) ? value : undefined;
}

export function recipientProblem(input: string): Message | undefined {
  return input.trim() === '' || readRecipient(input) ? undefined : msg('recipientInvalid');
}

/** Parses "expiry=600 channel=SMS …"; an empty value leaves the key to D7's default. */
export function parseOptions(text: string): { values: Partial<SendOtpParams>; problem?: Message } {
  const values: Record<string, unknown> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = pair.split('=');
    const value = rest.join('=');
    if (!(OPTION_KEYS as readonly string[]).includes(key)) return { values, problem: msg('optionUnknown', key, OPTION_KEYS.join(', ')) };
    if (value === '') continue;
    if (NUMERIC_OPTIONS.has(key)) {
      if (!/^\d+$/.test(value)) return { values, problem: msg('optionNotWholeNumber', key) };
      values[key] = Number(value);
    } else values[key] = value;
  }
  const length = values.otp_code_length as number | undefined;
  if (length !== undefined && (length < 2 || length > 10)) return { values, problem: msg('codeLengthRange') };
  return { values: values as Partial<SendOtpParams> };
}

/** The "More options" line for `params`: every option but data_coding, with D7's default where none is set. */
export function optionsLine(params: Partial<SendOtpParams>): string {
  return OPTION_KEYS.filter((k) => k !== 'data_coding')
    .map((k) => `${k}=${params[k] ?? DEFAULT_OPTIONS[k]}`)
    .join(' ');
}

/** The options set in `params`, as the Send step shows them. */
export function optionSummary(params: Partial<SendOtpParams>): string {
  return OPTION_KEYS.filter((k) => params[k] !== undefined)
    .map((k) => `${k}=${params[k]}`)
    .join(' ');
}

/** The OTP's expiry in seconds from D7's answer (or what was asked for): a positive number, or digits (D7's samples send a string). */
export function expiryOf(body: unknown, asked?: unknown): number | undefined {
  const value = (body as { expiry?: unknown } | undefined)?.expiry ?? asked;
  const expiry = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(expiry) && expiry > 0 ? expiry : undefined;
}
