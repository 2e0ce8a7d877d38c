/** The history feature: the view, its item actions (copy as curl / Markdown / link too), Open as JSON, Settings Sync, and the caps when they change. */
import { Settings } from '../../constants';
import { Disposable } from '../../core/lifecycle';
import type { Services } from '../../services/services';
import { HistoryCommands } from './historyCommands';
import { HistoryDocument } from './historyDocument';
import { HistorySync } from './historySync';
import { ShareCommands } from './shareCommands';
import { HistoryView, type WatchState } from './historyView';

export class HistoryFeature extends Disposable {
  readonly view: HistoryView;

  constructor(s: Services, watches: WatchState) {
    super();
    this.view = this.register(new HistoryView(s, watches));
    this.register(new HistoryCommands(s));
    this.register(new HistoryDocument(s));
    this.register(new HistorySync(s));
    this.register(new ShareCommands(s));
    this.register(
      s.config.onDidChange((e) => {
        if (s.config.affects(e, Settings.historyMaxEntries, Settings.historyMaxChecksPerEntry)) void s.history.enforceLimits();
      }),
    );
  }
}
