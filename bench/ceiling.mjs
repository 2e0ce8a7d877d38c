// The throughput ceiling: the bulk benchmark's ids fetched by a minimal Node script, with the same client library
// (node-fetch v3) and the same concurrency, against the same mock process. No history, no UI, no VS Code.
//   node bench/ceiling.mjs <mockUrl> <token> <idsFile> <concurrency> <runs>
// Prints one JSON line: { concurrency, runs: [{ checks, ok, seconds, checksPerSecond, cpuMs }] }.
import { readFileSync } from 'node:fs';
import fetch from '../node_modules/node-fetch/src/index.js';

const [mockUrl, token, idsFile, concurrencyArg, runsArg] = process.argv.slice(2);
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
const concurrency = Number(concurrencyArg);
const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };

async function check(id) {
  const res = await fetch(`${mockUrl}/verify/v1/report/${id}`, { headers });
  const body = await res.json();
  return res.status === 200 && body.status === 'OPEN';
}

async function all() {
  let next = 0;
  let ok = 0;
  const worker = async () => {
    while (next < ids.length) if (await check(ids[next++])) ok++;
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return ok;
}

for (let i = 0; i < 20; i++) await check(ids[i % ids.length]); // warm-up: module init, connections
const runs = [];
for (let run = 0; run < Number(runsArg); run++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const ok = await all();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  runs.push({ checks: ids.length, ok, seconds, checksPerSecond: ids.length / seconds, cpuMs: (used.user + used.system) / 1000 });
}
process.stdout.write(`${JSON.stringify({ concurrency, node: process.version, runs })}\n`);
