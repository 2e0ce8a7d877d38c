/**
 * Entry point loaded by the VS Code extension host through `extensionTestsPath` (the @vscode/test-electron
 * contract: export `run(): Promise<void>`, reject when a test failed). Used by both runners:
 * `scripts/test-integration.js` (code-server, offline, `npm run test:integration`) and
 * `test/integration/runDesktop.ts` (desktop VS Code, `npm run test:desktop`).
 *
 * Runs mocha (bdd, 30 s per test) over every `*.test.js` in this compiled folder and its subfolders, then logs
 * mocha's own summary and a final line `N passed, N failed`.
 * `D7OTP_GREP` (environment of the extension host) limits the run to matching test titles.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

function findTests(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    // twoWindows/ has its own runner (scripts/test-two-windows.js).
    if (entry.isDirectory() && entry.name !== 'twoWindows') out.push(...findTests(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) out.push(full);
  }
  return out.sort();
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  if (process.env.D7OTP_GREP) mocha.grep(process.env.D7OTP_GREP);
  const files = findTests(__dirname);
  for (const file of files) mocha.addFile(file);
  console.log(`[integration] ${files.length} test file(s): ${files.map((f) => path.relative(__dirname, f)).join(', ')}`);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const passes = runner.stats?.passes ?? 0;
        const failed = runner.stats?.failures ?? failures;
        const pending = runner.stats?.pending ?? 0;
        console.log(`${passes} passed, ${failed} failed${pending ? `, ${pending} pending` : ''}`);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else if (passes === 0) reject(new Error('no integration test ran'));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
