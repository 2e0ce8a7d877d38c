/** API token handling that needs no VS Code: normalising what was pasted, redaction, and reading a JWT's claims. */
import { isRecord } from './json';
import { msg, type Message } from './messages';

export type ParsedToken = { ok: true; token: string } | { ok: false; message: Message };

/**
 * Normalises a pasted token: trims whitespace, strips a `Bearer ` prefix the user may have copied along,
 * and refuses empty values and anything that could inject into the Authorization header.
 */
export function parseToken(input: unknown): ParsedToken {
  if (typeof input !== 'string') return { ok: false, message: msg('tokenEmpty') };
  let token = input.trim();
  while (/^bearer\s+/i.test(token)) token = token.replace(/^bearer\s+/i, '').trim();
  if (token === '' || /^bearer$/i.test(token)) return { ok: false, message: msg('tokenEmpty') };
  // Only printable ASCII without spaces: no control character, line break or non-ASCII can reach the header.
  if (/[^\u0021-\u007e]/.test(token)) return { ok: false, message: msg('tokenUnsafe') };
  return { ok: true, token };
}

/** Shorter secrets are not redacted: a 1–3 character "token" would turn every occurrence of it in a text into ***. */
const MIN_REDACTED = 4;

/**
 * Replaces each token, and its base64, URL-encoded and `Bearer `-base64 forms, with "***" in `text`.
 * Applied to every body and error detail before a record exists, and to anything that reaches a log or a message.
 */
export function redactToken(text: string, ...tokens: (string | undefined)[]): string {
  let out = text;
  for (const token of tokens) {
    if (!token || token.length < MIN_REDACTED) continue;
    const forms = new Set([token, encodeURIComponent(token), Buffer.from(token).toString('base64'), Buffer.from(`Bearer ${token}`).toString('base64')]);
    for (const form of forms) if (out.includes(form)) out = out.split(form).join('***');
  }
  return out;
}

/** The decoded payload of a JWT (no signature check, no request), or undefined when it is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return isRecord(payload) ? payload : undefined;
  } catch {
    return undefined;
  }
}
