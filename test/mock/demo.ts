/**
 * The mock D7 server as the extension's built-in demo: esbuild.js bundles this file into `dist/demo.js`, which
 * the "Try with the Built-in Demo Server" command loads on demand (src/features/demo/). Listens on 127.0.0.1 only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DemoModule } from '../../src/features/demo/demoModule';
import { MAIN_SCENARIOS, SCENARIOS } from './scenarios';
import { startMockServer } from './server';

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export const demo = {
  startDemoServer: async ({ port, token, onOtp }) => {
    const server = await startMockServer({ host: '127.0.0.1', port: port ?? 0, token, ...(onOtp ? { onOtp } : {}) });
    return { url: server.url, port: server.port, close: () => server.close() };
  },
  newDemoToken: () =>
    `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ aud: 'd7otp-demo', sub: randomUUID() })}.${randomBytes(24).toString('base64url')}`,
  scenarios: MAIN_SCENARIOS.map(([name, answer]) => ({ name, otpId: SCENARIOS[name], answer })),
} satisfies DemoModule;
