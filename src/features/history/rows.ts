/**
 * The history view's model: what each tree row shows (label, description, icon, tooltip, id), computed from the
 * history without `vscode`, so it is unit-tested in plain Node. `nodes.ts` turns rows into `TreeItem`s. Every text
 * from D7, storage or an import passes `oneLine`/`inert` here; tooltips are parts that the layer renders as text.
 */
import { seenAt, type FiledCheck, type HistoryEntry, type StatusCheck } from '../../core/check';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { errorKindLabel, formatIssue } from '../../core/errors';
import { msg, type Message, type Wording } from '../../core/messages';
import { otpIdKey, type OtpId } from '../../core/otpId';
import { describeStatus, type StatusTone } from '../../core/status';
import { maskedCheck } from '../../core/recipient';
import { cut, inert, oneLine, scalarText, type TextPart } from '../../core/text';
import { buildTimeline, formatDuration, formatTimeline } from '../../core/timeline';

/** What the rows need from the layer: wording and the clock (both injected, so tests fix them). */
export interface RowContext {
  word: Wording;
  now: () => number;
  /** Local time of day ("10:01:03"). */
  time: (iso: string) => string;
  /** Local date and time. */
  dateTime: (iso: string) => string;
  /** True when phone numbers are shown masked (`d7otp.privacy.showPhoneNumbers` off); the default. */
  masked?: () => boolean;
}

export interface RowIcon {
  id: string;
  color?: string;
}

export interface Row {
  id: string;
  label: string;
  description: string;
  icon?: RowIcon;
  contextValue: string;
  expandable: boolean;
  /** What a screen reader says for the row. */
  accessibility?: string;
  /** Built on hover (`resolveTreeItem`), not for every row of every refresh. */
  tooltip?: () => TextPart[];
  /** The otp_id a click on the row reveals. */
  reveals?: OtpId;
}

// Colours every default theme defines with contrast against its side bar (the UI test measures it): success is
// charts.green, not testing.iconPassed, which Light 2026 (VS Code's default light theme) draws at 1.9:1.
const ICONS: Record<StatusTone | 'lookup-failed', RowIcon> = {
  waiting: { id: 'clock', color: 'charts.blue' },
  success: { id: 'pass-filled', color: 'charts.green' },
  warning: { id: 'warning', color: 'list.warningForeground' },
  error: { id: 'circle-slash', color: 'testing.iconFailed' },
  unknown: { id: 'question', color: 'charts.purple' },
  'lookup-failed': { id: 'error', color: 'list.errorForeground' },
};

/** The icon of a check: its status's tone, or "lookup failed". */
export function iconOf(check: StatusCheck): RowIcon {
  return ICONS[check.ok ? describeStatus(check.status).tone : 'lookup-failed'];
}

/**
 * "APPROVED", "unknown: PENDING_REVIEW", or "not found: MESSAGE_LOG_NOT_EXISTS" — one inert line: it goes into
 * notifications and the status bar as well as the tree.
 */
export function outcomeText(check: StatusCheck, word: Wording): string {
  if (check.ok) {
    const info = describeStatus(check.status);
    return inert(info.known ? info.text : word(msg('statusUnknown', check.status)), 80);
  }
  const kind = word(errorKindLabel(check.error.kind));
  return check.error.code ? word(msg('withCode', kind, inert(check.error.code, 40))) : kind;
}

/**
 * What a row leads with: the status word ("APPROVED"; an unknown status raw, its icon says it is unknown), or
 * the failure ("not found: MESSAGE_LOG_NOT_EXISTS"). Messages and screen readers get `outcomeText`.
 */
export function rowOutcome(check: StatusCheck, word: Wording): string {
  return check.ok && !describeStatus(check.status).known ? inert(check.status, 80) : outcomeText(check, word);
}

/** How long ago, as short as a row needs it: "now", "45 s", "2 min", "3 h", "5 d". */
export function shortAgo(iso: string, now: number): Message | undefined {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  if (seconds < 10) return msg('rowNow');
  if (seconds < 60) return msg('seconds', seconds);
  if (seconds < 3600) return msg('minutes', Math.floor(seconds / 60));
  if (seconds < 86400) return msg('hours', Math.floor(seconds / 3600));
  return msg('days', Math.floor(seconds / 86400));
}

/**
 * What an entry's root row depends on besides the entry itself: the unit and value its times are shown in
 * ("now", seconds, minutes, …) and whether phone numbers are masked. Two moments with the same key show the same
 * row, so the tree can reuse the row's node instead of building it again on every refresh.
 */
