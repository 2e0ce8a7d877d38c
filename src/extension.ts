/**
 * Wiring only: builds the stores, the client, the tree and the commands, registers every disposable, and
 * returns the public API. Nothing here awaits I/O or the network before the commands are registered.
 */
import * as vscode from 'vscode';
import { registerHistoryCommands } from './commands/history';
import { registerStatusCommands } from './commands/status';
import { registerTokenCommands } from './commands/token';
import * as config from './config';
import { Commands, ContextKeys, Settings, StorageKeys, Views } from './constants';
import { D7VerifyClient, type FetchLike } from './core/client';
import type { Event } from './core/events';
import type { HistoryEntry, StatusCheck } from './core/types';
import { createLog } from './log';
import { Lookups } from './lookups';
import { HistoryStore } from './stores/historyStore';
import { TokenStore } from './stores/tokenStore';
import { EntryNode, HistoryTreeProvider, type HistoryNode } from './tree/historyTree';

/** What `activate()` returns; see the README ("Public API"). */
export interface D7OtpInspectorApi {
  /** Does what the palette command does with this otp_id, history included; resolves with the recorded check, never rejects. */
  checkStatus(otpId: string): Promise<StatusCheck>;
  /** The history, newest first. */
  getHistory(): readonly HistoryEntry[];
  /** Fires after the history changed. */
  readonly onDidChangeHistory: Event<void>;
  /** Not a stable API: for the project's own tests and benchmarks. */
  readonly internals: {
    readonly tree: HistoryTreeProvider;
    readonly history: HistoryStore;
    /** The Memento history is stored in (globalState). */
    readonly globalState: vscode.Memento;
    logLines(): readonly string[];
    /** Milliseconds `activate()` took, measured with performance.now(). */
    readonly activationMs: number;
  };
}

export function activate(context: vscode.ExtensionContext): D7OtpInspectorApi {
  const started = performance.now();
  const log = createLog();
  const tokens = new TokenStore(context.secrets);
  const history = new HistoryStore({
    memento: context.globalState,
    key: StorageKeys.history,
    backupKey: StorageKeys.historyBackup,
    limits: config.historyLimits,
    warn: (message) => log.warn(message),
  });
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '0');
  const client = new D7VerifyClient({
    // node-fetch is loaded on the first request, not at activation.
    fetch: async () => (await import('node-fetch')).default as unknown as FetchLike,
    baseUrl: config.baseUrl,
    token: () => tokens.get(),
    timeoutMs: config.requestTimeoutMs,
    maxRetries: config.maxRetries,
    userAgent: `d7-otp-inspector/${version} vscode/${vscode.version}`,
    log: (entry) => log.request(entry),
  });
  const tree = new HistoryTreeProvider(history);
  const view = vscode.window.createTreeView<HistoryNode>(Views.history, { treeDataProvider: tree, showCollapseAll: true });
  const reveal = (otpId: string) => {
    if (!view.visible) return;
    const entry = history.find(otpId);
    if (entry) void Promise.resolve(view.reveal(new EntryNode(entry), { select: true, focus: false })).then(undefined, () => undefined);
  };
  const lookups = new Lookups({ client, history, tokens, log, reveal });

  const updateHistoryContext = () =>
    void vscode.commands.executeCommand('setContext', ContextKeys.hasHistory, history.entries.length > 0);

  // Relative times in descriptions go stale: redraw once a minute while the view is visible.
  let ticker: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    if (view.visible && !ticker) ticker = setInterval(() => tree.refresh(), 60_000);
    if (!view.visible && ticker) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  context.subscriptions.push(
    log,
    tokens,
    history,
    tree,
    view,
    ...registerTokenCommands({ tokens, log }),
    ...registerStatusCommands({ lookups, history }),
    ...registerHistoryCommands({ history }),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    history.onDidChange(updateHistoryContext),
    view.onDidChangeVisibility(() => {
      history.reload(); // another window may have written meanwhile
      tick();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (config.affects(e, Settings.historyMaxEntries) || config.affects(e, Settings.historyMaxChecksPerEntry)) {
        void history.enforceLimits();
      }
    }),
    { dispose: () => ticker && clearInterval(ticker) },
  );

  // Context keys are set without holding up activation.
  void tokens.updateContext();
  setTimeout(updateHistoryContext, 0);
  tick();

  const activationMs = performance.now() - started;
  return {
    checkStatus: (otpId: string) => lookups.check(otpId, { interactive: false }),
    getHistory: () => history.entries,
    onDidChangeHistory: history.onDidChange,
    internals: { tree, history, globalState: context.globalState, logLines: () => log.recent(), activationMs },
  };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
