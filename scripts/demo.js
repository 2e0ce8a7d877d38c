#!/usr/bin/env node
// One-command demo (`npm start`): builds the extension, starts the mock D7 server and a sandboxed VS Code
// (code-server behind a token gate on 127.0.0.1, fresh user-data dir, `d7otp.baseUrl` = the mock) with the extension
// loaded from this clone, then prints the URL to open (it carries the sandbox's token) and otp_ids to try. The mock's
// API token is already stored (handed to the extension as D7OTP_SANDBOX_TOKEN, which it stores only for a loopback
// default profile without a token), so the first thing to do is check a status. Ctrl-C stops everything.
//
//   npm start                       build + run (tools are installed by scripts/tools.sh the first time)
//   npm start -- --no-build         skip the build
//   npm start -- --port 8080        code-server port (default 7078 if free, else any free port)
//
// How the extension is loaded: code-server cannot take --extensionDevelopmentPath on its command line; it is passed
// in the workbench URL's payload, and the workbench honours that payload only when the server runs with
// `--vscode-option enable-smoke-test-driver`, a test mode that also suppresses every notification toast. For a demo
// a person uses, this script instead links the clone into the (temporary) extensions dir as
// `d7-otp-inspector.d7-otp-inspector-<version>` -> this folder, so the plain URL works, notifications show, and after
// a rebuild (`npm run build`) "Developer: Reload Window" picks up the new dist/extension.js.
'use strict';

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { REPO, ensureTools, portIsFree, freePort, startCodeServer, addExitHook, runExitHooks } = require('./codeServer');

const MOCK_PORT = 7077;
const CS_PORT = 7078;

function arg(name) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function run(cmd, args, { allowFail = false } = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0 && !allowFail) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
  return r.status === 0;
}

async function main() {
  const t0 = Date.now();
  addExitHook(() => console.log('\n[demo] stopped: code-server and the mock server are gone.')); // runs last
  if (!process.argv.includes('--no-build')) {
    run('node', ['esbuild.js']);
    // tsc still emits when it reports a type error; the demo only needs out/test/mock/*.js from it.
    const ok = run('npx', ['tsc', '-p', 'tsconfig.test.json'], { allowFail: true });
    if (!ok) console.warn('(tsc reported errors; continuing with what it emitted)');
  }
  const mockModule = path.join(REPO, 'out/test/mock/server.js');
  if (!fs.existsSync(mockModule)) throw new Error('out/test/mock/server.js is missing: run `npx tsc -p tsconfig.test.json`');
  ensureTools(); // runs scripts/tools.sh when something is missing (first time: a few minutes)

  const { startMockServer, MOCK_TOKEN, SCENARIOS } = require(mockModule);
  const { MAIN_SCENARIOS } = require(path.join(REPO, 'out/test/mock/scenarios.js'));
  const mockPort = (await portIsFree(MOCK_PORT)) ? MOCK_PORT : 0;
  // The mock prints each OTP's code as it "sends" it: that is the SMS of the demo.
  const mock = await startMockServer({ host: '127.0.0.1', port: mockPort, log: (line) => console.log(line) });
  addExitHook(() => mock.close());

  // A scratch workspace whose README.txt (opened at startup, as text: the hover works there, not in a Markdown
  // preview) lists the ids: hover one and click "Check status", or put the cursor on one and press the key.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-demo-workspace-'));
  addExitHook(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const width = Math.max(...MAIN_SCENARIOS.map(([name]) => name.length));
  // Lines short enough for the editor of a 1280×800 window with the side bar open (about 90 characters).
  const short = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const idLine = (name, id, answer) => `  ${name.padEnd(width)}  ${id}  ${short(answer, 86 - 6 - width - id.length)}`;
  fs.writeFileSync(
    path.join(workspace, 'README.txt'),
    [
      'Try D7 OTP Inspector',
      '====================',
      '',
      `The mock D7 server runs at ${mock.url} (this sandbox's d7otp.baseUrl);`,
      'its token is already stored.',
      '',
      '- Hover an otp_id below and click "Check status", or put the cursor on one',
      '  and press Ctrl+Shift+Alt+D (⌃⇧⌘D on macOS). The result is in the D7 OTP view',
      '  (its icon is in the activity bar on the left).',
      '- Or click that icon, then "Check Status", and paste an id.',
      '',
      'otp_ids the mock knows:',
      '',
      ...MAIN_SCENARIOS.map(([name, answer]) => idLine(name, SCENARIOS[name], answer)),
      idLine('unknown', '99999999-9999-4999-8999-999999999999', '404 MESSAGE_LOG_NOT_EXISTS'),
      '',
      'The whole Verify flow:',
      '',
      '1. "D7 OTP: Send OTP…": any E.164 number (+971501234567), keep the defaults,',
      '   confirm. The new otp_id is in the history and watched.',
      '2. The code "sent by SMS" is printed in the terminal that runs npm start,',
      `   and at ${mock.url}/__mock/otp/<otp_id>.`,
      '3. "D7 OTP: Verify Code…" (or the tree item\'s action) with that code:',
      '   APPROVED, with its timeline.',
      '4. Try a wrong code (INVALID_OTP_CODE), or "Resend OTP" at once',
      '   ("minimum 60 seconds delay").',
      '',
    ].join('\n'),
  );

  const wanted = Number(arg('--port')) || CS_PORT;
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({
    port,
    userSettings: { 'd7otp.baseUrl': mock.url, 'workbench.startupEditor': 'readme' },
    env: { D7OTP_SANDBOX_TOKEN: MOCK_TOKEN },
    linkExtension: REPO,
    smokeTestDriver: false,
    workspace,
  });

  const out = [
    '',
    `D7 OTP Inspector demo ready in ${((Date.now() - t0) / 1000).toFixed(1)}s`,
    '',
    `  Open in a browser:  ${server.workbenchUrl({ folder: workspace })}`,
    "  (the URL carries this session's token; without it the sandbox answers 401. From another machine:",
    `  ssh -L ${server.port}:127.0.0.1:${server.port} and open the same URL)`,
    '',
    `  Mock D7 server:     ${mock.url}   (user setting d7otp.baseUrl points here; its token is already stored)`,
    '',
    '  In VS Code: hover an otp_id in the README.txt that opens, click "Check status"; or click the "D7 OTP" icon in the',
    '  activity bar, "Check Status", and paste one of:',
    ...MAIN_SCENARIOS.slice(0, 8).map(([name, answer]) => `    ${name.padEnd(width)}  ${SCENARIOS[name]}  ${answer}`),
    `    ${'unknown'.padEnd(width)}  99999999-9999-4999-8999-999999999999  404 MESSAGE_LOG_NOT_EXISTS`,
    "  (all of them are in the workspace's README.txt)",
    '',
    '  The whole flow: "D7 OTP: Send OTP…" to any number, then "Verify Code…" with the code the mock prints here',
    `  ("[mock] OTP <id> to <number>: code <code>"; also at ${mock.url}/__mock/otp/<otp_id>).`,
    '',
    `  code-server log:    ${server.logFile}`,
    '  Desktop VS Code instead: code --extensionDevelopmentPath="$PWD", then "D7 OTP: Try with the Built-in Demo Server"',
    '',
    'Press Ctrl-C to stop the demo (code-server, the mock server).',
  ];
  console.log(out.join('\n'));
  await new Promise(() => {}); // until Ctrl-C: codeServer.js's signal handler stops everything registered
}

main().catch(async (e) => {
  console.error(`[demo] ${e && e.stack ? e.stack : e}`);
  await runExitHooks();
  process.exit(1);
});
