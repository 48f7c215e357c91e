import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeCacheDir } from '../../src/cli/code-cache.ts';
import { runCli } from './run-cli.ts';

const valid = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' });
const cacheFiles = (home: string) => {
  try {
    return readdirSync(join(home, 'heartbeat-composer', 'code-cache'));
  } catch {
    return [];
  }
};

describe("V8's code cache of the command files", () => {
  it('lives in the per-user cache folder of each platform', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/c' }, 'linux', '/home/u')).toBe('/c/heartbeat-composer/code-cache');
    expect(codeCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/heartbeat-composer/code-cache');
    expect(codeCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/heartbeat-composer/code-cache');
    expect(codeCacheDir({ LOCALAPPDATA: 'C:\\L' }, 'win32', 'C:\\U')).toMatch(/^C:\\L[\\/]Cache[\\/]heartbeat-composer[\\/]code-cache$/);
  });

  it('is written by the first run, used as is by the next, and replaced when V8 rejects it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hb-code-cache-'));
    const env = { XDG_CACHE_HOME: cache };
    const first = await runCli(['validate', '-'], { input: valid, env });
    expect(first.code).toBe(0);
    const [name, ...others] = cacheFiles(cache);
    expect(others).toEqual([]);
    expect(name).toMatch(/^validate\.cjs-\d+-\d+-v\d+\.\d+\.\d+-[a-z0-9]+\.v8$/);
    const file = join(cache, 'heartbeat-composer', 'code-cache', name);
    const written = statSync(file);
    expect(written.size).toBeGreaterThan(1000);

    // Accepted by V8: not written again.
    const second = await runCli(['validate', '-'], { input: valid, env });
    expect(second.code).toBe(0);
    expect(statSync(file).mtimeMs).toBe(written.mtimeMs);

    // Garbage under the same name: rejected, the command still works, a real cache replaces it.
    writeFileSync(file, 'not a code cache');
    const third = await runCli(['validate', '-'], { input: '{}', env });
    expect(third.code).toBe(1);
    expect(third.stdout).toContain('/DeviceName: DeviceName is required but missing.');
    expect(readFileSync(file).length).toBeGreaterThan(1000);
    expect(cacheFiles(cache)).toEqual([name]);
  });

  it('is neither read nor written with HEARTBEAT_CODE_CACHE=off', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hb-code-cache-'));
    const run = await runCli(['validate', '-'], { input: valid, env: { XDG_CACHE_HOME: cache, HEARTBEAT_CODE_CACHE: 'off' } });
    expect(run.code).toBe(0);
    expect(cacheFiles(cache)).toEqual([]);
  });
});
