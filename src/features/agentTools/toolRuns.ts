/**
 * What the agent tools do once invoked (AgentToolsFeature registers them and loads this on the first invocation,
 * dist/chunks/): a lookup through the same calls as the palette, what the history knows, a watch until settled,
 * a send or resend VS Code already asked the user about. Answers are JSON-ready objects without the token.
 */
import type * as vscode from 'vscode';
import type { StatusCheck } from '../../core/check';
import type { SendOtpParams } from '../../core/client/request';
import { parseOtpId } from '../../core/otpId';
import { checkOutput, entryLine, entryOutput } from '../../core/toolOutput';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import type { Lookups } from '../lookup/lookups';
import { watchUntilSettled, type WaitableWatches } from './waiting';

/** What the tools need of the Verify calls. */
export interface ToolVerify {
  send(params: SendOtpParams, quiet?: boolean): Promise<StatusCheck>;
  resend(input: unknown, quiet?: boolean): Promise<StatusCheck>;
}

export type Input = Record<string, unknown>;

const SEND_FIELDS = [
  'originator',
  'recipient',
  'content',
  'template_id',
  'channel',
  'expiry',
  'data_coding',
  'retry_delay',
  'retry_count',
  'otp_code_length',
  'otp_type',
];

export class ToolRuns {
  constructor(
    private readonly s: Services,
    private readonly lookups: Lookups,
    private readonly watches: WaitableWatches,
    private readonly verify: ToolVerify,
  ) {}

  async getStatus(input: Input, token: vscode.CancellationToken): Promise<unknown> {
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      return checkOutput(await this.lookups.check(input.otpId, false, undefined, controller.signal));
    } finally {
      listener.dispose();
    }
  }

  getHistory(input: Input): unknown {
    const { history } = this.s;
    if (input.otpId !== undefined) {
      const parsed = parseOtpId(input.otpId);
      if (!parsed.ok) return { ok: false, error: { kind: 'config', message: localized(parsed.message) } };
      const entry = history.find(parsed.otpId);
      return entry
        ? entryOutput(entry)
        : { otpId: parsed.otpId, known: false, note: 'Not in the history: it was never checked in this editor. Use d7otp_getStatus to look it up.' };
    }
    const limit = typeof input.limit === 'number' && input.limit >= 1 ? Math.min(100, Math.floor(input.limit)) : 20;
    return { total: history.entries.length, entries: history.entries.slice(0, limit).map(entryLine) };
  }

  async watchStatus(input: Input, token: vscode.CancellationToken): Promise<unknown> {
    const parsed = parseOtpId(input.otpId);
    if (!parsed.ok) return { ok: false, error: { kind: 'config', message: localized(parsed.message) } };
    const seconds = typeof input.timeoutSeconds === 'number' && input.timeoutSeconds > 0 ? Math.min(600, input.timeoutSeconds) : 120;
    const result = await watchUntilSettled(this.watches, parsed.otpId, seconds * 1000, token);
    if (!result.ok) return { ok: false, error: { kind: 'config', message: result.message } };
    const entry = this.s.history.find(parsed.otpId);
    const latest = entry?.checks[0];
    return {
      otpId: parsed.otpId,
      stillWatching: result.stillWatching,
      latest: latest ? checkOutput(latest) : undefined,
      ...(entry ? { timeline: entryOutput(entry).timeline } : {}),
    };
  }

  async sendOtp(input: Input): Promise<unknown> {
    const params = Object.fromEntries(SEND_FIELDS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])) as unknown as SendOtpParams;
    if (typeof params.recipient !== 'string' || typeof params.originator !== 'string') {
      return { ok: false, error: { kind: 'config', message: 'recipient and originator are required strings; nothing was sent.' } };
    }
    return checkOutput(await this.verify.send(params));
  }

  async resendOtp(input: Input): Promise<unknown> {
    return checkOutput(await this.verify.resend(input.otpId));
  }
}
