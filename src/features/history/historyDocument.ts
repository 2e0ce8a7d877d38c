/**
 * Open as JSON: one history entry's full record (every check, every field, its timeline) in a read-only
 * virtual document (`d7otp-history:/<otp_id>.json`), refreshed when the entry changes.
 */
import * as vscode from 'vscode';
import { otpIdArg } from '../../core/args';
import type { HistoryEntry } from '../../core/check';
import { seenAt } from '../../core/check';
import { Commands, Schemes } from '../../constants';
import { readOtpId, type OtpId } from '../../core/otpId';
import { maskedCheck } from '../../core/recipient';
import { buildTimeline, formatDuration } from '../../core/timeline';
import { Feature } from '../feature';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { outcomeText, relativeTime } from './rows';
import { oneLine } from '../../core/text';
import { Throttle } from '../../core/throttle';

/** The URI of an otp_id's record. */
function historyDocumentUri(otpId: OtpId): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.history, path: `/${otpId}.json` });
}

/** The otp_id a record URI stands for, or undefined. */
function otpIdOfUri(uri: vscode.Uri): OtpId | undefined {
  const match = /^\/(.+)\.json$/.exec(uri.path);
  return match ? readOtpId(match[1]) : undefined;
}

/** The record shown for an entry: the entry's own fields, its timeline, then every check as stored (phone numbers masked unless shown). */
function entryRecord(otpId: OtpId, entry: HistoryEntry | undefined, masked: boolean): unknown {
  if (!entry) return { otpId, inHistory: false, note: 'This otp_id is not in the history (removed, or never checked).' };
  const timeline = buildTimeline(entry).map((step) => ({ ...step, ...(step.sinceMs !== undefined ? { since: localized(formatDuration(step.sinceMs)) } : {}) }));
  return {
    otpId: entry.otpId,
    ...(entry.label ? { label: entry.label } : {}),
    ...(entry.resendOf ? { resendOf: entry.resendOf } : {}),
    checkCount: entry.checks.length,
    timeline,
    checks: masked ? entry.checks.map((check) => maskedCheck(check)) : entry.checks,
  };
}

export class HistoryDocument extends Feature implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  /** What each open record document was last given, so only an entry that changed refreshes its document. */
  private readonly shown = new Map<string, string>();

  constructor(private readonly s: Services) {
    super();
    // A burst of changes (a bulk run) looks at the open record documents at most ten times a second.
    const refresh = this.register(new Throttle(() => this.refreshOpen(), 100));
    this.register(s.history.onDidChange(() => refresh.request()));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.shown.delete(doc.uri.toString())));
    this.register(vscode.workspace.registerTextDocumentContentProvider(Schemes.history, this));
    this.registerCommands({
      /** Optional argument: the otp_id or a tree node; without one, a pick from the history. Returns the document's URI. */
      [Commands.historyOpenJson]: (arg?: unknown) => this.open(arg),
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const text = this.render(uri);
    this.shown.set(uri.toString(), text);
    return text;
  }

  private render(uri: vscode.Uri): string {
    const otpId = otpIdOfUri(uri);
    const record = otpId ? entryRecord(otpId, this.s.history.find(otpId), !this.s.config.showPhoneNumbers) : { error: 'Not a D7 OTP history record.' };
    return `${JSON.stringify(record, null, 2)}\n`;
  }

  private refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== Schemes.history || !otpIdOfUri(doc.uri)) continue;
      if (this.shown.get(doc.uri.toString()) !== this.render(doc.uri)) this.changed.fire(doc.uri);
    }
  }

  private async open(arg: unknown): Promise<vscode.Uri | undefined> {
    const given = otpIdArg(arg);
    if (given.kind === 'bad') {
      void vscode.window.showErrorMessage(localized(given.message));
      return undefined;
    }
    const otpId = given.kind === 'ok' ? given.value : await this.pick();
    if (otpId === undefined) return undefined;
    const uri = historyDocumentUri(this.s.history.find(otpId)?.otpId ?? otpId);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
    await vscode.window.showTextDocument(doc, { preview: true });
    return uri;
  }

  private async pick(): Promise<OtpId | undefined> {
    const entries = this.s.history.entries;
    if (entries.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The history is empty.'));
      return undefined;
    }
    const items = entries.map((entry) => {
      const latest = entry.checks[0];
      const ago = relativeTime(seenAt(latest), Date.now());
      const description = [entry.label ? oneLine(entry.label, 60) : undefined, outcomeText(latest, localized), ago && localized(ago)]
        .filter(Boolean)
        .join(' · ');
      return { label: entry.otpId, description, otpId: entry.otpId };
    });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('D7 OTP: Open as JSON'), matchOnDescription: true });
    return picked?.otpId;
  }
}
