/** D7 OTP: Set API Token / Clear API Token / Show Token Info. The commands' work (tokenCommands.ts) is loaded from dist/chunks/ on first use. */
import { Commands } from '../../constants';
import { stringArg } from '../../core/args';
import type { Services } from '../../services/services';
import { Feature } from '../feature';
import type { TokenCommands } from './tokenCommands';

export class TokenFeature extends Feature {
  private loaded?: Promise<TokenCommands>;

  constructor(private readonly s: Services) {
    super();
    this.registerCommands({
      /** Optional argument: the token. Without it, asks in a password box. Returns true when a token was stored. */
      [Commands.setToken]: async (arg?: unknown) => (await this.work()).setToken(stringArg(arg)),
      [Commands.clearToken]: async () => (await this.work()).clearToken(),
      [Commands.showTokenInfo]: async () => (await this.work()).showTokenInfo(),
    });
    void s.tokens.updateContext(); // the context key without holding up activation
  }

  private work(): Promise<TokenCommands> {
    this.loaded ??= import('./tokenCommands').then(({ TokenCommands }) => new TokenCommands(this.s));
    return this.loaded;
  }
}
