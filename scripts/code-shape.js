#!/usr/bin/env node
// The shape of the code, as the architecture issue measures it: lines per file and per function in src/, and
// which files import `vscode`. Prints a summary; `--json` prints everything; `--max-function N --max-file N`
// exit 1 when something is longer (functions: every function, method, accessor, arrow function; lines from its
// first to its last line).
//
//   node scripts/code-shape.js [dir=src] [--json] [--max-function 60] [--max-file 300] [--top 10]
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const dir = path.resolve(args.find((a, i) => !a.startsWith('--') && !(args[i - 1] || '').startsWith('--')) || 'src');
const maxFunction = Number(flag('--max-function') || Infinity);
const maxFile = Number(flag('--max-file') || Infinity);
const top = Number(flag('--top') || 10);

function files(d) {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(d, e.name);
    if (e.isDirectory()) return files(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

function functionName(node, sf) {
  if (ts.isConstructorDeclaration(node)) return `${node.parent.name ? node.parent.name.text : 'class'} constructor`;
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (node.name) return node.name.getText(sf);
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
  if (parent && ts.isPropertyDeclaration(parent)) return parent.name.getText(sf);
  return '(anonymous)';
}

const report = { files: [], functions: [] };
for (const file of files(dir)) {
  const text = fs.readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const rel = path.relative(process.cwd(), file);
  const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  const importsVscode = /from 'vscode'|require\('vscode'\)/.test(text);
  report.files.push({ file: rel, lines, importsVscode });
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      report.functions.push({ file: rel, name: functionName(node, sf), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
}
report.files.sort((a, b) => b.lines - a.lines);
report.functions.sort((a, b) => b.lines - a.lines);

if (args.includes('--json')) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const totalLines = report.files.reduce((n, f) => n + f.lines, 0);
  const vscodeFree = report.files.filter((f) => !f.importsVscode).length;
  console.log(`${report.files.length} files, ${totalLines} lines in ${path.relative(process.cwd(), dir) || '.'}; ${vscodeFree} without a vscode import`);
  console.log(`longest files:`);
  for (const f of report.files.slice(0, top)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
  console.log(`longest functions (of ${report.functions.length}):`);
  for (const f of report.functions.slice(0, top)) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}:${f.line} ${f.name}`);
}
const tooLongFunctions = report.functions.filter((f) => f.lines > maxFunction);
const tooLongFiles = report.files.filter((f) => f.lines > maxFile);
for (const f of tooLongFunctions) console.error(`function over ${maxFunction} lines: ${f.file}:${f.line} ${f.name} (${f.lines})`);
for (const f of tooLongFiles) console.error(`file over ${maxFile} lines: ${f.file} (${f.lines})`);
process.exitCode = tooLongFunctions.length || tooLongFiles.length ? 1 : 0;
