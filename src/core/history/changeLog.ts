/** Which entries the last changes of a history state touched, by revision (what the view moves instead of sorting all). */

/** How many changes are remembered (more, and a reader rebuilds what it shows). */
const KEPT = 64;

export class ChangeLog {
  private readonly changes: { revision: number; key: string | undefined }[] = [];

  /** Notes that `revision` changed the entry `key` (undefined: any entry). */
  note(revision: number, key: string | undefined): void {
    this.changes.push({ revision, key });
    if (this.changes.length > KEPT) this.changes.shift();
  }

  /** The keys changed after `from` up to `to`, or undefined when not every revision between is known with its key. */
  since(from: number, to: number): ReadonlySet<string> | undefined {
    const since = this.changes.filter((c) => c.revision > from);
    if (since.length !== to - from || since.some((c) => c.key === undefined)) return undefined;
    return new Set(since.map((c) => c.key as string));
  }
}
