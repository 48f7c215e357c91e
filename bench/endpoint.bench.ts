/**
 * Embedded endpoint throughput: autocannon (programmatic API) sends one valid pre-signed SendHeartbeat
 * (the ±5 minute skew window keeps a signature valid for the whole run) to the endpoint — SigV4
 * verification + strict JSON parse + model validation + recording in the in-memory registry — and, in
 * the same run, to a trivial node:http server that reads the body and answers 200, and to that server
 * with the endpoint's SigV4 verifier added and nothing else (a floor: what verification alone costs
 * next to the trivial server). A last run adds --capture to a temporary file. Each server runs in its
 * own child process so the load generator does not share its event loop; the endpoint is the built CLI
 * (`heartbeat serve --quiet`, the product path, bundled by `npm run build`). Every run is 5 s after a
 * 1 s warm-up.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CREDENTIALS, DEMO_REGION } from '../src/common/demo.ts';
import { signRequest } from '../src/node/signing/sign.ts';
import { endpointServer, requireBuiltCli, serve, stop, trivialServer, verifyOnlyServer } from './servers.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const HEARTBEAT = JSON.stringify({
  AgentVersion: '1.2.3',
  DeviceName: 'camera-017',
  DeviceFleetName: 'warehouse-east',
  AgentMetrics: [{ Dimension: 'agent', MetricName: 'cpu-utilization', Value: 12.5, Timestamp: 1_763_797_703 }],
  Models: [
    {
      ModelName: 'resnet-50',
      ModelVersion: '3',
      LatestSampleTime: 1_763_797_700,
      LatestInference: 1_763_797_701,
      ModelMetrics: [{ Dimension: 'model', MetricName: 'latency-ms', Value: 8.1, Timestamp: 1_763_797_702 }],
    },
  ],
});

async function load(url: string, seconds: number): Promise<AutocannonResult> {
  const signed = await signRequest(
    { method: 'POST', url: `${url}/SendHeartbeat`, headers: { 'content-type': 'application/json' }, body: HEARTBEAT },
    DEMO_CREDENTIALS,
    { region: DEMO_REGION },
  );
  const { host: _host, ...headers } = signed.headers;
  return autocannon({
    url: `${url}/SendHeartbeat`,
    method: 'POST',
    headers: { ...headers, host: new URL(url).host },
    body: HEARTBEAT,
    connections: 10,
    duration: seconds,
  });
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function measure(name: string, args: string[]): Promise<AutocannonResult & { cpuMicrosPerRequest?: number }> {
  const { url, child } = await serve(args);
  try {
    await load(url, 1);
    const before = cpuSeconds(child.pid);
    const result = await load(url, 5);
    const after = cpuSeconds(child.pid);
    if (result.non2xx || result.errors || result.timeouts)
      throw new Error(
        `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts; the pre-signed request must be accepted.`,
      );
    return before === undefined || after === undefined
      ? result
      : { ...result, cpuMicrosPerRequest: ((after - before) * 1e6) / result.requests.total };
  } finally {
    await stop(child);
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  requireBuiltCli('endpoint');
  const dir = mkdtempSync(join(tmpdir(), 'hb-bench-'));
  try {
    const trivial = await measure('trivial node:http', trivialServer);
    const verifyOnly = await measure('trivial + SigV4 verification', verifyOnlyServer);
    const endpoint = await measure('endpoint', endpointServer());
    const captured = await measure('endpoint + capture', endpointServer(join(dir, 'capture.jsonl')));
    const line = (name: string, r: AutocannonResult & { cpuMicrosPerRequest?: number }) =>
      `${name}: ${fmt(r.requests.average)} requests/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms${r.cpuMicrosPerRequest ? `, server CPU ${fmt(r.cpuMicrosPerRequest)} µs/request` : ''}`;
    console.log(line('trivial node:http server', trivial));
    console.log(line("floor: trivial server + the endpoint's SigV4 verifier, nothing else", verifyOnly));
    console.log(line('endpoint (verify + validate + record, no capture)', endpoint));
    console.log(line('endpoint with --capture to a file', captured));
    console.log(
      `ratio endpoint / trivial: ${(endpoint.requests.average / trivial.requests.average).toFixed(2)} (goal ≥ 0.5); with capture: ${(captured.requests.average / trivial.requests.average).toFixed(2)}; the floor: ${(verifyOnly.requests.average / trivial.requests.average).toFixed(2)} (the endpoint reaches ${(endpoint.requests.average / verifyOnly.requests.average).toFixed(2)} of it)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
