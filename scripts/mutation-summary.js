#!/usr/bin/env node
// Writes docs/mutation/SUMMARY.md from Stryker's JSON report (reports/mutation/mutation.json, written by
// `npm run test:mutation`): the mutation score per file and per folder, and every mutant that survived or that no
// test covers, with its place and replacement, so a reader sees what is not tested without opening the HTML report.
//
//   node scripts/mutation-summary.js [--check 85]   (exit 1 when src/core scores below the given percentage)
//   node scripts/mutation-summary.js --events reports/mutation/events [--note '…']
//     (a run with the event-recorder reporter that was stopped before the end: the report is built from its plan and
//     the mutants tested so far, the others "Pending"; it is written to reports/mutation/mutation.json and into
//     docs/mutation/index.html in place of the report that page holds); --source-commit: the commit the run mutated;
//     --append: a Markdown file added at the end (what was done since the run)
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const REPORT = path.join(REPO, 'reports/mutation/mutation.json');
const OUT = path.join(REPO, 'docs/mutation/SUMMARY.md');

const UNDETECTED = new Set(['Survived', 'NoCoverage']);

/** Survivors read and accepted: each changes no behaviour a user or caller can observe. */
const ACCEPTED = [
  'src/core/token.ts line 14 (the `.trim()` after removing a "Bearer " prefix, `\\s+` → `\\s`, the `^` anchor): the `while` loop tests again and the result is trimmed on the next turn, so every variant strips the same prefixes.',
  'src/core/baseUrl.ts line 11 (`/^\\[|\\]$/g` without one anchor): a WHATWG URL hostname holds brackets only around an IPv6 address, one at each end.',
  "src/core/baseUrl.ts line 33 (`url.pathname !== ''` → `true`, its `''` replaced): the pathname of an http(s) URL is never empty (at least \"/\").",
  'src/core/baseUrl.ts line 45 (the `^` anchor of the masking regex removed): `[\\s\\S]*@` matches from the first character whenever the value holds an "@", so the leftmost match starts there anyway.',
  'src/core/watch.ts lines 130, 140, 141 (the timer is re-armed though its due time did not change; `clearTimeout` of no timer): the same polls happen at the same times, only a timer handle is replaced.',
  'src/core/throttle.ts lines 44, 49 and src/features/history/ticker.ts line 13 (`if (timer !== undefined)` before clearing it → `true`): clearing no timer does nothing.',
  'src/core/history/watcher.ts line 31 (`poll.unref?.()` → `poll.unref()`): a Node interval handle always has `unref`.',
  'src/core/client/interpret.ts line 41 (`httpStatus < 200` → `false`, `>= 300` → `> 300`): fetch never hands over a 1xx answer, and the transport turns every 3xx but 304 into a redirect outcome, so no 1xx or 300 reaches it.',
  'src/core/client/interpret.ts line 66 (`json: false` → `true` for an empty body): the empty-body check comes before the JSON one.',
  'src/core/client/retry.ts lines 54, 61 (the "aborted" error text, `{ once: true }`): the only caller turns any rejection into "cancelled" and the listener is removed on the other path; an abort fires once.',
  'src/core/client/client.ts line 70 (`String(code ?? \'\')` → `"Stryker was here!"`): that text is not a code either (spaces, "!"), refused the same; line 119 (`.catch(() => [])` → a list with that text): it changes only what is redacted from an answer holding it.',
  "src/core/history/model.ts line 124 (`?? ''` → another text): only a body JSON cannot write (a function) gets there, and either text fits the room.",
  "src/core/history/files.ts lines 82, 83 (the partial-read loop of `readFrom`): a regular file's read returns every byte asked for unless the file shrinks meanwhile, so the loop runs once.",
  'src/core/history/disk.ts line 34, src/core/history/importPlan.ts line 79 (when a long loop yields to the event loop): the same operations are applied in the same order, only the yields move.',
  'src/core/history/disk.ts line 98 (`|| chunk.length === 0` removed): an empty chunk holds no line, so nothing is applied and the offset stays; line 114 (`name === undefined ||` removed): no name parses to no log name, which is told the same.',
  'src/core/history/ops.ts line 117 (`final && last` → `final`): every slice but the last is cut just after a line break, so `final` changes only the last.',
  "src/core/history/setAside.ts line 56 (`!id.endsWith('.json')` → `false`): reading a set-aside refuses any id not ending in \".json\" anyway; line 67 (`<` → `<=`, `1` → `0` in the comparator) and src/core/history/state.ts line 132 (the tie on equal ids): V8's sort only asks whether the result is negative, and an (instant, id) pair is never stored twice.",
  'src/core/history/snapshot.ts line 70 (`> SNAPSHOT_VERSION` → `>=` in "newer"): only reached when the version is not the current one; line 164 (`if (!buffer) return true` removed): parsing no buffer throws, which is caught and also returns true.',
  "src/core/history/copyFormat.ts line 38 (`typeof v === 'number'` → `true`): `Number.isFinite` is false for every value that is not a number.",
];

/** Stryker's JSON report rebuilt from the event-recorder's files: every planned mutant, untested ones Pending. */
function reportFromEvents(dir) {
  const names = fs.readdirSync(dir).sort();
  const plan = JSON.parse(
    fs.readFileSync(
      path.join(
        dir,
        names.find((n) => n.endsWith('-onMutationTestingPlanReady.json')),
      ),
      'utf8',
    ),
  );
  const tested = new Map();
  for (const name of names.filter((n) => n.endsWith('-onMutantTested.json'))) {
    const m = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    tested.set(m.id, m);
  }
  const files = {};
  for (const { mutant } of plan.mutantPlans) {
    const { fileName, ...result } = tested.get(mutant.id) ?? { ...mutant, status: 'Pending' };
    const file = path.relative(REPO, fileName).split(path.sep).join('/');
    files[file] ??= { language: 'typescript', source: sourceOf(file), mutants: [] };
    files[file].mutants.push({ ...result, coveredBy: undefined, killedBy: undefined });
  }
  return { schemaVersion: '2', thresholds: { high: 80, low: 60 }, files, tested: tested.size, planned: plan.mutantPlans.length };
}

