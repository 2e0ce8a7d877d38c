/**
 * Try it without a D7 account: "Try with the Built-in Demo Server" (see demoRunner.ts). What runs at activation is
 * only this: the command, and two checks of whether the demo is in use (its state in globalState, `npm start`'s
 * token in the environment). The demo's work (demoRunner.ts, dist/chunks/) and its server (dist/demo.js) load
 * only when the demo is used.
 */
import { Commands, StorageKeys } from '../../constants';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { DemoRunner } from './demoRunner';

export class DemoFeature extends Feature {
  private runner?: Promise<DemoRunner>;

  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      /** Starts (or reuses) the demo server and its profile; returns the server's URL, or undefined when refused. */
      [Commands.tryDemo]: async () => (await this.load()).tryDemo(),
    });
    this.register(s.profiles.onDidChange(() => this.inUse() && void this.load().then((r) => r.onProfilesChange())));
    this.register({ dispose: () => void this.runner?.then((r) => r.stopServer()) });
    const later = setTimeout(() => (this.inUse() || process.env.D7OTP_SANDBOX_TOKEN) && void this.load().then((r) => r.afterActivation()), 0);
    this.register({ dispose: () => clearTimeout(later) });
  }

  /** Whether the demo was started in this profile of VS Code (and not forgotten since). */
  private inUse(): boolean {
    return this.s.context.globalState.get(StorageKeys.demo) !== undefined;
  }

  private load(): Promise<DemoRunner> {
    this.runner ??= import('./demoRunner').then(({ DemoRunner }) => new DemoRunner(this.s));
    return this.runner;
  }
}
