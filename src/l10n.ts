/**
 * Wording of the vscode-free modules' messages (src/core/messages.ts) in the user's language, through
 * `vscode.l10n.t` with the English template as the key, as l10n/bundle.l10n.json lists it (`npm run l10n`).
 */
import * as vscode from 'vscode';
import { MESSAGES, type Wording } from './core/messages';

export const localized: Wording = (message) => vscode.l10n.t(MESSAGES[message.id], ...message.args.map((a) => (typeof a === 'object' ? localized(a) : a)));
