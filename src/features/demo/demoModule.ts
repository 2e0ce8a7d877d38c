/**
 * What `dist/demo.js` gives the extension: the project's mock D7 server (test/mock/) and the session that runs it
 * (demoSession.ts), built by esbuild.js as a bundle of its own and loaded only when someone asks for the demo, never
 * at activation. No `vscode` import.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { DemoSession } from './demoSession';

/** The profile the demo adds. */
export const DEMO_PROFILE = 'demo';

/** What globalState keeps of the demo: that the `demo` profile is the demo's own, and its port. */
export interface DemoState {
  port: number;
}

/** An OTP the demo server "sent by SMS". */
export interface DemoOtp {
  otpId: string;
  recipient: string;
  code: string;
}

export interface DemoServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

interface DemoServerOptions {
  /** Preferred port; 0 or absent: any free one. */
  port?: number;
  /** The bearer token it accepts. */
  token: string;
  /** Told of each OTP it sends. */
  onOtp?: (otp: DemoOtp) => void;
}

export interface DemoModule {
  /** Starts the mock on 127.0.0.1 (never another interface). */
  startDemoServer(options: DemoServerOptions): Promise<DemoServer>;
  /** A new random JWT-shaped token for a demo server. */
  newDemoToken(): string;
  /** The otp_ids with a canned answer worth trying first. */
  readonly scenarios: readonly { name: string; otpId: string; answer: string }[];
}

/** What `dist/demo.js` exports. */
export interface DemoBundle {
  demo: DemoModule;
  DemoSession: typeof DemoSession;
}

/** Loads `dist/demo.js` from the extension's folder (a CommonJS bundle exporting `demo` and `DemoSession`). */
export function loadDemoBundle(extensionPath: string): DemoBundle {
  const file = path.join(extensionPath, 'dist', 'demo.js');
  const loaded = createRequire(file)(file) as Partial<DemoBundle>;
  if (typeof loaded.demo?.startDemoServer !== 'function' || typeof loaded.DemoSession !== 'function') {
    throw new Error(`${file} is not the demo server bundle`);
  }
  return loaded as DemoBundle;
}
