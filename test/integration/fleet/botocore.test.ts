/**
 * Issue 17: the fleet simulator's SigV4 signatures are the ones the AWS CLI's signer makes. The built
 * `heartbeat fleet run` sends to test/integration/fleet/botocore-server.py, which re-signs every request
 * with botocore (Debian's awscli vendors it; CI installs awscli) at the request's own X-Amz-Date and
 * answers 403 InvalidSignatureException unless botocore's Authorization is the one received. Its counts
 * per operation must equal the run's summary; a run with a wrong secret shows the server refuses.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetRunSummary } from '../../../src/common/fleet/summary.ts';
import { heartbeat, isolatedEnv } from '../../cli/heartbeat-run.ts';

const PYTHON = '/usr/bin/python3';
const AWSCLI = '/usr/lib/python3/dist-packages/awscli';
const SERVER = 'test/integration/fleet/botocore-server.py';
const OPERATIONS = ['GetDeviceRegistration', 'SendHeartbeat', 'GetDeployments'] as const;
const KEY_ID = 'AKIDBOTOCOREINTEROP';
const SECRET = 'botocore/interop+secret/0123456789abcdefghij';
const TOKEN = 'IQoJb3JpZ2luX2VjEBotocoreInteropSessionToken//+=';

const hasBotocore =
  existsSync(PYTHON) &&
  spawnSync(
    PYTHON,
    ['-c', `import sys; sys.path.insert(0, '${AWSCLI}'); import botocore.auth, botocore.awsrequest, botocore.credentials`],
    {
      stdio: 'ignore',
    },
  ).status === 0;
const SKIP_REASON = `skipped when ${PYTHON} cannot import botocore from ${AWSCLI}`;
if (!hasBotocore) console.warn(`Botocore signature interop tests ${SKIP_REASON}, as here (install it with "apt-get install -y awscli").`);

// 20 devices sending at once, heartbeats every 500 ms, polls every second, clocks off by up to 2 s.
const SCENARIO = `name: botocore-interop
seed: 17
fleets:
  - name: interop
    devices: 20
    deviceName: 'interop-{n:02}'
    interval: 500ms
    startup: together
    deploymentPoll: 1s
    clockSkew: -2s..2s
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { uniform: { min: 0, max: 100 } } }
    models:
      - name: pallet-detector
        version: '2.4'
        metrics:
          - { dimension: model/pallet-detector, name: InferenceCount, value: { counter: { start: 0, rate: 5 } } }
          - { dimension: model/pallet-detector, name: InferenceLatency, value: { normal: { mean: 40, sd: 5, min: 0 } } }
`;

type Counts = Partial<Record<string, { accepted: number; rejected: number }>>;

interface BotocoreServer {
  url: string;
  counts(): Promise<Counts>;
  /** What the server wrote to stderr (the first rejections' reasons). */
  stderr(): string;
  close(): Promise<void>;
}

