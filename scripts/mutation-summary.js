#!/usr/bin/env node
// Writes docs/mutation/SUMMARY.md from Stryker's JSON report (reports/mutation/mutation.json, written by
// `npm run test:mutation`): the mutation score per file and per folder, and every mutant that survived or that no
// test covers, with its place and replacement, so a reader sees what is not tested without opening the HTML report.
//
//   node scripts/mutation-summary.js [--check 85]   (exit 1 when src/core scores below the given percentage)
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
  'src/core/watch.ts lines 130, 140, 141 (the timer is re-armed though its due time did not change; `clearTimeout` of no timer): the same polls happen at the same times, only a timer handle is replaced.',
];

function tally(mutants) {
  const t = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, ignored: 0, errors: 0 };
  for (const m of mutants) {
    if (m.status === 'Killed') t.killed++;
    else if (m.status === 'Timeout') t.timeout++;
    else if (m.status === 'Survived') t.survived++;
    else if (m.status === 'NoCoverage') t.noCoverage++;
    else if (m.status === 'Ignored') t.ignored++;
    else t.errors++;
  }
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  t.score = valid ? ((t.killed + t.timeout) / valid) * 100 : 100;
  return t;
}

const pct = (n) => `${n.toFixed(1)} %`;
const row = (name, t) => `| ${name} | ${pct(t.score)} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.ignored} |`;

function main() {
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf8'));
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
    `Run: ${new Date().toISOString().slice(0, 10)}. **src/core: ${pct(core.score)}**; vscode-free files of the VS Code layer: ${pct(rest.score)}; all: ${pct(all.score)}.`,
    '',
    '| file | score | killed | timeout | survived | no coverage | ignored |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
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
