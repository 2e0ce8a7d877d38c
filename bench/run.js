#!/usr/bin/env node
// `npm run bench`: the extension's performance budgets, measured, printed next to each budget and written to
// docs/BENCHMARKS.md with the machine and the date.
//
//   1. Bundle        production dist/extension.js and .vsix bytes; what takes the space (esbuild metafile)
//   2. Activation    internals.activationMs in a real extension host: cold (first host) and warm (fresh hosts after it)
//   3. Lookup        executeCommand('d7otp.checkStatus') vs a bare node-fetch GET from the same host, 0 and 50 ms
//   4. History       200 / 2,000 / 20,000 entries: parse, add one check, root children, heap
//   5. Bulk          1,000 ids through the bulk command at concurrency 4 and 16, each run in a round with two bare
//                    node-fetch loops over the same ids in the same extension host: the extension's own node-fetch
//                    through the host's http (the ceiling) and node-fetch as an ES module (a reference); the heap
//                    sampled after full GCs; a CPU profile
//   6. Watch         100 watches for 2 minutes, host CPU per poll against a bare GET's
//
// Every figure is printed next to its floor (issue 15) and its value before (bench/before.json, written once by
// `BENCH_SAVE_BEFORE=1 npm run bench` on the code before issue 15). The machine has 2 CPUs shared with others:
// the bulk figures are ratios against the bare loop measured in the same run, and the load of each phase is kept.
//
// How: the .vsix is packed (`npm run package`), unpacked into a temp dir and run as the extension under test in
// code-server's extension host (scripts/codeServer.js, as the integration tests do), with
// `extensionTestsPath` = out/bench/host/entry.js. Each phase gets a fresh extension host (the workbench page is
// loaded again); this script writes the phase into a control file, the host writes its figures into a JSON file.
// The mock D7 server runs in a process of its own (bench/mock.js).
//
//   BENCH_QUICK=1      shorter runs (fewer repeats, 20 s of watching): a smoke test of the benchmark itself
//   BENCH_NO_DOC=1     print only, do not write docs/BENCHMARKS.md
//   BENCH_REPORT=dir   no measuring: write docs/BENCHMARKS.md again from <dir>/results.json of an earlier run
//   BENCH_SAVE_BEFORE=1  also write the figures to bench/before.json (the "before" column of later runs)
//   BENCH_ONLY=a,b     run only these phases (lookup, activation, history, bulk, watch); print their raw figures,
//                      write no document (for trying a change; the summary needs every phase)
//   VERBOSE=1          every workbench / extension-host console line
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { REPO, CS_VERSION, ensureTools, startCodeServer, openWorkbench, cleanLogLine, runExitHooks, sleep } = require('../scripts/codeServer');

const QUICK = !!process.env.BENCH_QUICK;
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((x) => x.trim())) : undefined;
const wanted = (name) => !ONLY || ONLY.has(name);
const DOC = path.join(REPO, 'docs/BENCHMARKS.md');
const MOCK_TOKEN = require(path.join(REPO, 'out/test/mock/scenarios.js')).MOCK_TOKEN;

const KB = 1024;
const BEFORE = path.join(__dirname, 'before.json');

