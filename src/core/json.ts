/** Looking at parsed JSON of unknown shape. No `vscode` import. */
import { msg, type Message } from './messages';

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** "null", "an array", "a number"… for messages about a value of the wrong type. */
export function typeOf(value: unknown): Message {
  if (value === null) return msg('typeNull');
  if (Array.isArray(value)) return msg('typeArray');
  switch (typeof value) {
    case 'string':
      return msg('typeString');
    case 'number':
      return msg('typeNumber');
    case 'boolean':
      return msg('typeBoolean');
    default:
      return msg('typeObject');
  }
}
