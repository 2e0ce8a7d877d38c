/**
 * The demo's work, loaded on demand by DemoFeature (dist/chunks/): Try it without a D7 account. "Try with the Built-in Demo Server" loads the project's mock D7 server
 * (`dist/demo.js`, only then: never at activation), starts it on 127.0.0.1, adds a profile named `demo` with a
 * token of its own and makes it active. It touches nothing else: not `d7otp.baseUrl`, not the default token, not
 * the history. Removing the `demo` profile stops the server and forgets its token; with the profile active after a
 * reload, the server comes back on the same port.
 *
 * Also here: `npm start`'s sandbox hands the extension the mock's token (`D7OTP_SANDBOX_TOKEN`), stored for the
 * default profile when that profile points at a loopback host and has no token yet, so a newcomer's first action
 * is to check a status.
 */
import * as vscode from 'vscode';
import { Commands, StorageKeys } from '../../constants';
import { parseBaseUrl } from '../../core/baseUrl';
import { DEFAULT_PROFILE } from '../../core/defaults';
import { recipientText } from '../../core/recipient';
import type { Services } from '../../services/services';
import { loadDemoModule, type DemoModule, type DemoOtp, type DemoServer } from './demoModule';

const DEMO_PROFILE = 'demo';

/** What globalState keeps of the demo: that the `demo` profile is the demo's own, and its port. */
interface DemoState {
  port: number;
}

export class DemoRunner {
  private module?: DemoModule;
  private server?: DemoServer;
  private starting?: Promise<string>;

  constructor(private readonly s: Services) {}

  private get state(): DemoState | undefined {
    const value = this.s.context.globalState.get<DemoState>(StorageKeys.demo);
    return value && Number.isInteger(value.port) ? value : undefined;
  }

  private demoProfile() {
    return this.s.profiles.list().find((p) => p.name === DEMO_PROFILE);
  }

  /** Starts (or reuses) the demo server and its profile; resolves the server's URL, or undefined when refused. */
  async tryDemo(): Promise<string | undefined> {
    if (this.demoProfile() && !this.state) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('A profile named "{0}" exists already and is not the demo\'s; remove or rename it first.', DEMO_PROFILE),
      );
      return undefined;
    }
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

  /** Starts the server (once) with the demo profile's token, and makes the profile point at it. Resolves its URL. */
  private ensureServer(): Promise<string> {
    if (this.server) return Promise.resolve(this.server.url);
    this.starting ??= this.start().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async start(): Promise<string> {
    this.module ??= loadDemoModule(this.s.context.extensionUri.fsPath);
    const existing = this.demoProfile();
    const token = (existing && (await this.s.tokens.get(existing))) ?? this.module.newDemoToken();
    const preferred = this.state?.port ?? portOf(existing?.baseUrl);
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

  async stopServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.close().catch(() => undefined);
  }

  /** The demo profile removed: the server stops and its token and state go. Made active again: it comes back. */
  async onProfilesChange(): Promise<void> {
    if (!this.state) return;
    if (!this.demoProfile()) {
      await this.stopServer();
      await this.s.context.globalState.update(StorageKeys.demo, undefined);
      await this.s.tokens.clear({ name: DEMO_PROFILE, baseUrl: '' });
      this.s.log.info('Demo profile removed: the demo server stopped and its token was forgotten.');
    } else if (this.s.profiles.active().name === DEMO_PROFILE && !this.server && !this.starting) {
      await this.resume();
    }
  }

  /** After activation: `npm start`'s token, and the server again when the demo profile is active. */
  async afterActivation(): Promise<void> {
    await this.seedSandboxToken();
    if (this.state && this.s.profiles.active().name === DEMO_PROFILE) await this.resume();
    else if (this.state && !this.demoProfile()) await this.onProfilesChange();
  }

  private async resume(): Promise<void> {
    try {
      const url = await this.ensureServer();
      this.s.log.info(`Demo profile active: the demo server is back at ${url}.`);
    } catch (error) {
      this.s.log.error(`Could not start the demo server again: ${String(error)}`);
    }
  }

  /** `npm start`'s token for its mock, stored only for a default profile on a loopback host that has none. */
  private async seedSandboxToken(): Promise<void> {
    const offered = process.env.D7OTP_SANDBOX_TOKEN;
    if (!offered) return;
    const url = parseBaseUrl(this.s.config.baseUrl, 'd7otp.baseUrl');
    if (!url.ok || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(url.origin)) return;
    const profile = this.s.profiles.list().find((p) => p.name === DEFAULT_PROFILE);
    if (!profile || (await this.s.tokens.get(profile)) !== undefined) return;
    if (!(await this.s.tokens.set(offered, profile))) this.s.log.info(`Stored the sandbox's token for its mock D7 server at ${url.origin}.`);
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
    const scenarios = this.module?.scenarios ?? [];
    const picked = await vscode.window.showQuickPick(
      scenarios.map((s) => ({ label: s.name, description: s.answer, detail: s.otpId, otpId: s.otpId })),
      { title: vscode.l10n.t('D7 OTP: otp_ids the demo server knows'), matchOnDetail: true },
    );
    if (picked) await vscode.commands.executeCommand(Commands.checkStatus, picked.otpId);
  }
}

function portOf(url: string | undefined): number | undefined {
  const match = url ? /^http:\/\/127\.0\.0\.1:(\d+)$/.exec(url) : null;
  return match ? Number(match[1]) : undefined;
}
