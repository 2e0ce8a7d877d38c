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

/**
 * Survivors read and accepted: each changes no behaviour a user or caller can observe. Each names the code it is
 * about (`at`: text found on the line, in the file as it is now), so its line numbers are found, not kept by hand,
 * and the survivors on those lines are marked accepted in the list below the table; `at` that is no longer found
 * is reported (the entry is stale: the code changed).
 */
const ACCEPTED = [
  {
    file: 'src/core/token.ts',
    at: ["while (/^bearer\\s+/i.test(token)) token = token.replace(/^bearer\\s+/i, '').trim();"],
    what: 'the `.trim()` after removing a "Bearer " prefix, `\\s+` → `\\s`, the `^` anchor',
    why: 'the `while` loop tests again and the result is trimmed on the next turn, so every variant strips the same prefixes.',
  },
  {
    file: 'src/core/baseUrl.ts',
    at: ["hostname.replace(/^\\[|\\]$/g, '')"],
    what: '`/^\\[|\\]$/g` without one anchor',
    why: 'a WHATWG URL hostname holds brackets only around an IPv6 address, one at each end.',
  },
  {
    file: 'src/core/baseUrl.ts',
    at: ["url.pathname !== ''"],
    what: "`url.pathname !== ''` → `true`, its `''` replaced",
    why: 'the pathname of an http(s) URL is never empty (at least "/").',
  },
  {
    file: 'src/core/baseUrl.ts',
    at: ["'$1***@'"],
    what: 'the `^` anchor of the masking regex removed',
    why: '`[\\s\\S]*@` matches from the first character whenever the value holds an "@", so the leftmost match starts there anyway.',
  },
  {
    file: 'src/core/watch.ts',
    at: [
      'if (due === this.timerDueAt && this.timer !== undefined) return;',
      'if (this.timer !== undefined) this.timers.clearTimeout(this.timer);',
      ['if (this.timer !== undefined) this.timers.clearTimeout(this.timer);', 1],
    ],
    what: 'the timer re-armed though its due time did not change; `clearTimeout` of no timer',
    why: 'the same polls happen at the same times, only a timer handle is replaced.',
  },
  {
    file: 'src/core/watch.ts',
    at: ['    if (this.watches.get(key) !== w) return;\n'],
    what: 'the check that the watch still exists after its result was recorded, removed',
    why: 'a watch stopped meanwhile is no longer in `list`/`get`; what follows only writes to its detached info and calls `stop` for an id no longer watched, which does nothing (the test "a watch stopped while its result is being recorded ends once" holds either way).',
  },
  {
    file: 'src/core/history/watcher.ts',
    at: ['this.o.read().catch(() => false)'],
    what: '`.catch(() => false)` → `() => undefined`',
    why: 'both are "no change".',
  },
  {
    file: 'src/core/client/interpret.ts',
    at: ["if (text === '') return { body: undefined, json: false };"],
    what: '`json: false` → `true` for an empty body',
    why: 'the empty-body check comes before the JSON one.',
  },
  {
    file: 'src/core/client/client.ts',
    at: ["String(code ?? '')", 'catch(() => [])'],
    what: '`String(code ?? \'\')` → `"Stryker was here!"`; `.catch(() => [])` → a list with that text',
    why: 'that text is not a code either (spaces, "!"), refused the same; the list only changes what is redacted from an answer holding that text.',
  },
  {
    file: 'src/core/history/model.ts',
    at: ["JSON.stringify(body) ?? ''"],
    what: "`?? ''` → another text",
    why: 'only a body JSON cannot write (a function) gets there, and either text fits the room.',
  },
  {
    file: 'src/core/history/files.ts',
    at: ['const length = Math.max(0, size - offset);', 'while (read < length) {', 'data.length - written', '.slice(2, 8)'],
    what: "`readFrom`'s and `write`'s partial-transfer loops (the size asked for, `<` → `<=`), the temp name's length",
    why: "a regular file's read or write moves every byte asked for unless the file changes meanwhile, and a read past the end returns 0 bytes, which ends the loop: the same bytes either way; a longer random part is as unique and matches the same leftover pattern.",
  },
  {
    file: 'src/core/history/files.ts',
    at: [['await fsp.rm(temp, { force: true });', 1]],
    what: '`{ force: true }` of removing the temp file after a failed rename',
    why: 'the temp file was written just before, so it exists and is removed either way.',
  },
  {
    file: 'src/core/history/disk.ts',
    at: ['if (i % 5000 === 4999) await'],
    what: 'yielding to the event loop after every operation',
    why: 'the same operations are applied in the same order, only more often interrupted (never yielding is killed: "a large snapshot is applied a few thousand operations at a time").',
  },
  {
    file: 'src/core/history/importPlan.ts',
    at: ['if (++tried % 5000 === 0) await'],
    what: 'yielding after every check, or counting down',
    why: 'the same checks are tried in the same order, only the yields move (never yielding is killed: "a large import gives the event loop a turn every 5,000 checks").',
  },
  {
    file: 'src/core/history/disk.ts',
    at: ["writer = ''): Promise<boolean>", "JSON.stringify(read.rejected) ?? ''"],
    what: "the default writer of a snapshot's operations without `w`, the text a rejected snapshot is remembered by",
    why: 'any constant does: no window has that writer id, and the text is only compared with itself.',
  },
  {
    file: 'src/core/history/importPlan.ts',
    at: ["scratch.apply(op, '')", "scratch.apply(label, '')"],
    what: "the writer of the import's scratch operations",
    why: 'an add does not use its writer, and an import label (at 0) only fills a missing label: any writer gives the same plan.',
  },
  {
    file: 'src/core/history/disk.ts',
    at: ['if (!present.has(name)) this.offsets.delete(name);', 'if (n > (this.offsets.get(name) ?? 0)) this.offsets.set(name, n);'],
    what: 'how far each log was read: forgetting a log that is gone, moving the mark only forward',
    why: 'a log name is never used again (each holds a random window id), and reading part of a log twice changes nothing, as every operation applies idempotently (state.test: "two windows\' logs read in any interleaving, and any of it read twice").',
  },
  {
    file: 'src/core/history/disk.ts',
    at: ['if (!chunk || chunk.length === 0) continue;', 'if (name === undefined ||'],
    what: '`|| chunk.length === 0` removed; `name === undefined ||` removed',
    why: 'an empty chunk holds no line, so nothing is applied and the offset stays; no name parses to no log name, which is told the same.',
  },
  {
    file: 'src/core/history/disk.ts',
    at: ['/^snapshot\\.json\\.(\\d+)\\.\\w+\\.tmp$/'],
    what: 'the `^` anchor of the leftover-snapshot pattern',
    why: 'only the extension writes in its history folder, and every name it writes there that ends so starts with "snapshot.json.".',
  },
  {
    file: 'src/core/history/ops.ts',
    at: ['final && last'],
    what: '`final && last` → `final`',
    why: 'every slice but the last is cut just after a line break, so `final` changes only the last.',
  },
  {
    file: 'src/core/history/setAside.ts',
    at: ["if (!id.endsWith('.json')) continue;", 'a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0'],
    what: "`!id.endsWith('.json')` → `false`; `<` → `<=` and the tie's 0 in the comparator",
    why: 'reading a set-aside refuses any id not ending in ".json" anyway; V8\'s sort only asks whether the result is negative, and two set-asides are never made in the same instant by one window.',
  },
  {
    file: 'src/core/history/state.ts',
    at: ['a.id < b.id ? -1 : a.id > b.id ? 1 : 0'],
    what: 'the tie on equal ids',
    why: 'an (instant, id) pair is never stored twice.',
  },
  {
    file: 'src/core/history/snapshot.ts',
    at: ['header.version > SNAPSHOT_VERSION', 'if (!buffer) return true;'],
    what: '`> SNAPSHOT_VERSION` → `>=` in "newer"; `if (!buffer) return true` removed',
    why: 'only reached when the version is not the current one; parsing no buffer throws, which is caught and also returns true.',
  },
  {
    file: 'src/core/history/copyFormat.ts',
    at: ["typeof v === 'number' && Number.isFinite(v)", 'if (entries.bytes > SYNC_BUDGET)', 'if (bytes + size > SYNC_BUDGET) break;'],
    what: "`typeof v === 'number'` → `true`; `>` → `>=` at the Settings Sync budget",
    why: "`Number.isFinite` is false for every value that is not a number; a copy of exactly the budget's size is kept whole or shortened by one entry, within the budget both ways.",
  },
  {
    file: 'src/core/calls.ts',
    at: ["parseDetail(check.body).message ?? ''"],
    what: "`?? ''` → another text",
    why: 'no text but D7\'s own says "minimum N seconds".',
  },
  {
    file: 'src/features/history/rows.ts',
    at: ["? 'n'", "masked ? '*' : ''"],
    what: 'the letters of a row key',
    why: 'a key only has to differ when the row does (tested: "is the same exactly when the row reads the same"); any other letters do.',
  },
  {
    file: 'src/features/verify/sendOptions.ts',
    at: ['split(/\\s+/).filter(Boolean)'],
    what: '`\\s+` → `\\s`',
    why: 'the empty strings between two spaces are filtered out.',
  },
  {
    file: 'src/core/history/view.ts',
    at: ['const byTimeDesc = (a: Timed, b: Timed) => b[0] - a[0] || b[1].at - a[1].at;'],
    what: "the store-time tie-break of two rows' check times",
    why: "an entry's rows are kept in a Map by their check time (ms), so two rows of one entry never tie on it.",
  },
  {
    file: 'src/core/history/view.ts',
    at: ['const byEntryDesc = (a: EntryView, b: EntryView) =>', 'if (byEntryDesc(list[mid], view) < 0) lo = mid + 1;'],
    what: 'the otp_id tie-break `a.key < b.key` → `<=`, its `a.key > b.key ? 1 : 0` made `1` or `0`; the search `< 0` → `<= 0`',
    why: 'keys are unique, so a comparison is 0 only of a view with itself, and both `position` and V8’s sort branch only on "below 0" (tested: four arrival orders, sorted whole and moved into place).',
  },
  {
    file: 'src/core/history/view.ts',
    at: ['const found = list[at] === view ? at : list.indexOf(view);', 'if (found >= 0) list.splice(found, 1);'],
    what: "removeSorted's fallback search and its guard",
    why: 'a view is never changed after it is built, so it is always where its order puts it; the fallback is a safety net for an order that cannot happen.',
  },
  {
    file: 'src/core/history/view.ts',
    at: ['if (++i % 5000 === 0) await new Promise((resolve) => setImmediate(resolve));'],
    what: '`++i` → `--i`',
    why: '−5000 % 5000 is −0, which `=== 0`: the same yields at the same counts.',
  },
  {
    file: 'src/core/history/view.ts',
    at: [
      'if (own.length < max && imported.length > 0) {',
      'const views = new Array<EntryView>(n);',
      'const entries = new Array<HistoryEntry>(n);',
      'if (kept.length < limit && imported.length > 0) {',
    ],
    what: '`imported.length > 0` made true or `>= 0`; `new Array(n)` → `new Array()`; in buildView, `kept.length < limit` made true, `<=` or `||`',
    why: 'merging in an empty list of imported views changes nothing; every slot of the arrays is written before they are read; `kept` is a slice of at most `limit` rows, so taking `limit - kept.length` (0) imported rows adds none.',
  },
  {
    file: 'src/core/history/state.ts',
    at: ['if (op.at > this.latestAt) this.latestAt = op.at;', 'if (op.at > row.at) row.at = op.at;'],
    what: '`>` → `>=`',
    why: 'at equal times the same value is assigned.',
  },
  {
    file: 'src/core/history/state.ts',
    at: ['if (at <= (this.removed.get(key) ?? 0)) return false;'],
    what: '`<=` → `<`',
    why: 'the same Remove again records the same time and drops again what it dropped before: nothing, so it reports no change either way.',
  },
  {
    file: 'src/core/history/state.ts',
    at: [
      'if (row.reps) for (const w in row.reps) total += row.reps[w].n;',
      'if (!row.reps && !row.copy) return row.check;',
      'if (repeat === (row.check.repeat ?? 1) && last ===',
    ],
    what: 'the `row.reps` guard made true; the fast path made false; the `last ===` test made true',
    why: '`for…in` over undefined runs no iteration; without the fast path the end returns `row.check` for such a row anyway; a repeat count is at least 1 (readOp) and a copy is kept only above the row’s own count, so a total equal to the own count means nothing was added and the last time is the check’s own.',
  },
  {
    file: 'src/core/history/state.ts',
    at: ['...(entry.label ? { label: { ...entry.label } } : {})'],
    what: "the scratch copy's own copy of the label → shared",
    why: 'a label is replaced (`entry.label = …`) or deleted, never changed in place, so sharing it changes nothing.',
  },
  {
    file: 'src/boot/codeCache.ts',
    at: ['rmSync(join(dir, name), { force: true })'],
    what: '`{ force: true }` → `{}` or `force: false`',
    why: 'it differs only when another window removed the file between `readdirSync` and `rmSync`; the write’s `catch` then loses only that cleanup.',
  },
];

