/**
 * The extension-host entry of the two-window run (`extensionTestsPath` of every window that
 * scripts/test-two-windows.js opens): mocha over steps.js, whose tests depend on the window's role. The main
 * integration suite (../index.ts) leaves this folder out.
 */
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 240_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'steps.js'));
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const passes = runner.stats?.passes ?? 0;
      console.log(`[two windows ${process.env.D7OTP_WINDOW ?? '?'}] ${passes} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} two-window test(s) failed`));
      else if (passes === 0) reject(new Error('no two-window test ran'));
      else resolve();
    });
  });
}
