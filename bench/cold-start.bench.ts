/**
 * Cold start: `heartbeat send FILE --endpoint-url URL` (validate, resolve credentials, sign, send, write
 * the history entry, exit) next to `aws sagemaker-edge send-heartbeat` with the same target and keys,
 * both against a trivial loopback server in a child process, each run several times (median). Goal:
 * ≤ 0.2× the AWS CLI.
 *
 * `heartbeat` keeps V8's code cache of its command files in the user's cache folder (as the AWS CLI's
 * Python keeps .pyc files): here a fresh one, filled by a first, untimed run, printed apart.
 *
 * Both commands run in the same environment: this shell's, minus the variables that point TLS clients
 * at extra CA bundles (the target is plain HTTP on loopback). Node 20 reads NODE_EXTRA_CA_CERTS in full
 * at every start, before any of our code, so when the shell sets it, a second line shows what it adds.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';
import { requireBuiltCli, serve, stop, trivialServer } from './servers.ts';

const CA_BUNDLE_VARIABLES = [
  'NODE_EXTRA_CA_CERTS',
  'AWS_CA_BUNDLE',
  'REQUESTS_CA_BUNDLE',
  'CURL_CA_BUNDLE',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];
const run$ = promisify(execFile);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function wallMs(cmd: string, args: string[], env: NodeJS.ProcessEnv, times: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await run$(cmd, args, { env });
    runs.push(performance.now() - t);
  }
  return median(runs);
}

/** Debian's AWS CLI (the one CI installs and the tests use) when present, else whatever `aws` is on PATH. */
function awsCli(): string | undefined {
  if (existsSync('/usr/bin/aws')) return '/usr/bin/aws';
  try {
    return execFileSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export async function run(): Promise<void> {
  requireBuiltCli('cold-start');
  const { url, child } = await serve(trivialServer);
  const dir = mkdtempSync(join(tmpdir(), 'hb-cold-'));
  try {
    const file = join(dir, 'p.json');
    writeFileSync(file, JSON.stringify({ AgentVersion: '1.0', DeviceName: 'bench-1', DeviceFleetName: 'bench-fleet' }));
    const shell = {
      ...process.env,
      HEARTBEAT_HISTORY_DIR: join(dir, 'history'),
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
      AWS_REGION: DEMO_REGION,
      AWS_CONFIG_FILE: join(dir, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      XDG_CACHE_HOME: join(dir, 'cache'),
    };
    const env = Object.fromEntries(Object.entries(shell).filter(([name]) => !CA_BUNDLE_VARIABLES.includes(name)));
    const send = ['bin/heartbeat.js', 'send', file, '--endpoint-url', url];
    const first = await wallMs(process.execPath, send, env, 1); // creates the history folder and the code cache
    const ours = await wallMs(process.execPath, send, env, 9);
    const node = await wallMs(process.execPath, ['-e', '0'], env, 9);
    const aws = awsCli();
    if (aws) {
      const theirs = await wallMs(
        aws,
        [
          'sagemaker-edge',
          'send-heartbeat',
          '--endpoint-url',
          url,
          '--device-name',
          'bench-1',
          '--device-fleet-name',
          'bench-fleet',
          '--agent-version',
          '1.0',
          '--region',
          DEMO_REGION,
        ],
        env,
        5,
      );
      console.log(
        `cold start: heartbeat send ${ours.toFixed(0)} ms, aws sagemaker-edge send-heartbeat ${theirs.toFixed(0)} ms (${aws}) → ratio ${(ours / theirs).toFixed(2)} (goal ≤ 0.2); \`node -e 0\` alone ${node.toFixed(0)} ms = ${(node / theirs).toFixed(2)}; first run, before the code cache, ${first.toFixed(0)} ms`,
      );
    } else {
      console.log(
        `cold start: heartbeat send ${ours.toFixed(0)} ms (\`node -e 0\` ${node.toFixed(0)} ms); the AWS CLI is not installed, no comparison`,
      );
    }
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const withCa = await wallMs(process.execPath, send, shell, 9);
      const nodeWithCa = await wallMs(process.execPath, ['-e', '0'], shell, 9);
      console.log(
        `  with this shell's NODE_EXTRA_CA_CERTS (${process.env.NODE_EXTRA_CA_CERTS}): heartbeat send ${withCa.toFixed(0)} ms, \`node -e 0\` ${nodeWithCa.toFixed(0)} ms — Node reads the file before any of our code runs`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stop(child);
  }
}
