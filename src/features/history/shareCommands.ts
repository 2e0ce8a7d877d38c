/**
 * Out of the editor: an entry's lookup as a curl command, the entry as a Markdown block for a bug report, and a link
 * that opens it in another editor. Tree items (or an otp_id string) as the argument; each returns what it copied.
 * Registered at activation; the work (shareWork.ts) is loaded on first use.
 */
import { Commands } from '../../constants';
import type { Services } from '../../services/services';
import { Feature } from '../feature';

export class ShareCommands extends Feature {
  constructor(s: Services) {
    super();
    const work = () => import('./shareWork'); // on demand: dist/chunks/
    this.registerCommands({
      [Commands.historyCopyCurl]: async (arg?: unknown) => (await work()).copyCurl(s, arg),
      [Commands.historyCopyMarkdown]: async (arg?: unknown) => (await work()).copyMarkdown(s, arg),
      [Commands.historyCopyLink]: async (arg?: unknown) => (await work()).copyLink(s, arg),
    });
  }
}
