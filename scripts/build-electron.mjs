// Bundles the desktop app's main process and preload into dist/electron (run by `npm run build`).
// esbuild, as for the CLI (scripts/build-cli.mjs), rather than a second vite config: these are Node
// bundles, and the sandboxed preload must be one CommonJS file that requires nothing but `electron`.
import { build } from 'esbuild';

const banner = { js: '// Built from electron/ by scripts/build-electron.mjs. Do not edit.' };
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node22', sourcemap: true, logLevel: 'warning', banner };

await Promise.all([
  // Main loads the npm dependencies at run time (electron-builder packs them), like the CLI bundle.
  build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.cjs', packages: 'external' }),
  // Everything but `electron` inlined: a sandboxed preload cannot require files or packages.
  build({ ...common, entryPoints: ['electron/preload.ts'], outfile: 'dist/electron/preload.cjs', external: ['electron'] }),
]);
