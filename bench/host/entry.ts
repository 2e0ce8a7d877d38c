/**
 * The benchmark's in-host half: loaded by the VS Code extension host through `extensionTestsPath` (the same
 * `run()` contract as the integration tests), once per fresh extension host. `bench/run.js` writes a control file
 * (path in the host's environment, `D7OTP_BENCH_CONTROL`) naming the phase to run; this module runs it against
 * the installed extension (the unpacked .vsix) and writes its figures to `control.resultFile`.
 *
 * Every phase starts by activating the extension and recording what that cost; a phase never measures
 * anything that another phase's leftovers could disturb: `bench/run.js` gives each one a fresh extension host.
 */
import * as fs from 'node:fs';
import * as inspector from 'node:inspector';
import Module from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { D7OtpInspectorApi, Internals } from '../../src/api';
import type { FiledCheck, HistoryEntry, StatusCheck } from '../../src/core/check';
import type { OtpId } from '../../src/core/otpId';
import type { HistoryStoreOptions } from '../../src/core/history/store';

const EXTENSION_ID = 'd7-otp-inspector.d7-otp-inspector';
const HISTORY_KEY = 'd7otp.history';
const HISTORY_BACKUP_KEY = 'd7otp.history.backup';

/** What `bench/run.js` asks for. */
interface Control {
  phase: 'lookup' | 'activation' | 'history' | 'bulk' | 'watch';
  resultFile: string;
  mockUrl: string;
  token: string;
  /** OPEN otp_ids created on the mock for this phase. */
  ids: string[];
  /** file:// URL of the repository's node-fetch (the bare client of the lookup comparison). */
  nodeFetchUrl: string;
  params: {
    /** lookup: measured pairs per latency. */
    pairs?: Record<string, number>;
    /** history: the number of entries stored now (measured), and the number to store for the next host. */
    measure?: number;
    seed?: number;
    /** bulk: concurrencies and runs of each. */
    concurrency?: number[];
    runs?: number;
    /** watch: watches, seconds watched, seconds of idle baseline. */
    watchSeconds?: number;
    idleSeconds?: number;
  };
}

/** The bench runs the extension in Test mode (extensionTestsPath), so `internals` is there. */
type Api = D7OtpInspectorApi & { internals: Internals };

