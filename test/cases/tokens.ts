/**
 * Hostile and accepted API tokens: the cases the token rules, the client and the host tests iterate. Pure data
 * (no `vscode`, no npm package). scripts/reliability-figures.js counts them.
 */
import { MOCK_TOKEN } from '../mock/scenarios';

/** Tokens the rules refuse. `[what, input]`. */
export const HOSTILE_TOKENS: readonly (readonly [string, unknown])[] = [
  ['empty', ''],
  ['spaces only', '   '],
  ['"Bearer" alone', 'Bearer'],
  ['"Bearer " alone', 'Bearer   '],
  ['"Bearer Bearer"', 'Bearer Bearer'],
  ['a newline inside', 'abc\ndef'],
  ['CRLF header injection', 'abc\r\nX-Injected: 1'],
  ['a trailing CRLF header', `${MOCK_TOKEN}\r\nHost: evil.example`],
  ['a NUL', 'abc\u0000def'],
  ['an escape sequence', 'abc\u001b[31mdef'],
  ['DEL', 'abc\u007fdef'],
  ['a C1 control', 'abc\u0085def'],
  ['an inner space', 'abc def'],
  ['a tab inside', 'abc\tdef'],
  ['non-ASCII (é)', 'abcé'],
  ['a zero-width space', 'abc\u200bdef'],
  ['a line separator', 'abc\u2028def'],
  ['a right-to-left override', 'abc\u202edef'],
  ['an emoji', 'abc🔑'],
  ['not a string (null)', null],
  ['not a string (number)', 12345],
];

/** Spellings that are accepted, and the token each must come out as. `[what, input, token]`. */
export const ACCEPTED_TOKENS: readonly (readonly [string, string, string])[] = [
  ['plain', 'abc.def-ghi_jkl', 'abc.def-ghi_jkl'],
  ['surrounding whitespace', '  \n abc.def \t\r\n', 'abc.def'],
  ['a pasted "Bearer " prefix', 'Bearer abc.def', 'abc.def'],
  ['lower-case "bearer"', 'bearer abc.def', 'abc.def'],
  ['"BEARER" and a tab', 'BEARER\tabc.def', 'abc.def'],
  ['"Bearer" twice', 'Bearer Bearer abc.def', 'abc.def'],
  ['"Bearer" with spaces around', '  Bearer   abc.def  ', 'abc.def'],
  ['the mock JWT', MOCK_TOKEN, MOCK_TOKEN],
];

/** fast-check runs of the token properties (test/unit/core/token.test.ts). */
export const TOKEN_PROPERTY_RUNS = { accepted: 2000, redaction: 1000 } as const;
