#!/usr/bin/env node
// The two-window test (test/integration/twoWindows/): one code-server, two workbench pages in one browser
// profile — two windows, each with its own extension host, sharing the user's storage — running the same steps in
// their roles (A, B), coordinated through a control folder; window A reloads itself in the middle of a burst and
// runs on in its new extension host; then a third window (C) is opened to read what they left. The mock D7 server
// runs here, its otp_ids created before the windows open.
//
//   node scripts/test-two-windows.js        (npm run test:windows; needs `npm run build && npm run compile:tests`)
//   VERBOSE=1 ...                           every workbench console line
//   D7OTP_KEEP_RUN=1                        keep code-server's temp dir and the control folder
//
// Exit code 0 when window A (after its reload), window B and window C all passed.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const util = require('node:util');
const { REPO, startCodeServer, openWorkbench, cleanLogLine, runExitHooks } = require('./codeServer');

const TESTS = path.join(REPO, 'out/test/integration/twoWindows/index.js');
const TIMEOUT_MS = Number(process.env.D7OTP_TEST_TIMEOUT_MS || 12 * 60_000);
const SUMMARY = /two windows|passing|failing|passed, \d+ failed|✔|\d+\) /;

function post(url, token, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(data)) : reject(new Error(`${url} -> ${res.statusCode} ${data.slice(0, 200)}`))));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** `n` OPEN OTPs on the mock (expiry one hour). */
async function createOtps(mockUrl, token, n) {
  const ids = [];
  for (let i = 0; i < n; i += 20) {
    const batch = Array.from({ length: Math.min(20, n - i) }, (_, j) =>
      post(`${mockUrl}/verify/v1/otp/send-otp`, token, {
        originator: 'TwoWindows',
        recipient: `+9715${String(2000000 + i + j).padStart(8, '0')}`,
        content: 'Your code is {}',
        expiry: 3600,
      }),
    );
    for (const r of await Promise.all(batch)) ids.push(r.otp_id);
  }
  return ids;
}

/** Opens one more window (page) of the same browser profile; `onExit` gets each code its extension host reports. */
async function openWindow(context, url, name, onExit) {
  const page = await context.newPage();
  await page.exposeFunction('codeAutomationExit', (code) => onExit(code));
  await page.exposeFunction('codeAutomationLog', (_type, args) => logLine(name, args));
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  return page;
}

function logLine(name, args) {
  let line;
  try {
    line = util.format(...(Array.isArray(args) ? args : [args]));
  } catch {
    line = String(args);
  }
  const clean = cleanLogLine(line);
  if (clean == null) return;
  for (const l of clean.split('\n')) if (process.env.VERBOSE || SUMMARY.test(l) || /Error|failed/i.test(l)) console.log(`[window ${name}] ${l}`);
}

/** A promise and its resolve, for an exit code. */
function exitOf() {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  return { promise, resolve };
}

async function main() {
  for (const f of [TESTS, path.join(REPO, 'dist/extension.js'), path.join(REPO, 'out/test/mock/server.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`[two windows] missing ${path.relative(REPO, f)}: run \`npm run build && npm run compile:tests\` first`);
      return 1;
    }
  }
  const { startMockServer, MOCK_TOKEN } = require(path.join(REPO, 'out/test/mock/server.js'));
  const mock = await startMockServer({ host: '127.0.0.1' });
  const control = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-two-windows-'));
  const ids = await createOtps(mock.url, MOCK_TOKEN, 200 + 200 + 6 + 150 + 40);
  const plan = {
    mockUrl: mock.url,
    token: MOCK_TOKEN,
    ids: { a: ids.slice(0, 200), b: ids.slice(200, 400) },
    watch: { a: ids.slice(400, 403), b: ids.slice(403, 406) },
    burst: ids.slice(406, 556),
    extra: ids.slice(556, 596),
  };
  fs.writeFileSync(path.join(control, 'plan.json'), JSON.stringify(plan));
  const workspaceB = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-window-b-'));

  const server = await startCodeServer({
    extensionDevelopmentPath: REPO,
    extensionTestsPath: TESTS,
    workspace: path.join(REPO, 'test/fixtures/workspace'),
    env: { D7OTP_TWO_WINDOWS: control },
    userSettings: { 'd7otp.baseUrl': mock.url, 'd7otp.watch.intervalSeconds': 1, 'd7otp.history.maxEntries': 2000, 'd7otp.watch.notify': false },
  });
  const url = (role, folder) => server.workbenchUrl({ folder, payload: [...server.payload, ['extensionEnvironment', JSON.stringify({ D7OTP_WINDOW: role })]] });
  console.log(`[two windows] code-server ${server.baseUrl}; control folder ${control}; ${ids.length} OTPs on the mock ${mock.url}`);

  const exits = { a: exitOf(), b: exitOf(), c: exitOf() };
  let wb;
  try {
    wb = await openWorkbench({ url: 'about:blank', waitForWorkbench: false, clipboard: false });
    await openWindow(wb.context, url('a', path.join(REPO, 'test/fixtures/workspace')), 'A', (code) => exits.a.resolve(code));
    await openWindow(wb.context, url('b', workspaceB), 'B', (code) => exits.b.resolve(code));
    const timeout = new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT_MS).unref()); // unref: the runner exits when done
    const [a, b] = await Promise.race([Promise.all([exits.a.promise, exits.b.promise]), timeout.then(() => ['timeout', 'timeout'])]);
    console.log(
      `[two windows] window A ended with ${a}${fs.existsSync(path.join(control, 'a2.started.json')) ? ' (after its reload)' : ' (it never reloaded)'}, window B with ${b}`,
    );
    let c = 'not run';
    if (a === 0 && b === 0) {
      await openWindow(wb.context, url('c', workspaceB), 'C', (code) => exits.c.resolve(code));
      c = await Promise.race([exits.c.promise, timeout]);
      console.log(`[two windows] window C (opened afterwards) ended with ${c}`);
    }
    const ok = a === 0 && b === 0 && c === 0 && fs.existsSync(path.join(control, 'a2.started.json'));
    console.log(`[two windows] ${ok ? 'PASS' : 'FAIL'}`);
    return ok ? 0 : 1;
  } finally {
    if (wb) await wb.close();
    await server.stop();
    await mock.close();
    if (!process.env.D7OTP_KEEP_RUN) for (const d of [control, workspaceB]) fs.rmSync(d, { recursive: true, force: true });
  }
}

main()
  .then((code) => {
    process.exitCode = code;
  })
  .catch(async (e) => {
    console.error('[two windows] runner failed:', e && e.stack ? e.stack : e);
    await runExitHooks();
    process.exitCode = 1;
  });
