/**
 * How the windows of the two-window run talk: files in a control folder the runner made (its path in the extension
 * host's environment, `D7OTP_TWO_WINDOWS`), each window's role in `D7OTP_WINDOW`. A step is a marker file; waiting
 * is polling for one (a condition, never a fixed sleep). What a window reported (a check its command resolved with)
 * is appended, one line each, before the next step.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Role = 'a' | 'b' | 'c';

/** What the runner prepared: the mock, and the otp_ids (OPEN on the mock) each window works with. */
export interface Plan {
  mockUrl: string;
  token: string;
  ids: Record<'a' | 'b', string[]>;
  watch: Record<'a' | 'b', string[]>;
  burst: string[];
  extra: string[];
}

/** A check as a window reported it: which otp_id, checked when. */
export interface Reported {
  otpId: string;
  checkedAt: string;
}

const dir = (): string => {
  const value = process.env.D7OTP_TWO_WINDOWS;
  assert.ok(value, 'D7OTP_TWO_WINDOWS names the control folder (run through scripts/test-two-windows.js)');
  return value;
};

export const role = (): Role => process.env.D7OTP_WINDOW as Role;

export const plan = (): Plan => JSON.parse(fs.readFileSync(path.join(dir(), 'plan.json'), 'utf8')) as Plan;

export function mark(name: string, value: unknown = {}): void {
  fs.writeFileSync(path.join(dir(), `${name}.json`), JSON.stringify(value));
}

export function marked(name: string): boolean {
  return fs.existsSync(path.join(dir(), `${name}.json`));
}

function readMark<T>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(dir(), `${name}.json`), 'utf8')) as T;
}

/** Waits until `condition` holds (polled every 50 ms); fails with `what` after `timeoutMs`. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits for the other window's step. */
export function waitMark(name: string, timeoutMs?: number): Promise<void> {
  return until(() => marked(name), `the step "${name}"`, timeoutMs);
}

/** Appends reported checks to a list of the control folder (written before the call returns: a check reported is listed). */
export function report(list: string, checks: readonly Reported[]): void {
  if (checks.length === 0) return;
  fs.appendFileSync(path.join(dir(), `${list}.jsonl`), checks.map((c) => `${JSON.stringify({ otpId: c.otpId, checkedAt: c.checkedAt })}\n`).join(''));
}

export function reported(list: string): Reported[] {
  const file = path.join(dir(), `${list}.jsonl`);
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Reported);
}

/** Waits until the shared start time the first window set (both windows start their burst at the same moment). */
export async function startTogether(name: string): Promise<void> {
  mark(`${name}.${role()}`);
  const other = role() === 'a' ? 'b' : 'a';
  await waitMark(`${name}.${other}`);
  if (role() === 'a') mark(`${name}.go`, { at: Date.now() + 300 });
  await waitMark(`${name}.go`);
  const { at } = readMark<{ at: number }>(`${name}.go`);
  await until(() => Date.now() >= at, 'the shared start time');
}