const PLAN = {
  warmHosts: QUICK ? 2 : 6,
  lookupPairs: QUICK ? { 0: 20, 50: 10 } : { 0: 60, 50: 30 },
  historySizes: [200, 2000, 20000],
  bulkIds: 1000,
  bulkConcurrency: [4, 16],
  bulkRuns: QUICK ? 1 : 3,
  watches: 100,
  watchSeconds: QUICK ? 20 : 120,
  idleSeconds: QUICK ? 5 : 20,
};

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)}s`;
const log = (...args) => console.log(`[bench ${elapsed()}]`, ...args);

// ---- statistics ---------------------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const ms = (x, d = 2) => (Number.isFinite(x) ? `${x.toFixed(d)} ms` : 'n/a');
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
const mb = (bytes) => `${(bytes / KB / KB).toFixed(1)} MB`;
const int = (n) => Math.round(n).toLocaleString('en-US');

// ---- processes ----------------------------------------------------------------------------------------------

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * KB * KB, ...opts });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Extension hosts (and other code-server processes) on this machine, split into ours and other people's. */
function serverProcesses(marker) {
  const ours = [];
  const others = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd;
    let env = '';
    try {
      cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
    } catch {
      continue;
    }
    if (!/code-server|--type=extensionHost|chromium/.test(cmd)) continue;
    const kind = cmd.includes('--type=extensionHost') ? 'extensionHost' : cmd.includes('chromium') ? 'chromium' : 'code-server';
    (marker && env.includes(marker) ? ours : others).push({ pid: Number(pid), kind });
  }
  return { ours, others };
}

/** Whether the machine is quiet: load average and the code-server / chromium processes of other people. */
function busyness(marker) {
  const { others } = serverProcesses(marker);
  const count = (k) => others.filter((p) => p.kind === k).length;
  // (Chromium is not counted: ours is started by this process, whose environment has no marker.)
  return {
    at: new Date().toISOString(),
    load1: os.loadavg()[0],
    load: os.loadavg().map((x) => x.toFixed(2)),
    otherExtensionHosts: count('extensionHost'),
    otherCodeServers: count('code-server'),
  };
}

function httpJson(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: body ? { 'content-type': 'application/json', authorization: `Bearer ${MOCK_TOKEN}` } : {} }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (data += d));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`${method} ${url} -> ${res.statusCode} ${data.slice(0, 200)}`));
        resolve(data ? JSON.parse(data) : undefined);
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Creates `n` OPEN OTPs on the mock (expiry one hour), `concurrency` requests at a time; resolves their ids. */
async function createOtps(mockUrl, n) {
  const ids = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const r = await httpJson('POST', `${mockUrl}/verify/v1/otp/send-otp`, {
        originator: 'Bench',
        recipient: `+9715${String(1000000 + i).padStart(8, '0')}`,
        content: 'Your code is {}',
        expiry: 3600,
      });
      ids[i] = r.otp_id;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return ids;
}

// ---- 1. bundle ------------------------------------------------------------------------------------------------

function bundle(tmp) {
  log('production build with metafile');
  let r = run(process.execPath, ['esbuild.js', '--production', '--metafile']);
  if (r.code !== 0) throw new Error(`esbuild failed:\n${r.out}`);
  // What loads at activation: the entry (dist/start.js, package.json `main`) and the bundle it loads.
  const entryBytes = fs.statSync(path.join(REPO, 'dist/start.js')).size;
  const bundleBytes = fs.statSync(path.join(REPO, 'dist/extension.js')).size + entryBytes;
  const onDemand = fs
    .readdirSync(path.join(REPO, 'dist'), { recursive: true })
    .filter((f) => f.endsWith('.js') && f !== 'extension.js' && f !== 'start.js')
    .map((f) => [f, fs.statSync(path.join(REPO, 'dist', f)).size]);
  const meta = JSON.parse(fs.readFileSync(path.join(REPO, 'dist/meta.json'), 'utf8'));
  const output = Object.values(meta.outputs).find((o) => o.entryPoint === 'src/extension.ts') ?? Object.values(meta.outputs)[0];
  const inputs = Object.entries(output.inputs)
    .map(([file, v]) => ({ file, bytes: v.bytesInOutput }))
    .filter((i) => i.bytes > 0);
  inputs.sort((a, b) => b.bytes - a.bytes);
  const groups = new Map();
  for (const i of inputs) {
    const key = i.file.startsWith('node_modules/')
      ? i.file.split('/').slice(0, 2).join('/')
      : i.file.startsWith('stub:')
        ? 'stubs (esbuild.js)'
        : path.dirname(i.file);
    groups.set(key, (groups.get(key) ?? 0) + i.bytes);
  }

  log('npm run package');
  const vsix = path.join(tmp, 'd7-otp-inspector.vsix');
  r = run('npm', ['run', 'package', '--', '-o', vsix]);
  if (r.code !== 0) throw new Error(`npm run package failed:\n${r.out}`);
  const warnings = r.out.split('\n').filter((l) => /WARN|warning/i.test(l));
  const vsixBytes = fs.statSync(vsix).size;
  const listing = run('unzip', ['-Z1', vsix])
    .out.trim()
    .split('\n')
    .filter((f) => f.startsWith('extension/'))
    .map((f) => f.slice('extension/'.length));
  const extDir = path.join(tmp, 'vsix');
  r = run('unzip', ['-q', '-o', vsix, '-d', extDir]);
  if (r.code !== 0) throw new Error(`unzip failed: ${r.out}`);
  const shippedBundle = fs.statSync(path.join(extDir, 'extension/dist/extension.js')).size + fs.statSync(path.join(extDir, 'extension/dist/start.js')).size;
  if (shippedBundle !== bundleBytes) {
    log(`WARNING: the packaged dist/start.js + dist/extension.js have ${shippedBundle} bytes, the production build ${bundleBytes} (a concurrent build?)`);
  }
  return {
    bundleBytes,
    entryBytes,
    shippedBundle,
    vsixBytes,
    warnings,
    files: listing,
    top: inputs.slice(0, 12),
    groups: [...groups].sort((a, b) => b[1] - a[1]),
    onDemand,
    extDir: path.join(extDir, 'extension'),
  };
}

// ---- the in-host phases ---------------------------------------------------------------------------------------

async function hostPhases(tmp, extDir, mockUrl, notes) {
  const control = path.join(tmp, 'control.json');
  const entry = path.join(REPO, 'out/bench/host/entry.js');
  const workspace = path.join(tmp, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const hostLog = fs.createWriteStream(path.join(tmp, 'host.log'));

  const server = await startCodeServer({
    extensionDevelopmentPath: extDir,
    extensionTestsPath: entry,
    workspace,
    env: { D7OTP_BENCH_CONTROL: control },
    userSettings: { 'workbench.startupEditor': 'none' },
  });
  log(`code-server ${server.baseUrl}`);

  let finish;
  let wb;
  const results = [];
  const nodeFetchUrl = pathToFileURL(path.join(REPO, 'node_modules/node-fetch/src/index.js')).href;

  /** Loads the workbench (a fresh extension host) with `phase` in the control file; resolves the host's figures. */
  const phase = async (name, params = {}, { ids = [], timeoutMs = 180_000 } = {}) => {
    const resultFile = path.join(tmp, `result-${results.length}-${name}.json`);
    fs.writeFileSync(control, JSON.stringify({ phase: name, resultFile, mockUrl, token: MOCK_TOKEN, ids, nodeFetchUrl, params }));
    // Wait for the previous page's extension host to be gone (code-server keeps it for the reconnection grace time).
    for (let i = 0; i < 100 && serverProcesses(control).ours.some((p) => p.kind === 'extensionHost'); i++) await sleep(100);
    const before = busyness(control);
    const done = new Promise((resolve) => (finish = resolve));
    if (!wb) {
      wb = await openWorkbench({
        url: server.url,
        waitForWorkbench: false,
        onExit: (code) => finish(code),
        onLog: (_type, raw) => {
          hostLog.write(`${raw}\n`);
          const line = cleanLogLine(raw);
          if (line != null && (process.env.VERBOSE || /\berror\b|Error:/i.test(line))) console.log(`  [host] ${line}`);
        },
      });
    } else {
      await wb.page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    }
    let timer;
    const code = await Promise.race([done, new Promise((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)))]);
    clearTimeout(timer);
    if (code === 'timeout') {
      const shot = path.join(tmp, `timeout-${name}.png`);
      await wb.page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`phase ${name} timed out after ${timeoutMs / 1000} s (screenshot ${shot}, host log ${path.join(tmp, 'host.log')})`);
    }
    const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
    if (result.error) throw new Error(`phase ${name} failed in the extension host:\n${result.error}`);
    result.busy = [before, busyness(control)];
    await wb.page.goto('about:blank').catch(() => undefined); // let the host go while the next phase is prepared
    results.push(result);
    return result;
  };

  try {
    const out = { uptime: [run('uptime', []).out.trim()], activations: [] };
    if (wanted('lookup')) {
      const lookupIds = await createOtps(mockUrl, 2);
      log('host 1: cold activation, lookup overhead');
      out.lookup = await phase('lookup', { pairs: PLAN.lookupPairs }, { ids: lookupIds });
      out.activations.push(out.lookup);
    }
    for (let i = 0; wanted('activation') && i < PLAN.warmHosts; i++) {
      const last = i === PLAN.warmHosts - 1;
      log(`host ${i + 2}: warm activation${last ? `, then ${PLAN.historySizes[0]} history entries stored` : ''}`);
      out.activations.push(await phase('activation', last ? { seed: PLAN.historySizes[0] } : {}, { timeoutMs: 90_000 }));
    }
    out.history = [];
    for (const [i, n] of PLAN.historySizes.entries()) {
      if (!wanted('history')) break;
      const seed = PLAN.historySizes[i + 1];
      log(`history with ${int(n)} entries${seed ? `, then ${int(seed)} stored` : ''}`);
      out.history.push(await phase('history', { measure: n, ...(seed ? { seed } : {}) }, { timeoutMs: 240_000 }));
    }
    if (wanted('bulk')) {
      await httpJson('POST', `${mockUrl}/__mock/reset`);
      const bulkIds = await createOtps(mockUrl, PLAN.bulkIds);
      log(
        `bulk: ${int(PLAN.bulkIds)} ids at concurrency ${PLAN.bulkConcurrency.join(' and ')}, ${PLAN.bulkRuns} round(s) of three passes (bulk command, bare loop through the host's http, bare ES-module loop) each, a pass of each with the heap sampled after GCs, then a profiled run`,
      );
      out.bulk = await phase('bulk', { concurrency: PLAN.bulkConcurrency, runs: PLAN.bulkRuns }, { ids: bulkIds, timeoutMs: 400_000 });
    }
    if (wanted('watch')) {
      await httpJson('POST', `${mockUrl}/__mock/reset`);
      const watchIds = await createOtps(mockUrl, PLAN.watches);
      log(`watch: ${PLAN.watches} watches for ${PLAN.watchSeconds} s after ${PLAN.idleSeconds} s of idle baseline`);
      out.watch = await phase(
        'watch',
        { watchSeconds: PLAN.watchSeconds, idleSeconds: PLAN.idleSeconds },
        {
          ids: watchIds,
          timeoutMs: (PLAN.watchSeconds + PLAN.idleSeconds + 120) * 1000,
        },
      );
    }
    out.busy = results.flatMap((r) => r.busy);
    out.uptime.push(run('uptime', []).out.trim());
    return out;
  } catch (error) {
    notes.push(`Failed: ${error.message}`);
    throw error;
  } finally {
    if (wb) await wb.close();
    await server.stop();
    hostLog.end();
  }
}

