#!/usr/bin/env node
// The `heartbeat` command: runs the CLI bundle that `npm install` builds (scripts/build-cli.mjs).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const bundle = new URL('../dist/cli.cjs', import.meta.url);
if (!existsSync(bundle)) {
  console.error('heartbeat: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder first.');
  process.exit(2);
}
createRequire(import.meta.url)(bundle.pathname);