/** The lines (1-based) of `file` on which each `at` of an accepted entry is found; a missing one is reported. */
function acceptedLines(entry, stale) {
  let text;
  try {
    text = fs.readFileSync(path.join(REPO, entry.file), 'utf8');
  } catch {
    stale.push(`${entry.file}: no such file`);
    return [];
  }
  const lines = [];
  for (const at of entry.at) {
    const [needle, nth] = Array.isArray(at) ? at : [at, 0];
    let index = -1;
    for (let i = 0; i <= nth; i++) index = text.indexOf(needle, index + 1);
    if (index < 0) stale.push(`${entry.file}: ${needle}`);
    else lines.push(text.slice(0, index + needle.search(/\S/)).split('\n').length);
  }
  return [...new Set(lines)].sort((a, b) => a - b);
}

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
  const stale = [];
  const accepted = ACCEPTED.map((entry) => ({ entry, at: acceptedLines(entry, stale) }));
  for (const s of stale) console.warn(`[mutation] an accepted survivor's code is no longer found (stale entry): ${s}`);
  const isAccepted = (file, m) => accepted.some(({ entry, at }) => entry.file === file && at.includes(m.location.start.line));
  const undetected = { accepted: 0, open: 0 };
  for (const [f, mutants] of files) for (const m of mutants.filter((x) => UNDETECTED.has(x.status))) undetected[isAccepted(f, m) ? 'accepted' : 'open']++;
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
    ...accepted.map(({ entry, at }) => `- ${entry.file} ${at.length === 1 ? 'line' : 'lines'} ${at.join(', ')} (${entry.what}): ${entry.why}`),
    '',
    '## Mutants no test detects',
    '',
    `${undetected.accepted} of the ${undetected.accepted + undetected.open} are on lines accepted above ("accepted"); the others are not explained.`,
    '',
  ];
  for (const [f, mutants] of files) {
    const left = mutants.filter((m) => UNDETECTED.has(m.status));
    if (!left.length) continue;
    lines.push(`### ${f}`, '');
    for (const m of left.sort((a, b) => a.location.start.line - b.location.start.line)) {
      const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100);
      const verdict = isAccepted(f, m) ? 'accepted' : m.status === 'NoCoverage' ? 'no test covers it' : 'survived';
      lines.push(`- line ${m.location.start.line}: ${m.mutatorName} → \`${replacement.replace(/`/g, "'")}\` (${verdict})`);
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
