/** Export History (JSON or CSV) and Import History (JSON, validated and merged). */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { parseImport, toCsv, toExportJson } from '../core/exportFormat';
import { redactToken } from '../core/token';
import type { Log } from '../log';
import { tokenKey, type Profiles } from '../profiles/profiles';
import type { HistoryStore } from '../stores/historyStore';
import type { TokenStore } from '../stores/tokenStore';

export type ExportFormat = 'json' | 'csv';

export interface ExportArgument {
  /** Where to write: a URI (`file:///…`) or a file system path. */
  uri: string;
  format: ExportFormat;
}

export interface ExportResult {
  uri: string;
  format: ExportFormat;
  entries: number;
  checks: number;
}

export interface ImportResult {
  ok: boolean;
  /** Why nothing was imported (ok false). */
  message?: string;
  addedEntries: number;
  addedChecks: number;
  duplicates: number;
  badRows: number;
  firstProblem?: string;
  droppedByLimits: number;
}

/** Largest file Import reads. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export function registerExportCommands(deps: { history: HistoryStore; tokens: TokenStore; profiles: Profiles; log: Log }): vscode.Disposable[] {
  const { history, tokens, profiles, log } = deps;

  /** Every stored token (one per profile): an export must contain none of them. */
  const storedTokens = async (): Promise<string[]> => {
    const found = await Promise.all(profiles.list().map((p) => tokens.get(tokenKey(p.name)).then(undefined, () => undefined)));
    return found.filter((t): t is string => typeof t === 'string');
  };

  /** Optional argument `{ uri, format }`: no prompt. Returns what was written, or undefined when dismissed or failed. */
  const exportHistory = async (arg?: Partial<ExportArgument>): Promise<ExportResult | undefined> => {
    try {
      const entries = history.entries;
      if (entries.length === 0 && !arg?.uri) {
        void vscode.window.showInformationMessage(vscode.l10n.t('The history is empty: nothing to export.'));
        return undefined;
      }
      const format = arg?.format === 'json' || arg?.format === 'csv' ? arg.format : arg?.uri ? formatOfPath(arg.uri) : await pickFormat();
      if (!format) return undefined;
      const uri = arg?.uri ? toUri(arg.uri) : await vscode.window.showSaveDialog({
        title: vscode.l10n.t('D7 OTP: Export History'),
        defaultUri: defaultExportUri(format),
        filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
        saveLabel: vscode.l10n.t('Export'),
      });
      if (!uri) return undefined;
      let text = format === 'csv' ? toCsv(entries) : toExportJson(entries);
      // History never holds a token; this is the second line of defence.
      for (const token of await storedTokens()) {
        if (text.includes(token)) log.warn('A stored API token appeared in the history export; it was replaced by ***.');
        text = redactToken(text, token);
      }
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
      const checks = entries.reduce((n, e) => n + e.checks.length, 0);
      log.info(`Exported ${entries.length} otp_ids (${checks} checks) as ${format.toUpperCase()} to ${uri.toString(true)}`);
      if (!arg?.uri) {
        const open = vscode.l10n.t('Open');
        void vscode.window
          .showInformationMessage(vscode.l10n.t('Exported {0} otp_ids ({1} checks) to {2}.', entries.length, checks, baseName(uri)), open)
          .then((choice) => {
            if (choice === open) void vscode.window.showTextDocument(uri);
          });
      }
      return { uri: uri.toString(), format, entries: entries.length, checks };
    } catch (error) {
      return fail(log, vscode.l10n.t('Could not export the history: {0}', message(error)));
    }
  };

  /** Optional argument `{ uri }`: no open dialog. Returns the counts (also for a refused file), or undefined when dismissed. */
  const importHistory = async (arg?: { uri?: string }): Promise<ImportResult | undefined> => {
    try {
      const uri = arg?.uri
        ? toUri(arg.uri)
        : (
            await vscode.window.showOpenDialog({
              title: vscode.l10n.t('D7 OTP: Import History'),
              canSelectMany: false,
              filters: { JSON: ['json'] },
              openLabel: vscode.l10n.t('Import'),
            })
          )?.[0];
      if (!uri) return undefined;
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.size > MAX_IMPORT_BYTES) {
        return refuse(log, vscode.l10n.t('{0} is larger than {1} MB; not imported.', baseName(uri), MAX_IMPORT_BYTES / 1024 / 1024));
      }
      const parsed = parseImport(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)));
      if (!parsed.ok) return refuse(log, vscode.l10n.t('{0} was not imported: {1}', baseName(uri), parsed.message));
      const stats = await history.importEntries(parsed.entries);
      const result: ImportResult = { ok: true, ...stats, badRows: parsed.badRows, ...(parsed.firstProblem ? { firstProblem: parsed.firstProblem } : {}) };
      log.info(
        `Imported ${baseName(uri)}: ${stats.addedEntries} new otp_ids, ${stats.addedChecks} checks added, ${stats.duplicates} duplicates skipped, ` +
          `${parsed.badRows} bad rows skipped${parsed.firstProblem ? ` (first: ${parsed.firstProblem})` : ''}, ${stats.droppedByLimits} not kept (history caps)`,
      );
      const parts = [vscode.l10n.t('Imported {0} new otp_ids and {1} checks.', stats.addedEntries, stats.addedChecks)];
      if (stats.duplicates) parts.push(vscode.l10n.t('{0} already in the history (skipped).', stats.duplicates));
      if (parsed.badRows) parts.push(vscode.l10n.t('{0} unreadable row(s) skipped; first: {1}.', parsed.badRows, parsed.firstProblem ?? ''));
      if (stats.droppedByLimits) {
        parts.push(vscode.l10n.t('{0} check(s) not kept because of d7otp.history.maxEntries / maxChecksPerEntry.', stats.droppedByLimits));
      }
      const problems = parsed.badRows > 0 || stats.droppedByLimits > 0;
      const showLog = vscode.l10n.t('Show Log');
      if (problems) void vscode.window.showWarningMessage(parts.join(' '), showLog).then((c) => c === showLog && log.show());
      else void vscode.window.showInformationMessage(parts.join(' '));
      return result;
    } catch (error) {
      return fail(log, vscode.l10n.t('Could not import the history: {0}', message(error)));
    }
  };

  return [
    vscode.commands.registerCommand(Commands.historyExport, exportHistory),
    vscode.commands.registerCommand(Commands.historyImport, importHistory),
  ];
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'JSON', description: vscode.l10n.t('every field; Import History reads it back'), format: 'json' },
    { label: 'CSV', description: vscode.l10n.t('one row per check, for spreadsheets'), format: 'csv' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('D7 OTP: Export History'), placeHolder: vscode.l10n.t('Format') });
  return picked?.format;
}

function defaultExportUri(format: ExportFormat): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `d7-otp-history-${new Date().toISOString().slice(0, 10)}.${format}`;
  return folder ? vscode.Uri.joinPath(folder, name) : undefined;
}

/** A URI string (`file:///…`, `vscode-userdata:…`) or a file system path (`/tmp/x.json`, `C:\x.json`). */
function toUri(value: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
}

function formatOfPath(value: string): ExportFormat {
  return /\.csv$/i.test(value) ? 'csv' : 'json';
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.toString(true);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function fail(log: Log, text: string): undefined {
  log.error(text);
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(text, showLog).then((c) => c === showLog && log.show());
  return undefined;
}

function refuse(log: Log, text: string): ImportResult {
  log.warn(text);
  void vscode.window.showErrorMessage(text);
  return { ok: false, message: text, addedEntries: 0, addedChecks: 0, duplicates: 0, badRows: 0, droppedByLimits: 0 };
}
