/**
 * Open as JSON: one history entry's full record (every check, every field, its timeline) in a read-only
 * virtual document (`d7otp-history:/<otp_id>.json`), refreshed when the entry changes.
 */
import * as vscode from 'vscode';
import { otpIdFromArg } from '../commands/args';
import { Commands, Schemes } from '../constants';
import { isUuid } from '../core/otpId';
import { buildTimeline, formatDuration } from '../core/timeline';
import type { HistoryEntry } from '../core/types';
import type { HistoryStore } from '../stores/historyStore';
import { outcomeText, relativeTime } from '../tree/presentation';

/** The URI of an otp_id's record. */
export function historyDocumentUri(otpId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: Schemes.history, path: `/${otpId}.json` });
}

/** The otp_id a record URI stands for, or undefined. */
export function otpIdOfUri(uri: vscode.Uri): string | undefined {
  const match = /^\/(.+)\.json$/.exec(uri.path);
  return match && isUuid(match[1]) ? match[1] : undefined;
}

/** The record shown for an entry: the entry's own fields, its timeline, then every check as stored. */
export function entryRecord(otpId: string, entry: HistoryEntry | undefined): unknown {
  if (!entry) return { otpId, inHistory: false, note: 'This otp_id is not in the history (removed, or never checked).' };
  const timeline = buildTimeline(entry).map((step) => ({ ...step, ...(step.sinceMs !== undefined ? { since: formatDuration(step.sinceMs) } : {}) }));
  return {
    otpId: entry.otpId,
    ...(entry.label ? { label: entry.label } : {}),
    ...(entry.resendOf ? { resendOf: entry.resendOf } : {}),
    checkCount: entry.checks.length,
    timeline,
    checks: entry.checks,
  };
}

class HistoryDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** What each open record document was last given, so only an entry that changed refreshes its document. */
  private readonly shown = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly history: HistoryStore) {
    this.subscriptions = [
      history.onDidChange(() => this.refreshOpen()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.shown.delete(doc.uri.toString())),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const otpId = otpIdOfUri(uri);
    const text = otpId
      ? `${JSON.stringify(entryRecord(otpId, this.history.find(otpId)), null, 2)}\n`
      : `${JSON.stringify({ error: 'Not a D7 OTP history record.' })}\n`;
    this.shown.set(uri.toString(), text);
    return text;
  }

  private refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme !== Schemes.history) continue;
      const otpId = otpIdOfUri(doc.uri);
      if (!otpId) continue;
      const next = `${JSON.stringify(entryRecord(otpId, this.history.find(otpId)), null, 2)}\n`;
      if (this.shown.get(doc.uri.toString()) !== next) this.changed.fire(doc.uri);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

export function registerHistoryDocument(deps: { history: HistoryStore }): vscode.Disposable[] {
  const { history } = deps;
  const provider = new HistoryDocumentProvider(history);
  return [
    provider,
    vscode.workspace.registerTextDocumentContentProvider(Schemes.history, provider),
    /** Optional argument: the otp_id or a tree node; without one, a pick from the history. Returns the document's URI. */
    vscode.commands.registerCommand(Commands.historyOpenJson, async (arg?: unknown): Promise<vscode.Uri | undefined> => {
      const otpId = otpIdFromArg(arg) ?? (await pickEntry(history));
      if (otpId === undefined) return undefined;
      if (!isUuid(otpId)) {
        void vscode.window.showErrorMessage(vscode.l10n.t('"{0}" is not an otp_id.', otpId.slice(0, 60)));
        return undefined;
      }
      const uri = historyDocumentUri(history.find(otpId)?.otpId ?? otpId);
      let doc = await vscode.workspace.openTextDocument(uri);
      if (doc.languageId !== 'json') doc = await vscode.languages.setTextDocumentLanguage(doc, 'json');
      await vscode.window.showTextDocument(doc, { preview: true });
      return uri;
    }),
  ];
}

async function pickEntry(history: HistoryStore): Promise<string | undefined> {
  if (history.entries.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The history is empty.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    history.entries.map((entry) => ({
      label: entry.otpId,
      description: [entry.label, outcomeText(entry.checks[0]), relativeTime(entry.checks[0].lastCheckedAt ?? entry.checks[0].checkedAt)]
        .filter(Boolean)
        .join(' · '),
      otpId: entry.otpId,
    })),
    { title: vscode.l10n.t('D7 OTP: Open as JSON'), matchOnDescription: true },
  );
  return picked?.otpId;
}

