/** Phone numbers are personal data: how a recipient is shown when it is not to be shown in full. No `vscode` import. */
import { inert } from './text';

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

/** A recipient as messages show it: masked (`+97150•••4567`) unless `show`, and always one inert line. */
export function recipientText(recipient: unknown, show: boolean): string {
  const text = typeof recipient === 'string' || typeof recipient === 'number' ? String(recipient) : '';
  return show ? inert(text, 40) : maskRecipient(text);
}

/** Keys whose text is a phone number in D7's bodies (and in the Send OTP inputs). */
const PHONE_KEY = /^(recipients?|to|phone|phone_?number|msisdn|mobile|mobile_?number)$/i;
/** A phone number inside any text: "+" and 7 to 15 digits (spaces, dots, dashes and brackets allowed between). */
const E164_IN_TEXT = /\+\d(?:[\s().-]?\d){6,14}(?!\d)/g;
const MAX_DEPTH = 32;

/**
 * `value` with every phone number masked (`maskRecipient`): the text of a phone-number key (`recipient`, `to`,
 * `msisdn`…) when it is a number, and any `+`-prefixed number inside any text. Text that is no phone number, or
 * already masked, is kept; everything else is copied as it is. Objects come back as new objects.
 */
export function maskRecipients(value: unknown): unknown {
  return maskIn(value, false, 0);
}

/** `value` masked; the very same value (not a copy) when nothing in it changed, so most bodies cost no copy. */
function maskIn(value: unknown, phoneKey: boolean, depth: number): unknown {
  if (typeof value === 'string') return maskText(value, phoneKey);
  if (typeof value === 'number' && phoneKey && Number.isInteger(value) && value > 0) return maskRecipient(String(value));
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => maskIn(item, phoneKey, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const entries = Object.entries(value);
  const masked = entries.map(([key, item]) => [key, maskIn(item, PHONE_KEY.test(key), depth + 1)] as const);
  // fromEntries defines own properties: a key "__proto__" stays a key.
  return masked.some(([, item], i) => item !== entries[i][1]) ? Object.fromEntries(masked) : value;
}

function maskText(text: string, phoneKey: boolean): string {
  if (phoneKey && /^\+?\d[\d\s().-]{5,20}$/.test(text.trim()) && maskRecipient(text.trim()) !== MASK) return maskRecipient(text.trim());
  return text.replace(E164_IN_TEXT, (number) => maskRecipient(number));
}

/** A record with the phone numbers of its body and error masked (`maskRecipients`); the record itself when it holds none. */
export function maskedCheck<T extends { body?: unknown; error?: { message: string } }>(check: T): T {
  const body = maskRecipients(check.body); // undefined stays undefined
  const message = check.error ? maskText(check.error.message, false) : undefined;
  const sameBody = body === check.body;
  if (sameBody && message === check.error?.message) return check;
  return { ...check, ...(sameBody ? {} : { body }), ...(check.error && message !== check.error.message ? { error: { ...check.error, message } } : {}) };
}
