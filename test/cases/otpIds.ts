/**
 * Hostile and accepted otp_id inputs, and Verify codes: the cases the otp_id parser, the calls and the host
 * tests iterate. Pure data (no `vscode`, no npm package), importable from plain Node and the extension host.
 * scripts/reliability-figures.js counts them for docs/RELIABILITY.md.
 */

/** A UUID the mock knows (SCENARIOS.open). */
export const UUID = '8d963dbf-d655-4fe6-9157-48885a036050';

/** Every hostile otp_id: each must be refused before any request. `[what, input]`. */
export const HOSTILE_OTP_IDS: readonly (readonly [string, unknown])[] = [
  ['empty', ''],
  ['spaces', '   '],
  ['tabs and newlines', '\t\r\n'],
  ['only quotes', '""'],
  ['only single quotes', "''"],
  ['only curly quotes', '“”'],
  ['quotes with spaces', '" "'],
  ['an unbalanced quote', `"${UUID}`],
  ['a quote inside', `${UUID.slice(0, 8)}"${UUID.slice(8)}`],
  ['../', '../'],
  ['../ chain', '../../../etc/passwd'],
  ['../ before a UUID', `../${UUID}`],
  ['/.. after a UUID', `${UUID}/..`],
  ['%2e%2e/', '%2e%2e/'],
  ['%2e%2e%2f before a UUID', `%2e%2e%2f${UUID}`],
  ['%2F inside', `${UUID}%2F..`],
  ['an encoded UUID', encodeURIComponent(UUID).replace(/-/g, '%2D')],
  ['?', '?'],
  ['? query after a UUID', `${UUID}?x=1`],
  ['#', '#'],
  ['# fragment after a UUID', `${UUID}#frag`],
  ['/', '/'],
  ['leading /', `/${UUID}`],
  ['trailing /', `${UUID}/`],
  ['backslash', `${UUID}\\..`],
  ['very long (10 000 characters)', 'a'.repeat(10_000)],
  ['a UUID with 5 000 more hex digits', `${UUID}${'0'.repeat(5000)}`],
  ['fullwidth digits (look-alike)', UUID.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ['Cyrillic а and е (look-alikes)', UUID.replace(/a/g, '\u0430').replace(/e/g, '\u0435')],
  ['hyphen look-alike U+2010', UUID.replace(/-/g, '\u2010')],
  ['minus sign U+2212', UUID.replace(/-/g, '\u2212')],
  ['en dash', UUID.replace(/-/g, '–')],
  ['a zero-width space inside', `${UUID.slice(0, 9)}\u200b${UUID.slice(9)}`],
  ['a right-to-left override inside', `${UUID.slice(0, 9)}\u202e${UUID.slice(9)}`],
  ['a soft hyphen inside', `${UUID.slice(0, 9)}\u00ad${UUID.slice(9)}`],
  ['newline injection', `${UUID}\r\nHost: evil.example`],
  ['newline then a header', `${UUID}\nX-Injected: 1`],
  ['a NUL after', `${UUID}\u0000`],
  ['two UUIDs', `${UUID} ${UUID}`],
  ['a UUID missing a digit', UUID.slice(0, -1)],
  ['a UUID with a g', `g${UUID.slice(1)}`],
  ['a UUID without hyphens', UUID.replace(/-/g, '')],
  ['a UUID in braces', `{${UUID}}`],
  ['urn:uuid:', `urn:uuid:${UUID}`],
  ['markup', `<img src=x onerror=alert(1)>`],
  ['a command link', `[x](command:workbench.action.quit)`],
  ['"null"', 'null'],
  ['"undefined"', 'undefined'],
  ['null (not a string)', null],
  ['undefined (not a string)', undefined],
  ['a number', 42],
  ['an object', { otpId: UUID }],
  ['an array', [UUID]],
];

/** Inputs that are accepted, and the exact otp_id each must come out as. `[what, input, otpId]`. */
export const ACCEPTED_OTP_IDS: readonly (readonly [string, string, string])[] = [
  ['plain', UUID, UUID],
  ['upper case (case kept)', UUID.toUpperCase(), UUID.toUpperCase()],
  ['surrounding spaces', `   ${UUID}  `, UUID],
  ['surrounding newlines', `\n${UUID}\r\n`, UUID],
  ['double quotes', `"${UUID}"`, UUID],
  ['single quotes', `'${UUID}'`, UUID],
  ['backticks', `\`${UUID}\``, UUID],
  ['curly quotes', `“${UUID}”`, UUID],
  ['quotes and spaces', ` " ${UUID} " `, UUID],
  ['a BOM before', `\ufeff${UUID}`, UUID],
];

/** Verify codes: what reaches the request body (`sent`, trimmed) or is refused before any request (`undefined`). */
export const VERIFY_CODES: readonly (readonly [string, string | undefined])[] = [
  ['', undefined],
  [' ', undefined],
  ['12 34', undefined],
  ['1234\n', '1234'],
  ['12345678901234567', undefined],
  ['<b>1</b>', undefined],
  ['١٢٣٤', undefined],
  ['"1234"', undefined],
  ['1234\r\nX: y', undefined],
  ['../1', undefined],
];

/** fast-check runs of the otp_id properties (test/unit/core/calls.test.ts), by property. */
export const OTP_ID_PROPERTY_RUNS = {
  binary: 1500,
  grapheme: 1000,
  hostileFragments: 1500,
  hostileAround: 1500,
  replaced: 1000,
  inserted: 1000,
  wrapped: 500,
  percentEncoded: 500,
  wrappedAccepted: 500,
  /** Resend and verify: two calls per run. */
  resendVerify: 1000,
  overSocket: 300,
} as const;
