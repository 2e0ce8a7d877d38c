/**
 * Wiring only: builds the stores, the client, the tree and the commands, registers every disposable, and
 * returns the public API. Nothing here awaits I/O or the network before the commands are registered.
 */
import * as vscode from 'vscode';
import { registerExportCommands } from './commands/export';
import { registerHistoryCommands } from './commands/history';
import { registerLabelCommands } from './commands/label';
import { registerStatusCommands } from './commands/status';
import { registerTokenCommands } from './commands/token';
import { registerTokenInfoCommand } from './commands/tokenInfo';
import { registerVerifyFlowCommands, VerifyFlow } from './commands/verifyFlow';
import { registerWatchCommands } from './commands/watch';
import * as config from './config';
import { Commands, ContextKeys, Settings, StorageKeys, Views } from './constants';
import { D7VerifyClient, type FetchLike, type SendOtpParams } from './core/client';
import type { Event } from './core/events';
import type { HistoryEntry, StatusCheck } from './core/types';
import { registerBulkCommands } from './editor/bulk';
import { registerEditorContextMenu } from './editor/contextMenu';
import { registerHover } from './editor/hover';
import { createLog } from './log';
import { Lookups, type StatusChange } from './lookups';
import { registerProfileCommands } from './profiles/commands';
import { Profiles, tokenKey } from './profiles/profiles';
import { HistoryStore } from './stores/historyStore';
import { registerHistorySync } from './stores/historySync';
import { TokenStore } from './stores/tokenStore';
import { HistoryTreeProvider, type HistoryNode } from './tree/historyTree';
import { registerHistoryDocument } from './views/historyDocument';
import { WatchManager } from './watch/watchManager';

