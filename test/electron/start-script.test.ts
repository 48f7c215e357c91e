/**
 * `npm start` (scripts/start.mjs): the desktop app when an Electron binary is there, else one sentence
 * and browser mode with the same options. HEARTBEAT_ELECTRON_DIR points it at a stand-in electron
 * package: empty (no binary), one whose installer fails, or one whose "binary" records its arguments.
 * Needs the build (`npm test` runs `npm run build` first).
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from '../cli/heartbeat-run.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SENTENCE =
  'heartbeat: the Electron binary is not available here and could not be fetched, so the app starts in browser mode instead.';

function start(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (clearTimeout(killer), resolve(code))));
  const output = () => ({ stdout, stderr });
  return { child, exited, output };
}

async function browserModeStarts(env: NodeJS.ProcessEnv): Promise<string> {
  const run = start(['--port', '0', '--endpoint-port', '0', '--no-open'], env);
  await expect.poll(() => /^open \S+$/m.test(run.output().stdout), { timeout: 20_000 }).toBe(true);
  const origin = /^listening on (\S+)$/m.exec(run.output().stdout)?.[1];
  expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(await (await fetch(origin!)).text()).toContain('<div id="app">');
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  return run.output().stderr;
}

describe('npm start', () => {
  it('without an Electron binary says so in one sentence and starts `heartbeat ui` with the options given', async () => {
    const stderr = await browserModeStarts(isolatedEnv({ HEARTBEAT_ELECTRON_DIR: mkdtempSync(join(tmpdir(), 'hb-no-electron-')) }));
    expect(stderr.split('\n')[0]).toBe(SENTENCE);
    expect(stderr.match(/Electron/g)).toHaveLength(1);
  }, 30_000);

  it('tries to fetch a missing binary with the package’s installer, and falls back when that fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-electron-offline-'));
    const marker = join(dir, 'installer-ran');
    writeFileSync(
      join(dir, 'install.js'),
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'yes'); console.error('fetch failed'); process.exit(1);`,
    );
    const stderr = await browserModeStarts(isolatedEnv({ HEARTBEAT_ELECTRON_DIR: dir }));
    expect(existsSync(marker)).toBe(true);
    expect(stderr.split('\n')[0]).toBe(SENTENCE);
    expect(stderr).not.toContain('fetch failed');
  }, 30_000);

  it('launches the Electron binary on the project, passing the options on, without ELECTRON_RUN_AS_NODE', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-electron-present-'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'path.txt'), 'electron');
    const record = join(dir, 'launched-with');
    writeFileSync(
      join(dir, 'dist', 'electron'),
      `#!/bin/sh\nprintf '%s\\n' "$@" "run-as-node=$ELECTRON_RUN_AS_NODE" > "${record}"\nexit 7\n`,
    );
    chmodSync(join(dir, 'dist', 'electron'), 0o755);
    const run = start(['--some-option'], isolatedEnv({ HEARTBEAT_ELECTRON_DIR: dir, ELECTRON_RUN_AS_NODE: '1' }));
    expect(await run.exited).toBe(7);
    expect(readFileSync(record, 'utf8').split('\n')).toEqual([ROOT, '--some-option', 'run-as-node=', '']);
    expect(run.output().stderr).toBe('');
  }, 30_000);
});
