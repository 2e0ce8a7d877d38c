/** What a history store is built with, and what an import tells. No `vscode` import. */
import type { Message } from '../messages';
import type { HistoryFs } from './files';
import type { ImportStats } from './importPlan';
import type { HistoryLimits } from './model';
import type { MementoLike } from './syncedCopy';

export interface HistoryStoreOptions {
  /** The history folder (`<globalStorage>/history`). */
  dir: string;
  fs?: HistoryFs;
  /** globalState: the key of the synced copy (and of an older version's history), and an older version's backup key. */
  memento: MementoLike;
  key: string;
  backupKey: string;
  limits: () => HistoryLimits;
  /** Whether the copy for Settings Sync is kept (`d7otp.history.sync`). */
  sync?: () => boolean;
  /** Told once per set-aside of unreadable data. */
  warn: (message: Message) => void;
  now?: () => number;
  /** This process's id (a log's name holds it, so a compaction knows whether its window is gone). */
  pid?: number;
  alive?: (pid: number) => boolean;
  /** How often (ms) to look for other windows' writes and a synced copy besides file events; 0: never. */
  pollMs?: number;
  /** Own operations after which this window compacts. */
  compactAfter?: number;
  /** How long (ms) after a change the synced copy is written. */
  copyDelayMs?: number;
}

export interface ImportResult extends ImportStats {
  /** The set-aside of what the caps had no room for (restore it with `restore`). */
  setAside?: string;
}
