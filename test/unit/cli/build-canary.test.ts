/**
 * Canaries for the CLI's start-up tricks (docs/architecture.md#performance-decisions-and-their-benches):
 * what the build takes of undici's internals, and the V8 flag `send` runs with. A dependency upgrade that
 * breaks one of them fails here, with what to check, instead of silently at a user's.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { expect, it } from 'vitest';
// @ts-expect-error a plain ES module of the build, without type declarations
import { UNDICI_CHECKED, UNDICI_CONNECT, UNDICI_DISPATCHER, UNDICI_PARTS } from '../../../scripts/undici-parts.mjs';

const require = createRequire(import.meta.url);

it('undici is the version the deep imports were checked against, and its files still hold what the build takes', () => {
  const version = (require('undici/package.json') as { version: string }).version;
  expect(
    version,
    `undici ${version} is not the checked ${UNDICI_CHECKED}: check scripts/undici-parts.mjs against it, then raise UNDICI_CHECKED`,
  ).toBe(UNDICI_CHECKED);
  for (const path of Object.values(UNDICI_PARTS) as string[]) expect(typeof require(path)).toBe('function');
  const Dispatcher = require(UNDICI_DISPATCHER) as { prototype: Record<string, unknown> };
  // The build adds connect (what ProxyAgent tunnels with) to the Dispatcher it bundles: it must not be there already, and must be a function.
  expect(Dispatcher.prototype.connect).toBeUndefined();
  expect(typeof require(UNDICI_CONNECT)).toBe('function');
  // The public API has the same method the patch gives back.
  expect(typeof (require('undici') as { Dispatcher: { prototype: Record<string, unknown> } }).Dispatcher.prototype.connect).toBe(
    'function',
  );
});

it('the V8 flag send sets (--liftoff-only) still exists in this Node', () => {
  const run = spawnSync(
    process.execPath,
    ['--liftoff-only', '-e', "require('node:v8').setFlagsFromString('--liftoff-only'); process.stdout.write('ok')"],
    { encoding: 'utf8' },
  );
  expect(run.stderr).toBe('');
  expect(run.stdout).toBe('ok');
});