// ---- report -----------------------------------------------------------------------------------------------------

function machine(host) {
  const chromium = (spawnSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).stdout ?? '').trim().split('\n')[0];
  return {
    date: new Date().toISOString(),
    commit: run('git', ['rev-parse', '--short', 'HEAD']).out.trim(),
    cpus: `${run('nproc', []).out.trim()} × ${os.cpus()[0]?.model ?? '?'}`,
    memory: `${(os.totalmem() / KB ** 3).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    nodeSystem: process.version,
    nodeHost: host?.node ?? '?',
    codeServer: CS_VERSION,
    vscode: host?.vscode ?? '?',
    chromium,
  };
}

/** A figure: its id (the key of bench/before.json), words, value, how it reads, its floor and whether it holds. */
function figure(id, area, words, value, text, floor, ok) {
  return { id, area, words, value, text, floor: floor ?? 'report', ok: floor ? ok : undefined };
}

function analyse(b, h) {
  const f = [];
  f.push(
    figure(
      'bundle',
      'Bundle',
      'dist/start.js + dist/extension.js (production, minified: what loads at activation)',
      b.bundleBytes,
      kb(b.bundleBytes),
      '≤ 120 KB',
      b.bundleBytes <= 120 * KB,
    ),
  );
  for (const [file, bytes] of b.onDemand ?? []) f.push(figure(`bundle:${file}`, 'Bundle', `dist/${file} (loaded on demand)`, bytes, kb(bytes)));
  f.push(figure('vsix', 'Bundle', '.vsix', b.vsixBytes, kb(b.vsixBytes)));
  if (!h) return { figures: f };

  const hosts = [...h.activations, ...h.history, h.bulk, h.watch].map((r) => r.activation.activationMs);
  const activationMedian = median(hosts);
  f.push(
    figure(
      'activation',
      'Activation',
      `activate(), median of ${hosts.length} fresh hosts`,
      activationMedian,
      ms(activationMedian),
      '≤ 10 ms',
      activationMedian <= 10,
    ),
  );
  const cold = h.activations[0].activation;
  f.push(figure('activationCold', 'Activation', 'activate(), cold (first host of a fresh server)', cold.activationMs, ms(cold.activationMs)));
  const wall = median(h.activations.slice(1).map((r) => r.activation.activateWallMs));
  f.push(figure('activationWall', 'Activation', 'await ext.activate() wall, warm median (bundle load included)', wall, ms(wall, 1)));

  const lookup = {};
  for (const [latency, v] of Object.entries(h.lookup.data.byLatency)) {
    lookup[latency] = {
      ext: median(v.extension),
      bare: median(v.bare),
      esm: v.bareEsm ? median(v.bareEsm) : NaN,
      extP90: quantile(v.extension, 0.9),
      bareP90: quantile(v.bare, 0.9),
      overhead: median(v.extension) - median(v.bare),
      pairedOverhead: median(v.extension.map((e, i) => e - v.bare[i])),
      ratio: median(v.extension) / median(v.bare),
      n: v.extension.length,
    };
  }
  f.push(
    figure(
      'lookupOverhead0',
      'Lookup',
      'overhead at 0 ms latency (median ext − median bare)',
      lookup[0].overhead,
      ms(lookup[0].overhead),
      '≤ 1 ms',
      lookup[0].overhead <= 1,
    ),
  );
  f.push(
    figure(
      'lookupRatio50',
      'Lookup',
      'ratio at 50 ms latency (median ext / median bare)',
      lookup[50].ratio,
      lookup[50].ratio.toFixed(3),
      '≤ 1.02',
      lookup[50].ratio <= 1.02,
    ),
  );

  // (Before issue 12 the history was one globalState value; since, per-window logs and a snapshot: both shapes read.)
  const history = h.history.map((r) => ({
    n: r.data.entries,
    storedBytes: r.data.snapshotBytes ?? r.data.storedBytes,
    firstRead: r.data.firstReadRestMs,
    compact: r.data.compactMs,
    bytesPerAdd: r.data.bytesPerAdd,
    mementoWrites: r.data.mementoWrites,
    parse: median(r.data.parseMs),
    addVisible: median(r.data.addVisibleMs ?? []),
    add: median(r.data.addMs),
    burst: median(r.data.burstPerCheckMs ?? []),
    addCpu: r.data.addCpuMs,
    root: median(r.data.rootChildrenMs),
    rootItems: median(r.data.rootItemsMs),
    heap: r.data.heapUsed,
  }));
  const h2k = history.find((x) => x.n === 2000);
  if (h2k) {
    f.push(figure('root2000', 'History', 'root children at 2,000 entries', h2k.root, ms(h2k.root), '≤ 5 ms', h2k.root <= 5));
    f.push(figure('add2000', 'History', 'add one check at 2,000 entries (in the history and the tree)', h2k.addVisible, ms(h2k.addVisible)));
    f.push(figure('stored2000', 'History', 'add one check at 2,000 entries, stored', h2k.add, ms(h2k.add)));
    const large = history.find((x) => x.n === 20000);
    if (large)
      f.push(
        figure(
          'storedGrowth',
          'History',
          'stored add at 20,000 / at 200 entries',
          large.add / history[0].add,
          `×${(large.add / history[0].add).toFixed(2)}`,
          '≤ ×2 (issue 12)',
          large.add / history[0].add <= 2,
        ),
      );
  }

  const byC = new Map();
  for (const r of h.bulk.data.runs) byC.set(r.concurrency, [...(byC.get(r.concurrency) ?? []), r]);
  const bulk = [...byC].map(([c, runs]) => {
    const ext = runs.map((r) => r.extension);
    const bare = runs.map((r) => r.bare);
    const esm = runs.map((r) => r.bareEsm).filter(Boolean);
    const live = (h.bulk.data.live ?? []).find((l) => l.concurrency === c);
    return {
      concurrency: c,
      runs,
      rate: median(ext.map((x) => x.checksPerSecond)),
      bareRate: median(bare.map((x) => x.checksPerSecond)),
      esmRate: esm.length ? median(esm.map((x) => x.checksPerSecond)) : NaN,
      fraction: median(runs.map((r) => r.extension.checksPerSecond / r.bare.checksPerSecond)),
      esmFraction: esm.length ? median(runs.map((r) => r.extension.checksPerSecond / r.bareEsm.checksPerSecond)) : NaN,
      cpuPerCheck: median(ext.map((x) => x.cpuMs / x.checks)),
      bareCpuPerCheck: median(bare.map((x) => x.cpuMs / x.checks)),
      esmCpuPerCheck: esm.length ? median(esm.map((x) => x.cpuMs / x.checks)) : NaN,
      peakHeap: Math.max(...ext.map((x) => x.peakHeapDelta)),
      barePeakHeap: Math.max(...bare.map((x) => x.peakHeapDelta)),
      livePeak: live ? live.extension.peakHeapDelta : NaN,
      bareLivePeak: live ? live.bare.peakHeapDelta : NaN,
      retained: median(ext.map((x) => x.retainedHeapDelta)),
      historyBytes: median(ext.map((x) => x.historyBytes ?? 0)),
      refreshRate: Math.max(...ext.map((x) => x.treeRefreshesPerSecond ?? NaN)),
      refreshes: median(ext.map((x) => x.treeRefreshes ?? NaN)),
      ok: Math.min(...ext.map((x) => x.ok)),
      checks: ext[0].checks,
      load: runs.map((r) => r.load1),
    };
  });
  for (const x of bulk) {
    const c = x.concurrency;
    f.push(
      figure(
        `bulkFraction${c}`,
        'Bulk',
        `1,000 ids at concurrency ${c}: extension / bare loop of the extension's node-fetch through the host's http (VS Code's proxy support), same host (median of ${x.runs.length} rounds)`,
        x.fraction,
        `${(x.fraction * 100).toFixed(0)} % (${x.rate.toFixed(0)} / ${x.bareRate.toFixed(0)} checks/s)`,
        '≥ 90 %',
        x.fraction >= 0.9,
      ),
    );
    f.push(
      figure(
        `bulkEsmFraction${c}`,
        'Bulk',
        `concurrency ${c}: extension / bare loop of node-fetch as an ES module, outside VS Code's http patching (a reference)`,
        x.esmFraction,
        `${(x.esmFraction * 100).toFixed(0)} % (${x.rate.toFixed(0)} / ${x.esmRate.toFixed(0)} checks/s)`,
        'report',
        undefined,
      ),
    );
    f.push(
      figure(
        `bulkLiveHeap${c}`,
        'Bulk',
        `concurrency ${c}: peak heap above the start, sampled after full GCs 250 ms apart (the bare loop's: ${mb(x.bareLivePeak)})`,
        x.livePeak,
        mb(x.livePeak),
        '≤ 20 MB',
        x.livePeak <= 20 * KB * KB,
      ),
    );
    f.push(
      figure(
        `bulkPeakHeap${c}`,
        'Bulk',
        `concurrency ${c}: peak heapUsed above the start, garbage not yet collected included (max of runs; the bare loop's: ${mb(x.barePeakHeap)})`,
        x.peakHeap,
        mb(x.peakHeap),
        'report',
        undefined,
      ),
    );
    const allowance = Math.max(KB * KB, 3 * x.historyBytes);
    f.push(
      figure(
        `bulkRetained${c}`,
        'Bulk',
        `concurrency ${c}: heap retained after the run (history's JSON: ${kb(x.historyBytes)})`,
        x.retained,
        mb(x.retained),
        '≤ the history (3 × its JSON, at least 1 MB)',
        x.retained <= allowance,
      ),
    );
  }
  const refresh = Math.max(...bulk.map((x) => x.refreshRate));
  f.push(
    figure(
      'treeRefreshRate',
      'Bulk',
      'tree refreshes per second during a bulk run (highest run)',
      refresh,
      `${refresh.toFixed(1)}/s`,
      '≤ about 10/s',
      refresh <= 11,
    ),
  );

  const w = h.watch.data;
  const idlePerSecond = w.idleCpuMs / w.idleSeconds;
  const perPoll = (w.cpuMs - idlePerSecond * w.seconds) / Math.max(1, w.polls);
  const bareGet = bulk.find((x) => x.concurrency === 4)?.bareCpuPerCheck ?? bulk[0]?.bareCpuPerCheck ?? NaN;
  const timers = Math.max(...w.samples.map((s) => s.timersAlive));
  const watch = { perPoll, bareGet, above: perPoll - bareGet, idlePerSecond, timers, timeouts: median(w.samples.map((s) => s.resources.Timeout ?? 0)) };
  f.push(
    figure(
      'watchPerPoll',
      'Watch',
      `${w.watches} watches: host CPU per poll above a bare GET's (${ms(perPoll, 2)} − ${ms(bareGet, 2)})`,
      watch.above,
      ms(watch.above),
      '≤ 0.5 ms',
      watch.above <= 0.5,
    ),
  );
  f.push(figure('watchTimers', 'Watch', 'scheduler timers alive (max over samples)', timers, String(timers), '≤ 1', timers <= 1));
  return { figures: f, hosts, lookup, history, bulk, watch, cold };
}

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function readBefore() {
  try {
    return JSON.parse(fs.readFileSync(BEFORE, 'utf8'));
  } catch {
    return undefined;
  }
}