export function rowTimeKey(entry: HistoryEntry, now: number, masked: boolean): string {
  const seconds = Math.round((now - Date.parse(seenAt(entry.checks[0]))) / 1000);
  const unit = !Number.isFinite(seconds)
    ? 'x'
    : seconds < 10
      ? 'n'
      : seconds < 60
        ? `s${seconds}`
        : seconds < 3600
          ? `m${Math.floor(seconds / 60)}`
          : seconds < 86400
            ? `h${Math.floor(seconds / 3600)}`
            : `d${Math.floor(seconds / 86400)}`;
  return `${unit}${masked ? '*' : ''}`;
}

/** "2 min ago", "just now", "3 h ago", "5 d ago". */
export function relativeTime(iso: string, now: number): Message | undefined {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return undefined;
  if (seconds < 10) return msg('justNow');
  if (seconds < 60) return msg('secondsAgo', seconds);
  if (seconds < 3600) return msg('minutesAgo', Math.floor(seconds / 60));
  if (seconds < 86400) return msg('hoursAgo', Math.floor(seconds / 3600));
  return msg('daysAgo', Math.floor(seconds / 86400));
}

/**
 * The root row of an entry; `watchedSince` when it is being watched. What a developer scanning the list needs
 * first comes first, so it reads at the side bar's default width (300 px): the status, then how long ago (or how
 * long it has been watched), then the label, then the full otp_id — which the width cuts like a short commit hash
 * while type-to-filter (which matches only a row's label) still finds the whole id, a label or a status.
 */
export function entryRow(entry: HistoryEntry, ctx: RowContext, watchedSince?: number): Row {
  const latest = entry.checks[0];
  const { word } = ctx;
  const watching = watchedSince !== undefined ? word(msg('watchingFor', formatDuration(ctx.now() - watchedSince))) : undefined;
  const short = shortAgo(seenAt(latest), ctx.now());
  const ago = relativeTime(seenAt(latest), ctx.now());
  const when = watching ?? (ago ? word(ago) : undefined);
  const label = entry.label ? oneLine(entry.label, 60) : undefined;
  const id = oneLine(entry.otpId, 100);
  const outcome = outcomeText(latest, word);
  return {
    id: `entry:${otpIdKey(entry.otpId)}`,
    label: [rowOutcome(latest, word), watching ?? (short ? word(short) : undefined), label, id].filter(Boolean).join(' · '),
    description: '',
    icon: watchedSince !== undefined ? { id: 'loading~spin' } : iconOf(latest),
    contextValue: watchedSince !== undefined ? 'entry.watching' : 'entry',
    expandable: true,
    accessibility: word(msg('a11yEntry', outcome, when ? `${when}, ` : '', label ? `${label}, ` : '', id)),
    tooltip: () => entryTooltip(entry, ctx),
  };
}

/** The row of one check under its entry (`index`: its place, newest first): its outcome and time first. */
export function checkRow(entry: HistoryEntry, check: FiledCheck, index: number, ctx: RowContext): Row {
  const outcome = outcomeText(check, ctx.word);
  const time = clockTime(check.checkedAt, ctx);
  const parts: string[] = check.operation && check.operation !== 'status' ? [check.operation] : [];
  if (check.httpStatus !== undefined) parts.push(`HTTP ${check.httpStatus}`);
  parts.push(`${Math.round(check.durationMs)} ms`);
  if (check.repeat && check.repeat > 1) parts.push(`×${check.repeat}`);
  const description = parts.join(' · ');
  return {
    id: `check:${otpIdKey(entry.otpId)}:${index}:${check.checkedAt}`,
    label: `${rowOutcome(check, ctx.word)} · ${time}`,
    description,
    icon: iconOf(check),
    contextValue: 'check',
    expandable: checkFields(check, ctx).length > 0,
    accessibility: ctx.word(msg('a11yCheck', outcome, ctx.dateTime(check.checkedAt), description)),
    tooltip: () => checkSummary(check, ctx),
  };
}

/** The row of one field (a body field, or part of D7's error detail); ids are positional, so never repeated. */
export function fieldRow(parentId: string, index: number, name: string, value: unknown): Row {
  const nested = value !== null && typeof value === 'object' && Object.keys(value).length > 0;
  const label = oneLine(name, 80);
  const description = nested ? (Array.isArray(value) ? `[${value.length}]` : '{…}') : oneLine(scalarText(value), 200);
  return {
    id: `${parentId}/${index}`,
    label,
    description,
    contextValue: 'field',
    expandable: nested,
    accessibility: `${label}: ${description}`,
    tooltip: () => [
      { bold: name },
      { paragraph: true },
      { code: cut(typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value)), 4000), language: 'json' },
    ],
  };
}

