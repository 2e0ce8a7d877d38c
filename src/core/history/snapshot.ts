/**
 * The compacted history: one file (`snapshot.json`, JSON Lines: a header, then one operation per line) holding the
 * merged state as operations, and how far into each window's log it reaches. It is only ever replaced whole (write, sync, rename), under a lock, so a reader sees the
 * old snapshot or the new one, and a host killed mid-write leaves the old one. No `vscode` import.
 */
import * as os from 'node:os';
import { isRecord } from '../json';
import { msg, type Message } from '../messages';
import type { OtpId } from '../otpId';
import type { HistoryFs } from './files';
import { readLinesSliced, toLinesSliced, type WrittenOp } from './ops';
import type { HistoryState, Rep } from './state';
import type { EntryView } from './view';

const SNAPSHOT_FORMAT = 'd7otp-history-snapshot';
const SNAPSHOT_VERSION = 2;

export interface ReadSnapshot {
  ops: WrittenOp[];
  /** Bytes of each log (by file name) the snapshot holds. */
  logs: Map<string, number>;
  problem?: Message;
  /** What could not be read, to be set aside. */
  rejected?: unknown;
}

/**
 * Reads a snapshot defensively: a header line (format, version, the logs it holds), then one operation per line, read
 * a slice at a time. What is readable is kept; the rest returned to be set aside.
 */
export async function parseSnapshot(buffer: Buffer | undefined): Promise<ReadSnapshot> {
  const empty: ReadSnapshot = { ops: [], logs: new Map() };
  if (!buffer || buffer.length === 0) return empty;
  const firstBreak = buffer.indexOf(0x0a);
  const headerEnd = firstBreak < 0 ? buffer.length : firstBreak;
  let header: unknown;
  try {
    header = JSON.parse(buffer.toString('utf8', 0, headerEnd));
  } catch {
    return { ...empty, problem: msg('historyUnreadable'), rejected: buffer.toString('utf8') };
  }
  if (!isRecord(header) || header.format !== SNAPSHOT_FORMAT) return { ...empty, problem: msg('historyUnreadable'), rejected: buffer.toString('utf8') };
  if (header.version !== SNAPSHOT_VERSION) {
    const newer = typeof header.version === 'number' && header.version > SNAPSHOT_VERSION;
    const problem = newer ? msg('historyNewer', header.version as number) : msg('historyUnknownSchema', String(header.version));
    return { ...empty, problem, rejected: buffer.toString('utf8') };
  }
  const logs = new Map<string, number>();
  if (isRecord(header.logs)) for (const [name, n] of Object.entries(header.logs)) if (Number.isInteger(n) && (n as number) >= 0) logs.set(name, n as number);
  const read = await readLinesSliced(buffer.subarray(headerEnd + 1), true);
  const ops = read.ops.map(({ op, w }) => ({ op, w: w ?? '' }));
  if (read.bad.length === 0) return { ops, logs };
  const problem = read.bad.length === 1 ? msg('historyEntrySetAside') : msg('historyEntriesSetAside', read.bad.length);
  return { ops, logs, problem, rejected: read.bad };
}

/** The snapshot of what the caps keep (`views`), the tombstones, and the logs it folds in. */
export async function snapshotBytes(state: HistoryState, views: readonly EntryView[], logs: ReadonlyMap<string, number>, writer: string): Promise<Buffer> {
  const ops: WrittenOp[] = [];
  for (const view of views) {
    const entry = state.entries.get(view.key);
    // The resend that created the entry came with its first row stored: a Remove that takes that row takes it too.
    const first = view.rows.reduce<(typeof view.rows)[number] | undefined>((a, b) => (a && a.at <= b.at ? a : b), undefined);
    for (const row of view.rows) {
      const resendOf = row === first ? entry?.resendOf : undefined;
      ops.push({ op: { o: 'add', at: row.at, c: row.check, ...(row.src ? { src: row.src } : {}), ...(resendOf ? { resendOf } : {}) } });
      for (const w in row.reps ?? {}) {
        const rep = (row.reps as Record<string, Rep>)[w];
        ops.push({ op: { o: 'rep', at: rep.at, k: row.check.otpId, of: row.check.checkedAt, n: rep.n, last: rep.last, dur: rep.dur }, w });
      }
      if (row.copy) {
        const c = { ...row.check, repeat: row.copy.n, lastCheckedAt: row.copy.last, durationMs: row.copy.dur };
        ops.push({ op: { o: 'add', at: row.copy.at, c, ...(row.src ? { src: row.src } : {}) } });
      }
    }
    if (entry?.label) ops.push({ op: { o: 'label', at: entry.label.at, k: entry.otpId, label: entry.label.text }, w: entry.label.w });
  }
  if (state.clearedAt > 0) ops.push({ op: { o: 'clear', at: state.clearedAt } });
  const removed = [...state.removed].sort((a, b) => b[1] - a[1]).slice(0, MAX_TOMBSTONES);
  for (const [key, at] of removed) ops.push({ op: { o: 'rm', at, k: key as OtpId } });
  const header = {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    writtenAt: new Date().toISOString(),
    writer,
    logs: Object.fromEntries(logs),
    ops: ops.length,
  };
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), await toLinesSliced(ops)]);
}

/** Removals remembered (the newest), so an older copy (Settings Sync, another window's late write) cannot bring them back. */
const MAX_TOMBSTONES = 5000;

/** A lock held while a compaction replaces the snapshot and removes the logs it folded in. */
export class CompactionLock {
  private held = false;
  private readonly content: string;

  constructor(
    private readonly fs: HistoryFs,
    private readonly file: string,
    private readonly pid: number,
    writer: string,
    private readonly alive: (pid: number) => boolean,
    private readonly now: () => number,
  ) {
    this.content = JSON.stringify({ pid, writer, host: os.hostname() });
  }

  /** Takes the lock; false when another live window holds it. A lock left by a dead process is taken over. */
  async acquire(): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const data = Buffer.from(JSON.stringify({ ...JSON.parse(this.content), at: this.now() }), 'utf8');
      if (await this.fs.createExclusive(this.file, data)) return (this.held = true);
      if (!(await this.stale())) return false;
      await this.fs.remove(this.file);
    }
    return false;
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const current = await this.fs.read(this.file);
    if (current && current.toString('utf8').startsWith(this.content.slice(0, -1))) await this.fs.remove(this.file);
  }

  /** Held by a process of this machine that is gone, or for longer than any compaction takes. */
  private async stale(): Promise<boolean> {
    const buffer = await this.fs.read(this.file);
    if (!buffer) return true;
    let holder: unknown;
    try {
      holder = JSON.parse(buffer.toString('utf8'));
    } catch {
      return true;
    }
    if (!isRecord(holder) || typeof holder.pid !== 'number' || typeof holder.at !== 'number') return true;
    if (holder.host === os.hostname() && holder.pid !== this.pid && !this.alive(holder.pid)) return true;
    return this.now() - holder.at > 10 * 60_000;
  }
}
