/**
 * Settings Sync of the history: with `d7otp.history.sync` on, the store keeps a bounded copy of the history in its
 * globalState key and VS Code syncs that key to the user's other machines (`setKeysForSync`); off, nothing is
 * synced and the key is emptied. The token lives in SecretStorage, which never syncs. See docs/STORAGE.md.
 */
import { Settings, StorageKeys } from '../../constants';
import { Disposable, onNextTurn } from '../../core/lifecycle';
import type { Services } from '../../services/services';

export class HistorySync extends Disposable {
  constructor(private readonly s: Services) {
    super();
    // Told to VS Code just after activation: nothing syncs before then anyway.
    this.register(onNextTurn(() => this.apply()));
    this.register(
      s.config.onDidChange((e) => {
        if (!s.config.affects(e, Settings.historySync)) return;
        this.apply();
        void s.history.syncChanged().catch((error: unknown) => s.log.warn(`Settings Sync of the history: ${String(error)}`));
      }),
    );
  }

  private apply(): void {
    this.s.context.globalState.setKeysForSync(this.s.config.historySync ? [StorageKeys.history] : []);
  }
}
