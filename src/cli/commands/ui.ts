import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ENDPOINT_PORT } from '../../common/demo.ts';
import { startUiHost, type UiHost } from '../../node/host/http-host.ts';
import { startHostServices, type HostServices } from '../../node/host/services.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT, OUTPUT_CLOSED } from '../cli-error.ts';

export const summary = 'Run the app in the browser: the composer UI and the embedded endpoint on 127.0.0.1.';

const DEFAULT_PORT = 8788;

export const help = `Usage: heartbeat ui [options]

${summary}
Starts the embedded Edge Manager endpoint (the default target), serves the built UI and its API on
127.0.0.1, prints the URL (it carries a per-launch access token after "#") and opens it in the default
browser. Ctrl+C stops both.

Options:
  --port PORT            port of the UI, 0 for any free one (default ${DEFAULT_PORT}; a free one when taken)
  --endpoint-port PORT   port of the embedded endpoint (default ${DEFAULT_ENDPOINT_PORT}; a free one when taken)
  --history-dir DIR      keep the history log in DIR (default: $HEARTBEAT_HISTORY_DIR or the user data folder)
  --no-open              do not open a browser
  -h, --help             show this help

Examples:
  heartbeat ui
  heartbeat ui --port 0 --no-open`;

/** dist/ui beside the bundle (dist/cli.cjs, or a command's file in dist/cli-commands/), or the project's dist/ui when run from source. */
export function builtUiDir(): string | undefined {
  const candidates = [new URL('./ui/', import.meta.url), new URL('../ui/', import.meta.url), new URL('../../../dist/ui/', import.meta.url)];
  for (const candidate of candidates) {
    const dir = fileURLToPath(candidate);
    if (existsSync(`${dir}index.html`)) return dir;
  }
  return undefined;
}

function port(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n > 65535) throw new CliError(`${flag} must be a port number from 0 to 65535, not "${text}".`);
  return n;
}

/** True when nothing listens on 127.0.0.1:port (a listener is opened there and closed at once). */
export function loopbackPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Tries the preferred port, then any free one when it is taken (and says so). `probe` first checks the
 * port, for starts that open more than a listener before they find it taken (the host services open the
 * history first), so the fallback does not start them twice.
 */
async function onFreePort<T>(preferred: number, start: (port: number) => Promise<T>, what: string, probe = false): Promise<T> {
  const fallBack = (): Promise<T> => {
    process.stderr.write(`heartbeat ui: port ${preferred} is taken; the ${what} uses a free port instead.\n`);
    return start(0);
  };
  if (probe && preferred !== 0 && !(await loopbackPortFree(preferred))) return fallBack();
  try {
    return await start(preferred);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || preferred === 0) throw error;
    return fallBack();
  }
}

function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write('heartbeat ui: could not open a browser; open the URL above yourself.\n'));
    child.unref();
  } catch {
    process.stderr.write('heartbeat ui: could not open a browser; open the URL above yourself.\n');
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine('ui', argv, {
    port: { type: 'string', default: String(DEFAULT_PORT) },
    'endpoint-port': { type: 'string', default: String(DEFAULT_ENDPOINT_PORT) },
    'history-dir': { type: 'string' },
    'no-open': { type: 'boolean' },
  });
  if (positionals.length) throw new CliError(`ui takes no positional arguments, not "${positionals[0]}"; see heartbeat ui --help.`);
  const uiDir = builtUiDir();
  if (!uiDir) throw new CliError('The UI is not built yet: run "npm run build" (or "npm install") in the project folder first.');
  const uiPort = port(v.port, '--port');
  const endpointPort = port(v['endpoint-port'], '--endpoint-port');
  const historyDir =
    v['history-dir'] === undefined ? undefined : isAbsolute(v['history-dir']) ? v['history-dir'] : resolve(v['history-dir']);

  let services: HostServices;
  try {
    services = await onFreePort(
      endpointPort,
      (p) => startHostServices({ ...(historyDir ? { historyDir } : {}), endpoint: { port: p } }),
      'embedded endpoint',
      true,
    );
  } catch (error) {
    throw new CliError(`The app could not start: ${(error as Error).message.replace(/\.$/, '')}.`);
  }
  let host: UiHost;
  try {
    host = await onFreePort(uiPort, (p) => startUiHost({ api: services.api, uiDir, port: p }), 'UI');
  } catch (error) {
    await services.close();
    throw new CliError(`The UI could not start: ${(error as Error).message.replace(/\.$/, '')}.`);
  }
  // Set up before the first line is out: a SIGTERM sent as soon as "listening on" is read stops it gracefully.
  const stopped = new Promise<number>((done) => {
    const stop = (signal?: string) => {
      if (signal) process.stderr.write(`heartbeat ui: ${signal} received; shutting down.\n`);
      Promise.allSettled([host.close(), services.close()]).then(() => done(EXIT.ok));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // The reader of standard output went away (| head): stop as on SIGTERM, quietly.
    process.once(OUTPUT_CLOSED, () => stop());
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`listening on ${host.origin.replace(/\/$/, '')}`);
  out(`open ${host.url}`);
  out(
    `embedded endpoint ${services.endpoint.url} (${services.endpoint.anyRegion ? 'any region' : `region ${services.endpoint.region}`}, demo keys; see heartbeat serve --help)`,
  );
  out(`history in ${services.settings().historyDir}`);
  if (!v['no-open']) openBrowser(host.url);

  return stopped;
}
