/**
 * What the history does not keep is set aside, never deleted: unreadable stored data (a corrupt file, a torn line,
 * a document from a newer version) and the entries an import or a restore could not fit under the caps. Each
 * set-aside is one JSON file in `<history>/set-aside/`; the entries of an import can be restored by a command.
 * No `vscode` import.
 */
import * as path from 'node:path';
import type { HistoryEntry } from '../check';
import { isRecord } from '../json';
import { english, type Message } from '../messages';
import type { HistoryFs } from './files';
import { readEntry } from './rules';

const SET_ASIDE_FORMAT = 'd7otp-history-set-aside';

export type SetAsideReason = 'unreadable' | 'caps';

/** A set-aside as listed: its id (the file name), why, when, and how many entries it holds (0 for unreadable data). */
export interface SetAside {
  id: string;
  path: string;
  reason: SetAsideReason;
  createdAt: string;
  /** In English (the log's language). */
  problem: string;
  entries: number;
  checks: number;
}

/** Unreadable set-asides kept (the oldest go first); set-aside entries are kept until restored. */
const KEEP_UNREADABLE = 20;

export class SetAsides {
  constructor(
    private readonly fs: HistoryFs,
    readonly dir: string,
    private readonly now: () => number,
  ) {}

  /** Keeps unreadable data; resolves with the set-aside's id. */
  async unreadable(problem: Message, data: unknown): Promise<string> {
    const id = await this.write('unreadable', problem, { data });
    await this.prune();
    return id;
  }

  /** Keeps entries the caps had no room for; resolves with the set-aside's id. */
  entries(problem: Message, entries: readonly HistoryEntry[]): Promise<string> {
    return this.write('caps', problem, { entries });
  }

  /** Every set-aside, newest first. */
  async list(): Promise<SetAside[]> {
    const out: SetAside[] = [];
    for (const id of await this.fs.list(this.dir)) {
      if (!id.endsWith('.json')) continue;
      const doc = await this.readDoc(id);
      if (!doc) continue;
      const entries = Array.isArray(doc.entries) ? doc.entries : [];
      let checks = 0;
      for (const e of entries) checks += isRecord(e) && Array.isArray(e.checks) ? e.checks.length : 0;
      const reason: SetAsideReason = doc.reason === 'caps' ? 'caps' : 'unreadable';
      const createdAt = typeof doc.createdAt === 'string' ? doc.createdAt : '';
      const problem = typeof doc.problem === 'string' ? doc.problem : '';
      out.push({ id, path: path.join(this.dir, id), reason, createdAt, problem, entries: entries.length, checks });
    }
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  }

  /** The readable entries of a set-aside (every check through the one rule set). */
  async read(id: string): Promise<HistoryEntry[] | undefined> {
    const doc = await this.readDoc(id);
    if (!doc || !Array.isArray(doc.entries)) return undefined;
    const entries: HistoryEntry[] = [];
    for (const raw of doc.entries as unknown[]) {
      const read = readEntry(raw);
      if (read.entry) entries.push(read.entry);
    }
    return entries;
  }

  /** Replaces a set-aside's entries with what is still left of them (removes it when nothing is). */
  async keep(id: string, entries: readonly HistoryEntry[]): Promise<void> {
    const file = this.file(id);
    if (!file) return;
    if (entries.length === 0) return this.fs.remove(file);
    const doc = (await this.readDoc(id)) ?? {};
    await this.fs.writeAtomic(file, Buffer.from(JSON.stringify({ ...doc, entries }), 'utf8'));
  }

  private async write(reason: SetAsideReason, problem: Message, body: Record<string, unknown>): Promise<string> {
    await this.fs.mkdir(this.dir);
    const createdAt = new Date(this.now()).toISOString();
    const id = `${createdAt.replace(/[:.]/g, '-')}-${reason}-${Math.random().toString(36).slice(2, 8)}.json`;
    const doc = { format: SET_ASIDE_FORMAT, version: 1, reason, createdAt, problem: english(problem), ...body };
    await this.fs.writeAtomic(path.join(this.dir, id), Buffer.from(JSON.stringify(doc), 'utf8'));
    return id;
  }

  private async readDoc(id: string): Promise<Record<string, unknown> | undefined> {
    const file = this.file(id);
    const buffer = file ? await this.fs.read(file) : undefined;
    if (!buffer) return undefined;
    try {
      const doc: unknown = JSON.parse(buffer.toString('utf8'));
      return isRecord(doc) && doc.format === SET_ASIDE_FORMAT ? doc : undefined;
    } catch {
      return undefined;
    }
  }

  /** A set-aside's path; undefined for an id that is not a plain file name of this folder. */
  private file(id: string): string | undefined {
    return /^[\w.-]+\.json$/.test(id) && !id.startsWith('.') ? path.join(this.dir, id) : undefined;
  }

  private async prune(): Promise<void> {
    const unreadable = (await this.list()).filter((s) => s.reason === 'unreadable');
    for (const old of unreadable.slice(KEEP_UNREADABLE)) await this.fs.remove(old.path);
  }
}
