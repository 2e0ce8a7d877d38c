/**
 * Settings Sync of the history: with `d7otp.history.sync` on, the history's globalState key is synced to the
 * user's other machines (`setKeysForSync`); off, nothing is. The token lives in SecretStorage, which never syncs.
 */
import { Settings, StorageKeys } from '../../constants';
import { Disposable } from '../../core/lifecycle';
import type { Services } from '../../services/services';

export class HistorySync extends Disposable {
  constructor(private readonly s: Services) {
    super();
    this.apply();
    this.register(
      s.config.onDidChange((e) => {
        if (s.config.affects(e, Settings.historySync)) this.apply();
      }),
    );
  }

  private apply(): void {
    this.s.context.globalState.setKeysForSync(this.s.config.historySync ? [StorageKeys.history] : []);
  }
}
