#!/usr/bin/env node
// Runs the integration suite (out/test/integration/index.js, the @vscode/test-electron `run()` contract) inside a
// REAL VS Code extension host: code-server's Node extension host, driven by the web workbench in headless chromium.
// Offline: tools come from npm + Debian (scripts/tools.sh). Needs `npm run build` and `npm run compile:tests` first.
//
//   node scripts/test-integration.js            (npm run test:integration)
//   VERBOSE=1 ...                               every workbench console line, no filtering
//   D7OTP_TEST_TIMEOUT_MS=600000                overall limit (default 10 min); on timeout: artifacts/integration-timeout.png
//   D7OTP_KEEP_RUN=1                            keep code-server's temp dir (logs) after the run
//
// Exit code: the one mocha's run() reported (0 = all passed), 1 on timeout or failure to start.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO, startCodeServer, openWorkbench, cleanLogLine, runExitHooks } = require('./codeServer');

const TESTS = path.join(REPO, 'out/test/integration/index.js');
const WORKSPACE = path.join(REPO, 'test/fixtures/workspace');
const ARTIFACTS = path.join(REPO, 'artifacts');
const TIMEOUT_MS = Number(process.env.D7OTP_TEST_TIMEOUT_MS || 10 * 60_000);

const SUMMARY = /^\s*(\d+ (passing|failing|pending)\b.*|\d+ passed, \d+ failed.*)$/;

async function main() {
  const t0 = Date.now();
  const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
  for (const f of [TESTS, path.join(REPO, 'dist/extension.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`[integration] missing ${path.relative(REPO, f)}: run \`npm run build && npm run compile:tests\` first`);
      return 1;
    }
  }

  const server = await startCodeServer({
    extensionDevelopmentPath: REPO,
    extensionTestsPath: TESTS,
    workspace: WORKSPACE,
    env: { D7OTP_INTEGRATION: '1' },
  });
  console.log(`[integration] code-server ${server.baseUrl} ready after ${since()}; opening the workbench`);

  const summary = [];
  let finish;
  const finished = new Promise((r) => (finish = r));
  let wb;
  try {
    wb = await openWorkbench({
      url: server.url,
      waitForWorkbench: false,
      onExit: (code) => finish(code),
      onLog: (_type, raw) => {
        const line = cleanLogLine(raw);
        if (line == null) return;
        console.log(line);
        for (const l of line.split('\n')) if (SUMMARY.test(l)) summary.push(l.trim());
      },
    });
    let timer;
    const code = await Promise.race([finished, new Promise((r) => (timer = setTimeout(() => r('timeout'), TIMEOUT_MS)))]);
    clearTimeout(timer);
    if (code === 'timeout') {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const shot = path.join(ARTIFACTS, 'integration-timeout.png');
      await wb.page.screenshot({ path: shot }).catch(() => {});
      console.error(
        `[integration] TIMEOUT after ${TIMEOUT_MS / 1000}s; screenshot: ${path.relative(REPO, shot)}; ` + `code-server log: ${server.logFile} (kept)`,
      );
      process.env.D7OTP_KEEP_RUN = '1';
      return 1;
    }
    console.log(`\n[integration] extension host finished in ${since()} with exit code ${code}`);
    if (summary.length) console.log(`[integration] mocha summary:\n  ${summary.join('\n  ')}`);
    else console.log('[integration] (no mocha summary line seen: did run() start mocha?)');
    return code === 0 ? 0 : 1;
  } finally {
    if (wb) await wb.close();
    await server.stop();
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (e) => {
    console.error('[integration] runner failed:', e && e.stack ? e.stack : e);
    await runExitHooks();
    process.exitCode = 1;
  });
