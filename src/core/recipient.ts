/** Phone numbers are personal data: how a recipient is shown when it is not to be shown in full. No `vscode` import. */

const MASK = '•••';

/**
 * `+971501234567` → `+97150•••4567`: the country code and the first digits, the last four, and at least three
 * digits hidden between. A value that is not a phone number (7 to 15 digits, an optional "+") is hidden whole.
 */
export function maskRecipient(value: string): string {
  const compact = value.replace(/[\s().-]/g, '');
  const match = /^(\+?)(\d{7,15})$/.exec(compact);
  if (!match) return MASK;
  const [, plus, digits] = match;
  const last = digits.length <= 8 ? 2 : 4;
  const first = Math.max(1, Math.min(5, digits.length - last - 3));
  return `${plus}${digits.slice(0, first)}${MASK}${digits.slice(-last)}`;
}
