/**
 * Agent tools (Copilot agent mode and any other chat agent): look up a status, read what the history knows, watch an
 * id until it is settled, and — only after VS Code asked the user, through `prepareInvocation` — send or resend an
 * OTP. Lookups go through the same calls as the palette, so they are recorded and explained like any other. No tool
 * answers or logs the token: records never hold it. On editors before VS Code 1.95 nothing is registered
 * (see lmApi.ts for why the extension keeps supporting 1.90).
 */
import * as vscode from 'vscode';
import { Tools } from '../../constants';
import type { StatusCheck } from '../../core/check';
import type { SendOtpParams } from '../../core/client/request';
import { isRecord } from '../../core/json';
import { parseOtpId } from '../../core/otpId';
import { checkOutput, entryLine, entryOutput } from '../../core/toolOutput';
import { inert } from '../../core/text';
import { localized } from '../../l10n';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { Lookups } from '../lookup/lookups';
import { toolsApi, type LanguageModelTool, type PreparedToolInvocation, type ToolsApi } from './lmApi';
import { watchUntilSettled, type WaitableWatches } from './waiting';

/** What the tools need of the Verify calls. */
export interface ToolVerify {
  send(params: SendOtpParams, quiet?: boolean): Promise<StatusCheck>;
  resend(input: unknown, quiet?: boolean): Promise<StatusCheck>;
}

type Input = Record<string, unknown>;

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

export class AgentToolsFeature extends Feature {
  /** The registered tools by name (tests reach `prepareInvocation` through it); empty before VS Code 1.95. */
  readonly tools = new Map<string, LanguageModelTool<Input>>();

  constructor(
    private readonly s: Services,
    private readonly lookups: Lookups,
    private readonly watches: WaitableWatches,
    private readonly verify: ToolVerify,
  ) {
    super();
    const api = toolsApi();
    if (!api) {
      s.log.info('Agent tools need VS Code 1.95 or later; they are not registered in this editor.');
      return;
    }
    this.add(
      api,
      Tools.getStatus,
      (input, token) => this.getStatus(input, token),
      (input) => ({ invocationMessage: vscode.l10n.t('Checking the status of {0}', shown(input.otpId)) }),
    );
    this.add(api, Tools.getHistory, (input) => Promise.resolve(this.getHistory(input)));
    this.add(
      api,
      Tools.watchStatus,
      (input, token) => this.watchStatus(input, token),
      (input) => ({ invocationMessage: vscode.l10n.t('Watching {0} until it is settled', shown(input.otpId)) }),
    );
    this.add(
      api,
      Tools.sendOtp,
      (input) => this.sendOtp(input),
      (input) => this.confirmSend(input),
    );
    this.add(
      api,
      Tools.resendOtp,
      (input) => this.resendOtp(input),
      (input) => this.confirmResend(input),
    );
  }

  private add(
    api: ToolsApi,
    name: string,
    run: (input: Input, token: vscode.CancellationToken) => Promise<unknown>,
    prepare?: (input: Input) => PreparedToolInvocation,
  ): void {
    const tool: LanguageModelTool<Input> = {
      invoke: async (options, token) => {
        const input = isRecord(options.input) ? options.input : {};
        this.s.log.info(`Agent tool ${name}${typeof input.otpId === 'string' ? ` for ${shown(input.otpId)}` : ''}.`);
        return api.textResult(JSON.stringify(await run(input, token)));
      },
      ...(prepare ? { prepareInvocation: (options) => prepare(isRecord(options.input) ? options.input : {}) } : {}),
    };
    this.tools.set(name, tool);
    this.register(api.registerTool(name, tool));
  }

  private async getStatus(input: Input, token: vscode.CancellationToken): Promise<unknown> {
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort());
    try {
      return checkOutput(await this.lookups.check(input.otpId, false, undefined, controller.signal));
    } finally {
      listener.dispose();
    }
  }

  private getHistory(input: Input): unknown {
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

  private async watchStatus(input: Input, token: vscode.CancellationToken): Promise<unknown> {
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

  private async sendOtp(input: Input): Promise<unknown> {
    const params = Object.fromEntries(SEND_FIELDS.filter((k) => input[k] !== undefined).map((k) => [k, input[k]])) as unknown as SendOtpParams;
    if (typeof params.recipient !== 'string' || typeof params.originator !== 'string') {
      return { ok: false, error: { kind: 'config', message: 'recipient and originator are required strings; nothing was sent.' } };
    }
    return checkOutput(await this.verify.send(params));
  }

  private async resendOtp(input: Input): Promise<unknown> {
    return checkOutput(await this.verify.resend(input.otpId));
  }

  /** VS Code shows this and runs the send only on "Continue": a real message, billed by D7. */
  private confirmSend(input: Input): PreparedToolInvocation {
    const recipient = shown(input.recipient);
    const originator = shown(input.originator);
    return {
      invocationMessage: vscode.l10n.t('Sending an OTP to {0}', recipient),
      confirmationMessages: {
        title: vscode.l10n.t('Send a real OTP?'),
        message: vscode.l10n.t(
          'D7 sends an OTP message to {0} (sender "{1}") with the token of profile "{2}". Each message is billed to that D7 account.',
          recipient,
          originator,
          this.s.profiles.active().name,
        ),
      },
    };
  }

  private confirmResend(input: Input): PreparedToolInvocation {
    const otpId = shown(input.otpId);
    return {
      invocationMessage: vscode.l10n.t('Resending {0}', otpId),
      confirmationMessages: {
        title: vscode.l10n.t('Resend the OTP?'),
        message: vscode.l10n.t(
          'D7 sends another message for {0} to the same recipient. Each message is billed to the D7 account of profile "{1}".',
          otpId,
          this.s.profiles.active().name,
        ),
      },
    };
  }
}

/** Text from the agent's input, as a message may show it. */
function shown(value: unknown): string {
  return inert(String(value ?? ''), 60);
}
