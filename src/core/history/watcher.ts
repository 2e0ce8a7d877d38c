/**
 * How a window learns of other windows' writes: the logs folder is watched (an append shows within a few
 * milliseconds), with a poll besides (a folder on a disk that sends no events, and the globalState copy, which
 * Settings Sync changes without telling). Reads run one at a time; a request meanwhile reads again after.
 * No `vscode` import.
 */
import type { IDisposable } from '../lifecycle';

export interface WatcherOptions {
  /** Starts watching; calls back on each change (undefined where watching is not possible). */
  watch: (onChange: () => void) => IDisposable | undefined;
  /** Reads what other windows wrote; true when something changed. */
  read: () => Promise<boolean>;
  /** What a poll does (a read, and a look at the synced copy). */
  poll: () => Promise<void>;
  pollMs: number;
  changed: () => void;
}

export class OthersWatcher implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly o: WatcherOptions) {
    const watcher = o.watch(() => this.soon());
    if (watcher) this.owned.push(watcher);
    if (o.pollMs > 0) {
      const poll = setInterval(() => void o.poll().catch(() => undefined), o.pollMs);
      poll.unref();
      this.owned.push({ dispose: () => clearInterval(poll) });
    }
  }

  /** Reads other windows' new operations; resolves once read (and merged). */
  read(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.readAgain = false;
        if (await this.o.read().catch(() => false)) this.o.changed();
      } while (this.readAgain);
    })().finally(() => (this.reading = undefined));
    return this.reading;
  }

  /** Resolves once a read that is running has finished. */
  async settled(): Promise<void> {
    while (this.reading) await this.reading;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const d of this.owned.splice(0)) d.dispose();
  }

  /** A burst of file events becomes one read. */
  private soon(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.read();
    }, 20);
  }
}
