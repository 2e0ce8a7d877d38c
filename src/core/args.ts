/**
 * Reading the optional argument each command accepts (from a keybinding, a tree node, another extension, an agent
 * tool, a test): with one, the command asks nothing. Arguments are untrusted: ids go through the otp_id parser,
 * everything else is checked for its type. No `vscode` import.
 */
import type { FiledCheck } from './check';
import { isRecord } from './json';
import type { Message } from './messages';
import { findOtpIds, parseOtpId, type OtpId } from './otpId';

/** No argument (ask), a usable one, or one that is wrong (say why; do not ask). */
export type Arg<T> = { kind: 'none' } | { kind: 'ok'; value: T } | { kind: 'bad'; message: Message };

const NONE = { kind: 'none' } as const;

/** The otp_id text an argument carries: a string, a tree node (`{ entry }` or `{ check }`), or `{ otpId }`. */
export function candidateOtpId(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (!isRecord(arg)) return undefined;
  const holder = isRecord(arg.entry) ? arg.entry : isRecord(arg.check) ? arg.check : arg;
  return typeof holder.otpId === 'string' ? holder.otpId : undefined;
}

/** The otp_id of an argument, parsed. */
export function otpIdArg(arg: unknown): Arg<OtpId> {
  const candidate = candidateOtpId(arg);
  if (candidate === undefined) return NONE;
  const parsed = parseOtpId(candidate);
  return parsed.ok ? { kind: 'ok', value: parsed.otpId } : { kind: 'bad', message: parsed.message };
}

/** The check a tree node stands for (a check node's own, an entry node's latest); undefined for anything else. */
export function nodeCheck(arg: unknown): FiledCheck | undefined {
  if (!isRecord(arg)) return undefined;
  if (isRecord(arg.check)) return arg.check as unknown as FiledCheck;
  if (isRecord(arg.entry) && Array.isArray(arg.entry.checks)) return arg.entry.checks[0] as FiledCheck | undefined;
  return undefined;
}

/** The otp_ids of a bulk argument: every UUID in a text, or each valid id of a list (others skipped), each once. */
export function otpIdsArg(arg: unknown): OtpId[] | undefined {
  if (typeof arg === 'string') return findOtpIds(arg);
  if (!Array.isArray(arg)) return undefined;
  const ids: OtpId[] = [];
  for (const value of arg) {
    const parsed = parseOtpId(value);
    if (parsed.ok) ids.push(parsed.otpId);
  }
  return findOtpIds(ids.join(' '));
}

/** A string argument (a token, a label, a profile name), or undefined. */
export function stringArg(arg: unknown): string | undefined {
  return typeof arg === 'string' ? arg : undefined;
}

/** `{ confirm: false }`: the caller has decided, no question is asked. */
export function skipsConfirmation(arg: unknown): boolean {
  return isRecord(arg) && arg.confirm === false;
}

/** A field of an object argument, when it is a string. */
export function stringField(arg: unknown, field: string): string | undefined {
  return isRecord(arg) && typeof arg[field] === 'string' ? (arg[field] as string) : undefined;
}
