/**
 * Hostile text for the one-line rules (src/core/text.ts) and what the history view shows of statuses and error
 * codes. Pure data (no `vscode`, no npm package). scripts/reliability-figures.js counts them.
 */

/** Statuses and codes D7 (or an import) might send. */
export const HOSTILE_TEXTS: readonly string[] = [
  'OPEN\u0000\u001b[31m\r\nINJECTED\u001b[0m\u0007\b\t\u000b\f\u007f\u0085\u2028\u2029END',
  '\u202eDEVORPPA\u202c \u2066x\u2069 \u061c \u200e\u200f',
  '<img src=x onerror=alert(1)>**bold** [x](command:workbench.action.quit) $(alert)',
  'X'.repeat(100_000),
  '',
];

/** Single characters none of the one-line rules may let through. */
export const UNSAFE_CHARACTERS: readonly string[] = [
  '\u0000',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u061c',
  '\u200e',
  '\u2028',
  '\u2029',
  '\u202e',
  '\u2066',
  '\u2069',
];

/** fast-check runs of the one-line property (test/unit/core/text.test.ts). */
export const TEXT_PROPERTY_RUNS = { oneLine: 3000, inert: 2000 } as const;
