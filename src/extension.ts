/**
 * Wiring only: the shared services, then each feature (which registers its own commands, views and listeners),
 * all disposed with the extension; returns the public API. Nothing here awaits I/O or the network.
 */
import * as vscode from 'vscode';
import { createApi, type D7OtpInspectorApi } from './api';
import { AgentToolsFeature } from './features/agentTools/agentToolsFeature';
import { DemoFeature } from './features/demo/demoFeature';
import { EditorFeature } from './features/editor/editorFeature';
import { ExportImportFeature } from './features/exportImport/exportImportFeature';
import { HistoryFeature } from './features/history/historyFeature';
import { LookupFeature } from './features/lookup/lookupFeature';
import { ProfilesFeature } from './features/profiles/profilesFeature';
import { TerminalFeature } from './features/terminal/terminalFeature';
import { TokenFeature } from './features/token/tokenFeature';
import { UriHandlerFeature } from './features/uriHandler/uriHandlerFeature';
import { VerifyFeature } from './features/verify/verifyFeature';
import { WatchFeature } from './features/watch/watchFeature';
import { Services } from './services/services';

export type { D7OtpInspectorApi } from './api';

/** What deactivate awaits: the history's pending writes (set by activate; VS Code awaits deactivate, not dispose). */
let flushHistory: (() => Promise<void>) | undefined;

export function activate(context: vscode.ExtensionContext): D7OtpInspectorApi {
  const started = performance.now();
  const services = new Services(context);
  flushHistory = () => services.history.close();
  const watches = new WatchFeature(services);
  const history = new HistoryFeature(services, watches);
  const lookup = new LookupFeature(services);
  const verify = new VerifyFeature(services, watches);
  const reach = {
    terminal: new TerminalFeature(services, lookup.lookups, watches),
    links: new UriHandlerFeature(services, lookup.lookups, watches),
    tools: new AgentToolsFeature(services, lookup.lookups, watches, verify.service),
  };
  context.subscriptions.push(
    services,
    watches,
    history,
    lookup,
    verify,
    new ProfilesFeature(services),
    new TokenFeature(services),
    new EditorFeature(services, lookup.lookups),
    new ExportImportFeature(services),
    new DemoFeature(services),
    ...Object.values(reach),
  );
  const activationMs = performance.now() - started;
  performance.measure('d7otp.activate', { start: started, duration: activationMs });
  const parts = { services, lookups: lookup.lookups, watches, verify: verify.service, tree: history.view.tree, statusLine: lookup.outcomes.line, ...reach };
  return createApi(parts, context.extensionMode !== vscode.ExtensionMode.Production, activationMs);
}

/** Everything is disposed through context.subscriptions; first, every history write still on its way is finished. */
export async function deactivate(): Promise<void> {
  await flushHistory?.();
}