/** The source a run mutated: at `--source-commit` when given (the code changed since), else as it is now. */
function sourceOf(file) {
  const commit = option('--source-commit');
  if (!commit) return fs.readFileSync(path.join(REPO, file), 'utf8');
  return require('node:child_process').execFileSync('git', ['show', `${commit}:${file}`], { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 26 });
}

/** Puts `report` in the HTML report's page in place of the one it holds (the page's viewer is Stryker's own). */
function writeHtml(report) {
  const file = path.join(REPO, 'docs/mutation/index.html');
  const html = fs.readFileSync(file, 'utf8');
  const start = html.indexOf('app.report = ') + 'app.report = '.length;
  const end = html.indexOf(';\n      function updateTheme', start);
  if (start < 'app.report = '.length || end < 0) throw new Error('docs/mutation/index.html holds no report to replace');
  fs.writeFileSync(file, html.slice(0, start) + JSON.stringify(report).replace(/</g, '\\u003c') + html.slice(end));
}

function tally(mutants) {
  const t = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0, pending: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') t.killed++;
    else if (m.status === 'Timeout') t.timeout++;
    else if (m.status === 'Survived') t.survived++;
    else if (m.status === 'NoCoverage') t.noCoverage++;
    else if (m.status === 'Ignored') t.ignored++;
    else if (m.status === 'Pending') t.pending++;
    else t.errors++;
  }
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  t.score = valid ? ((t.killed + t.timeout) / valid) * 100 : 100;
  return t;
}

const pct = (n) => `${n.toFixed(1)} %`;
const row = (name, t) =>
  `| ${name} | ${t.killed + t.timeout + t.survived + t.noCoverage ? pct(t.score) : '–'} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.ignored} | ${t.pending} |`;
const option = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);

function main() {
  const events = option('--events');
  const report = events ? reportFromEvents(path.resolve(REPO, events)) : JSON.parse(fs.readFileSync(REPORT, 'utf8'));
  if (events) {
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, JSON.stringify(report));
    writeHtml(report);
  }
  const note = option('--note');
  const files = Object.entries(report.files).map(([file, f]) => [path.relative(REPO, path.resolve(REPO, file)).split(path.sep).join('/'), f.mutants]);
  files.sort(([a], [b]) => a.localeCompare(b));
  const core = tally(files.filter(([f]) => f.startsWith('src/core/')).flatMap(([, m]) => m));
  const rest = tally(files.filter(([f]) => !f.startsWith('src/core/')).flatMap(([, m]) => m));
  const all = tally(files.flatMap(([, m]) => m));
  const lines = [
    '# Mutation testing: the score per file',
    '',
    'Written by `npm run test:mutation` (Stryker, mocha runner over the unit suite, TypeScript checker;',
    '`stryker.config.json`); the full report with every mutant is `docs/mutation/index.html`.',
    'Score = (killed + timed out) / (killed + timed out + survived + not covered). Ignored: static mutants',
    '(module-level values, `ignoreStatic`), which would need the whole suite per mutant.',
    '',
    `Run: ${new Date().toISOString().slice(0, 10)}${note ? ` (${note})` : ''}. **src/core: ${pct(core.score)}**; vscode-free files of the VS Code layer: ${pct(rest.score)}; all: ${pct(all.score)}.`,
    ...(all.pending
      ? [
          '',
          `**A partial run**: ${all.pending} of the ${report.planned} mutants were not tested (column "not tested"); the scores are over the mutants tested.`,
        ]
      : []),
    '',
    '| file | score | killed | timeout | survived | no coverage | ignored | not tested |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    row('**src/core**', core),
    row('**VS Code layer (vscode-free)**', rest),
    ...files.map(([f, m]) => row(f, tally(m))),
    '',
    '## Survivors accepted as equivalent (no behaviour differs)',
    '',
    ...ACCEPTED.map((a) => `- ${a}`),
    '',
    '## Mutants no test detects',
    '',
  ];
  for (const [f, mutants] of files) {
    const left = mutants.filter((m) => UNDETECTED.has(m.status));
    if (!left.length) continue;
    lines.push(`### ${f}`, '');
    for (const m of left.sort((a, b) => a.location.start.line - b.location.start.line)) {
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100);
      lines.push(
        `- line ${m.location.start.line}: ${m.mutatorName} → \`${replacement.replace(/`/g, "'")}\` (${m.status === 'NoCoverage' ? 'no test covers it' : 'survived'})`,
      );
    }
    lines.push('');
  }
  const append = option('--append');
  if (append) lines.push(fs.readFileSync(path.resolve(REPO, append), 'utf8').trim(), '');
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, `${lines.join('\n')}\n`);
  console.log(`[mutation] src/core ${pct(core.score)}, vscode-free layer ${pct(rest.score)}, all ${pct(all.score)}; ${path.relative(REPO, OUT)}`);
  const at = process.argv.indexOf('--check');
  if (at > 0 && core.score < Number(process.argv[at + 1])) {
    console.error(`[mutation] src/core scores ${pct(core.score)}, below ${process.argv[at + 1]} %`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
