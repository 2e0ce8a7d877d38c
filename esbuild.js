// Bundles the extension into dist/extension.js (CommonJS, `vscode` external), and the built-in demo server (the
// project's mock D7 server, test/mock/demo.ts, and src/features/demo/demoSession.ts) into dist/demo.js: a bundle of its own, which the extension loads
// only when someone runs "Try with the Built-in Demo Server", so it adds nothing to the main bundle or activation.
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

/**
 * Leaves out parts of node-fetch's dependencies this extension never runs (about 65 KB of the 150 KB budget):
 * - web-streams-polyfill: fetch-blob loads it only when `globalThis.ReadableStream` and `node:stream/web` are both
 *   missing, which never happens on the Node (>= 18) of any VS Code this extension supports;
 * - node-fetch's multipart parser: only `Response.formData()` imports it, and the extension reads JSON and text.
 * - formdata-polyfill: node-fetch sends a FormData body and builds one in `Response.formData()`; the extension
 *   sends JSON and never calls `formData()`, so a class no value is an instance of keeps node-fetch's
 *   `body instanceof FormData` checks false, and building one throws.
 * Each is replaced by a stub that throws if it is ever reached, so a wrong assumption fails loudly.
 */
const dropUnusedPlugin = {
  name: 'drop-unused',
  setup(build) {
    const stubs = {
      'web-streams-polyfill': 'throw new Error("web-streams-polyfill is not bundled: this Node has no ReadableStream");',
      'multipart-parser': 'export async function toFormData() { throw new Error("Response.formData() is not bundled"); }',
      'formdata-polyfill':
        'export class FormData { constructor() { throw new Error("FormData is not bundled"); } }\n' +
        'export function formDataToBlob() { throw new Error("FormData is not bundled"); }',
    };
    build.onResolve({ filter: /^web-streams-polyfill(\/|$)/ }, () => ({ path: 'web-streams-polyfill', namespace: 'stub' }));
    build.onResolve({ filter: /^formdata-polyfill(\/|$)/ }, (args) =>
      args.importer.includes('node-fetch') ? { path: 'formdata-polyfill', namespace: 'stub' } : undefined,
    );
    build.onResolve({ filter: /[\\/]multipart-parser\.js$/ }, (args) =>
      args.importer.includes('node-fetch') ? { path: 'multipart-parser', namespace: 'stub' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'stub' }, (args) => ({ contents: stubs[args.path], loader: 'js' }));
  },
};

async function main() {
  const common = {
    bundle: true,
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    platform: 'node',
    target: 'node18',
    logLevel: 'silent',
  };
  const ctx = await esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    metafile,
    plugins: watch ? [dropUnusedPlugin, problemMatcherPlugin] : [dropUnusedPlugin],
  });
  // The demo bundle: the mock server and the session that runs it (src/features/demo/demoSession.ts, `vscode` external).
  const demo = await esbuild.context({
    ...common,
    stdin: {
      contents: "export { demo } from './test/mock/demo'; export { DemoSession } from './src/features/demo/demoSession';",
      resolveDir: __dirname,
      sourcefile: 'demo-bundle.ts',
      loader: 'ts',
    },
    outfile: 'dist/demo.js',
    external: ['vscode'],
  });
  if (watch) {
    await Promise.all([ctx.watch(), demo.watch()]);
    return;
  }
  const [result] = await Promise.all([ctx.rebuild(), demo.rebuild()]);
  if (metafile) require('fs').writeFileSync('dist/meta.json', JSON.stringify(result.metafile));
  await Promise.all([ctx.dispose(), demo.dispose()]);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
