/**
 * Export History (JSON or CSV), Import History (JSON, validated and merged) and the commands beside them. Their
 * work — dialogs, the formats, the merge (exportImportCommands.ts) — is loaded from dist/chunks/ on first use.
 */
import { Commands } from '../../constants';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { ExportImportCommands } from './exportImportCommands';

export type { ExportResult, ImportResult } from './exportImportCommands';

export class ExportImportFeature extends Feature {
  private loaded?: Promise<ExportImportCommands>;

  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      /** Optional argument `{ uri, format }`: no prompt. Returns what was written, or undefined when dismissed or failed. */
      [Commands.historyExport]: async (arg?: unknown) => (await this.commands()).historyExport(arg),
      /** Optional argument `{ uri }`: no open dialog. Returns the counts (also for a refused file), or undefined when dismissed. */
      [Commands.historyImport]: async (arg?: unknown) => (await this.commands()).historyImport(arg),
      /** Optional argument `{ id, raiseLimits }`: no prompt. Returns the counts, or undefined when dismissed. */
      [Commands.historyRestoreSetAside]: async (arg?: unknown) => (await this.commands()).historyRestoreSetAside(arg),
    });
  }

  private commands(): Promise<ExportImportCommands> {
    this.loaded ??= import('./exportImportCommands').then(({ ExportImportCommands }) => new ExportImportCommands(this.s));
    return this.loaded;
  }
}