/** What `activate()` returns; see the README ("Public API"). */
export interface D7OtpInspectorApi {
  /** Does what the palette command does with this otp_id, history included; resolves with the recorded check, never rejects. */
  checkStatus(otpId: string): Promise<StatusCheck>;
  /** The history, newest first. */
  getHistory(): readonly HistoryEntry[];
  /** Fires after the history changed. */
  readonly onDidChangeHistory: Event<void>;
  /** Polls an otp_id until its status is terminal (see D7 OTP: Watch Status); dispose to stop. Throws when it cannot start. */
  watch(otpId: string): { dispose(): void };
  /** Fires when a recorded status differs from the previous one of that otp_id (any source: palette, watch, verify). */
  readonly onDidChangeStatus: Event<StatusChange>;
  /** Sends an OTP (no confirmation: the caller decides) and records it; never rejects. */
  sendOtp(params: SendOtpParams): Promise<StatusCheck>;
  /** Resends an OTP; resolves with the record of the returned otp_id (or the refusal); never rejects. */
  resendOtp(otpId: string): Promise<StatusCheck>;
  /** Verifies a code; resolves with the record (APPROVED, FAILED, … or INVALID_OTP_CODE); never rejects. */
  verifyOtp(otpId: string, code: string): Promise<StatusCheck>;
  /** Not a stable API: for the project's own tests and benchmarks. */
  readonly internals: {
    readonly tree: HistoryTreeProvider;
    readonly history: HistoryStore;
    readonly watches: WatchManager;
    readonly profiles: Profiles;
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
  const profiles = new Profiles(context.globalState);
  const tokens = new TokenStore(context.secrets, () => tokenKey(profiles.active().name));
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
    baseUrl: () => profiles.active().baseUrl,
    token: () => tokens.get(),
    timeoutMs: config.requestTimeoutMs,
    maxRetries: config.maxRetries,
    userAgent: `d7-otp-inspector/${version} vscode/${vscode.version}`,
    log: (entry) => log.request(entry),
  });
  // The tree reads watches through this late-bound lookup: the manager needs the lookups, which need the tree's reveal.
  const late: { watches?: WatchManager } = {};
  const filtered = () => context.globalState.get<boolean>(StorageKeys.historyFilter) === true;
  const tree = new HistoryTreeProvider(history, { get: (otpId) => late.watches?.get(otpId) }, () =>
    filtered() ? profiles.active().name : undefined,
  );
  const view = vscode.window.createTreeView<HistoryNode>(Views.history, { treeDataProvider: tree, showCollapseAll: true });
  const reveal = (otpId: string, force = false) => {
    if (!view.visible && !force) return;
    const node = tree.entryNode(otpId);
    if (node) void Promise.resolve(view.reveal(node, { select: true, focus: force })).then(undefined, () => undefined);
  };
  const lookups = new Lookups({ client, history, tokens, log, reveal, profile: () => profiles.active().name });
  const watchManager = new WatchManager(lookups, context.globalState, log);
  late.watches = watchManager;
  const flow = new VerifyFlow({ client, lookups, history, profiles, watches: watchManager, globalState: context.globalState });

  // The active profile: in the view's description and in the status bar (click to switch).
  const profileItem = vscode.window.createStatusBarItem('d7otp.profile', vscode.StatusBarAlignment.Left, 49);
  profileItem.name = vscode.l10n.t('D7 OTP Profile');
  profileItem.command = Commands.switchProfile;
  const showProfile = () => {
    const active = profiles.active();
    view.description = filtered() ? vscode.l10n.t('{0} (only its entries)', active.name) : active.name;
    void vscode.commands.executeCommand('setContext', ContextKeys.filteredByProfile, filtered());
    profileItem.text = `$(key) D7: ${active.name}`;
    profileItem.tooltip = vscode.l10n.t('D7 OTP Inspector profile {0} ({1}). Click to switch.', active.name, active.baseUrl);
    profileItem.show();
  };

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

  // Elapsed watch times tick while something is watched and the view is visible.
  let watchTicker: ReturnType<typeof setInterval> | undefined;
  const tickWatches = () => {
    const wanted = view.visible && watchManager.count > 0;
    if (wanted && !watchTicker) watchTicker = setInterval(() => tree.refresh(), 1000);
    if (!wanted && watchTicker) {
      clearInterval(watchTicker);
      watchTicker = undefined;
    }
  };

  context.subscriptions.push(
    log,
    profiles,
    tokens,
    history,
    tree,
    view,
    lookups,
    watchManager,
    profileItem,
    ...registerTokenCommands({ tokens, log }),
    ...registerStatusCommands({ lookups, history }),
    ...registerHistoryCommands({ history }),
    ...registerWatchCommands({ watches: watchManager }),
    ...registerProfileCommands({ profiles, tokens, log }),
    ...registerVerifyFlowCommands(flow, { history }),
    ...registerBulkCommands({ lookups, tokens }),
    ...registerHover({ history }),
    ...registerEditorContextMenu(),
    ...registerHistoryDocument({ history }),
    ...registerExportCommands({ history, tokens, profiles, log }),
    ...registerLabelCommands({ history }),
    ...registerHistorySync(context.globalState),
    ...registerTokenInfoCommand({ tokens, profile: () => profiles.active().name }),
    vscode.commands.registerCommand(Commands.showLog, () => log.show()),
    ...[Commands.historyFilterByProfile, Commands.historyShowAllProfiles].map((command) =>
      vscode.commands.registerCommand(command, async () => {
        await context.globalState.update(StorageKeys.historyFilter, command === Commands.historyFilterByProfile ? true : undefined);
        showProfile();
        tree.refresh();
      }),
    ),
    vscode.commands.registerCommand(Commands.historyReveal, async (otpId?: unknown) => {
      if (typeof otpId !== 'string') return;
      await vscode.commands.executeCommand(Commands.focusView);
      reveal(otpId, true);
    }),
    history.onDidChange(updateHistoryContext),
    watchManager.scheduler.onDidChange(() => {
      tree.refresh();
      tickWatches();
    }),
    profiles.onDidChange(() => {
      showProfile();
      if (filtered()) tree.refresh();
      void tokens.updateContext();
    }),
    view.onDidChangeVisibility(() => {
      history.reload(); // another window may have written meanwhile
      tick();
      tickWatches();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (config.affects(e, Settings.historyMaxEntries) || config.affects(e, Settings.historyMaxChecksPerEntry)) {
        void history.enforceLimits();
      }
    }),
    { dispose: () => ticker && clearInterval(ticker) },
    { dispose: () => watchTicker && clearInterval(watchTicker) },
  );

  // Context keys are set without holding up activation.
  void tokens.updateContext();
  setTimeout(updateHistoryContext, 0);
  tick();
  showProfile();
  watchManager.restore();

  const activationMs = performance.now() - started;
  return {
    checkStatus: (otpId: string) => lookups.check(otpId, { interactive: false }),
    getHistory: () => history.entries,
    onDidChangeHistory: history.onDidChange,
    watch: (otpId: string) => {
      const started = watchManager.watch(otpId);
      if (!started.ok) throw new Error(started.message);
      return { dispose: () => void watchManager.stop(otpId) };
    },
    onDidChangeStatus: lookups.onDidChangeStatus,
    sendOtp: (params: SendOtpParams) => neverReject(flow.send(params, true), '', 'send', log),
    resendOtp: (otpId: string) => neverReject(flow.resend(otpId, true), otpId, 'resend', log),
    verifyOtp: (otpId: string, code: string) => neverReject(flow.verify(otpId, code, true), otpId, 'verify', log),
    internals: { tree, history, watches: watchManager, profiles, globalState: context.globalState, logLines: () => log.recent(), activationMs },
  };
}

/** The API's promise contract: an unexpected failure becomes a record, never a rejection. */
function neverReject(call: Promise<StatusCheck>, otpId: string, operation: 'send' | 'resend' | 'verify', log: { error(m: string): void }): Promise<StatusCheck> {
  return call.catch((error: unknown) => {
    log.error(`Unexpected failure in ${operation}: ${String(error)}`);
    return {
      otpId: typeof otpId === 'string' ? otpId : '',
      checkedAt: new Date().toISOString(),
      ok: false,
      durationMs: 0,
      operation,
      error: { kind: 'bad-response' as const, message: 'Unexpected internal error; see the log.' },
    };
  });
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
