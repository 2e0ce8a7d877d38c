/** API token input rules. No `vscode` import. The token itself is never logged or put in a message. */

export type ParsedToken = { ok: true; token: string } | { ok: false; message: string };

/**
 * Normalises a pasted token: trims whitespace, strips a `Bearer ` prefix the user may have copied along,
 * and refuses empty values and anything that could inject into the Authorization header.
 */
export function parseToken(input: unknown): ParsedToken {
  if (typeof input !== 'string') return { ok: false, message: 'The API token is empty.' };
  let token = input.trim();
  while (/^bearer\s+/i.test(token)) token = token.replace(/^bearer\s+/i, '').trim();
  if (token === '' || /^bearer$/i.test(token)) return { ok: false, message: 'The API token is empty.' };
  // Only printable ASCII without spaces: no control character, line break or non-ASCII can reach the header.
  if (/[^\u0021-\u007e]/.test(token)) {
    return {
      ok: false,
      message: 'The API token contains spaces, line breaks, control or non-ASCII characters; paste the token alone.',
    };
  }
  return { ok: true, token };
}

/**
 * Replaces the token, and its base64 and URL-encoded forms, with "***" in `text`.
 * Defence in depth for anything that reaches a log or a message.
 */
export function redactToken(text: string, token: string | undefined): string {
  if (!token || token.length < 4) return text;
  const forms = new Set([
    token,
    encodeURIComponent(token),
    Buffer.from(token).toString('base64'),
    Buffer.from(`Bearer ${token}`).toString('base64'),
  ]);
  let out = text;
  for (const form of forms) out = out.split(form).join('***');
  return out;
}

/** The decoded payload of a JWT (no signature check, no request), or undefined when it is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
