/**
 * The extension's entry (package.json `main`, dist/start.js): loads the bundle (dist/extension.js) with V8's code
 * cache from the extension's global storage (src/boot/codeCache.ts) and hands `activate` and `deactivate` to it.
 * Nothing else happens here; `activate()`'s own time is measured inside the bundle, as before.
 */
import { join } from 'node:path';
import type * as vscode from 'vscode';
import { loadWithCodeCache } from './boot/codeCache';
import type * as Extension from './extension';

/** How long after activation the cache is written (when it is): activation and the work it deferred have run by then. */
const SAVE_AFTER_MS = 3_000;

let loaded: typeof Extension | undefined;

export function activate(context: vscode.ExtensionContext): ReturnType<typeof Extension.activate> {
  const bundle = loadWithCodeCache<typeof Extension>(join(__dirname, 'extension.js'), join(context.globalStorageUri.fsPath, 'code-cache'));
  performance.measure('d7otp.load', {
    start: performance.now() - bundle.loadMs,
    duration: bundle.loadMs,
    detail: { cache: bundle.cache, compileMs: bundle.compileMs },
  });
  loaded = bundle.exports;
  const api = loaded.activate(context);
  context.subscriptions.push(bundle.saveLater(SAVE_AFTER_MS));
  return api;
}

export function deactivate(): Promise<void> | undefined {
  return loaded?.deactivate();
}
