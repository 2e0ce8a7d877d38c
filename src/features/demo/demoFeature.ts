/**
 * Try it without a D7 account. "Try with the Built-in Demo Server" loads `dist/demo.js` (only then: never at
 * activation) — the project's mock D7 server and the session that runs it (demoSession.ts) — which starts the
 * server on 127.0.0.1, adds a profile named `demo` with a token of its own and makes it active. It touches nothing
 * else: not `d7otp.baseUrl`, not the default token, not the history. Removing the `demo` profile stops the server
 * and forgets its token; with the profile active after a reload, the server comes back on the same port.
 *
 * Also here: `npm start`'s sandbox hands the extension the mock's token (`D7OTP_SANDBOX_TOKEN`), stored for the
 * default profile when that profile points at a loopback host and has no token yet, so a newcomer's first action
 * is to check a status.
 */
import * as vscode from 'vscode';
import { Commands, StorageKeys } from '../../constants';
import { parseBaseUrl } from '../../core/baseUrl';
import { DEFAULT_PROFILE } from '../../core/defaults';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import { DEMO_PROFILE, loadDemoBundle, type DemoState } from './demoModule';
import type { DemoSession } from './demoSession';
import { onNextTurn } from '../../core/lifecycle';

export class DemoFeature extends Feature {
  private session?: DemoSession;

  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      /** Starts (or reuses) the demo server and its profile; returns the server's URL, or undefined when refused. */
      [Commands.tryDemo]: () => this.tryDemo(),
    });
    this.register(s.profiles.onDidChange(() => void this.onProfilesChange()));
    this.register({ dispose: () => void this.session?.stopServer() });
    this.register(onNextTurn(() => void this.afterActivation())); // nothing here holds up activation
  }

  private get state(): DemoState | undefined {
    const value = this.s.context.globalState.get<DemoState>(StorageKeys.demo);
    return value && Number.isInteger(value.port) ? value : undefined;
  }

  private demoProfile() {
    return this.s.profiles.list().find((p) => p.name === DEMO_PROFILE);
  }

  /** The session of `dist/demo.js`, loaded on first use. */
  private load(): DemoSession {
    if (!this.session) {
      const bundle = loadDemoBundle(this.s.context.extensionUri.fsPath);
      this.session = new bundle.DemoSession(this.s, bundle.demo);
    }
    return this.session;
  }

  private async tryDemo(): Promise<string | undefined> {
    if (this.demoProfile() && !this.state) {
      void vscode.window.showErrorMessage(
        vscode.l10n.t('A profile named "{0}" exists already and is not the demo\'s; remove or rename it first.', DEMO_PROFILE),
      );
      return undefined;
    }
    let session: DemoSession;
    try {
      session = this.load();
    } catch (error) {
      this.s.log.error(`Could not load the demo server: ${String(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not start the built-in demo server: {0}', String(error).slice(0, 200)));
      return undefined;
    }
    return session.tryDemo();
  }

  /** The demo profile removed: the server stops and its token and state go. Made active again: it comes back. */
  private async onProfilesChange(): Promise<void> {
    if (!this.state) return;
    if (!this.demoProfile()) {
      await this.session?.stopServer();
      await this.s.context.globalState.update(StorageKeys.demo, undefined);
      await this.s.tokens.clear({ name: DEMO_PROFILE, baseUrl: '' });
      this.s.log.info('Demo profile removed: the demo server stopped and its token was forgotten.');
    } else if (this.s.profiles.active().name === DEMO_PROFILE && !this.session?.running) {
      await this.resume();
    }
  }

  private async afterActivation(): Promise<void> {
    await this.seedSandboxToken();
    if (this.state && this.s.profiles.active().name === DEMO_PROFILE) await this.resume();
    else if (this.state && !this.demoProfile()) await this.onProfilesChange();
  }

  private async resume(): Promise<void> {
    try {
      const url = await this.load().ensureServer();
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
}
