/** Tree-item and view-title actions on the history: copy id, copy JSON, remove, clear, set label. The commands' work (historyCommandsWork.ts) is loaded from dist/chunks/ on first use. */
import { Commands } from '../../constants';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { HistoryCommandsWork } from './historyCommandsWork';

export class HistoryCommands extends Feature {
  private loaded?: Promise<HistoryCommandsWork>;

  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      [Commands.historyCopyId]: async (arg?: unknown) => (await this.work()).copyId(arg),
      /** Copies the response body (of a check node, or an entry's latest check) as pretty JSON. */
      [Commands.historyCopyJson]: async (arg?: unknown) => (await this.work()).copyJson(arg),
      [Commands.historyRemove]: async (arg?: unknown) => (await this.work()).remove(arg),
      /** Asks first; the argument `{ confirm: false }` skips the question (scripts, tests). Returns true when cleared. */
      [Commands.historyClear]: async (arg?: unknown) => (await this.work()).clear(arg),
      /**
       * Arguments: an otp_id or a tree node, then optionally the label ('' removes it; then no prompt).
       * Returns the entry's label afterwards ('' for none), or undefined when dismissed or not in the history.
       */
      [Commands.historySetLabel]: async (arg?: unknown, label?: unknown) => (await this.work()).setLabel(arg, label),
    });
  }

  private work(): Promise<HistoryCommandsWork> {
    this.loaded ??= import('./historyCommandsWork').then(({ HistoryCommandsWork }) => new HistoryCommandsWork(this.s));
    return this.loaded;
  }
}
