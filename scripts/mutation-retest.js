#!/usr/bin/env node
// Re-tests the mutants a Stryker run left undetected in one source file against the unit tests as they are now:
// each mutant (from the run's event-recorder files) is applied to the file as the run mutated it, compiled alone with
// esbuild into out/ in place of the file's compiled code, and the given compiled test files are run (mocha --bail);
// out/ is restored after. Needs `npm run compile:tests` first. It is not Stryker's score: a guide to what a new run
// would find, for the time between runs.
//
//   node scripts/mutation-retest.js <events dir> <commit the run mutated> <src/…/file.ts> <out/test/…test.js …>
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const cp = require('node:child_process');
const esbuild = require('esbuild');
const REPO = path.resolve(__dirname, '..');
const [dir, commit, rel, ...tests] = process.argv.slice(2);
if (!dir || !commit || !rel || tests.length === 0) {
  console.error('usage: node scripts/mutation-retest.js <events dir> <commit> <src file> <compiled test files…>');
  process.exit(2);
}
const src = cp.execFileSync('git', ['show', `${commit}:${rel}`], { cwd: REPO, encoding: 'utf8' });
const now = fs.readFileSync(path.join(REPO, rel), 'utf8');
if (src !== now) console.log("note: the source changed since the run; mutants are applied to the run's source");
const outJs = path.join(REPO, 'out', rel.replace(/\.ts$/, '.js'));
const backup = fs.readFileSync(outJs);
const lines = src.split('\n');
// Stryker's locations: lines and columns from 1.
const offset = (loc) => {
  let o = 0;
  for (let i = 0; i < loc.line - 1; i++) o += lines[i].length + 1;
  return o + loc.column - 1;
};
const survivors = [];
for (const n of fs.readdirSync(dir).filter((n) => n.includes('onMutantTested'))) {
  const m = JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8'));
  if (!m.fileName.endsWith(rel) || (m.status !== 'Survived' && m.status !== 'NoCoverage')) continue;
  survivors.push(m);
}
survivors.sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
let killed = 0;
const left = [];
try {
  for (const m of survivors) {
    const mutated = src.slice(0, offset(m.location.start)) + m.replacement + src.slice(offset(m.location.end));
    let js;
    try {
      js = esbuild.transformSync(mutated, { loader: 'ts', format: 'cjs', target: 'node20' }).code;
    } catch (e) {
      left.push(`${m.location.start.line}: ${m.mutatorName} (does not build)`);
      continue;
    }
    fs.writeFileSync(outJs, js);
    const r = cp.spawnSync('npx', ['mocha', '--no-config', '--bail', '--timeout', '10000', ...tests], { cwd: REPO, encoding: 'utf8', timeout: 60000 });
    if (r.status !== 0) killed++;
    else left.push(`${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement).slice(0, 70)}`);
  }
} finally {
  fs.writeFileSync(outJs, backup);
}
// sanity: the unmutated source through esbuild passes
fs.writeFileSync(outJs, esbuild.transformSync(src, { loader: 'ts', format: 'cjs', target: 'node20' }).code);
const ok = cp.spawnSync('npx', ['mocha', '--no-config', ...tests], { cwd: REPO, encoding: 'utf8' }).status === 0;
fs.writeFileSync(outJs, backup);
console.log(`${rel}: ${survivors.length} undetected in the run; ${killed} now killed, ${left.length} left (unmutated build passes: ${ok})`);
console.log(left.join('\n'));
