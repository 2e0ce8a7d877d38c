/**
 * Refused and accepted values of `d7otp.baseUrl` (and a profile's base URL): the cases the base URL rules, the
 * client and the host tests iterate. Pure data (no `vscode`, no npm package). scripts/reliability-figures.js counts them.
 */

/** Values refused, each with a message naming the setting. `[what, input]`. */
export const REFUSED_BASE_URLS: readonly (readonly [string, unknown])[] = [
  ['empty', ''],
  ['not a string', 42],
  ['not a URL', 'api.d7networks.com'],
  ['credentials', 'https://user:pass@api.d7networks.com'],
  ['a user name only', 'https://user@api.d7networks.com'],
  ['credentials on loopback http', 'http://user:pass@127.0.0.1:8080'],
  ['a path', 'https://api.d7networks.com/verify'],
  ['a trailing path after a backslash', 'https://api.d7networks.com\\@evil.example'],
  ['a query', 'https://api.d7networks.com/?x=1'],
  ['an empty query', 'https://api.d7networks.com?'],
  ['a fragment', 'https://api.d7networks.com#x'],
  ['an empty fragment', 'https://api.d7networks.com/#'],
  ['ftp://', 'ftp://api.d7networks.com'],
  ['file://', 'file:///etc/passwd'],
  ['javascript:', 'javascript:alert(1)'],
  ['data:', 'data:text/plain,hi'],
  ['ws://', 'ws://127.0.0.1:8080'],
  ['http to a public host', 'http://api.d7networks.com'],
  ['http to a private address', 'http://10.0.0.1'],
  ['http to 0.0.0.0', 'http://0.0.0.0:8080'],
  ['http to a host that starts like loopback', 'http://127.0.0.1.evil.example'],
  ['http to localhost as a subdomain', 'http://localhost.evil.example'],
  ['http to an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:8080'],
  ['credentials hidden in an invalid URL', 'https://user:s3cret-pass@exa mple.com'],
];

/** Refused values holding the password `s3cret-pass`: no message may quote it. */
export const BASE_URLS_WITH_PASSWORD: readonly string[] = [
  'https://user:s3cret-pass@exa mple.com',
  'https://user:s3cret-pass@api.d7networks.com',
  'ftp://user:s3cret-pass@host',
  'http://user:s3cret-pass@10.0.0.1',
  'https://user:s3cret-pass@api.d7networks.com/path?q#f',
  'user:s3cret-pass@',
  '::s3cret-pass@@',
  'https://user:s3cret-pass/with+slash@127.0.0.1',
  'https://u:s3cret-pass@x@y z',
];
export const BASE_URL_PASSWORD = 's3cret-pass';

/** Refused values with control characters, markup or length: the message stays one bounded line. */
export const BASE_URLS_WITH_UNSAFE_TEXT: readonly string[] = [
  'https://exa\u0000mple.com/\r\nX',
  'ht\u202etps://x',
  'not a url \u2028 [x](command:workbench.action.quit)',
  `https://${'a'.repeat(5000)}.com/x`,
];

/** Values accepted, and the origin each reduces to. `[what, input, origin]`. */
export const ACCEPTED_BASE_URLS: readonly (readonly [string, string, string])[] = [
  ['D7', 'https://api.d7networks.com', 'https://api.d7networks.com'],
  ['D7 with a slash', 'https://api.d7networks.com/', 'https://api.d7networks.com'],
  ['D7 with spaces around', '  https://api.d7networks.com  ', 'https://api.d7networks.com'],
  ['D7 in capitals', ' https://API.d7networks.com/ ', 'https://api.d7networks.com'],
  ['https with a port', 'https://api.d7networks.com:8443', 'https://api.d7networks.com:8443'],
  ['loopback http', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ['localhost http', 'http://localhost:8080', 'http://localhost:8080'],
  ['IPv6 loopback http', 'http://[::1]:8080', 'http://[::1]:8080'],
  ['127/8 http', 'http://127.1.2.3:8080', 'http://127.1.2.3:8080'],
  ['an encoded dot segment (normalised away by the URL parser)', 'https://api.d7networks.com/%2e', 'https://api.d7networks.com'],
];

/** fast-check runs of the base URL property (test/unit/core/baseUrl.test.ts). */
export const BASE_URL_PROPERTY_RUNS = { origins: 2000 } as const;
