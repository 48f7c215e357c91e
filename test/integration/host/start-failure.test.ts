/**
 * When the host cannot start (the embedded endpoint's port is taken), it leaves nothing open: the
 * error keeps its code for the caller's fallback, and the process can exit on its own.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('a failed start closes the history store and the transport, and says EADDRINUSE', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'hb-start-fail-'));
  const script = `
    const { startHostServices } = await import('./src/node/host/services.ts');
    try {
      await startHostServices({ historyDir: ${JSON.stringify(join(dir, 'history'))}, settingsFile: ${JSON.stringify(join(dir, 'settings.json'))}, endpoint: { port: ${port} } });
      console.log('started');
    } catch (error) {
      console.log('failed:' + error.code);
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  busy.close();
  expect(out.trim()).toBe('failed:EADDRINUSE');
  expect(code).toBe(0); // exited by itself: nothing left open
});