export async function run(): Promise<void> {
  const controlPath = process.env.D7OTP_BENCH_CONTROL;
  if (!controlPath) throw new Error('D7OTP_BENCH_CONTROL is not set: run the benchmark with `npm run bench`');
  const control = JSON.parse(fs.readFileSync(controlPath, 'utf8')) as Control;
  const result: Record<string, unknown> = { phase: control.phase, pid: process.pid, node: process.version, vscode: vscode.version };
  try {
    const activation = await activate();
    result.activation = activation.figures;
    const phases = { lookup, activation: idle, history, bulk, watch };
    result.data = await phases[control.phase](activation.api, control, activation.trace);
    if (control.params.seed !== undefined) result.seeded = await seedHistory(activation.api, control.params.seed);
  } catch (error) {
    result.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  fs.writeFileSync(control.resultFile, JSON.stringify(result, null, 2));
  if (result.error) throw new Error(String(result.error));
}

// ---- activation -------------------------------------------------------------------------------------------------

/** The `vscode` API object the extension itself got (each extension gets its own; this module has another). */
let extensionVscode: typeof vscode | undefined;

/** `require` calls made by the extension's bundle, by moment (activation, first request). */
interface RequireTrace {
  moment: string;
  calls: Map<string, string[]>;
}

/**
 * Activates the extension and records: whether it was already active, the `d7otp.activate` measure on the
 * host's performance timeline (the extension's own performance.now() marks around activate()), the wall time of `ext.activate()` (loading the bundle, VS Code
 * preparing the extension's storage, activate()), the time `require` of the bundle took, and every `require` the
 * bundle made during activation. The require hook stays on, so later phases can see what the first request loads.
 */
async function activate(): Promise<{ api: Api; figures: Record<string, unknown>; trace: RequireTrace }> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this host`);
  const bundle = `${ext.extensionPath}/dist/extension.js`;
  const trace: RequireTrace = { moment: 'activation', calls: new Map() };
  const loader = Module as unknown as { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
  const original = loader._load;
  loader._load = function (request, parent, isMain) {
    const fromBundle = parent?.filename === bundle;
    if (fromBundle) {
      const list = trace.calls.get(trace.moment) ?? [];
      if (!list.includes(request)) list.push(request);
      trace.calls.set(trace.moment, list);
      if (request === 'vscode') {
        const api = original.call(this, request, parent, isMain);
        extensionVscode = api as typeof vscode;
        return api;
      }
    }
    return original.call(this, request, parent, isMain);
  };
  exposeGc();
  const wasActive = ext.isActive;
  const started = performance.now();
  const api = await ext.activate();
  const activateWallMs = performance.now() - started;
  trace.moment = 'after activation';
  // Activated before this module hooked `require` (onStartupFinished): ask VS Code's module interception for the
  // `vscode` API of the module at the bundle's path, which is the extension's own (one per extension, cached).
  extensionVscode ??= original.call(Module, 'vscode', { filename: bundle, id: bundle, paths: [] }, false) as typeof vscode;
  gc();
  const load = performance.getEntriesByName('d7otp.load', 'measure').at(-1) as { duration: number; detail?: unknown } | undefined;
  return {
    api,
    trace,
    figures: {
      wasActive,
      activationMs: performance.getEntriesByName('d7otp.activate', 'measure').at(-1)?.duration,
      activateWallMs,
      // dist/start.js's measure of loading the bundle (compiling it, with V8's code cache when there is one, and
      // running its top level), and what became of the cache: used, refused, or none yet.
      bundleLoadMs: load?.duration,
      codeCache: (load?.detail as { cache?: string } | undefined)?.cache,
      compileMs: (load?.detail as { compileMs?: number } | undefined)?.compileMs,
      requiresDuringActivation: trace.calls.get('activation') ?? [],
      heapUsedAfterActivation: process.memoryUsage().heapUsed,
      historyEntries: api.getHistory().length,
    },
  };
}

/** The warm-activation phase: nothing beyond the activation itself. */
async function idle(): Promise<Record<string, unknown>> {
  return {};
}

// ---- lookup overhead ----------------------------------------------------------------------------------------

type FetchFn = (url: string, init?: { headers?: Record<string, string> }) => Promise<{ status: number; json(): Promise<unknown> }>;

/**
 * `executeCommand('d7otp.checkStatus', id)` against a bare node-fetch GET of the same URL with the same token,
 * from this host, alternating (ABBA) so drift hits both alike; at each mock latency.
 */
async function lookup(api: Api, control: Control, trace: RequireTrace): Promise<Record<string, unknown>> {
  await setUp(control);
  const [otpId] = control.ids;
  const url = `${control.mockUrl}/verify/v1/report/${otpId}`;
  const headers = { Authorization: `Bearer ${control.token}`, Accept: 'application/json' };

  // The first check loads node-fetch inside the extension: what it requires and what it costs.
  trace.moment = 'first request';
  const firstStarted = performance.now();
  const first = await checkByCommand(otpId);
  const firstCheckMs = performance.now() - firstStarted;
  trace.moment = 'later';
  if (!first.ok) throw new Error(`the first check failed: ${JSON.stringify(first.error)}`);

  const fetches = await bareFetches({ ...control, ids: Array.from({ length: 20 }, () => otpId) });
  const bareWith = (fetch: FetchFn) => async () => {
    const started = performance.now();
    const res = await fetch(url, { headers });
    await res.json();
    if (res.status !== 200) throw new Error(`bare GET answered ${res.status}`);
    return performance.now() - started;
  };
  const bare = bareWith(fetches.host);
  const bareEsm = bareWith(fetches.esm);
  const viaCommand = async () => {
    const started = performance.now();
    const check = await checkByCommand(otpId);
    if (!check.ok) throw new Error(`check failed: ${JSON.stringify(check.error)}`);
    return performance.now() - started;
  };
  const writes: number[] = [];
  const unwrap = timeHistoryAdds(api.internals.history, (ms) => writes.push(ms));

  const byLatency: Record<string, unknown> = {};
  for (const [latency, pairs] of Object.entries(control.params.pairs ?? { 0: 60, 50: 30 })) {
    await mockControl(control, `/__mock/latency?ms=${latency}`);
    for (let i = 0; i < 5; i++) {
      await bare();
      await viaCommand();
    }
    writes.length = 0;
    const ext: number[] = [];
    const raw: number[] = [];
    const esm: number[] = [];
    const passes: [() => Promise<number>, number[]][] = [
      [bare, raw],
      [viaCommand, ext],
      [bareEsm, esm],
    ];
    for (let i = 0; i < pairs; i++) {
      for (let k = 0; k < passes.length; k++) {
        const [run, into] = passes[(i + k) % passes.length];
        into.push(await run());
      }
    }
    byLatency[latency] = { extension: ext, bare: raw, bareEsm: esm, historyWrites: writes.splice(0) };
  }
  unwrap();
  await mockControl(control, '/__mock/latency?ms=0');
  // Where a check's own time goes: 100 checks by the command in a row under the CPU profiler (not in the figures).
  const profile = await profiled(`${control.resultFile}.cpuprofile`, async () => {
    for (let i = 0; i < 100; i++) await viaCommand();
    return { checks: 100 };
  });

  // The SecretStorage round trip every check makes to read the token, seen through the one command that reads the
  // token and does nothing else of note (it decodes the JWT locally and shows a notification without waiting).
  const tokenRead: number[] = [];
  if ((await vscode.commands.getCommands(true)).includes('d7otp.showTokenInfo')) {
    for (let i = 0; i < 16; i++) {
      const started = performance.now();
      await vscode.commands.executeCommand('d7otp.showTokenInfo');
      if (i > 0) tokenRead.push(performance.now() - started);
    }
  }
  return {
    tokenReadMs: tokenRead,
    firstCheckMs,
    requiresAfterActivation: trace.calls.get('after activation') ?? [],
    requiresDuringFirstRequest: trace.calls.get('first request') ?? [],
    requiresLater: trace.calls.get('later') ?? [],
    historyEntries: api.getHistory().length,
    byLatency,
    profile,
  };
}

async function checkByCommand(otpId: string): Promise<StatusCheck> {
  const check = await vscode.commands.executeCommand<StatusCheck | undefined>('d7otp.checkStatus', otpId);
  if (!check) throw new Error('d7otp.checkStatus returned nothing');
  return check;
}

// ---- history at scale ---------------------------------------------------------------------------------------

/**
 * With `params.measure` entries stored before this host started (as version 0.1 stored them, in globalState: this
 * host migrated them at activation): the rest of that first read, a compaction, the load of the compacted history by
 * a fresh store over the same folder, the cost of adding one check (what a lookup waits for, and stored), the bytes
 * one check appends, the tree's root children, and the heap.
 */
async function history(api: Api, control: Control): Promise<Record<string, unknown>> {
  const expected = control.params.measure ?? 0;
  const { history: store, historyDir, globalState } = api.internals;
  const readStarted = performance.now();
  await store.ready;
  const firstReadRestMs = performance.now() - readStarted;
  if (api.getHistory().length !== expected) throw new Error(`the extension reads ${api.getHistory().length} entries, not ${expected}`);
  const compactStarted = performance.now();
  if (!(await store.compact())) throw new Error('the compaction could not take the lock');
  const compactMs = performance.now() - compactStarted;
  const snapshotBytes = fs.statSync(path.join(historyDir, 'snapshot.json')).size;
  const parse = await loadTimes(store, historyDir, expected);
  gc();
  const heapUsed = process.memoryUsage().heapUsed;
  const tree = await rootTimes(api, expected);
  const adds = await addTimes(api, historyDir, globalState);
  if (api.getHistory().length !== expected) throw new Error(`after adding, ${api.getHistory().length} entries, not ${expected}`);
  if (control.params.seed === undefined) {
    // Last size: leave an empty history and the default cap behind.
    await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
    await store.flush();
    await setSetting('history.maxEntries', undefined);
  }
  return { entries: expected, firstReadRestMs, compactMs, snapshotBytes, parseMs: parse, heapUsed, ...tree, ...adds };
}

/** Five fresh stores over the history folder (a window opening): the time until each has read it. */
async function loadTimes(store: Internals['history'], dir: string, expected: number): Promise<number[]> {
  type Fresh = { ready: Promise<void>; entries: readonly HistoryEntry[]; close(): Promise<void> };
  const Store = store.constructor as new (options: HistoryStoreOptions) => Fresh;
  const quiet = { get: () => undefined, update: async () => undefined }; // not the extension's globalState
  const limits = () => ({ maxEntries: Math.max(expected, 200), maxChecksPerEntry: 20 });
  const parse: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const fresh = new Store({ dir, memento: quiet, key: HISTORY_KEY, backupKey: HISTORY_BACKUP_KEY, limits, warn: () => undefined, pollMs: 0 });
    await fresh.ready;
    parse.push(performance.now() - started);
    if (fresh.entries.length !== expected) throw new Error(`a fresh store read ${fresh.entries.length} entries, not ${expected}`);
    await fresh.close();
  }
  return parse;
}

/** Root children, as the view asks for them (getChildren), and with every root item built (getTreeItem). */
async function rootTimes(api: Api, expected: number): Promise<Record<string, unknown>> {
  const tree = api.internals.tree;
  const rootChildren: number[] = [];
  const rootItems: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const nodes = (await tree.getChildren()) ?? [];
    rootChildren.push(performance.now() - started);
    for (const node of nodes) await tree.getTreeItem(node);
    rootItems.push(performance.now() - started);
    if (nodes.length !== expected) throw new Error(`root has ${nodes.length} children, not ${expected}`);
  }
  return { rootChildrenMs: rootChildren.slice(1), rootChildrenFirstMs: rootChildren[0], rootItemsMs: rootItems.slice(1) };
}

/**
 * Adds one check at a time (a new otp_id, so an entry is added and the oldest dropped): the time until the history
 * shows it, and until it is stored (on disk: what a lookup now waits for); then bursts of 20. Also the bytes the log
 * grew by per check, and whether any globalState write happened (none should: Settings Sync is off).
 */
async function addTimes(api: Api, dir: string, globalState: vscode.Memento): Promise<Record<string, unknown>> {
  const store = api.internals.history;
  const logBytes = () => fs.readdirSync(path.join(dir, 'logs')).reduce((n, f) => n + fs.statSync(path.join(dir, 'logs', f)).size, 0);
  let mementoWrites = 0;
  const unwrap = countMementoWrites(globalState, () => mementoWrites++);
  const add: number[] = [];
  const addVisible: number[] = [];
  const burstPerCheck: number[] = [];
  let addCpu = process.cpuUsage();
  let bytesBefore = 0;
  try {
    for (let i = 0; i < 21; i++) {
      if (i === 1) [addCpu, bytesBefore] = [process.cpuUsage(), logBytes()];
      const check = fakeCheck(uuid(0xadd00000 + i), Date.now());
      const started = performance.now();
      const stored = store.add(check);
      addVisible.push(performance.now() - started);
      // In the history when add() returns (find: one entry; the whole list, api.getHistory(), is what a reader pays —
      // at 20,000 entries 0.6 ms of building it, which an add no longer does — and is checked once after the loop).
      if (store.find(check.otpId)?.checks[0]?.checkedAt !== check.checkedAt) throw new Error('add() returned before the history showed the check');
      await stored;
      add.push(performance.now() - started);
    }
    const newest = api.getHistory()[0]?.otpId;
    if (newest !== uuid(0xadd00000 + 20)) throw new Error(`the last check added is not the newest entry (${String(newest)})`);
    const bytesPerAdd = (logBytes() - bytesBefore) / 20;
    const addCpuUsed = process.cpuUsage(addCpu);
    for (let round = 0; round < 3; round++) {
      const started = performance.now();
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.add(fakeCheck(uuid(0xb0000000 + round * 100 + i), Date.now()))));
      burstPerCheck.push((performance.now() - started) / 20);
    }
    return {
      addMs: add.slice(1), // the first add also warms the code path
      addVisibleMs: addVisible.slice(1),
      addFirstMs: add[0],
      burstPerCheckMs: burstPerCheck,
      addCpuMs: (addCpuUsed.user + addCpuUsed.system) / 1000 / 20,
      bytesPerAdd,
      mementoWrites,
    };
  } finally {
    unwrap();
  }
}

/** Times every `add` of the history store until it is stored (what a lookup awaits for its record); returns the undo. */
function timeHistoryAdds(store: Internals['history'], record: (ms: number) => void): () => void {
  const add = store.add.bind(store);
  store.add = (...args: Parameters<typeof add>) => {
    const started = performance.now();
    const stored = add(...args);
    void stored.then(
      () => record(performance.now() - started),
      () => undefined,
    );
    return stored;
  };
  return () => delete (store as { add?: unknown }).add; // back to the prototype's method
}

/** Counts every `update` of this Memento; returns the undo. */
function countMementoWrites(globalState: vscode.Memento, count: () => void): () => void {
  const memento = globalState as vscode.Memento & { update(key: string, value: unknown): Thenable<void> };
  const update = memento.update.bind(memento);
  memento.update = (key: string, value: unknown) => {
    count();
    return update(key, value);
  };
  return () => delete (memento as { update?: unknown }).update; // back to the prototype's method
}

/**
 * Stores `n` entries (one check each) as version 0.1 did, in globalState, and raises the cap to fit: the next host
 * migrates them at activation. The Clear before leaves a tombstone that removes every migrated check made up to it
 * (docs/STORAGE.md, "How conflicts resolve"), so every check is dated after the Clear and none after now (a later
 * time is read as now, and the checks the history phase adds must be the newest): spread over the second after it.
 */
async function seedHistory(api: Api, n: number): Promise<Record<string, unknown>> {
  await setSetting('history.maxEntries', Math.max(200, n));
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  await api.internals.history.flush();
  const clearedAt = Date.now(); // not before the Clear's own time
  await sleep(1000);
  const now = Date.now();
  const span = now - clearedAt - 1;
  const entries: HistoryEntry[] = [];
  for (let i = 0; i < n; i++) {
    const check = fakeCheck(uuid(i), now - Math.floor((i * span) / n)); // newest first, the oldest after clearedAt
    entries.push({ otpId: check.otpId, checks: [check] });
  }
  const started = performance.now();
  await api.internals.globalState.update(HISTORY_KEY, { version: 1, entries });
  const ms = performance.now() - started;
  await sleep(1500); // the workbench writes its storage to IndexedDB shortly after; reloading too early loses it
  return { entries: n, updateMs: ms };
}

/** A check shaped like a real Get Status answer. */
function fakeCheck(otpId: OtpId, at: number): FiledCheck {
  return {
    otpId,
    checkedAt: new Date(at).toISOString(),
    ok: true,
    status: 'OPEN',
    httpStatus: 200,
    durationMs: 42,
    profile: 'default',
    body: { status: 'OPEN' },
  };
}

function uuid(n: number): OtpId {
  const hex = n.toString(16).padStart(12, '0');
  return `be0c4000-0000-4000-8000-${hex}` as OtpId;
}

// ---- bulk -------------------------------------------------------------------------------------------------------

/** One pass over the ids: throughput over the wall time, host CPU, peak and retained memory. */
interface Pass {
  checks: number;
  ok: number;
  seconds: number;
  checksPerSecond: number;
  cpuMs: number;
  peakHeapDelta: number;
  peakRssDelta: number;
  retainedHeapDelta: number;
  treeRefreshes?: number;
  treeRefreshesPerSecond?: number;
  requests?: number;
  /** The history's own size after the pass (its JSON), what the retained heap is compared with. */
  historyBytes?: number;
}

/**
 * Runs `work` with a full GC before and after, sampling the heap every 20 ms and counting CPU time. With `live`, each
 * sample is taken after a full GC, 250 ms after the previous one ended: the heap the pass holds, not the garbage V8
 * has not collected yet (which is most of `heapUsed` during a run of 1,000 requests, for a bare loop as much as for
 * the extension); such a pass is slowed by the collections and counts only for its heap.
 */
async function measured(work: () => Promise<{ checks: number; ok: number }>, after?: () => Promise<void>, live = false): Promise<Pass> {
  gc();
  const baseline = process.memoryUsage();
  const peak = { heapUsed: baseline.heapUsed, rss: baseline.rss };
  let sampler: NodeJS.Timeout | undefined;
  const sample = () => {
    if (live) gc();
    const m = process.memoryUsage();
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.rss = Math.max(peak.rss, m.rss);
    sampler = setTimeout(sample, live ? 250 : 20); // after the sample: a collection never runs back to back
  };
  sampler = setTimeout(sample, live ? 250 : 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let result: { checks: number; ok: number };
  try {
    result = await work();
  } finally {
    clearTimeout(sampler);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpuUsed = process.cpuUsage(cpu);
  await after?.();
  gc();
  return {
    ...result,
    seconds,
    checksPerSecond: result.checks / seconds,
    cpuMs: (cpuUsed.user + cpuUsed.system) / 1000,
    peakHeapDelta: peak.heapUsed - baseline.heapUsed,
    peakRssDelta: peak.rss - baseline.rss,
    retainedHeapDelta: process.memoryUsage().heapUsed - baseline.heapUsed,
  };
}

/** The ceiling: a bare node-fetch loop in this extension host, the same ids, the same concurrency, no history. */
async function bareLoop(fetch: FetchFn, control: Control, concurrency: number): Promise<{ checks: number; ok: number }> {
  const headers = { Authorization: `Bearer ${control.token}`, Accept: 'application/json' };
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < control.ids.length) {
      const res = await fetch(`${control.mockUrl}/verify/v1/report/${control.ids[next++]}`, { headers });
      const body = (await res.json()) as { status?: string };
      if (res.status === 200 && body.status === 'OPEN') ok++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, control.ids.length) }, worker));
  return { checks: control.ids.length, ok };
}

/**
 * The two bare loops. `host`: the node-fetch the extension ships (dist/chunks/node-fetch.js), required the way the
 * extension requires it, so its `http` is the extension host's — VS Code's proxy and certificate support
 * (`@vscode/proxy-agent`) sees every request, as it must for the extension (`http.proxy`, test/integration/features/
 * proxy.test.ts). `esm`: the repository's node-fetch loaded as an ES module, whose `node:http` VS Code does not patch:
 * a loop without the proxy support no extension may skip, kept as a second reference.
 */
async function bareFetches(control: Control): Promise<{ host: FetchFn; esm: FetchFn }> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const host = (require(`${ext.extensionPath}/dist/chunks/node-fetch.js`) as { default: FetchFn }).default;
  const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<{ default: FetchFn }>;
  const esm = (await importEsm(control.nodeFetchUrl)).default;
  for (const fetch of [host, esm]) await bareLoop(fetch, { ...control, ids: control.ids.slice(0, 20) }, 4); // warm-up: module init, connections
  return { host, esm };
}

/**
 * At each concurrency, `runs` rounds of three passes over the same ids in this host: the bulk command (argument: the
 * array of ids) and the two bare node-fetch loops (`bareFetches`), the order rotating, so load from other processes
 * hits all alike. Then, per concurrency, one pass of the command and one of the host loop with the heap sampled after
 * full GCs (`measured`'s `live`), and one more bulk pass at the first concurrency under the V8 CPU profiler (none of
 * these counted in the throughput figures).
 */
async function bulk(api: Api, control: Control): Promise<Record<string, unknown>> {
  await setUp(control);
  const bare = await bareFetches(control);
  const command = 'd7otp.checkAllInSelection';
  const restoreConfirmation = confirmBulkRuns();
  const refreshes: number[] = [];
  const listener = api.internals.tree.onDidChangeTreeData(() => refreshes.push(performance.now()));
  const extensionPass = async (live = false): Promise<Pass> => {
    await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
    await api.internals.history.flush();
    const before = (await mockJson<{ requests: number }>(control, '/__mock/stats')).requests;
    refreshes.length = 0;
    const pass = await measured(
      async () => {
        const results = (await vscode.commands.executeCommand<StatusCheck[]>(command, control.ids)) ?? [];
        if (results.length !== control.ids.length) {
          throw new Error(`${command} checked ${results.length} of ${control.ids.length} ids (a question left unanswered?)`);
        }
        return { checks: results.length, ok: results.filter((r) => r.ok && r.status === 'OPEN').length };
      },
      () => api.internals.history.flush(),
      live,
    );
    const requests = (await mockJson<{ requests: number }>(control, '/__mock/stats')).requests - before;
    const historyBytes = Buffer.byteLength(JSON.stringify(api.getHistory()));
    return { ...pass, treeRefreshes: refreshes.length, treeRefreshesPerSecond: refreshes.length / pass.seconds, requests, historyBytes };
  };
  const runs: Record<string, unknown>[] = [];
  const live: Record<string, unknown>[] = [];
  let profile: Record<string, unknown> | undefined;
  try {
    // The command warmed up as the bare loops are (bareFetches): its lazily loaded bulk code and its connections are
    // there before the first measured pass, whose retained heap would otherwise count that code once.
    await vscode.commands.executeCommand(command, control.ids.slice(0, 20));
    await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
    await api.internals.history.flush();
    for (const concurrency of control.params.concurrency ?? [4, 16]) {
      await setSetting('bulk.concurrency', concurrency);
      const passes: Record<string, () => Promise<Pass>> = {
        extension: () => extensionPass(),
        bare: () => measured(() => bareLoop(bare.host, control, concurrency)),
        bareEsm: () => measured(() => bareLoop(bare.esm, control, concurrency)),
      };
      for (let run = 0; run < (control.params.runs ?? 3); run++) {
        const names = Object.keys(passes);
        const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)];
        const done: Record<string, Pass> = {};
        for (const name of order) done[name] = await passes[name]();
        runs.push({ concurrency, order, ...done, historyEntries: api.getHistory().length, load1: os.loadavg()[0] });
      }
      const liveBare = await measured(() => bareLoop(bare.host, control, concurrency), undefined, true);
      live.push({ concurrency, extension: await extensionPass(true), bare: liveBare });
    }
    await setSetting('bulk.concurrency', control.params.concurrency?.[0] ?? 4);
    profile = await profiled(`${control.resultFile}.cpuprofile`, () => extensionPass());
  } finally {
    restoreConfirmation();
    listener.dispose();
  }
  await setSetting('bulk.concurrency', undefined);
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  return { command, runs, live, profile };
}

/**
 * Runs `work` under the V8 CPU profiler of this extension host (the inspector protocol from inside the host),
 * writes the .cpuprofile next to the result file, and names the functions with the most self time.
 */
async function profiled<T>(file: string, work: () => Promise<T>): Promise<Record<string, unknown>> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
  try {
    await post('Profiler.enable');
    await post('Profiler.setSamplingInterval', { interval: 200 });
    await post('Profiler.start');
    const pass = await work();
    const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    return { file, pass, top: topSelfTime(profile, 15) };
  } finally {
    session.disconnect();
  }
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time per function (name, file and line), largest first, with its share of the profile. */
function topSelfTime(profile: CpuProfile, n: number): { name: string; where: string; ms: number; share: number }[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)?.callFrame;
    if (!frame) return;
    const file = frame.url.replace(/^.*\/(node_modules|out|dist|src)\//, '$1/').replace(/^.*\/extensions\//, 'extensions/');
    const key = `${frame.functionName || '(anonymous)'}\t${file ? `${file}:${frame.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, ms]) => {
      const [name, where] = key.split('\t');
      return { name, where, ms, share: ms / total };
    });
}

/**
 * Answers the bulk run's modal confirmation ("Check the status of N otp_ids?") with its confirming button, as a
 * user would: a workbench started for tests refuses modal dialogs. Only that question is answered; every other
 * message goes through. Returns the undo.
 */
function confirmBulkRuns(): () => void {
  const window = extensionVscode?.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> } | undefined;
  if (!window) {
    return () => undefined; // (then a question left unanswered shows as ids not checked)
  }
  const original = window.showWarningMessage;
  window.showWarningMessage = (...args: unknown[]) => {
    const [message, options, confirm] = args;
    if (typeof message === 'string' && /otp_ids\?/.test(message) && (options as { modal?: boolean } | undefined)?.modal && typeof confirm === 'string') {
      return Promise.resolve(confirm);
    }
    return original.apply(window, args);
  };
  return () => {
    window.showWarningMessage = original;
  };
}

// ---- watch ------------------------------------------------------------------------------------------------------

/**
 * An idle baseline, then every id watched at once for `watchSeconds`: CPU time of this extension host
 * (`process.cpuUsage()`), the scheduler's timers, the host's active resources, polls made.
 */
async function watch(api: Api, control: Control): Promise<Record<string, unknown>> {
  await setUp(control);
  await setSetting('watch.maxConcurrent', Math.max(10, control.ids.length));
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  await api.internals.history.flush();
  const seconds = control.params.watchSeconds ?? 120;
  const idleSeconds = control.params.idleSeconds ?? 20;
  const scheduler = api.internals.watches;

  const idleStart = process.cpuUsage();
  const idleSamples = await sample(idleSeconds, 5, api);
  const idleCpu = process.cpuUsage(idleStart);

  const before = (await mockJson<{ requests: number }>(control, '/__mock/stats')).requests;
  const started = Date.now();
  const cpuStart = process.cpuUsage();
  const watches = control.ids.map((id) => api.watch(id));
  const samples = await sample(seconds, 5, api);
  const cpu = process.cpuUsage(cpuStart);
  const elapsed = (Date.now() - started) / 1000;
  const polls = scheduler.list().reduce((sum, w) => sum + w.polls, 0);
  const watching = scheduler.list().length;
  const requests = (await mockJson<{ requests: number }>(control, '/__mock/stats')).requests - before;
  for (const w of watches) w.dispose();
  await sleep(200);
  const timersAfterStop = scheduler.timersAlive();
  await setSetting('watch.maxConcurrent', undefined);
  await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
  return {
    watches: control.ids.length,
    watchingAtEnd: watching,
    seconds: elapsed,
    cpuMs: (cpu.user + cpu.system) / 1000,
    idleSeconds,
    idleCpuMs: (idleCpu.user + idleCpu.system) / 1000,
    polls,
    requests,
    timersAfterStop,
    idleSamples,
    samples,
  };
}

/** Every `everySeconds` for `seconds`: the scheduler's timers, watches, the host's active resources, heap. */
async function sample(seconds: number, everySeconds: number, api: Api): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await sleep(Math.min(everySeconds * 1000, Math.max(0, end - Date.now())));
    const resources: Record<string, number> = {};
    for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
    out.push({
      t: Math.round((seconds * 1000 - (end - Date.now())) / 1000),
      timersAlive: api.internals.watches.timersAlive(),
      watching: api.internals.watches.list().length,
      resources,
      heapUsed: process.memoryUsage().heapUsed,
    });
  }
  return out;
}

// ---- shared ---------------------------------------------------------------------------------------------------

/** Points the extension at the mock and stores the mock's token. */
async function setUp(control: Control): Promise<void> {
  await setSetting('baseUrl', control.mockUrl);
  const stored = await vscode.commands.executeCommand<boolean>('d7otp.setToken', control.token);
  if (stored !== true) throw new Error('d7otp.setToken did not store the token');
}

/** Writes a user (global) setting and waits until this host reads it back. */
async function setSetting(key: string, value: unknown): Promise<void> {
  const read = () => vscode.workspace.getConfiguration('d7otp').inspect(key)?.globalValue;
  if (JSON.stringify(read()) === JSON.stringify(value)) return;
  await vscode.workspace.getConfiguration('d7otp').update(key, value, vscode.ConfigurationTarget.Global);
  const deadline = Date.now() + 10_000;
  while (JSON.stringify(read()) !== JSON.stringify(value)) {
    if (Date.now() > deadline) throw new Error(`setting d7otp.${key} did not read back ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

async function mockControl(control: Control, path: string): Promise<void> {
  const res = await globalThis.fetch(`${control.mockUrl}${path}`, { method: 'POST' });
  if (!res.ok) throw new Error(`mock ${path} answered ${res.status}`);
  await res.arrayBuffer();
}

async function mockJson<T>(control: Control, path: string): Promise<T> {
  const res = await globalThis.fetch(`${control.mockUrl}${path}`);
  if (!res.ok) throw new Error(`mock ${path} answered ${res.status}`);
  return (await res.json()) as T;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let collect: (() => void) | undefined;
/**
 * Exposes V8's gc at run time. Done before the extension loads: V8 refuses a code cache made under other flags, so
 * a cache written after the flag was set (the extension writes one a moment after activation, src/start.ts) would be
 * refused by every later host that loaded before setting it, which no user's host does.
 */
function exposeGc(): () => void {
  if (!collect) {
    v8.setFlagsFromString('--expose-gc');
    collect = vm.runInNewContext('gc') as () => void;
  }
  return collect;
}

/** A full garbage collection, so heap figures are live data only. */
function gc(): void {
  exposeGc()();
}
