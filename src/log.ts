/** The "D7 OTP Inspector" log channel. Keeps the last lines in memory too, so tests can prove what it holds. */
import * as vscode from 'vscode';
import { LOG_CHANNEL_NAME } from './constants';
import type { RequestLogEntry } from './core/client/request';

export interface Log extends vscode.Disposable {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One line per HTTP exchange: method, path, status, duration. Never a header or the token. */
  request(entry: RequestLogEntry): void;
  show(): void;
  /** The most recent lines written (for tests). */
  recent(): readonly string[];
}

const KEEP = 500;

/** The channel is created when the first line is written (or it is shown), not at activation. */
export function createLog(): Log {
  let created: vscode.LogOutputChannel | undefined;
  const channel = () => (created ??= vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true }));
  const lines: string[] = [];
  const remember = (level: string, message: string) => {
    lines.push(`[${level}] ${message}`);
    if (lines.length > KEEP) lines.splice(0, lines.length - KEEP);
  };
  return {
    info(message) {
      remember('info', message);
      channel().info(message);
    },
    warn(message) {
      remember('warn', message);
      channel().warn(message);
    },
    error(message) {
      remember('error', message);
      channel().error(message);
    },
    request(e) {
      const line = `${e.method} ${e.path} → ${e.httpStatus ?? '-'} ${e.outcome} (${Math.round(e.durationMs)} ms${e.attempt > 1 ? `, attempt ${e.attempt}` : ''})`;
      if (e.outcome === 'ok') this.info(line);
      else this.warn(line);
    },
    show() {
      channel().show(true);
    },
    recent() {
      return lines;
    },
    dispose() {
      created?.dispose();
    },
  };
}