const verdictOf = (x) => (x.ok === undefined ? '' : x.ok ? '✅' : '❌');

function printSummary(a, before) {
  const was = (id) => before?.figures?.[id]?.text ?? '';
  console.log(`\n${'Figure'.padEnd(92)}${'Before'.padEnd(28)}${'Now'.padEnd(28)}Floor`);
  for (const x of a.figures) {
    console.log(
      `${`${x.area}: ${x.words}`.slice(0, 90).padEnd(92)}${was(x.id).padEnd(28)}${x.text.padEnd(28)}${x.floor} ${x.ok === undefined ? '' : x.ok ? 'OK' : 'MISSED'}`,
    );
  }
}

function saveBefore(m, a) {
  const figures = Object.fromEntries(a.figures.map((x) => [x.id, { value: x.value, text: x.text }]));
  fs.writeFileSync(BEFORE, `${JSON.stringify({ commit: m.commit, date: m.date, figures }, null, 2)}\n`);
  log(`wrote ${path.relative(REPO, BEFORE)}`);
}

function loadLines(h) {
  const rows = [];
  const names = [
    'lookup',
    ...h.activations.slice(1).map((_, i) => `activation ${i + 1}`),
    ...h.history.map((r) => `history ${int(r.data.entries)}`),
    'bulk',
    'watch',
  ];
  [h.lookup, ...h.activations.slice(1), ...h.history, h.bulk, h.watch].forEach((r, i) => {
    const [start, end] = r.busy;
    rows.push([names[i], start.load.join(' '), end.load.join(' '), String(Math.max(start.otherExtensionHosts, end.otherExtensionHosts))]);
  });
  return rows;
}

