/**
 * Loads one bundled command file (dist/cli-commands/NAME.cjs) as Node's require would, with V8's code
 * cache: the code the previous run compiled is read back from the user's cache folder, so a cold
 * `heartbeat send` does not parse and compile ~850 kB of JavaScript again (~35 ms of ~170 ms here).
 * Python's .pyc files do the same for the AWS CLI. Node ≥ 22.1 has it built in (module.enableCompileCache),
 * and there this loader steps aside; on Node 20 it is kept because `npm run bench cold-start` shows it pays
 * (a cold `send` ~140 ms → ~100 ms), and test/cli/code-cache.test.ts is its canary: the second run
 * must use the cache unchanged (V8 accepted it), or the test fails.
 *
 * The cache is written when the process exits, so it holds every function the run compiled, and only
 * when V8 had none or rejected it (another Node, other V8 flags). Its name carries the file's size and
 * modification time, because V8 itself only checks the source's length. Failing to read or write it
 * costs nothing but the compile; HEARTBEAT_CODE_CACHE=off turns it off.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** The platform's per-user cache folder + heartbeat-composer/code-cache. */
export function codeCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  let cache: string;
  if (platform === 'win32') cache = join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'Cache');
  else if (platform === 'darwin') cache = join(home, 'Library', 'Caches');
  else cache = env.XDG_CACHE_HOME || join(home, '.cache');
  return join(cache, 'heartbeat-composer', 'code-cache');
}

type EnableCompileCache = (dir?: string) => unknown;
let builtInCache: boolean | undefined;

/** Node ≥ 22.1 keeps compiled code itself (module.enableCompileCache): this module's loader is then not used. */
function useBuiltInCache(env: NodeJS.ProcessEnv): boolean {
  if (builtInCache === undefined) {
    const enable = (Module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache;
    builtInCache = typeof enable === 'function';
    if (builtInCache && env.HEARTBEAT_CODE_CACHE !== 'off') enable!(codeCacheDir(env));
  }
  return builtInCache;
}

export function requireWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  if (useBuiltInCache(env)) return createRequire(file)(file);
  const source = readFileSync(file, 'utf8');
  const dir = env.HEARTBEAT_CODE_CACHE === 'off' ? undefined : codeCacheDir(env);
  const stat = statSync(file);
  const prefix = `${basename(file)}-`;
  const name = `${prefix}${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}.v8`;
  let cachedData: Buffer | undefined;
  if (dir) {
    try {
      cachedData = readFileSync(join(dir, name));
    } catch {
      cachedData = undefined;
    }
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (dir && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => writeCache(dir, name, prefix, script));
  const module = { exports: {} as unknown, id: file, filename: file, loaded: false };
  (script.runInThisContext() as (...args: unknown[]) => void).call(
    module.exports,
    module.exports,
    createRequire(file),
    module,
    file,
    dirname(file),
  );
  module.loaded = true;
  return module.exports;
}

/** Writes the cache (whole or not at all: a temporary file renamed) and drops older ones of the same file. */
function writeCache(dir: string, name: string, prefix: string, script: Script): void {
  try {
    mkdirSync(dir, { recursive: true });
    const temporary = join(dir, `${name}.${process.pid}.tmp`);
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, join(dir, name));
    for (const other of readdirSync(dir))
      if (other.startsWith(prefix) && other !== name && !other.endsWith('.tmp')) rmSync(join(dir, other), { force: true });
  } catch {
    // No cache this time; the next run compiles again.
  }
}