/** Starts botocore-server.py with these credentials; resolves once it prints its URL. */
function startServer(credentials: { secret: string; token?: string }): Promise<BotocoreServer> {
  const child: ChildProcess = spawn(PYTHON, [SERVER], {
    env: {
      PATH: '/usr/bin:/bin',
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: credentials.secret,
      AWS_REGION: 'us-west-2',
      ...(credentials.token ? { AWS_SESSION_TOKEN: credentials.token } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${SERVER} did not start in 10 s: ${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`${SERVER} exited with ${code} before listening: ${stderr}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        counts: async () => (await (await fetch(`${url}/counts`)).json()) as Counts,
        stderr: () => stderr,
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill();
          await exited;
        },
      });
    });
  });
}

describe.skipIf(!hasBotocore)(`fleet run signatures re-signed by botocore, the AWS CLI's signer (${SKIP_REASON})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'hb-botocore-'));
  const scenarioFile = join(dir, 'interop.yaml');

  beforeAll(() => {
    // As for the test/cli tests, the CLI is built by `npm test` (npm run build) before Vitest runs.
    if (!existsSync('dist/cli.cjs')) throw new Error('dist/cli.cjs is missing: build the CLI first (node scripts/build-cli.mjs).');
    writeFileSync(scenarioFile, SCENARIO);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function run(server: BotocoreServer, credentials: { secret: string; token?: string }) {
    const env = isolatedEnv({
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: credentials.secret,
      ...(credentials.token ? { AWS_SESSION_TOKEN: credentials.token } : {}),
    });
    const args = ['fleet', 'run', scenarioFile, '--endpoint-url', server.url, '--region', 'us-west-2', '--duration', '3s'];
    const result = await heartbeat([...args, '--run-log', '-', '--output', 'json'], env);
    rmSync(env.HOME!, { recursive: true, force: true });
    const summary = JSON.parse(result.stdout) as FleetRunSummary;
    return { ...result, summary, counts: await server.counts() };
  }

  /** Every request botocore accepted, none refused, and the server saw exactly what the summary says was sent. */
  function expectAllAccepted(r: Awaited<ReturnType<typeof run>>, server: BotocoreServer): void {
    const context = `CLI stderr: ${r.stderr}\nserver stderr: ${server.stderr()}`;
    expect(r.code, context).toBe(0);
    expect(r.summary.totals.failed, context).toBe(0);
    expect(r.summary.registered).toBe(20);
    expect(
      Object.keys(r.counts).every((op) => (OPERATIONS as readonly string[]).includes(op)),
      JSON.stringify(r.counts),
    ).toBe(true);
    for (const op of OPERATIONS) {
      expect(r.counts[op], `${op}: ${context}`).toEqual({ accepted: r.summary.operations[op].sent, rejected: 0 });
      expect(r.summary.operations[op].ok, op).toBe(r.summary.operations[op].sent);
    }
    // Every kind of request was made: 20 registrations, heartbeats at 2/s and polls at 1/s per device for 3 s.
    expect(r.summary.operations.GetDeviceRegistration.sent).toBe(20);
    expect(r.summary.operations.SendHeartbeat.sent).toBeGreaterThanOrEqual(20 * 4);
    expect(r.summary.operations.GetDeployments.sent).toBeGreaterThanOrEqual(20 * 2);
  }

  it('long-term keys: every request of a 20-device run is accepted by botocore, as many per operation as the summary sent', async () => {
    const server = await startServer({ secret: SECRET });
    try {
      expectAllAccepted(await run(server, { secret: SECRET }), server);
    } finally {
      await server.close();
    }
  });

  it('temporary keys: the session token is sent and signed as x-amz-security-token, and botocore accepts every request', async () => {
    // The server's botocore signs with the token (it adds X-Amz-Security-Token and lists it in SignedHeaders),
    // and refuses a request whose header is not the token or whose SignedHeaders differ from botocore's.
    const server = await startServer({ secret: SECRET, token: TOKEN });
    try {
      expectAllAccepted(await run(server, { secret: SECRET, token: TOKEN }), server);
    } finally {
      await server.close();
    }
  });

  it('negative control: signed with a wrong secret, every request is refused with InvalidSignatureException and the run exits 1', async () => {
    const server = await startServer({ secret: SECRET });
    try {
      const r = await run(server, { secret: `${SECRET}-wrong` });
      expect(r.code, r.stderr).toBe(1);
      expect(r.summary.totals.sent).toBeGreaterThan(0);
      expect(r.summary.totals).toEqual({ sent: r.summary.totals.sent, ok: 0, failed: r.summary.totals.sent });
      expect(r.summary.registered).toBe(0);
      for (const op of OPERATIONS) {
        const stats = r.summary.operations[op];
        expect(stats.failedByType, op).toEqual(stats.sent > 0 ? { InvalidSignatureException: stats.sent } : {});
        expect(r.counts[op] ?? { accepted: 0, rejected: 0 }, op).toEqual({ accepted: 0, rejected: stats.sent });
      }
      // Unregistered devices only ask for their registration again (with backoff): at least one refusal each.
      expect(r.summary.operations.GetDeviceRegistration.sent).toBeGreaterThanOrEqual(20);
      expect(server.stderr()).toMatch(/rejected GetDeviceRegistration: the signature is [0-9a-f]{64}, botocore computes [0-9a-f]{64}/);
    } finally {
      await server.close();
    }
  });
});
