/**
 * The servers the load benches target, each in its own child Node process so the load generator (and
 * the client under test) does not share its event loop: the embedded endpoint as the product runs it
 * (the built CLI, `heartbeat serve --quiet`) and a trivial node:http server that reads the body and
 * answers 200.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url);

const TRIVIAL = `import { createServer } from 'node:http';
const server = createServer((req, res) => { req.on('data', () => {}); req.on('end', () => res.writeHead(200, { 'content-type': 'application/json', 'content-length': 0 }).end()); });
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));`;

export const trivialServer = ['--input-type=module', '-e', TRIVIAL];
/** The trivial server plus the endpoint's SigV4 verifier (bench/verify-only-server.ts, run from source through tsx). */
export const verifyOnlyServer = ['--import', 'tsx', 'bench/verify-only-server.ts'];
export const endpointServer = (capturePath?: string) => [
  'bin/heartbeat.js',
  'serve',
  '--port',
  '0',
  '--quiet',
  ...(capturePath ? ['--capture', capturePath] : []),
];

export function requireBuiltCli(section: string): void {
  if (!existsSync(new URL('dist/cli.cjs', root)))
    throw new Error(`The CLI is not built; run \`npm run build\` before \`npm run bench ${section}\`.`);
}

/** Runs a child Node with `args` and waits for its "listening on URL" line. */
export async function serve(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (c) => reject(new Error(`The bench server exited with ${c}: ${err.trim()}`)));
  });
  return { url, child };
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** `heartbeat ui` on free ports, with a history and configuration folder of its own; its URL (token included). */
export function startUi(name: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/heartbeat.js', 'ui', '--port', '0', '--endpoint-port', '0', '--no-open'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        HEARTBEAT_HISTORY_DIR: mkdtempSync(join(tmpdir(), `hb-bench-${name}-`)),
        HEARTBEAT_CONFIG_DIR: mkdtempSync(join(tmpdir(), 'hb-bench-cfg-')),
      },
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const url = /^open (\S+)$/m.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`heartbeat ui exited with ${code}`)));
  });
}
