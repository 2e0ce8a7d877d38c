/** Validation of a base URL setting (`d7otp.baseUrl`, a profile's): the token goes wherever it points. No `vscode` import. */
import { msg, type Message } from './messages';
import { inert } from './text';

export type ParsedBaseUrl = { ok: true; origin: string } | { ok: false; message: Message };

export const BASE_URL_SETTING = 'd7otp.baseUrl';

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Accepts an origin only: `https://host[:port]`, or `http://` for a loopback host (a local mock).
 * Credentials, paths, queries, fragments and other schemes are refused with a message naming `setting`.
 */
export function parseBaseUrl(input: unknown, setting = BASE_URL_SETTING): ParsedBaseUrl {
  // Every call parses the same setting again: the last answer is kept (a string and its answer, nothing secret).
  if (last && last.input === input && last.setting === setting) return last.parsed;
  const parsed = parse(input, setting);
  if (typeof input === 'string') last = { input, setting, parsed };
  return parsed;
}

let last: { input: string; setting: string; parsed: ParsedBaseUrl } | undefined;

function parse(input: unknown, setting: string): ParsedBaseUrl {
  const raw = typeof input === 'string' ? input.trim() : '';
  const refuse = (message: Message): ParsedBaseUrl => ({ ok: false, message });
  if (raw === '') return refuse(msg('baseUrlEmpty', setting));
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse(msg('baseUrlInvalid', setting, shown(raw)));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse(msg('baseUrlScheme', setting, inert(url.protocol, 20)));
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) return refuse(msg('baseUrlPlainHttp', setting, inert(url.hostname, 100)));
  if (url.username || url.password) return refuse(msg('baseUrlCredentials', setting));
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || raw.includes('?') || raw.includes('#')) {
    return refuse(msg('baseUrlNotOrigin', setting));
  }
  return { ok: true, origin: url.origin };
}

/**
 * A refused value as a message may show it: everything after the scheme up to the last "@" (a user name and
 * password, which may itself hold "/" or "@") masked, one inert line, bounded. The message reaches notifications
 * and the history, so it must not carry a secret or a link.
 */
function shown(raw: string): string {
  return inert(raw.replace(/^([a-z][a-z0-9+.-]*:\/*)?[\s\S]*@/i, '$1***@'), 100);
}
