/**
 * Runs the integration suite in a desktop VS Code, downloaded by @vscode/test-electron (needs the internet and a
 * display, e.g. `xvfb-run -a npm run test:desktop` on Linux CI). The offline runner used by `npm test` and CI is
 * `scripts/test-integration.js` (code-server); both load the same `out/test/integration/index.js`.
 *
 *   npm run test:desktop                          (builds, compiles the tests, then runs this file)
 *   VSCODE_VERSION=1.90.0 npm run test:desktop    (oldest supported VS Code; default: stable)
 */
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  // Compiled to out/test/integration/runDesktop.js: the repo root is three levels up.
  const extensionDevelopmentPath = path.resolve(__dirname, '../../..');
  const extensionTestsPath = path.resolve(__dirname, './index.js');
  const workspace = path.resolve(extensionDevelopmentPath, 'test/fixtures/workspace');
  try {
    const code = await runTests({
      version: process.env.VSCODE_VERSION || 'stable',
      extensionDevelopmentPath,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
      extensionTestsEnv: { D7OTP_INTEGRATION: '' },
    });
    process.exitCode = code;
  } catch (err) {
    console.error('Integration tests failed:', err);
    process.exitCode = 1;
  }
}

void main();
