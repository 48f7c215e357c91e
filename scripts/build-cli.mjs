// Bundles the `heartbeat` CLI into dist/cli.js (run by `npm install` through `prepare`), so the
// command starts fast and needs no TypeScript loader at run time.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: '// Built from src/cli by scripts/build-cli.mjs. Do not edit.' },
});
