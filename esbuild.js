// Bundles the extension into dist/extension.js (CommonJS, `vscode` external), its entry dist/start.js (which loads
// that bundle with V8's code cache), and the built-in demo server (the
// project's mock D7 server, test/mock/demo.ts, and src/features/demo/demoSession.ts) into dist/demo.js: a bundle of its own, which the extension loads
// only when someone runs "Try with the Built-in Demo Server", so it adds nothing to the main bundle or activation.
//
// Code splitting for what is needed only on demand: every dynamic `import('…')` in the extension's sources (of a
// package, such as node-fetch, or of a module of src/) becomes a bundle of its own in dist/chunks/, which the main
// bundle loads with `require` when the import runs (the first request, the first export, …). A module that is also
// imported statically would be in both: the build fails then, so a chunk never silently costs twice.
// `--production` minifies and drops source maps; `--watch` rebuilds on change;
// `--metafile` writes dist/meta.json so the benchmark can report what takes the space.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

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

/** The name of a chunk: the package, or the module's path under src/ with slashes as dots. */
function chunkName(resolved) {
  const parts = resolved.split(path.sep);
  const modules = parts.lastIndexOf('node_modules'); // (node_modules may be a link to another folder)
  if (modules >= 0) return parts[modules + 1].startsWith('@') ? `${parts[modules + 1]}.${parts[modules + 2]}` : parts[modules + 1];
  return path.relative(path.join(__dirname, 'src'), resolved).split(path.sep).join('.').replace(/\.ts$/, '');
}

/**
 * Collects the dynamic imports of the main bundle: each becomes a module of one line that `require`s
 * dist/chunks/<name>.js when the import runs (a `require`, so VS Code's module interception applies to the chunk
 * as to the main bundle).
 */
function splitDynamicImports(chunks) {
  return {
    name: 'split-dynamic-imports',
    setup(build) {
      build.onResolve({ filter: /^\.\/chunks\// }, (args) => (args.namespace === 'chunk' ? { path: args.path, external: true } : undefined));
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.splitting) return undefined;
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { splitting: true },
        });
        if (resolved.errors.length || resolved.external) return resolved;
        const name = chunkName(resolved.path);
        chunks.set(name, resolved.path);
        return { path: name, namespace: 'chunk' };
      });
      build.onLoad({ filter: /.*/, namespace: 'chunk' }, (args) => ({ contents: `module.exports = require('./chunks/${args.path}.js');`, loader: 'js' }));
    },
  };
}

async function main() {
  const common = {
    bundle: true,
    format: 'cjs',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    platform: 'node',
    target: 'node18',
    charset: 'utf8',
    logLevel: 'silent',
  };
  const chunks = new Map();
  const ctx = await esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    metafile: true,
    plugins: watch ? [dropUnusedPlugin, splitDynamicImports(chunks), problemMatcherPlugin] : [dropUnusedPlugin, splitDynamicImports(chunks)],
  });
  // The entry (package.json `main`): loads dist/extension.js with V8's code cache (src/start.ts, src/boot/codeCache.ts).
  const start = await esbuild.context({ ...common, entryPoints: ['src/start.ts'], outfile: 'dist/start.js', external: ['vscode', './extension'] });
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
  const [result] = await Promise.all([ctx.rebuild(), demo.rebuild(), start.rebuild()]);
  const chunkMetas = await buildChunks(common, chunks, result.metafile);
  if (metafile) {
    const all = { inputs: { ...result.metafile.inputs }, outputs: { ...result.metafile.outputs } };
    for (const m of chunkMetas) Object.assign(all.outputs, m.outputs);
    fs.writeFileSync('dist/meta.json', JSON.stringify(all));
  }
  if (watch) {
    // (The chunks are built once; restart the watch after changing what they hold.)
    await Promise.all([ctx.watch(), demo.watch(), start.watch()]);
    return;
  }
  await Promise.all([ctx.dispose(), demo.dispose(), start.dispose()]);
}

/**
 * The chunks the main bundle asked for, each a CommonJS bundle of its own: what it shares with the main bundle is
 * bundled into it again, so a chunk holds code without module state (a second copy of a module with state would
 * be a second state).
 */
async function buildChunks(common, chunks, mainMeta) {
  fs.rmSync('dist/chunks', { recursive: true, force: true });
  const main = mainMeta.outputs['dist/extension.js'];
  return Promise.all(
    [...chunks].map(async ([name, file]) => {
      const twice = path.relative(__dirname, file).split(path.sep).join('/');
      if (main.inputs[twice]) throw new Error(`${twice} is imported dynamically (dist/chunks/${name}.js) and statically (dist/extension.js)`);
      const built = await esbuild.build({
        ...common,
        entryPoints: { [name]: file },
        outdir: 'dist/chunks',
        external: ['vscode'],
        metafile: true,
        plugins: [dropUnusedPlugin],
      });
      return built.metafile;
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