/** The rows under a check: the error and each part of D7's detail, then each body field (phone numbers masked unless shown). */
export function checkFields(shown: StatusCheck, ctx: Pick<RowContext, 'word' | 'masked'>): [string, unknown][] {
  const { word } = ctx;
  const check = (ctx.masked?.() ?? true) ? maskedCheck(shown) : shown;
  const rows: [string, unknown][] = [];
  if (!check.ok) {
    rows.push(['error', check.error.message], ['kind', check.error.kind]);
    if (check.error.code) rows.push(['code', check.error.code]);
    for (const issue of check.error.issues ?? []) rows.push([issue.loc.join('.') || 'detail', `${issue.msg}${issue.type ? ` (${issue.type})` : ''}`]);
    if (check.error.retryAfterSeconds !== undefined) rows.push([word(msg('fieldRetryAfter')), `${check.error.retryAfterSeconds} s`]);
  }
  const body = check.body;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'detail' && !check.ok && (check.error.code || check.error.issues)) continue; // shown above
      rows.push([k, v]);
    }
  } else if (body !== undefined) rows.push(['body', body]);
  if (check.bodyTruncated) rows.push([word(msg('fieldBodySize')), word(msg('bodyCut'))]);
  if (check.attempts && check.attempts > 1) rows.push(['attempts', check.attempts]);
  if (check.profile && check.profile !== DEFAULT_PROFILE) rows.push(['profile', check.profile]);
  return rows;
}

/** The timeline and the resend links shown above an entry's checks. */
export function infoRows(entry: HistoryEntry, all: readonly HistoryEntry[], ctx: RowContext): Row[] {
  const key = otpIdKey(entry.otpId);
  const rows: Row[] = [];
  const steps = buildTimeline(entry);
  if (steps.length > 0) {
    const text = formatTimeline(steps, ctx.time, ctx.word);
    rows.push({
      id: `timeline:${key}`,
      label: ctx.word(msg('rowTimeline')),
      description: oneLine(text, 300),
      icon: { id: 'git-commit' },
      contextValue: 'info',
      expandable: false,
      accessibility: `${ctx.word(msg('rowTimeline'))}: ${oneLine(text, 300)}`,
      tooltip: () => [{ text }],
    });
  }
  const link = (id: string, title: Message, otpId: OtpId, icon: string): Row => ({
    id,
    label: ctx.word(title),
    description: otpId,
    icon: { id: icon },
    contextValue: 'link',
    expandable: false,
    accessibility: `${ctx.word(title)} ${otpId}`,
    reveals: otpId,
  });
  if (entry.resendOf) rows.push(link(`from:${key}`, msg('rowResentFrom'), entry.resendOf, 'arrow-up'));
  for (const other of all) {
    if (other.resendOf && otpIdKey(other.resendOf) === key) {
      rows.push(link(`to:${key}:${otpIdKey(other.otpId)}`, msg('rowResentAs'), other.otpId, 'arrow-down'));
    }
  }
  return rows;
}

function entryTooltip(entry: HistoryEntry, ctx: RowContext): TextPart[] {
  const parts: TextPart[] = [{ bold: 'otp_id' }, { text: ' ' }, { code: entry.otpId, language: '' }, { paragraph: true }];
  if (entry.label) parts.push({ bold: ctx.word(msg('tooltipLabel')) }, { text: ` ${entry.label}` }, { paragraph: true });
  parts.push(...checkSummary(entry.checks[0], ctx));
  const steps = buildTimeline(entry);
  if (steps.length > 1) parts.push({ paragraph: true }, { bold: ctx.word(msg('tooltipTimeline')) }, { text: ` ${formatTimeline(steps, ctx.time, ctx.word)}` });
  parts.push({ paragraph: true }, { text: ctx.word(msg('checksRecorded', entry.checks.length)) });
  return parts;
}

function checkSummary(shown: StatusCheck, ctx: RowContext): TextPart[] {
  const check = (ctx.masked?.() ?? true) ? maskedCheck(shown) : shown;
  const facts = [ctx.dateTime(check.checkedAt), check.httpStatus !== undefined ? `HTTP ${check.httpStatus}` : undefined, `${Math.round(check.durationMs)} ms`];
  const parts: TextPart[] = [{ bold: outcomeText(check, ctx.word) }, { paragraph: true }, { text: facts.filter(Boolean).join(' · ') }];
  if (!check.ok) {
    parts.push({ paragraph: true }, { text: cut(check.error.message, 1000) });
    for (const issue of check.error.issues ?? []) parts.push({ item: cut(formatIssue(issue), 300) });
  }
  return parts;
}

/** Local time of day, with the date when it is not today. */
function clockTime(iso: string, ctx: RowContext): string {
  return new Date(iso).toDateString() === new Date(ctx.now()).toDateString() ? ctx.time(iso) : ctx.dateTime(iso);
}
