/**
 * Links into the editor: `<scheme>://<publisher.name>/check?otp_id=<id>` (and `/watch`), as a dashboard, a log
 * viewer or a chat message carries them. Parsing refuses anything but a known action and one UUID, so a link can
 * never make a request for something else. No `vscode` import.
 */
import { msg, type Message } from './messages';
import { parseOtpId, type OtpId } from './otpId';
import { inert } from './text';

const LINK_ACTIONS = ['check', 'watch'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

/** The query parameter carrying the otp_id. */
const LINK_PARAMETER = 'otp_id';

export type ParsedLink = { ok: true; action: LinkAction; otpId: OtpId } | { ok: false; message: Message };

/** Reads a link's path (`/check`) and query (`otp_id=…`); says what is wrong with anything else. */
export function parseOtpLink(path: string, query: string): ParsedLink {
  const action = path.replace(/^\/+|\/+$/g, '').toLowerCase();
  if (!(LINK_ACTIONS as readonly string[]).includes(action)) return { ok: false, message: msg('linkUnknownAction', inert(path, 40), LINK_ACTIONS.join(', ')) };
  const values = new URLSearchParams(query).getAll(LINK_PARAMETER);
  if (values.length !== 1) return { ok: false, message: msg('linkNoOtpId', LINK_PARAMETER) };
  const parsed = parseOtpId(values[0]);
  if (!parsed.ok) return { ok: false, message: msg('linkBadOtpId', parsed.message) };
  return { ok: true, action: action as LinkAction, otpId: parsed.otpId };
}

/** The link that opens `action` for `otpId` in the editor whose URI scheme is `scheme` (`vscode`, `vscode-insiders`…). */
export function otpLink(scheme: string, extensionId: string, action: LinkAction, otpId: OtpId): string {
  return `${scheme}://${extensionId.toLowerCase()}/${action}?${LINK_PARAMETER}=${otpId}`;
}
