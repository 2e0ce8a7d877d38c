/**
 * What `dist/demo.js` gives the extension: the project's mock D7 server (test/mock/), built by esbuild.js as a
 * bundle of its own and loaded only when someone asks for the demo, never at activation. No `vscode` import.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

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

/** Loads `dist/demo.js` from the extension's folder (a CommonJS bundle exporting `demo`). */
export function loadDemoModule(extensionPath: string): DemoModule {
  const file = path.join(extensionPath, 'dist', 'demo.js');
  const loaded = createRequire(file)(file) as { demo?: DemoModule };
  if (!loaded.demo || typeof loaded.demo.startDemoServer !== 'function') throw new Error(`${file} is not the demo server bundle`);
  return loaded.demo;
}
