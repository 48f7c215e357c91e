// Bundles the `heartbeat` CLI (run by `npm install` through `prepare`), so the command starts fast and
// needs no TypeScript loader at run time: dist/cli.cjs (the dispatcher) and one
// self-contained file per other command in dist/cli-commands/, loaded only when that command runs
// (`validate` does not pay for undici, the signer or the endpoint).
//
// CommonJS, one file per command, no shared chunks: Node 20 resolves, links and compiles every ES module
// of a graph before running any, and `heartbeat send` loaded 13 chunks (~25 ms of its cold start here);
// as CommonJS, modules a command imports only dynamically (the in-process endpoint behind `send
// --local`, yaml) are wrapped to load when first used instead.
//
// What `send` and `replay` load on every run is bundled too, trimmed to what they use: the @smithy
// packages from their ES module builds (so esbuild keeps only what the signer, the endpoint rules and
// the ini loader reach, instead of Node loading every @smithy/core submodule), and of undici only the
// Agent and EnvHttpProxyAgent the transport uses (undici's index loads fetch, WebSocket, caches and
// mocks as well). Other packages stay external (loaded from node_modules when a command needs them, as
// the credential providers).
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundled packages: their code goes into the chunks. */
const BUNDLED = /^(@smithy\/|@aws-crypto\/|tslib$|undici\/lib\/)/;

import { UNDICI_CONNECT, UNDICI_DISPATCHER, UNDICI_PARTS } from './undici-parts.mjs';

const require = createRequire(import.meta.url);
// Fails the build if undici moved them.
for (const path of [...Object.values(UNDICI_PARTS), UNDICI_DISPATCHER, UNDICI_CONNECT]) require.resolve(path);

const packages = {
  name: 'heartbeat-packages',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-parts' }));
    b.onLoad({ filter: /.*/, namespace: 'undici-parts' }, () => ({
      contents: [
        `import Dispatcher from ${JSON.stringify(UNDICI_DISPATCHER)};`,
        `import connect from ${JSON.stringify(UNDICI_CONNECT)};`,
        'Dispatcher.prototype.connect = connect;',
        ...Object.entries(UNDICI_PARTS).map(([name, path]) => `export { default as ${name} } from ${JSON.stringify(path)};`),
      ].join('\n'),
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'js',
    }));
    // Bare specifiers: bundled when listed above, else left to Node at run time.
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('node:') || !BUNDLED.test(args.path) ? { path: args.path, external: true } : undefined,
    );
  },
};

/**
 * `main.ts` imports each command dynamically: in the bundle, that import loads the command's own file
 * through src/cli/code-cache.ts (V8's code cache kept between runs).
 */
const CODE_CACHE = fileURLToPath(new URL('../src/cli/code-cache.ts', import.meta.url));
const commandsApart = {
  name: 'heartbeat-commands-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/commands\/[a-z-]+\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' && basename(args.importer) === 'main.ts'
        ? { path: basename(args.path, '.ts'), namespace: 'heartbeat-command' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'heartbeat-command' }, (args) => ({
      contents: `const { requireWithCodeCache } = require(${JSON.stringify(CODE_CACHE)});\nmodule.exports = requireWithCodeCache(require('node:path').join(__dirname, 'cli-commands', ${JSON.stringify(`${args.path}.cjs`)}));`,
      resolveDir: dirname(CODE_CACHE),
      loader: 'js',
    }));
  },
};

const COMMANDS = readdirSync('src/cli/commands')
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => basename(f, '.ts'));

// Built into a staging folder beside dist/ (same depth, so the source maps' relative paths hold) and
// moved into place only when the build succeeds: a failed build leaves the previous CLI working.
const staging = `.cli-build-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
try {
  await build({
    entryPoints: { cli: 'src/cli/main.ts', ...Object.fromEntries(COMMANDS.map((c) => [`cli-commands/${c}`, `src/cli/commands/${c}.ts`])) },
    outdir: staging,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // import() of a command or package as require(): Node's import() of CommonJS first scans the whole
    // file for its exports (cjs-module-lexer: ~60 ms for send.cjs).
    supported: { 'dynamic-import': false },
    // ES module builds first, so bundled packages can be tree-shaken.
    mainFields: ['module', 'main'],
    plugins: [commandsApart, packages],
    sourcemap: true,
    logLevel: 'warning',
    // import.meta.url (the ui command finds dist/ui by it) as CommonJS has it.
    define: { 'import.meta.url': '__hbImportMetaUrl' },
    banner: {
      js: "// Built from src/cli by scripts/build-cli.mjs. Do not edit.\n'use strict';\nvar __hbImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
    },
  });
  mkdirSync('dist', { recursive: true });
  rmSync('dist/cli-chunks', { recursive: true, force: true });
  rmSync('dist/cli-commands', { recursive: true, force: true });
  rmSync('dist/cli.js', { force: true });
  rmSync('dist/cli.js.map', { force: true });
  renameSync(`${staging}/cli-commands`, 'dist/cli-commands');
  renameSync(`${staging}/cli.cjs`, 'dist/cli.cjs');
  renameSync(`${staging}/cli.cjs.map`, 'dist/cli.cjs.map');
} finally {
  rmSync(staging, { recursive: true, force: true });
}
