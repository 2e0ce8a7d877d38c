/**
 * What a window appends to its log: one operation per line, as JSON. Every operation can be applied more than once
 * and in any order with the same result (a row is keyed by otp_id and check time, a repeat count is the writer's
 * own running total, tombstones and labels keep the latest), so windows merge what they read rather than
 * overwrite one another. No `vscode` import.
 */
import type { FiledCheck } from '../check';
import { Limits } from '../defaults';
import { isRecord } from '../json';
import { readOtpId, type OtpId } from '../otpId';
import { readCheck } from './rules';

/** Where a row came from: imported rows are the first the caps drop. */
export type RowSource = 'import';

export type Op =
  /** A check stored at `at` (ms). */
  | { o: 'add'; at: number; c: FiledCheck; src?: RowSource; resendOf?: OtpId }
  /** The writer's running count of repeats on the row of `k` checked at `of`, the last at `last`. */
  | { o: 'rep'; at: number; k: OtpId; of: string; n: number; last: string; dur: number }
  /** Everything of `k` stored up to `at` removed. */
  | { o: 'rm'; at: number; k: OtpId }
  /** Everything stored up to `at` removed. */
  | { o: 'clear'; at: number }
  /** The label of `k` ('' for none) as of `at`; at 0 it only fills a missing label (an import's). */
  | { o: 'label'; at: number; k: OtpId; label: string };

const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isDate = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));

/** An operation read from a log line or a snapshot, with every field checked; undefined when it is not one. */
export function readOp(raw: unknown): Op | undefined {
  if (!isRecord(raw) || !isTime(raw.at)) return undefined;
  const at = raw.at;
  switch (raw.o) {
    case 'add': {
      const check = readCheck(raw.c);
      if (!check.ok) return undefined;
      const resendOf = raw.resendOf === undefined ? undefined : readOtpId(raw.resendOf);
      if (raw.resendOf !== undefined && !resendOf) return undefined;
      if (raw.src !== undefined && raw.src !== 'import') return undefined;
      return { o: 'add', at, c: check.value, ...(raw.src ? { src: raw.src } : {}), ...(resendOf ? { resendOf } : {}) };
    }
    case 'rep': {
      const k = readOtpId(raw.k);
      const ok = k && isDate(raw.of) && Number.isInteger(raw.n) && (raw.n as number) >= 1 && isDate(raw.last) && isTime(raw.dur);
      return ok ? { o: 'rep', at, k, of: raw.of as string, n: raw.n as number, last: raw.last as string, dur: raw.dur as number } : undefined;
    }
    case 'rm': {
      const k = readOtpId(raw.k);
      return k ? { o: 'rm', at, k } : undefined;
    }
    case 'clear':
      return { o: 'clear', at };
    case 'label': {
      const k = readOtpId(raw.k);
      if (!k || typeof raw.label !== 'string') return undefined;
      return { o: 'label', at, k, label: raw.label.trim().slice(0, Limits.maxLabel) };
    }
    default:
      return undefined;
  }
}

/** An operation and who wrote it (repeat counts and labels are per writer); `w` absent: the log's own window. */
export interface WrittenOp {
  op: Op;
  w?: string;
}

/** The complete lines of a chunk: parsed operations, unreadable lines, and the bytes of complete lines. */
export interface ReadLines {
  ops: WrittenOp[];
  /** Lines that are not an operation (corrupt, or edited by hand), as text. */
  bad: string[];
  /** Bytes consumed: up to and including the last line break (a line still being written is left). */
  consumed: number;
}

/** Reads the complete lines of `chunk`; with `final`, a last line without a line break counts too. */
export function readLines(chunk: Buffer, final = false): ReadLines {
  const end = final ? chunk.length : chunk.lastIndexOf(0x0a) + 1;
  const ops: WrittenOp[] = [];
  const bad: string[] = [];
  let start = 0;
  while (start < end) {
    let stop = chunk.indexOf(0x0a, start);
    if (stop < 0 || stop >= end) stop = end;
    const text = chunk.toString('utf8', start, stop).trim();
    start = stop + 1;
    if (!text) continue;
    let raw: unknown; // stays undefined for a line that is not JSON
    try {
      raw = JSON.parse(text);
    } catch {
      // not an operation: named below
    }
    const op = readOp(raw);
    if (op) ops.push(isRecord(raw) && typeof raw.w === 'string' ? { op, w: raw.w } : { op });
    else bad.push(text);
  }
  return { ops, bad, consumed: Math.min(end, chunk.length) };
}

/** Bytes read between two yields to the event loop: a large log or snapshot never holds the host up for long. */
const SLICE = 256 * 1024;

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `readLines` over a large chunk, a slice at a time, yielding to the event loop between slices. */
export async function readLinesSliced(chunk: Buffer, final = false): Promise<ReadLines> {
  if (chunk.length <= SLICE) return readLines(chunk, final);
  const out: ReadLines = { ops: [], bad: [], consumed: 0 };
  while (out.consumed < chunk.length) {
    const rest = chunk.subarray(out.consumed);
    const cut = rest.length <= SLICE ? rest.length : rest.lastIndexOf(0x0a, SLICE) + 1 || rest.indexOf(0x0a) + 1 || rest.length;
    const last = cut === rest.length;
    const read = readLines(rest.subarray(0, cut), final && last);
    for (const op of read.ops) out.ops.push(op);
    for (const line of read.bad) out.bad.push(line);
    out.consumed += read.consumed;
    if (read.consumed === 0) break;
    await yieldNow();
  }
  return out;
}

/** Operations as lines (one buffer, one write); `w` written where given (a snapshot's). */
export function toLines(ops: readonly (Op | WrittenOp)[]): Buffer {
  let text = '';
  for (const item of ops) text += `${JSON.stringify('op' in item ? { ...item.op, ...(item.w !== undefined ? { w: item.w } : {}) } : item)}\n`;
  return Buffer.from(text, 'utf8');
}

/** `toLines` of many operations, a slice at a time, yielding to the event loop between slices. */
export async function toLinesSliced(ops: readonly (Op | WrittenOp)[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < ops.length; i += 2000) {
    parts.push(toLines(ops.slice(i, i + 2000)));
    if (i + 2000 < ops.length) await yieldNow();
  }
  return Buffer.concat(parts);
}
