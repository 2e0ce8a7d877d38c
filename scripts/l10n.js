// Writes l10n/bundle.l10n.json, the source-language (English) bundle VS Code's `vscode.l10n` reads
// (package.json "l10n": "./l10n"). Its keys are:
// - every `vscode.l10n.t(...)` string in src/**/*.ts, as @vscode/l10n-dev's getL10nJson extracts it;
// - every value of `MESSAGES` in src/core/messages.ts (the vscode-free modules' texts, worded through
//   `vscode.l10n.t` at run time), loaded by bundling that module in memory with esbuild.
// Keys are sorted; a message without comment has itself as key and value.
//
// Usage: node scripts/l10n.js            writes the bundle
//        node scripts/l10n.js --check    writes nothing; exits 1 (listing the differences) when the file on
//                                        disk is not what would be written
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'src');
const messagesFile = path.join(root, 'src', 'core', 'messages.ts');
const bundleFile = path.join(root, 'l10n', 'bundle.l10n.json');
const check = process.argv.includes('--check');

/** src/**\/*.ts, sorted so the extraction order never depends on the file system. */
function sourceFiles() {
  return fs
    .readdirSync(srcDir, { recursive: true, withFileTypes: false })
    .map(String)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(srcDir, f))
    .sort();
}

/** The `MESSAGES` object of src/core/messages.ts, or undefined (with a note) while that file does not exist. */
function loadMessages() {
  if (!fs.existsSync(messagesFile)) {
    process.stderr.write(`l10n: ${path.relative(root, messagesFile)} not found; only vscode.l10n.t strings are collected.\n`);
    return undefined;
  }
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [messagesFile],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    external: ['vscode'],
    logLevel: 'silent',
  });
  const mod = { exports: {} };
  const run = new Function('module', 'exports', 'require', '__filename', '__dirname', result.outputFiles[0].text);
  run(mod, mod.exports, createRequire(messagesFile), messagesFile, path.dirname(messagesFile));
  const messages = mod.exports.MESSAGES;
  if (!messages || typeof messages !== 'object') {
    throw new Error(`${path.relative(root, messagesFile)} does not export a MESSAGES object`);
  }
  for (const [id, text] of Object.entries(messages)) {
    if (typeof text !== 'string') throw new Error(`MESSAGES.${id} is not a string (${typeof text})`);
  }
  return messages;
}

async function build() {
  const { getL10nJson } = require('@vscode/l10n-dev');
  const files = sourceFiles().map((f) => ({ contents: fs.readFileSync(f, 'utf8'), extension: '.ts' }));
  const bundle = { ...(await getL10nJson(files)) };
  const messages = loadMessages();
  if (messages) {
    for (const text of Object.values(messages)) bundle[text] = text;
  }
  const sorted = {};
  for (const key of Object.keys(bundle).sort()) sorted[key] = bundle[key];
  return sorted;
}

function readExisting() {
  try {
    return fs.readFileSync(bundleFile, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  }
}

/** What differs between the bundle on disk and the one that would be written, one line per key. */
function describeDifferences(oldText, bundle) {
  let old = {};
  if (oldText !== undefined) {
    try {
      old = JSON.parse(oldText);
    } catch (e) {
      return [`  ${path.relative(root, bundleFile)} is not valid JSON: ${e.message}`];
    }
  }
  const lines = [];
  for (const key of Object.keys(bundle)) {
    if (!(key in old)) lines.push(`  + ${JSON.stringify(key)}`);
    else if (JSON.stringify(old[key]) !== JSON.stringify(bundle[key])) lines.push(`  ~ ${JSON.stringify(key)} (value changed)`);
  }
  for (const key of Object.keys(old)) if (!(key in bundle)) lines.push(`  - ${JSON.stringify(key)}`);
  if (lines.length === 0) lines.push('  (same keys and values; only order or formatting differs)');
  return lines;
}

async function main() {
  const bundle = await build();
  const text = JSON.stringify(bundle, null, 2) + '\n';
  const rel = path.relative(root, bundleFile);
  const oldText = readExisting();
  if (check) {
    if (oldText === text) {
      console.log(`l10n: ${rel} is up to date (${Object.keys(bundle).length} strings).`);
      return;
    }
    console.error(oldText === undefined ? `l10n: ${rel} does not exist.` : `l10n: ${rel} is out of date:`);
    console.error(describeDifferences(oldText, bundle).join('\n'));
    console.error('Run `npm run l10n` to update it.');
    process.exitCode = 1;
    return;
  }
  if (oldText === text) {
    console.log(`l10n: ${rel} unchanged (${Object.keys(bundle).length} strings).`);
    return;
  }
  fs.mkdirSync(path.dirname(bundleFile), { recursive: true });
  fs.writeFileSync(bundleFile, text);
  console.log(`l10n: wrote ${rel} (${Object.keys(bundle).length} strings).`);
}

main().catch((e) => {
  console.error(`l10n: ${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
