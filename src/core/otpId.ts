/** otp_id parsing: what the user typed or pasted, to a UUID or an actionable message. No `vscode` import. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_ANYWHERE = /(?<![0-9a-z-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z-])/gi;
const QUOTES = `'"\`‘’“”`;

export const EXAMPLE_OTP_ID = '8d963dbf-d655-4fe6-9157-48885a036050';

export type ParsedOtpId = { ok: true; otpId: string } | { ok: false; message: string };

/** True when `value` is exactly a UUID (8-4-4-4-12 hex digits, any case). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/**
 * Turns user input into an otp_id: trims surrounding whitespace and quotes, keeps the case as given,
 * and accepts only a UUID — so nothing else can ever reach the request path.
 */
export function parseOtpId(input: unknown): ParsedOtpId {
  if (typeof input !== 'string') {
    return { ok: false, message: `Enter an otp_id: a UUID such as ${EXAMPLE_OTP_ID}.` };
  }
  let value = input.trim();
  while (value.length >= 2 && QUOTES.includes(value[0]) && QUOTES.includes(value[value.length - 1])) {
    value = value.slice(1, -1).trim();
  }
  if (value === '') {
    return { ok: false, message: `Enter an otp_id: a UUID such as ${EXAMPLE_OTP_ID}.` };
  }
  if (!isUuid(value)) {
    return {
      ok: false,
      // Quote only the start: a token pasted into the wrong box must not end up in a message.
      message: `"${printable(value, 8)}" (${value.length} characters) is not an otp_id: expected a UUID (8-4-4-4-12 hex digits) such as ${EXAMPLE_OTP_ID}.`,
    };
  }
  return { ok: true, otpId: value };
}

/** Every UUID in `text`, in order of first appearance, deduplicated case-insensitively. */
export function findUuids(text: string): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const match of text.matchAll(UUID_ANYWHERE)) {
    const key = match[0].toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      found.push(match[0]);
    }
  }
  return found;
}

/** The key under which an otp_id is deduplicated (UUIDs compare case-insensitively). */
export function otpIdKey(otpId: string): string {
  return otpId.toLowerCase();
}

/**
 * What a one-line rendering of untrusted text must not contain: C0/C1 controls, line and paragraph separators,
 * bidi marks and overrides. Shared by `printable` here and the tree's `oneLine`.
 */
export const UNSAFE_TEXT_CHARS = '\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069';
const UNSAFE_CHAR = new RegExp(`[${UNSAFE_TEXT_CHARS}]`, 'g');

/** A short, single-line, control-character-free rendering of untrusted text for messages. */
export function printable(value: string, max = 60): string {
  const clean = value.replace(UNSAFE_CHAR, '\uFFFD');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
