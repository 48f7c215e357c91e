// Bundles the `heartbeat` CLI into dist/cli.js (run by `npm install` through `prepare`), so the
// command starts fast and needs no TypeScript loader at run time. Each command is its own chunk
// (dist/cli-chunks/), loaded when it runs: `validate` does not pay for undici, the signer or the
// endpoint (validate 0.40 s → 0.18 s here).
//
// What `send` and `replay` load on every run is bundled too, trimmed to what they use: the @smithy
// packages from their ES module builds (so esbuild keeps only what the signer, the endpoint rules and
// the ini loader reach, instead of Node loading every @smithy/core submodule), and of undici only the
// Agent and EnvHttpProxyAgent the transport uses (undici's index loads fetch, WebSocket, caches and
// mocks as well): `heartbeat send` 0.52 s → 0.34 s here. Other packages stay external (loaded from
// node_modules when a command needs them, as the credential providers).
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundled packages: their code goes into the chunks. */
const BUNDLED = /^(@smithy\/|@aws-crypto\/|tslib$|undici\/lib\/)/;

/**
 * `undici` as src imports it at run time (types aside): the two dispatchers, from undici's own modules,
 * with the request/connect/... methods undici's index adds to every dispatcher (ProxyAgent tunnels with
 * `connect`).
 */
const UNDICI_PARTS = {
  Agent: 'undici/lib/dispatcher/agent.js',
  EnvHttpProxyAgent: 'undici/lib/dispatcher/env-http-proxy-agent.js',
};
const UNDICI_DISPATCHER = 'undici/lib/dispatcher/dispatcher.js';
const UNDICI_API = 'undici/lib/api/index.js';

const require = createRequire(import.meta.url);
// Fails the build if undici moved them.
for (const path of [...Object.values(UNDICI_PARTS), UNDICI_DISPATCHER, UNDICI_API]) require.resolve(path);

const packages = {
  name: 'heartbeat-packages',
  setup(b) {
    b.onResolve({ filter: /^undici$/ }, () => ({ path: 'undici', namespace: 'undici-parts' }));
    b.onLoad({ filter: /.*/, namespace: 'undici-parts' }, () => ({
      contents: [
        `import Dispatcher from ${JSON.stringify(UNDICI_DISPATCHER)};`,
        `import api from ${JSON.stringify(UNDICI_API)};`,
        'Object.assign(Dispatcher.prototype, api);',
        ...Object.entries(UNDICI_PARTS).map(([name, path]) => `export { default as ${name} } from ${JSON.stringify(path)};`),
      ].join('\n'),
      resolveDir: fileURLToPath(new URL('..', import.meta.url)),
      loader: 'js',
    }));
    // Bare specifiers: bundled when listed above, else left to Node at run time.
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('node:') || !BUNDLED.test(args.path) ? { path: args.path, external: true } : undefined));
  },
};

rmSync('dist/cli-chunks', { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  chunkNames: 'cli-chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ES module builds first, so bundled packages can be tree-shaken.
  mainFields: ['module', 'main'],
  plugins: [packages],
  sourcemap: true,
  logLevel: 'warning',
  // undici is CommonJS: its require() of Node's modules needs a require in these ES modules.
  banner: { js: "// Built from src/cli by scripts/build-cli.mjs. Do not edit.\nimport { createRequire as __hbCreateRequire } from 'node:module';\nconst require = __hbCreateRequire(import.meta.url);" },
});
