// Bundles the `heartbeat` CLI into dist/cli.js (run by `npm install` through `prepare`), so the
// command starts fast and needs no TypeScript loader at run time. Each command is its own chunk
// (dist/cli-chunks/), loaded when it runs: `validate` does not pay for undici, the signer or the
// endpoint (validate 0.40 s → 0.18 s here).
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: '// Built from src/cli by scripts/build-cli.mjs. Do not edit.' },
});
