// Bundles the extension into dist/extension.js (CommonJS, `vscode` external).
// `--production` minifies and drops source maps; `--watch` rebuilds on change;
// `--metafile` writes dist/meta.json so the benchmark can report what takes the space.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const metafile = process.argv.includes('--metafile');

/** Prints esbuild's problems in a form VS Code's problem matchers understand. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

async function main() {
  const ctx = await esbuild.context({
    entryPoints: ['src/extension.ts'],
    bundle: true,
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    platform: 'node',
    target: 'node18',
    outfile: 'dist/extension.js',
    external: ['vscode'],
    logLevel: 'silent',
    metafile,
    plugins: watch ? [problemMatcherPlugin] : [],
  });
  if (watch) {
    await ctx.watch();
    return;
  }
  const result = await ctx.rebuild();
  if (metafile) require('fs').writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  await ctx.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
