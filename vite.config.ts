/**
 * One build for the app's parts (`vite build` builds every environment below):
 * - client: the renderer, index.html + src/renderer → dist/ui. Relative asset URLs (base './') so the
 *   same build is served by the loopback host, loaded from Electron's app:// protocol, or opened from
 *   disk. Monaco's workers are separate files (`?worker` imports, ES module workers) so the CSP stays
 *   `script-src 'self'; worker-src 'self' blob:` with no unsafe-eval.
 * - electronMain: electron/main.ts → dist/electron/main.cjs, a Node bundle that loads the npm
 *   dependencies at run time (electron-builder packs them), like the CLI bundle.
 * - electronPreload: electron/preload.ts → dist/electron/preload.cjs, one CommonJS file with everything
 *   but `electron` inlined, because a sandboxed preload cannot require files or packages.
 * - electronFleetWorker: src/node/fleet/worker.ts → dist/electron/fleet-worker.cjs, the worker thread a
 *   big fleet run goes to in the desktop app (main.cjs starts the app, so it cannot be the worker itself;
 *   src/node/fleet/worker-run.ts finds this file beside it).
 */
import { defineConfig, type EnvironmentOptions } from 'vite';
import vue from '@vitejs/plugin-vue';

const BANNER = '// Built from electron/ by vite (vite.config.ts). Do not edit.';

/** A CommonJS Node bundle of one entry into dist/electron. */
function electronBundle(entry: string, file: string, inlineAll: boolean): EnvironmentOptions {
  return {
    consumer: 'server',
    resolve: inlineAll ? { noExternal: true, external: ['electron'] } : { external: true },
    build: {
      outDir: 'dist/electron',
      emptyOutDir: false,
      target: 'node22',
      sourcemap: true,
      minify: false,
      copyPublicDir: false,
      ssr: entry,
      rolldownOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: file, banner: BANNER, codeSplitting: false },
      },
    },
  };
}

export default defineConfig({
  root: '.',
  base: './',
  plugins: [vue()],
  publicDir: false,
  resolve: {
    alias: [
      // monaco-yaml's worker (through monaco-worker-manager) imports Monaco's worker by its pre-0.55 path,
      // outside Monaco 0.57's exports map; the same module is now `monaco-editor/editor/editor.worker`.
      { find: /^monaco-editor\/esm\/vs\/editor\/editor\.worker(?:\.js)?$/, replacement: 'monaco-editor/editor/editor.worker' },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist/ui',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Monaco is one big lazy chunk by nature; the page itself stays small.
    chunkSizeWarningLimit: 4000,
  },
  environments: {
    client: {},
    electronMain: electronBundle('electron/main.ts', 'main.cjs', false),
    electronPreload: electronBundle('electron/preload.ts', 'preload.cjs', true),
    electronFleetWorker: electronBundle('src/node/fleet/worker.ts', 'fleet-worker.cjs', false),
  },
  builder: {
    // Only these four: Vite's implicit `ssr` environment has no entry in this app.
    async buildApp(builder) {
      for (const name of ['client', 'electronMain', 'electronPreload', 'electronFleetWorker'])
        await builder.build(builder.environments[name]);
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
});