function writeDoc(m, b, h, a, notes, totalSeconds, before) {
  const lines = [];
  const push = (...x) => lines.push(...x);
  const was = (id) => before?.figures?.[id]?.text ?? 'n/a';
  push('# Benchmarks', '');
  push(
    'Generated by `npm run bench` (bench/run.js and bench/host/entry.ts); every sentence with a figure below is written',
    'from this run\'s measurements. Floors are those of issue 15. "Before" is the same benchmark run once on the code',
    `before issue 15 (commit ${before?.commit ?? '?'}, ${before?.date ?? '?'}; \`bench/before.json\`). Re-run on the machine you care`,
    'about: these are figures of one small, shared VM.',
    '',
  );
  push('## Machine and load', '');
  push(
    table(
      ['', ''],
      [
        ['Date', m.date],
        ['Commit', m.commit],
        ['CPUs (`nproc`)', m.cpus],
        ['Memory', m.memory],
        ['OS', m.os],
        ['Node (bench runner) / extension host', `${m.nodeSystem} / ${m.nodeHost}`],
        ['VS Code (code-server)', `${m.vscode} (code-server ${m.codeServer})`],
        ['Browser driving the workbench', m.chromium],
        ['Benchmark wall time', `${totalSeconds.toFixed(0)} s`],
        ['`uptime` at the start / end', `${h?.uptime?.[0] ?? '?'} / ${h?.uptime?.[1] ?? '?'}`],
      ],
    ),
    '',
  );
  if (h) {
    push(
      'Load averages (1, 5, 15 min) at the start and end of each phase, and extension hosts of other people running then: the',
      'machine is shared, which is why the bulk figures are ratios against a bare loop run in the same host, in the same phase.',
      '',
    );
    push(table(['Phase', 'load at start', 'load at end', 'other extension hosts'], loadLines(h)), '');
  }
  for (const n of notes) push(`> ${n}`, '');

  push('## Summary', '');
  push(
    table(
      ['Area', 'Figure', 'Before', 'Now', 'Floor', ''],
      a.figures.map((x) => [x.area, x.words, was(x.id), x.text, x.floor, verdictOf(x)]),
    ),
    '',
  );
  const missed = a.figures.filter((x) => x.ok === false);
  push(
    missed.length
      ? `Missed: ${missed.map((x) => `${x.area.toLowerCase()} ${x.words} (${x.text}, floor ${x.floor})`).join('; ')}.`
      : 'Every floor holds in this run.',
    '',
  );

  push('## 1. Bundle', '');
  push(
    `\`node esbuild.js --production\`: what loads at activation, dist/start.js (the entry) and dist/extension.js, is **${int(b.bundleBytes)} bytes** ` +
      `(${int(b.entryBytes ?? 0)} of them the entry); ` +
      `${(b.onDemand ?? []).map(([file, bytes]) => `dist/${file} ${int(bytes)} bytes`).join(', ') || 'no other bundle'} ` +
      `(loaded only when first needed: see esbuild.js). The .vsix from \`npm run package\` is ${int(b.vsixBytes)} bytes, ${b.files.length} files` +
      `${b.warnings.length ? `; vsce warnings: ${b.warnings.join('; ')}` : ', no vsce warnings'}.`,
    '',
  );
  push('What takes the space in dist/extension.js (esbuild metafile, bytes in the minified output):', '');
  push(
    table(
      ['Input', 'Bytes'],
      b.groups.map(([g, bytes]) => [`\`${g}\``, int(bytes)]),
    ),
    '',
  );
  push('Largest single inputs:', '');
  push(
    table(
      ['Input', 'Bytes'],
      b.top.map((i) => [`\`${i.file}\``, int(i.bytes)]),
    ),
    '',
  );
  if (!h) return lines.join('\n');

  push('## 2. Activation', '');
  push(
    "`activationMs`: the extension's own `performance.now()` marks around `activate()`, in every fresh extension host of the",
    `run (${a.hosts.length}). Median ${ms(median(a.hosts))}, fastest ${ms(Math.min(...a.hosts))}, slowest ${ms(Math.max(...a.hosts))}; the cold host`,
    `(first of a fresh server) ${ms(a.cold.activationMs)}. "Wall" is \`await ext.activate()\` seen by the benchmark (reading and compiling the bundle,`,
    'VS Code preparing the extension\'s storage, `activate()`). "Load of the bundle": dist/start.js compiling dist/extension.js and running its',
    'top level (its `d7otp.load` measure); "code cache": whether V8 took the cache a host before wrote (src/boot/codeCache.ts: the',
    'cold host has none and writes one 3 s after its activation, so the hosts after it start with it).',
    '',
  );
  push(
    table(
      ['Host', 'activationMs', 'wall of ext.activate()', 'load of the bundle', 'of which compiling', 'code cache', 'host heap after'],
      h.activations.map((r, i) => [
        i === 0 ? 'cold' : `warm ${i}`,
        ms(r.activation.activationMs),
        ms(r.activation.activateWallMs, 1),
        ms(r.activation.bundleLoadMs, 1),
        ms(r.activation.compileMs, 1),
        r.activation.codeCache ?? '–',
        mb(r.activation.heapUsedAfterActivation),
      ]),
    ),
    '',
  );
  push(
    `\`require\` calls during \`activate()\`: ${a.cold.requiresDuringActivation.map((x) => `\`${x}\``).join(', ') || 'none'}. ` +
      `During the first request: ${h.lookup.data.requiresDuringFirstRequest.map((x) => `\`${x}\``).join(', ') || 'none'}; the first check took ${ms(h.lookup.data.firstCheckMs, 1)} end to end.`,
    '',
  );

  push('## 3. Lookup overhead', '');
  push(
    'Same extension host, same URL and token, sequential, the order of the three rotating, 5 warm-up rounds per latency.',
    '"Extension" is `executeCommand(\'d7otp.checkStatus\', id)` (otp_id check, token, the client, the record in the history,',
    'the message); "bare" is `await (await fetch(url)).json()` with the node-fetch the extension ships, through the host\'s http',
    '(VS Code\'s proxy support, as for the extension: see section 5); "ES module" the same with node-fetch imported as an ES',
    "module, outside VS Code's http patching (a reference; the bare of earlier runs).",
    '',
  );
  push(
    table(
      ['Mock latency', 'rounds', 'extension median (p90)', 'bare median (p90)', 'ES module median', 'overhead (median of rounds)', 'ratio'],
      Object.entries(a.lookup).map(([lat, l]) => [
        `${lat} ms`,
        String(l.n),
        `${ms(l.ext)} (${ms(l.extP90)})`,
        `${ms(l.bare)} (${ms(l.bareP90)})`,
        ms(l.esm),
        `${ms(l.overhead)} (${ms(l.pairedOverhead)})`,
        l.ratio.toFixed(3),
      ]),
    ),
    '',
  );

  const lp = h.lookup.data.profile;
  if (lp) {
    push(
      'CPU profile of the extension host during 100 more checks by the command at 0 ms latency, one after the other (functions with the most self time):',
      '',
    );
    push(
      table(
        ['Function', 'Where', 'Self time', 'Share'],
        lp.top.map((t) => [`\`${t.name}\``, t.where ? `\`${t.where}\`` : '', ms(t.ms, 1), `${(t.share * 100).toFixed(1)} %`]),
      ),
      '',
    );
  }

  push('## 4. History at scale', '');
  push(
    'Entries of one check each, stored before the host started. "Load": a fresh store reading them. "Add, in the history":',
    'until `add()` returns (the entry is in the history and the tree); "stored": until its write has finished; "burst": per',
    "check when 20 are added at once. Root children: the tree provider's `getChildren()` for the root, then with every",
    '`getTreeItem` built. Heap: the whole extension host after a full GC.',
    '',
  );
  push(
    table(
      [
        'Entries',
        'stored',
        'first read',
        'compaction',
        'load',
        'add, in the history',
        'add, stored',
        'burst, per check',
        'bytes written per add',
        'globalState writes',
        'host CPU per add',
        'root children',
        '+ getTreeItem each',
        'host heap',
      ],
      a.history.map((x) => [
        int(x.n),
        kb(x.storedBytes),
        x.firstRead === undefined ? '' : ms(x.firstRead, 0),
        x.compact === undefined ? '' : ms(x.compact, 0),
        ms(x.parse),
        ms(x.addVisible),
        ms(x.add),
        ms(x.burst),
        x.bytesPerAdd === undefined ? '' : int(x.bytesPerAdd),
        x.mementoWrites === undefined ? '' : String(x.mementoWrites),
        ms(x.addCpu),
        ms(x.root),
        ms(x.rootItems),
        mb(x.heap),
      ]),
    ),
    '',
  );
  const [s, , l] = a.history;
  if (s && l) {
    push(
      `From ${int(s.n)} to ${int(l.n)} entries (×${(l.n / s.n).toFixed(0)}), root children go from ${ms(s.root)} to ${ms(l.root)} and an add (in the history) from ${ms(s.addVisible)} to ${ms(l.addVisible)}.`,
      '',
    );
  }

  push('## 5. Bulk', '');
  push(
    `${int(a.bulk[0]?.checks ?? 0)} OPEN otp_ids through \`${h.bulk.data.command}\` with the ids as its argument (no question asked: the caller decided),`,
    'history cleared before each run. Each run is one of a round of three passes over the same ids at the same concurrency in the',
    'same extension host, the order rotating: the command, and two bare node-fetch loops (no history, no UI). "Bare (host)" — the',
    "ceiling of the floor — is the node-fetch the extension ships, required as the extension requires it, so that VS Code's proxy",
    "and certificate support (`@vscode/proxy-agent`, which patches the host's `http` for extensions) handles its requests as it must",
    'the extension\'s (`http.proxy`: test/integration/features/proxy.test.ts). "Bare (ES module)" is node-fetch imported as an ES',
    'module, whose `node:http` VS Code does not patch: faster by what the proxy support costs per request, which no extension may',
    'skip; it was the only ceiling of earlier runs (the "before" column), and is kept as a reference. Throughput: ids over wall time.',
    'Heap: `process.memoryUsage().heapUsed` sampled every 20 ms above its value after a full GC at the start — during 1,000 requests',
    "most of it is garbage V8 has not collected yet, as much for a bare loop as for the extension —; the floor's figure is the heap",
    'sampled after full GCs 250 ms apart, in a pass of its own (below). Retained: after the run, its history write and compaction',
    'finished and a full GC. Tree refreshes: `onDidChangeTreeData` events of the history view during the run. Each of the three',
    'is warmed up on 20 of the ids first (module and chunk loading, connections), as the bare loops always were and, before this',
    "run's code, the command was not: its first measured pass then also held its bulk chunk's compiled code.",
    '',
  );
  push(
    table(
      [
        'Concurrency',
        'run',
        'order',
        'extension checks/s',
        'bare (host) checks/s',
        'bare (ES module) checks/s',
        'ratio (host)',
        'ratio (ES module)',
        'ext CPU / check',
        'bare (host) CPU / check',
        'ext peak heapUsed',
        'bare (host) peak heapUsed',
        'retained',
        'tree refreshes',
        'load',
      ],
      a.bulk.flatMap((x) =>
        x.runs.map((r, i) => [
          String(x.concurrency),
          String(i + 1),
          (r.order ?? [r.bareFirst ? 'bare' : 'extension']).join(' → '),
          r.extension.checksPerSecond.toFixed(0),
          r.bare.checksPerSecond.toFixed(0),
          r.bareEsm ? r.bareEsm.checksPerSecond.toFixed(0) : '',
          `${((r.extension.checksPerSecond / r.bare.checksPerSecond) * 100).toFixed(0)} %`,
          r.bareEsm ? `${((r.extension.checksPerSecond / r.bareEsm.checksPerSecond) * 100).toFixed(0)} %` : '',
          ms(r.extension.cpuMs / r.extension.checks),
          ms(r.bare.cpuMs / r.bare.checks),
          mb(r.extension.peakHeapDelta),
          mb(r.bare.peakHeapDelta),
          mb(r.extension.retainedHeapDelta),
          `${r.extension.treeRefreshes} (${r.extension.treeRefreshesPerSecond.toFixed(1)}/s)`,
          (r.load1 ?? NaN).toFixed(2),
        ]),
      ),
    ),
    '',
  );
  const lives = h.bulk.data.live ?? [];
  if (lives.length) {
    push(
      'The heap a pass holds: one more pass of the command and one of the bare (host) loop per concurrency, the heap read after full GCs 250 ms apart (slowed by the collections, so not counted for throughput):',
      '',
    );
    push(
      table(
        ['Concurrency', 'extension: peak live heap above the start', 'bare (host): peak live heap', 'extension: retained after', 'bare: retained after'],
        lives.map((l) => [
          String(l.concurrency),
          mb(l.extension.peakHeapDelta),
          mb(l.bare.peakHeapDelta),
          mb(l.extension.retainedHeapDelta),
          mb(l.bare.retainedHeapDelta),
        ]),
      ),
      '',
    );
  }
  for (const x of a.bulk) {
    push(
      `At concurrency ${x.concurrency} the extension ran at ${(x.fraction * 100).toFixed(0)} % of the bare (host) loop (median of the rounds' ratios; ${x.rate.toFixed(0)} against ${x.bareRate.toFixed(0)} checks/s) and at ${(x.esmFraction * 100).toFixed(0)} % of the ES-module loop (${x.esmRate.toFixed(0)} checks/s), ` +
        `spending ${ms(x.cpuPerCheck)} of host CPU per check against the bare (host) loop's ${ms(x.bareCpuPerCheck)} and the ES-module loop's ${ms(x.esmCpuPerCheck)}; the heap it held peaked ${mb(x.livePeak)} above the start (the bare loop's ${mb(x.bareLivePeak)}; heapUsed with uncollected garbage ${mb(x.peakHeap)} against the bare loop's ${mb(x.barePeakHeap)}) and ${mb(x.retained)} stayed after it, for a history of ${kb(x.historyBytes)} of JSON.`,
      '',
    );
  }
  const p = h.bulk.data.profile;
  if (p) {
    push(
      `CPU profile of the extension host during one more bulk run at concurrency ${h.bulk.data.runs[0]?.concurrency ?? 4} (V8's sampling profiler through \`node:inspector\` from inside the host, 200 µs interval; ${p.pass.checksPerSecond.toFixed(0)} checks/s under the profiler). Functions with the most self time:`,
      '',
    );
    push(
      table(
        ['Function', 'Where', 'Self time', 'Share'],
        p.top.map((t) => [`\`${t.name}\``, t.where ? `\`${t.where}\`` : '', ms(t.ms, 1), `${(t.share * 100).toFixed(1)} %`]),
      ),
      '',
    );
  }

  push('## 6. Watch', '');
  const w = h.watch.data;
  push(
    `${w.watches} OPEN otp_ids watched at once (\`d7otp.watch.maxConcurrent\` raised, default 5 s interval) for ${w.seconds.toFixed(0)} s after ${w.idleSeconds} s of an idle host: ` +
      `${int(w.polls)} polls (${int(w.requests)} requests at the mock), ${w.watchingAtEnd} still watched at the end. The host used ${ms(a.watch.idlePerSecond, 1)} of CPU per second when idle ` +
      `and ${ms(w.cpuMs / w.seconds, 1)} per second while watching: ${ms(a.watch.perPoll)} per poll with the idle share taken out, against ${ms(a.watch.bareGet)} for one GET of the bare loop (section 5, concurrency 4), ` +
      `so ${ms(a.watch.above)} above it. At most ${a.watch.timers} scheduler timer was alive; the host had a median of ${a.watch.timeouts} \`Timeout\` handles while watching; ${w.timersAfterStop} scheduler timers after stopping.`,
    '',
  );
  return lines.join('\n');
}

