/** What Export History (JSON or CSV), Import History (JSON, validated and merged) and their commands do; ExportImportFeature loads it on first use (dist/chunks/). */
import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { isRecord } from '../../core/json';
import { parseImport, toCsv, toExportJson } from '../../core/history/exportFormat';
import { countChecks } from '../../core/history/model';
import { inert } from '../../core/text';
import { redactToken } from '../../core/token';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { SetAsideRestore } from './restore';

type ExportFormat = 'json' | 'csv';

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
  /** Checks the caps had no room for: set aside (see `setAside`), the user's own entries kept. */
  droppedByLimits: number;
  /** The set-aside holding them (D7 OTP: Restore Set-Aside History, argument `{ id }`). */
  setAside?: string;
  /** Rows after the first 100,000 of the file, not read. */
  notRead: number;
}

/** Largest file Import reads. */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export class ExportImportCommands {
  private readonly restore: SetAsideRestore;

  constructor(private readonly s: Services) {
    this.restore = new SetAsideRestore(s);
  }

  /** historyExport (ExportImportFeature registers it; see there for the argument). */
  historyExport(arg: unknown): Promise<unknown> {
    return this.guard(
      () => this.export(arg),
      (why) => vscode.l10n.t('Could not export the history: {0}', why),
    );
  }

  /** historyImport (ExportImportFeature registers it; see there for the argument). */
  historyImport(arg: unknown): Promise<unknown> {
    return this.guard(
      () => this.import(arg),
      (why) => vscode.l10n.t('Could not import the history: {0}', why),
    );
  }

  /** historyRestoreSetAside (ExportImportFeature registers it; see there for the argument). */
  historyRestoreSetAside(arg: unknown): Promise<unknown> {
    return this.guard(
      () => this.restore.run(arg),
      (why) => vscode.l10n.t('Could not restore the set-aside history: {0}', why),
    );
  }

  private async export(arg: unknown): Promise<ExportResult | undefined> {
    const entries = this.s.history.entries;
    const given = isRecord(arg) && typeof arg.uri === 'string' ? arg.uri : undefined;
    if (entries.length === 0 && !given) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The history is empty: nothing to export.'));
      return undefined;
    }
    const asked = isRecord(arg) && (arg.format === 'json' || arg.format === 'csv') ? arg.format : undefined;
    const format = asked ?? (given ? formatOfPath(given) : await pickFormat());
    if (!format) return undefined;
    const uri = given ? toUri(given) : await saveDialog(format);
    if (!uri) return undefined;
    const recipients = this.s.config.showPhoneNumbers ? 'shown' : 'masked';
    let text = format === 'csv' ? toCsv(entries, recipients) : toExportJson(entries, new Date(), recipients);
    // History never holds a token; this is the second line of defence.
    for (const token of await this.s.tokens.every()) {
      if (text.includes(token)) this.s.log.warn('A stored API token appeared in the history export; it was replaced by ***.');
      text = redactToken(text, token);
    }
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    const checks = countChecks(entries);
    this.s.log.info(`Exported ${entries.length} otp_ids (${checks} checks) as ${format.toUpperCase()} to ${uri.toString(true)}`);
    if (!given) {
      const open = vscode.l10n.t('Open');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Exported {0} otp_ids ({1} checks) to {2}.', entries.length, checks, baseName(uri)), open)
        .then((choice) => choice === open && void vscode.window.showTextDocument(uri));
    }
    return { uri: uri.toString(), format, entries: entries.length, checks };
  }

  private async import(arg: unknown): Promise<ImportResult | undefined> {
    const given = isRecord(arg) && typeof arg.uri === 'string' ? arg.uri : undefined;
    const uri = given ? toUri(given) : await openDialog();
    if (!uri) return undefined;
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_IMPORT_BYTES) {
      return this.refuse(vscode.l10n.t('{0} is larger than {1} MB; not imported.', baseName(uri), MAX_IMPORT_BYTES / 1024 / 1024));
    }
    const parsed = await parseImport(new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri)));
    if (!parsed.ok) return this.refuse(vscode.l10n.t('{0} was not imported: {1}', baseName(uri), localized(parsed.message)));
    const stats = await this.s.history.importEntries(parsed.entries);
    const firstProblem = parsed.firstProblem && localized(parsed.firstProblem);
    const result: ImportResult = { ok: true, ...stats, badRows: parsed.badRows, notRead: parsed.notRead, ...(firstProblem ? { firstProblem } : {}) };
    this.s.log.info(
      `Imported ${baseName(uri)}: ${stats.addedEntries} new otp_ids, ${stats.addedChecks} checks added, ${stats.duplicates} duplicates skipped, ` +
        `${parsed.badRows} bad rows skipped${firstProblem ? ` (first: ${firstProblem})` : ''}, ${parsed.notRead} rows not read (over the cap), ` +
        `${stats.droppedByLimits} set aside (history caps${stats.setAside ? `: ${stats.setAside}` : ''})`,
    );
    this.tell(result, parsed.badRows > 0 ? firstProblem : undefined);
    return result;
  }

  private tell(result: ImportResult, firstProblem: string | undefined): void {
    const parts = [vscode.l10n.t('Imported {0} new otp_ids and {1} checks.', result.addedEntries, result.addedChecks)];
    if (result.duplicates) parts.push(vscode.l10n.t('{0} already in the history (skipped).', result.duplicates));
    if (result.badRows) parts.push(vscode.l10n.t('{0} unreadable row(s) skipped; first: {1}.', result.badRows, firstProblem ?? ''));
    if (result.notRead) {
      parts.push(vscode.l10n.t('{0} row(s) after the first 100,000 of the file were not read; split the file to import them.', result.notRead));
    }
    if (result.droppedByLimits) {
      parts.push(
        vscode.l10n.t(
          '{0} imported check(s) did not fit under d7otp.history.maxEntries / maxChecksPerEntry and were set aside; your own entries were kept.',
          result.droppedByLimits,
        ),
      );
    }
    const showLog = vscode.l10n.t('Show Log');
    const restore = vscode.l10n.t('Restore…');
    if (result.badRows > 0 || result.droppedByLimits > 0 || result.notRead > 0) {
      const buttons = result.setAside ? [restore, showLog] : [showLog];
      void vscode.window.showWarningMessage(parts.join(' '), ...buttons).then((c) => {
        if (c === showLog) this.s.log.show();
        if (c === restore) void vscode.commands.executeCommand(Commands.historyRestoreSetAside, { id: result.setAside });
      });
    } else void vscode.window.showInformationMessage(parts.join(' '));
  }

  /** The command boundary: a failure is logged and shown once, never thrown. */
  private async guard<T>(run: () => Promise<T>, failed: (why: string) => string): Promise<T | undefined> {
    try {
      return await run();
    } catch (error) {
      const text = failed(inert(error instanceof Error ? error.message : String(error), 300));
      this.s.log.error(text);
      const showLog = vscode.l10n.t('Show Log');
      void vscode.window.showErrorMessage(text, showLog).then((c) => c === showLog && this.s.log.show());
      return undefined;
    }
  }

  private refuse(text: string): ImportResult {
    this.s.log.warn(text);
    void vscode.window.showErrorMessage(text);
    return { ok: false, message: text, addedEntries: 0, addedChecks: 0, duplicates: 0, badRows: 0, droppedByLimits: 0, notRead: 0 };
  }
}

