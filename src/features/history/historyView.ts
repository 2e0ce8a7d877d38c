/**
 * The "OTP Status" view: the tree, its description (the active profile, the filter), the clock that keeps relative
 * times and watch times current, the profile filter, and revealing what was just recorded.
 */
import { clockTime, localDateTime } from '../../ui/time';
import * as vscode from 'vscode';
import { Commands, ContextKeys, StorageKeys, Views } from '../../constants';
import type { Event } from '../../core/events';
import type { OtpId } from '../../core/otpId';
import { Feature } from '../feature';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import type { HistoryNode } from './nodes';
import { HistoryTreeProvider } from './treeProvider';
import { Ticker } from './ticker';
import { otpIdArg } from '../../core/args';
import { Throttle } from '../../core/throttle';
import { onNextTurn } from '../../core/lifecycle';

/** What the view shows of the watches. */
export interface WatchState {
  startedAt(otpId: OtpId): number | undefined;
  readonly count: number;
  readonly onDidChange: Event<void>;
}

const MINUTE = 60_000;
const SECOND = 1000;
/** Changes of the history (a bulk run: one per check) refresh the tree at most this often. */
const REFRESH_MS = 100;

export class HistoryView extends Feature {
  readonly tree: HistoryTreeProvider;
  private readonly view: vscode.TreeView<HistoryNode>;
  private readonly ticker = this.register(new Ticker(() => this.tree.refresh()));
  private readonly changes = this.register(new Throttle(() => this.onHistoryChange(), REFRESH_MS));
  /** The `hasHistory` context key as last set (setting it is a round trip to the workbench). */
  private hasHistory: boolean | undefined;

  constructor(
    private readonly s: Services,
    private readonly watches: WatchState,
  ) {
    super();
    const { history, profiles } = s;
    this.tree = this.register(
      new HistoryTreeProvider(
        { entries: () => history.entries, find: (id) => history.find(id), profileFilter: () => (this.filtered ? profiles.active().name : undefined) },
        { rows: rowContext(() => !s.config.showPhoneNumbers), watchedSince: (id) => watches.startedAt(id), entries: () => history.entries },
      ),
    );
    this.view = this.register(vscode.window.createTreeView<HistoryNode>(Views.history, { treeDataProvider: this.tree, showCollapseAll: true }));
    this.register(history.onDidChange(() => this.changes.request()));
    this.register(watches.onDidChange(() => this.onWatchChange()));
    this.register(profiles.onDidChange(() => this.onProfileChange()));
    this.register(this.view.onDidChangeVisibility(() => this.onVisibilityChange()));
    this.register(this.view.onDidChangeSelection((e) => (s.selectedOtpId = selectedOtpId(e.selection))));
    this.register(s.recorder.onDidRecord((r) => !r.options.quiet && !r.notFiled && this.reveal(r.check.otpId as OtpId)));
    this.registerCommands({
      [Commands.historyReveal]: (arg?: unknown) => this.revealCommand(arg),
      [Commands.historyFilterByProfile]: () => this.setFilter(true),
      [Commands.historyShowAllProfiles]: () => this.setFilter(false),
    });
    this.view.description = this.description();
    this.updateTicker();
    // The context keys after activation: a command to the workbench is the costliest call activation would make.
    this.register(
      onNextTurn(() => {
        this.setFilteredContext();
        this.onHistoryChange();
      }),
    );
  }

  /** Shows the entry of an otp_id when the view is open (or, with `force`, opens it). */
  reveal(otpId: OtpId, force = false): void {
    if (!this.view.visible && !force) return;
    const node = this.tree.entryNode(otpId);
    if (node) void Promise.resolve(this.view.reveal(node, { select: true, focus: force })).then(undefined, () => undefined);
  }

  private get filtered(): boolean {
    return this.s.context.globalState.get<boolean>(StorageKeys.historyFilter) === true;
  }

  private async revealCommand(arg: unknown): Promise<void> {
    const otpId = otpIdArg(arg);
    if (otpId.kind !== 'ok') return;
    await vscode.commands.executeCommand(Commands.focusView);
    this.reveal(otpId.value, true);
  }

  private async setFilter(on: boolean): Promise<void> {
    await this.s.context.globalState.update(StorageKeys.historyFilter, on ? true : undefined);
    this.showDescription();
    this.tree.refresh();
  }

  private showDescription(): void {
    this.view.description = this.description();
    this.setFilteredContext();
  }

  private description(): string {
    const active = this.s.profiles.active();
    return this.filtered ? vscode.l10n.t('{0} (only its entries)', active.name) : active.name;
  }

  private setFilteredContext(): void {
    void vscode.commands.executeCommand('setContext', ContextKeys.filteredByProfile, this.filtered);
  }

  private onHistoryChange(): void {
    this.tree.refresh();
    const hasHistory = !this.s.history.isEmpty; // (every change, in its turn: the whole list is not built for it)
    if (hasHistory === this.hasHistory) return;
    this.hasHistory = hasHistory;
    void vscode.commands.executeCommand('setContext', ContextKeys.hasHistory, hasHistory);
  }

  private onWatchChange(): void {
    this.tree.refresh();
    this.updateTicker();
  }

  private onProfileChange(): void {
    this.showDescription();
    if (this.filtered) this.tree.refresh();
  }

  private onVisibilityChange(): void {
    void this.s.history.reload().catch(() => undefined); // another window (or Settings Sync) may have written meanwhile
    this.updateTicker();
  }

  /** While visible: every second when something is watched (elapsed times), else every minute ("2 min ago"). */
  private updateTicker(): void {
    this.ticker.set(!this.view.visible ? undefined : this.watches.count > 0 ? SECOND : MINUTE);
  }
}

/** The otp_id of the first selected row that belongs to an entry (the entry itself or one of its checks). */
function selectedOtpId(selection: readonly HistoryNode[]): OtpId | undefined {
  for (const node of selection) if (node.kind === 'entry' || node.kind === 'check') return node.entry.otpId;
  return undefined;
}

function rowContext(masked: () => boolean) {
  return {
    masked,
    word: localized,
    now: Date.now,
    time: clockTime,
    dateTime: localDateTime,
  };
}
