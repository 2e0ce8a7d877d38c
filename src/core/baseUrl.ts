/** Validation of the `d7otp.baseUrl` setting: the token goes wherever it points. No `vscode` import. */
import { inertText } from './errors';

export type ParsedBaseUrl = { ok: true; origin: string } | { ok: false; message: string };

const SETTING = 'd7otp.baseUrl';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Accepts an origin only: `https://host[:port]`, or `http://` for a loopback host (a local mock).
 * Credentials, paths, queries, fragments and other schemes are refused with a message naming the setting.
 */
export function parseBaseUrl(input: unknown): ParsedBaseUrl {
  const raw = typeof input === 'string' ? input.trim() : '';
  if (raw === '') return { ok: false, message: `Setting ${SETTING} is empty: set it to https://api.d7networks.com.` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, message: `Setting ${SETTING} is not a valid URL: "${shown(raw)}".` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, message: `Setting ${SETTING} must use https:// (got ${url.protocol}).` };
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return {
      ok: false,
      message: `Setting ${SETTING} uses http:// for ${url.hostname}; plain http is allowed only for 127.0.0.1, ::1 and localhost, so the token is never sent unencrypted. Use https://.`,
    };
  }
  if (url.username || url.password) {
    return { ok: false, message: `Setting ${SETTING} must not contain a user name or password.` };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    return {
      ok: false,
      message: `Setting ${SETTING} must be an origin only (like https://api.d7networks.com), without a path, query or fragment.`,
    };
  }
  return { ok: true, origin: url.origin };
}

/**
 * A refused value as a message may show it: everything after the scheme up to the last "@" (a user name and
 * password, which may itself hold "/" or "@") masked, one inert line, bounded. The message reaches notifications
 * and the history, so it must not carry a secret or a link.
 */
function shown(raw: string): string {
  return inertText(raw.replace(/^([a-z][a-z0-9+.-]*:\/*)?[\s\S]*@/i, '$1***@'), 100);
}
