// Prints the figures docs/RELIABILITY.md quotes, as Markdown:
// - the reliability matrix's case counts per class, counted from the case tables in test/cases (compiled to
//   out/test/cases/figures.js), never printed by the tests themselves;
// - the unit suite's test counts, from mocha's JSON reporter over .mocharc.json (the suite `npm run test:unit` runs).
//
// Usage (after `npm run compile:tests`):  node scripts/reliability-figures.js           prints them
//                                          node scripts/reliability-figures.js --write   replaces the block between
//   `<!-- figures:start -->` and `<!-- figures:end -->` in docs/RELIABILITY.md (`npm run docs:figures`)
// Exits 1 when the compiled cases are missing or the unit suite did not run; a failing test is reported, not fatal.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const figuresFile = path.join(root, 'out', 'test', 'cases', 'figures.js');

/** 12345 → "12 345", as docs/RELIABILITY.md writes numbers. */
function n(value) {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

function casesTable() {
  if (!fs.existsSync(figuresFile)) {
    process.stderr.write(`reliability-figures: ${path.relative(root, figuresFile)} not found; run \`npm run compile:tests\` first.\n`);
    process.exit(1);
  }
  const { reliabilityFigures } = require(figuresFile);
  const lines = ['| Class | Cases | Checks | Property runs | Cases are | Tests (test/unit/) |', '|---|---:|---:|---:|---|---|'];
  const total = { cases: 0, checks: 0, propertyRuns: 0 };
  for (const c of reliabilityFigures()) {
    lines.push(`| ${c.name} | ${n(c.cases)} | ${n(c.checks)} | ${c.propertyRuns ? n(c.propertyRuns) : '—'} | ${c.detail} | ${c.tests} |`);
    total.cases += c.cases;
    total.checks += c.checks;
    total.propertyRuns += c.propertyRuns;
  }
  lines.push(`| **Total** | ${n(total.cases)} | ${n(total.checks)} | ${n(total.propertyRuns)} | | |`);
  return lines.join('\n');
}

/** Runs the unit suite with mocha's JSON reporter (written to a file: a test's own output must not corrupt it). */
function unitSuite() {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-figures-')), 'mocha.json');
  const mocha = require.resolve('mocha/bin/mocha.js', { paths: [root] });
  const run = spawnSync(process.execPath, [mocha, '--config', '.mocharc.json', '--reporter', 'json', '--reporter-option', `output=${out}`], {
    cwd: root,
    encoding: 'utf8',
  });
  if (!fs.existsSync(out)) {
    process.stderr.write(`reliability-figures: mocha wrote no report (exit ${run.status}).\n${run.stderr}\n`);
    process.exit(1);
  }
  const report = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  const byFile = new Map();
  const count = (tests, field) => {
    for (const t of tests) {
      const file = path
        .relative(path.join(root, 'out', 'test', 'unit'), t.file)
        .replace(/\\/g, '/')
        .replace(/\.js$/, '.ts');
      const row = byFile.get(file) ?? { passing: 0, pending: 0, failing: 0 };
      row[field]++;
      byFile.set(file, row);
    }
  };
  count(report.passes, 'passing');
  count(report.pending, 'pending');
  count(report.failures, 'failing');
  const lines = ['| Test file (test/unit/) | Passing | Pending | Failing |', '|---|---:|---:|---:|'];
  for (const [file, row] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) lines.push(`| ${file} | ${row.passing} | ${row.pending} | ${row.failing} |`);
  const { tests, passes, pending, failures } = report.stats;
  lines.push(`| **${byFile.size} files, ${n(tests)} tests** | **${n(passes)}** | **${pending}** | **${failures}** |`);
  const failed = report.failures.map((f) => `- ${f.fullTitle}`);
  return lines.join('\n') + (failed.length ? `\n\nFailing:\n\n${failed.join('\n')}` : '');
}

const figures = `### Cases per class\n\n${casesTable()}\n\n### Unit suite (\`npm run test:unit\`)\n\n${unitSuite()}\n`;
if (process.argv.includes('--write')) {
  const doc = path.join(root, 'docs', 'RELIABILITY.md');
  const text = fs.readFileSync(doc, 'utf8');
  const block = /<!-- figures:start[^>]*-->[\s\S]*?<!-- figures:end -->/;
  if (!block.test(text)) {
    process.stderr.write('reliability-figures: docs/RELIABILITY.md has no <!-- figures:start --> … <!-- figures:end --> block.\n');
    process.exit(1);
  }
  const stamp = `<!-- figures:start (written by scripts/reliability-figures.js on ${new Date().toISOString().slice(0, 10)}; do not edit by hand) -->`;
  fs.writeFileSync(doc, text.replace(block, `${stamp}\n\n${figures}\n<!-- figures:end -->`));
  process.stdout.write('reliability-figures: docs/RELIABILITY.md updated.\n');
} else process.stdout.write(figures);
