/** What `activate()` returns to other extensions (and this project's tests): see the README, "Public API". */
import type * as vscode from 'vscode';
import type { HistoryEntry, StatusCheck } from './core/check';
import type { SendOtpParams } from './core/client/request';
import type { Event } from './core/events';
import type { StatusChange } from './core/history/recorder';
import type { HistoryStore } from './core/history/store';
import type { AgentToolsFeature } from './features/agentTools/agentToolsFeature';
import type { HistoryTreeProvider } from './features/history/treeProvider';
import type { LastCheckLine } from './features/lookup/lastCheckLine';
import type { Lookups } from './features/lookup/lookups';
import type { TerminalFeature } from './features/terminal/terminalFeature';
import type { UriHandlerFeature } from './features/uriHandler/uriHandlerFeature';
import type { VerifyService } from './features/verify/verifyService';
import type { WatchFeature } from './features/watch/watchFeature';
import type { Config } from './config';
import type { Profiles } from './services/profiles';
import type { Services } from './services/services';

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
  /** Not a stable API, and absent in production: for the project's own tests and benchmarks. */
  readonly internals?: Internals;
}

/** The parts the project's tests and benchmark reach into (Development and Test modes only). */
export interface Internals {
  readonly tree: HistoryTreeProvider;
  readonly history: HistoryStore;
  readonly watches: WatchFeature;
  readonly profiles: Profiles;
  readonly config: Config;
  /** globalState: the synced copy of the history (and an older version's history, migrated at load). */
  readonly globalState: vscode.Memento;
  /** The history's folder (snapshot, logs, set-asides). */
  readonly historyDir: string;
  logLines(): readonly string[];
  /** Milliseconds `activate()` took, measured with performance.now(). */
  readonly activationMs: number;
  /** The terminal link provider, the URI handler and the agent tools as registered (issue 14's tests drive them). */
  readonly terminal: TerminalFeature;
  readonly links: UriHandlerFeature;
  readonly tools: AgentToolsFeature;
  /** What the last-check line in the status bar shows now (undefined while it is hidden). */
  statusLine(): string | undefined;
}

export interface ApiParts {
  services: Services;
  lookups: Lookups;
  watches: WatchFeature;
  verify: VerifyService;
  tree: HistoryTreeProvider;
  terminal: TerminalFeature;
  links: UriHandlerFeature;
  tools: AgentToolsFeature;
  statusLine: LastCheckLine;
}

export function createApi(parts: ApiParts, internals: boolean, activationMs: number): D7OtpInspectorApi {
  const { services, lookups, watches, verify } = parts;
  const api: D7OtpInspectorApi = {
    checkStatus: (otpId) => lookups.check(otpId, false),
    getHistory: () => services.history.entries,
    onDidChangeHistory: services.history.onDidChange,
    watch: (otpId) => {
      const started = watches.watch(otpId);
      if (!started.ok) throw new Error(started.message);
      return { dispose: () => void watches.stop(started.otpId) };
    },
    onDidChangeStatus: services.recorder.onDidChangeStatus,
    sendOtp: (params) => verify.send(params, true),
    resendOtp: (otpId) => verify.resend(otpId, true),
    verifyOtp: (otpId, code) => verify.verify(otpId, code, true),
  };
  if (!internals) return api;
  const { history, profiles, config, context, log } = services;
  const { tree, terminal, links, tools, statusLine } = parts;
  return {
    ...api,
    internals: {
      tree,
      history,
      watches,
      profiles,
      config,
      globalState: context.globalState,
      historyDir: services.historyDir,
      logLines: () => log.recent(),
      activationMs,
      terminal,
      links,
      tools,
      statusLine: () => statusLine.shown,
    },
  };
}
