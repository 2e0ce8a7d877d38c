/**
 * The built-in demo once someone asked for it: starts the mock D7 server of `dist/demo.js` on 127.0.0.1, adds the
 * `demo` profile with a token of its own and makes it active, shows the demo's "SMS" and offers otp_ids to try.
 * This file is bundled into `dist/demo.js` (esbuild.js), not into the extension's main bundle: it is loaded with the
 * mock, only when asked (demoFeature.ts keeps what must run without it).
 */
import * as vscode from 'vscode';
import { Commands, StorageKeys } from '../../constants';
import { recipientText } from '../../core/recipient';
import type { Services } from '../../services/services';
import { DEMO_PROFILE, type DemoModule, type DemoOtp, type DemoServer, type DemoState } from './demoModule';

export class DemoSession {
  private server?: DemoServer;
  private starting?: Promise<string>;

  constructor(
    private readonly s: Services,
    private readonly module: DemoModule,
  ) {}

  /** Starts (or reuses) the server and its profile and says so; resolves the server's URL, or undefined when refused. */
  async tryDemo(): Promise<string | undefined> {
    let url: string;
    try {
      url = await this.ensureServer();
    } catch (error) {
      this.s.log.error(`Could not start the demo server: ${String(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the built-in demo server: {0}', String(error).slice(0, 200)));
      return undefined;
    }
    await this.s.profiles.switchTo(DEMO_PROFILE);
    await this.s.tokens.updateContext();
    this.s.log.info(`Demo server at ${url}; profile "${DEMO_PROFILE}" active.`);
    const pick = vscode.l10n.t('Check a Demo otp_id');
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'The built-in demo server runs at {0}, and the profile "{1}" (its own token) is active. Your settings and token are untouched; removing the profile stops the server.',
          url,
          DEMO_PROFILE,
        ),
        pick,
      )
      .then((choice) => choice === pick && void this.checkExample());
    return url;
  }

  get running(): boolean {
    return this.server !== undefined || this.starting !== undefined;
  }

  /** Starts the server (once) with the demo profile's token, and makes the profile point at it. Resolves its URL. */
  ensureServer(): Promise<string> {
    if (this.server) return Promise.resolve(this.server.url);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.close().catch(() => undefined);
  }

  private async start(): Promise<string> {
    const existing = this.s.profiles.list().find((p) => p.name === DEMO_PROFILE);
    const token = (existing && (await this.s.tokens.get(existing))) ?? this.module.newDemoToken();
    const state = this.s.context.globalState.get<DemoState>(StorageKeys.demo);
    const preferred = (state && Number.isInteger(state.port) ? state.port : undefined) ?? portOf(existing?.baseUrl);
    let server: DemoServer;
    try {
      server = await this.module.startDemoServer({ port: preferred, token, onOtp: (otp) => this.showSms(otp) });
    } catch {
      server = await this.module.startDemoServer({ port: 0, token, onOtp: (otp) => this.showSms(otp) }); // the port is taken
    }
    this.server = server;
    await this.s.context.globalState.update(StorageKeys.demo, { port: server.port } satisfies DemoState);
    const others = this.s.config.profiles.filter((p) => p.name !== DEMO_PROFILE);
    const profile = { name: DEMO_PROFILE, baseUrl: server.url };
    if (existing?.baseUrl !== server.url) await this.s.config.setProfiles([...others, profile]);
    await this.s.tokens.set(token, profile); // bound to this server's origin
    return server.url;
  }

  /** The demo's "phone": the code of each OTP it sends, with a button that verifies it. */
  private showSms(otp: DemoOtp): void {
    const verify = vscode.l10n.t('Verify with This Code');
    const to = recipientText(otp.recipient, this.s.config.showPhoneNumbers);
    void vscode.window
      .showInformationMessage(vscode.l10n.t('Demo SMS to {0}: code {1} (otp_id {2}).', to, otp.code, otp.otpId), verify)
      .then((choice) => choice === verify && void vscode.commands.executeCommand(Commands.verifyOtp, otp.otpId, otp.code));
  }

  private async checkExample(): Promise<void> {
    const picked = await vscode.window.showQuickPick(
      this.module.scenarios.map((s) => ({ label: s.name, description: s.answer, detail: s.otpId, otpId: s.otpId })),
      { title: vscode.l10n.t('D7 OTP: otp_ids the demo server knows'), matchOnDetail: true },
    );
    if (picked) await vscode.commands.executeCommand(Commands.checkStatus, picked.otpId);
  }
}

function portOf(url: string | undefined): number | undefined {
  const match = url ? /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(url) : null;
  return match ? Number(match[1]) : undefined;
}