// ---- main -------------------------------------------------------------------------------------------------------

/** `BENCH_REPORT=<work dir of a run>`: writes docs/BENCHMARKS.md again from that run's results.json (no measuring). */
function report(dir) {
  const saved = JSON.parse(fs.readFileSync(path.join(dir, 'results.json'), 'utf8'));
  const a = analyse(saved.bundle, saved.host);
  if (process.env.BENCH_SAVE_BEFORE) saveBefore(saved.machine, a);
  const before = readBefore();
  printSummary(a, before);
  fs.writeFileSync(DOC, `${writeDoc(saved.machine, saved.bundle, saved.host, a, saved.notes ?? [], saved.totalSeconds ?? NaN, before)}\n`);
  log(`wrote ${path.relative(REPO, DOC)} from ${dir}`);
}

async function main() {
  if (process.env.BENCH_REPORT) return report(process.env.BENCH_REPORT);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-bench-'));
  const notes = [];
  log(
    `machine: ${os.cpus().length} CPUs, load ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; work dir ${tmp}`,
  );
  ensureTools();
  log('compile (tsconfig.test.json: bench, tests, mock)');
  const tsc = run(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json']);
  if (tsc.code !== 0) {
    if (!fs.existsSync(path.join(REPO, 'out/bench/host/entry.js'))) throw new Error(`tsc failed:\n${tsc.out}`);
    notes.push('`tsc -p tsconfig.test.json` reported errors outside the benchmark; the benchmark used what it emitted.');
    log(`WARNING: tsc reported errors:\n${tsc.out.split('\n').slice(0, 10).join('\n')}`);
  }
  const b = bundle(tmp);

  const mock = spawn(process.execPath, [path.join(__dirname, 'mock.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const mockUrl = await new Promise((resolve, reject) => {
    mock.once('exit', (code) => reject(new Error(`bench/mock.js exited with ${code}`)));
    mock.stdout.once('data', (d) => resolve(JSON.parse(String(d).split('\n')[0]).url));
  });
  log(`mock ${mockUrl} (pid ${mock.pid})`);
  let h;
  try {
    h = await hostPhases(tmp, b.extDir, mockUrl, notes);
  } finally {
    mock.kill('SIGTERM');
  }
  const totalSeconds = (Date.now() - t0) / 1000;
  if (ONLY) {
    fs.writeFileSync(path.join(tmp, 'results.json'), JSON.stringify({ bundle: b, host: h, notes, totalSeconds }, null, 2));
    log(`BENCH_ONLY=${[...ONLY].join(',')}: raw figures in ${path.join(tmp, 'results.json')}`);
    return;
  }
  const m = machine(h?.lookup);
  const a = analyse(b, h);
  fs.writeFileSync(path.join(tmp, 'results.json'), JSON.stringify({ machine: m, bundle: b, host: h, notes, totalSeconds }, null, 2));
  if (process.env.BENCH_SAVE_BEFORE) saveBefore(m, a);
  const before = readBefore();
  printSummary(a, before);
  if (!process.env.BENCH_NO_DOC && !QUICK) {
    fs.writeFileSync(DOC, `${writeDoc(m, b, h, a, notes, totalSeconds, before)}\n`);
    log(`wrote ${path.relative(REPO, DOC)}`);
  }
  log(`done in ${totalSeconds.toFixed(0)} s${totalSeconds > 600 ? ' (OVER the 10-minute budget)' : ''}; work dir ${tmp}`);
}

main().catch(async (error) => {
  console.error('[bench] failed:', error && error.stack ? error.stack : error);
  await runExitHooks();
  process.exitCode = 1;
});