async function pickFormat(): Promise<ExportFormat | undefined> {
  const items: (vscode.QuickPickItem & { format: ExportFormat })[] = [
    { label: 'JSON', description: vscode.l10n.t('every field; Import History reads it back'), format: 'json' },
    { label: 'CSV', description: vscode.l10n.t('one row per check, for spreadsheets'), format: 'csv' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('D7 OTP: Export History'), placeHolder: vscode.l10n.t('Format') });
  return picked?.format;
}

function saveDialog(format: ExportFormat): Thenable<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `d7-otp-history-${new Date().toISOString().slice(0, 10)}.${format}`;
  return vscode.window.showSaveDialog({
    title: vscode.l10n.t('D7 OTP: Export History'),
    defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: vscode.l10n.t('Export'),
  });
}

async function openDialog(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('D7 OTP: Import History'),
    canSelectMany: false,
    filters: { JSON: ['json'] },
    openLabel: vscode.l10n.t('Import'),
  });
  return picked?.[0];
}

/** A URI string (`file:///…`, `vscode-userdata:…`) or a file system path (`/tmp/x.json`, `C:\x.json`). */
function toUri(value: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(value) ? vscode.Uri.parse(value, true) : vscode.Uri.file(value);
}

function formatOfPath(value: string): ExportFormat {
  return /\.csv$/i.test(value) ? 'csv' : 'json';
}

/** A file's name as messages may show it: one inert line (on Linux and macOS a name may hold `[x](command:…)`). */
function baseName(uri: vscode.Uri): string {
  return inert(uri.path.split('/').pop() || uri.toString(true), 120);
}
