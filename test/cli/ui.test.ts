/** `heartbeat ui` as a user runs it: the built binary serves the built UI and its API, and stops on SIGTERM. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isolatedEnv } from './heartbeat-run.ts';

// Needs the built UI: `npm test` runs `npm run build` first.
describe('heartbeat ui', () => {
  it('prints the URL with its token, serves the page and the API, and exits 0 on SIGTERM', async () => {
    const env = isolatedEnv();
    const child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (stdout.split('\n').length > 4) resolve();
      });
      child.on('exit', (code) => reject(new Error(`ui exited early with ${code}: ${stderr}`)));
    });
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const origin = lines[0]!.slice('listening on '.length);
    const url = /^open (\S+)$/.exec(lines[1]!)?.[1];
    expect(url).toMatch(new RegExp(`^${origin}/#token=[A-Za-z0-9_-]{43}$`));
    expect(lines[2]).toMatch(/^embedded endpoint http:\/\/127\.0\.0\.1:\d+ /);
    expect(lines[3]).toBe(`history in ${env.HEARTBEAT_HISTORY_DIR}`);
    const page = await fetch(origin);
    expect(await page.text()).toContain('<div id="app">');
    const token = url!.split('#token=')[1];
    const info = await fetch(`${origin}/api/endpoint/info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await info.json()) as { result: { region: string } }).result.region).toBe('us-east-1');
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    clearTimeout(killer);
  });

  it('explains a bad port in one sentence with exit 2', async () => {
    const child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '99999', '--no-open'], {
      env: isolatedEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('heartbeat: --port must be a port number from 0 to 65535, not "99999".');
  });
});
