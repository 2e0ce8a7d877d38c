/**
 * D7 OTP: Switch Profile / Add Profile / Remove Profile, and the active profile in the status bar. The commands'
 * work (pickers, input boxes, confirmations: profileCommands.ts) is loaded from dist/chunks/ on first use.
 */
import { Commands } from '../../constants';
import { stringArg } from '../../core/args';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { ProfileCommands } from './profileCommands';
import { ProfileStatusBar } from './profileStatusBar';

export class ProfilesFeature extends Feature {
  private loaded?: Promise<ProfileCommands>;

  constructor(private readonly s: Services) {
    super();
    this.register(new ProfileStatusBar(s.profiles));
    this.register(s.profiles.onDidChange(() => void s.tokens.updateContext()));
    this.registerCommands({
      /** Optional argument: the profile name. Returns true when switched. */
      [Commands.switchProfile]: async (arg?: unknown) => (await this.commands()).switchProfile(stringArg(arg)),
      /** Optional argument `{ name, baseUrl, token? }`: no prompts. Returns true when added. */
      [Commands.addProfile]: async (arg?: unknown) => (await this.commands()).addProfile(arg),
      /** Optional argument: the name (then no confirmation). Removes the profile and its token. */
      [Commands.removeProfile]: async (arg?: unknown) => (await this.commands()).removeProfile(stringArg(arg)),
    });
  }

  private commands(): Promise<ProfileCommands> {
    this.loaded ??= import('./profileCommands').then(({ ProfileCommands }) => new ProfileCommands(this.s));
    return this.loaded;
  }
}
