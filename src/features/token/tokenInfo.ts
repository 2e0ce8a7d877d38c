/**
 * Show Token Info: the stored token's JWT payload decoded locally (no request, no signature check): which D7
 * application it belongs to and when it expires. Never shows, logs or returns the token itself.
 */
import * as vscode from 'vscode';
import { inert } from '../../core/text';

export interface TokenInfo {
  hasToken: boolean;
  /** False when the token is not a JWT (nothing to decode). */
  isJwt: boolean;
  sub?: string;
  aud?: string;
  iss?: string;
  /** ISO time of `iat`, when present. */
  issuedAt?: string;
  /** ISO time of `exp`; absent when the token has no expiry. */
  expiresAt?: string;
  expired?: boolean;
  /** What was shown to the user. */
  message: string;
}

/** The facts of a decoded payload (undefined = not a JWT), in one message. Claims are untrusted text: shown inert. */
export function describeToken(payload: Record<string, unknown> | undefined, where = '', now = Date.now()): TokenInfo {
  if (!payload) {
    return {
      hasToken: true,
      isJwt: false,
      message: vscode.l10n.t('The stored D7 API token{0} is not a JWT, so there is nothing to decode locally. D7 still decides whether it accepts it.', where),
    };
  }
  const info: TokenInfo = { hasToken: true, isJwt: true, message: '' };
  const sub = claimText(payload.sub);
  const aud = claimText(payload.aud);
  const iss = claimText(payload.iss);
  if (sub) info.sub = sub;
  if (aud) info.aud = aud;
  if (iss) info.iss = iss;
  const iat = dateOf(payload.iat);
  if (iat) info.issuedAt = iat.toISOString();
  const exp = dateOf(payload.exp);
  if (exp) {
    info.expiresAt = exp.toISOString();
    info.expired = exp.getTime() <= now;
  }
  const parts = [vscode.l10n.t('sub: {0}', sub ?? vscode.l10n.t('(none)')), vscode.l10n.t('aud: {0}', aud ?? vscode.l10n.t('(none)'))];
  if (iss) parts.push(vscode.l10n.t('iss: {0}', iss));
  if (iat) parts.push(vscode.l10n.t('issued {0}', iat.toLocaleString()));
  if (exp) parts.push(info.expired ? vscode.l10n.t('EXPIRED {0}', exp.toLocaleString()) : vscode.l10n.t('expires {0}', exp.toLocaleString()));
  else if (payload.exp !== undefined) parts.push(vscode.l10n.t('exp is not a date'));
  else parts.push(vscode.l10n.t('no expiry'));
  info.message = vscode.l10n.t('D7 API token{0}: {1}', where, parts.join(' · '));
  return info;
}

function claimText(value: unknown): string | undefined {
  if (typeof value === 'string') return value ? inert(value, 120) : undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.filter((v) => typeof v === 'string' || typeof v === 'number').map((v) => inert(String(v), 60));
    return items.length ? items.join(', ') : undefined;
  }
  return undefined;
}

/** A NumericDate (seconds since the epoch) as a Date, or undefined. */
function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
