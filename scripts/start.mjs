// `npm start [-- options]`: the desktop app when the Electron binary is here or can be fetched now;
// otherwise one sentence saying so, and browser mode (`heartbeat ui`) with the same options.
//   --browser                    browser mode without trying Electron
//   HEARTBEAT_ELECTRON_DIR=DIR   the electron package to use (default node_modules/electron)
//   HEARTBEAT_ELECTRON_FETCH=0   do not try to fetch a missing binary
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const browserOnly = args.includes('--browser');
const passed = args.filter((a) => a !== '--browser');
const electronDir = process.env.HEARTBEAT_ELECTRON_DIR || join(root, 'node_modules', 'electron');

/** The binary the electron package points at (as its index.js does), when it is on disk. */
function installedBinary() {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative)
    : join(electronDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/** Runs the package's own installer (a download); resolves true when it succeeded. */
function fetchBinary() {
  const installer = join(electronDir, 'install.js');
  if (process.env.HEARTBEAT_ELECTRON_FETCH === '0' || !existsSync(installer)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [installer], { cwd: electronDir, stdio: 'ignore' });
    // Quiet when it fails at once (no network); a real download says what the wait is for.
    const slow = setTimeout(() => console.error('heartbeat: fetching the Electron binary (once); this can take a minute.'), 3000);
    const killer = setTimeout(() => child.kill(), 10 * 60_000);
    child.on('error', () => resolve(false));
    child.on('exit', (code) => {
      clearTimeout(slow);
      clearTimeout(killer);
      resolve(code === 0);
    });
  });
}

/** Runs a child in the foreground, passing Ctrl+C and SIGTERM on, and exits with its code. */
function run(command, argv, env = process.env) {
  const child = spawn(command, argv, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`heartbeat: ${command} could not start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

let binary = browserOnly ? undefined : installedBinary();
if (!browserOnly && !binary && (await fetchBinary())) binary = installedBinary();

if (binary) {
  if (!existsSync(join(root, 'dist', 'electron', 'main.cjs'))) {
    console.error('heartbeat: the desktop app is not built yet; run "npm run build" first.');
    process.exit(2);
  }
  const { ELECTRON_RUN_AS_NODE: _ignored, ...env } = process.env;
  run(binary, [root, ...passed], env);
} else {
  if (!browserOnly)
    console.error(
      'heartbeat: the Electron binary is not available here and could not be fetched, so the app starts in browser mode instead.',
    );
  run(process.execPath, [join(root, 'bin', 'heartbeat.js'), 'ui', ...passed]);
}
