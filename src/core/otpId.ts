/**
 * otp_ids. `OtpId` is a UUID that went through this parser: every id from the user, the server, storage, an import
 * or another extension becomes one here or is refused, so nothing else can reach a request path, a history entry or
 * a message. No `vscode` import.
 */
import { msg, type Message } from './messages';
import { inert } from './text';

declare const OTP_ID: unique symbol;
/** A UUID (8-4-4-4-12 hex digits, case as given). Only `parseOtpId`, `readOtpId` and `findOtpIds` make one. */
export type OtpId = string & { readonly [OTP_ID]: true };

export type ParsedOtpId = { ok: true; otpId: OtpId } | { ok: false; message: Message };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A UUID not glued to other letters, digits or dashes ("ab<uuid>" or "<uuid>-x" is not one). */
const UUID_ANYWHERE = /(?<![0-9a-z-])[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?![0-9a-z-])/gi;
const QUOTES = `'"\`‘’“”`;

export const EXAMPLE_OTP_ID = '8d963dbf-d655-4fe6-9157-48885a036050';

/**
 * What a person typed or pasted, as an otp_id: surrounding whitespace and quotes trimmed, case kept; anything but a
 * UUID refused with a message that quotes only its start (it may be a token pasted into the wrong box).
 */
export function parseOtpId(input: unknown): ParsedOtpId {
  let value = typeof input === 'string' ? input.trim() : '';
  while (value.length >= 2 && QUOTES.includes(value[0]) && QUOTES.includes(value[value.length - 1])) {
    value = value.slice(1, -1).trim();
  }
  if (value === '') return { ok: false, message: msg('otpIdMissing', EXAMPLE_OTP_ID) };
  if (!UUID.test(value)) return { ok: false, message: msg('otpIdInvalid', inert(value, 8), value.length, EXAMPLE_OTP_ID) };
  return { ok: true, otpId: value as OtpId };
}

/** A value from a machine (a server's answer, storage, an import, a URI) that must be exactly a UUID. */
export function readOtpId(value: unknown): OtpId | undefined {
  return typeof value === 'string' && UUID.test(value) ? (value as OtpId) : undefined;
}

/** Every otp_id in `text`, in order of first appearance, each once (compared case-insensitively). */
export function findOtpIds(text: string): OtpId[] {
  const seen = new Set<string>();
  const found: OtpId[] = [];
  for (const match of text.matchAll(UUID_ANYWHERE)) {
    const id = match[0] as OtpId;
    if (!seen.has(otpIdKey(id))) {
      seen.add(otpIdKey(id));
      found.push(id);
    }
  }
  return found;
}

/** Every otp_id in `text` with where it starts, in order, repeats included (a terminal line's links). */
export function otpIdMatches(text: string): { otpId: OtpId; index: number }[] {
  return [...text.matchAll(UUID_ANYWHERE)].map((match) => ({ otpId: match[0] as OtpId, index: match.index }));
}

/** The key under which otp_ids are compared and stored: UUIDs are case-insensitive. */
export function otpIdKey(otpId: OtpId): string {
  return otpId.toLowerCase();
}

export function sameOtpId(a: OtpId | undefined, b: OtpId | undefined): boolean {
  return a !== undefined && b !== undefined && otpIdKey(a) === otpIdKey(b);
}
