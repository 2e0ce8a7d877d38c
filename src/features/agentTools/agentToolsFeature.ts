/**
 * Agent tools (Copilot agent mode and any other chat agent): look up a status, read what the history knows, watch an
 * id until it is settled, and — only after VS Code asked the user, through `prepareInvocation` — send or resend an
 * OTP. Lookups go through the same calls as the palette, so they are recorded and explained like any other. No tool
 * answers or logs the token: records never hold it. On editors before VS Code 1.95 nothing is registered
 * (see lmApi.ts for why the extension keeps supporting 1.90).
 */
import * as vscode from 'vscode';
import { Tools } from '../../constants';
import { isRecord } from '../../core/json';
import { inert } from '../../core/text';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { Lookups } from '../lookup/lookups';
import { toolsApi, type LanguageModelTool, type PreparedToolInvocation, type ToolsApi } from './lmApi';
import type { Input, ToolRuns, ToolVerify } from './toolRuns';
import type { WaitableWatches } from './waiting';

export type { ToolVerify } from './toolRuns';

export class AgentToolsFeature extends Feature {
  /** The registered tools by name (tests reach `prepareInvocation` through it); empty before VS Code 1.95. */
  readonly tools = new Map<string, LanguageModelTool<Input>>();
  /** What the tools do, loaded on the first invocation (dist/chunks/, see esbuild.js). */
  private runsLoaded?: Promise<ToolRuns>;

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
      async (input, token) => (await this.runs()).getStatus(input, token),
      (input) => ({ invocationMessage: vscode.l10n.t('Checking the status of {0}', shown(input.otpId)) }),
    );
    this.add(api, Tools.getHistory, async (input) => (await this.runs()).getHistory(input));
    this.add(
      api,
      Tools.watchStatus,
      async (input, token) => (await this.runs()).watchStatus(input, token),
      (input) => ({ invocationMessage: vscode.l10n.t('Watching {0} until it is settled', shown(input.otpId)) }),
    );
    this.add(
      api,
      Tools.sendOtp,
      async (input) => (await this.runs()).sendOtp(input),
      (input) => this.confirmSend(input),
    );
    this.add(
      api,
      Tools.resendOtp,
      async (input) => (await this.runs()).resendOtp(input),
      (input) => this.confirmResend(input),
    );
  }

  private runs(): Promise<ToolRuns> {
    this.runsLoaded ??= import('./toolRuns').then(({ ToolRuns }) => new ToolRuns(this.s, this.lookups, this.watches, this.verify));
    return this.runsLoaded;
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
