/**
 * The exports run for real against a loopback server that records what arrives: the aws-cli
 * command under bash with the installed AWS CLI, the curl command under bash, the JS snippet with
 * @aws-sdk/client-sagemaker-edge, the Python snippet with boto3. Each is skipped, with the reason,
 * where its tool is missing. The R snippet is checked for shape only (R and paws are not installed).
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat } from '../../unit/formats/arbitraries.ts';
import { emitAwsCli, emitCurl } from '../../../src/common/formats/export-shell.ts';
import { emitJs, emitPython, emitR } from '../../../src/common/formats/export-snippets.ts';
import type { SendHeartbeatRequest } from '../../../src/common/model/index.ts';
import { validate } from '../../../src/common/validation/validate.ts';

// Awkward on purpose: every free-text member carries quotes, $, backslashes, newlines and non-ASCII.
const NASTY = `it's "quoted" $HOME \`id\` \\ back, a=b [x] {y}\nline 2 é 中文 😀`;
const doc: SendHeartbeatRequest = {
  AgentVersion: `1.0 ${NASTY}`,
  DeviceName: 'camera-01',
  DeviceFleetName: 'fleet_a-1',
  AgentMetrics: [{ Dimension: 'agent', MetricName: 'CpuUtilization', Value: 12.5, Timestamp: 1767225600 }],
  Models: [
    {
      ModelName: 'resnet',
      ModelVersion: 'v 1.0',
      LatestInference: 1767225660,
      ModelMetrics: [{ MetricName: 'Latency', Value: 0.1, Timestamp: 1767225600 }],
    },
  ],
  DeploymentResult: {
    DeploymentName: 'd-1',
    DeploymentStatusMessage: NASTY,
    DeploymentStartTime: 1767225000,
    DeploymentModels: [{ ModelName: 'resnet', Status: 'FAIL', StatusReason: NASTY, RollbackFailureReason: "'\\'" }],
  },
};

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let endpoint: string;
const received: Received[] = [];
const dir = mkdtempSync(join(tmpdir(), 'hb-exports-'));
const env = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: join(dir, 'none'),
  AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_MAX_ATTEMPTS: '1',
  HOME: dir,
};
delete (env as Record<string, string | undefined>).AWS_SESSION_TOKEN;
delete (env as Record<string, string | undefined>).AWS_PROFILE;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'x-amzn-RequestId': 'test', 'Content-Length': '0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs a program without blocking the event loop (the server answers in this process). */
function runAsync(file: string, args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env, timeout: 60_000, encoding: 'utf8', cwd: dir }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function lastRequestFor(send: () => Promise<{ code: number; stdout: string; stderr: string }>): Promise<Received> {
  const before = received.length;
  const result = await send();
  expect(result.code, result.stderr).toBe(0);
  expect(received.length).toBe(before + 1);
  return received[received.length - 1];
}

const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', env }).status === 0;
const hasAws = has('aws', ['--version']);
const hasCurl = has('curl', ['--version']);
const hasBoto3 = has('python3', ['-c', 'import boto3']);
// One sentence per skipped tool, so a quiet skip never hides a missing tool.
if (!hasAws) console.warn('Skipping the aws-cli export tests: the "aws" command is not installed (apt-get install -y awscli).');
if (!hasCurl) console.warn('Skipping the curl export tests: the "curl" command is not installed (apt-get install -y curl).');
if (!hasBoto3) console.warn('Skipping the boto3 snippet test: python3 cannot import boto3 (apt-get install -y python3-boto3).');

it('the test document is valid and awkward', () => {
  expect(validate(doc).valid).toBe(true);
});

describe.skipIf(!hasAws)('aws-cli export, run by the real AWS CLI (skipped: "aws" is not installed)', () => {
  for (const style of ['json', 'shorthand'] as const) {
    it(`sends exactly the document (${style} style)`, async () => {
      const command = emitAwsCli(doc, { style, endpointUrl: endpoint, region: 'eu-west-1' });
      if (style === 'shorthand') expect(command).toMatch(/--models '?ModelName=resnet/);
      const request = await lastRequestFor(() => runAsync('bash', ['-c', command]));
      expect(request.url).toBe('/SendHeartbeat');
      expect(JSON.parse(request.body)).toEqual(doc);
      expect(request.headers.authorization).toContain('/eu-west-1/sagemaker/aws4_request');
    });
  }
});

describe.skipIf(!hasAws)(
  'aws-cli shorthand export of random awkward documents, run by the real AWS CLI (skipped: "aws" is not installed)',
  () => {
    // botocore sends whole seconds, so these documents have whole-second timestamps.
    const samples = fc.sample(heartbeat({ timestamps: fc.integer({ min: 0, max: 4102444800 }) }), { numRuns: 4, seed: 5 });
    samples.forEach((sample, i) => {
      it(`sample ${i + 1} arrives exactly`, async () => {
        const request = await lastRequestFor(() =>
          runAsync('bash', ['-c', emitAwsCli(sample, { style: 'shorthand', endpointUrl: endpoint, region: 'us-east-1' })]),
        );
        expect(JSON.parse(request.body)).toEqual(sample);
      });
    });
  },
);

describe.skipIf(!hasCurl)('curl export, run by curl (skipped: curl is not installed)', () => {
  it('sends exactly the document, signed for sagemaker in the region', async () => {
    const command = emitCurl(doc, { endpointUrl: endpoint, region: 'ap-south-1' });
    const request = await lastRequestFor(() => runAsync('bash', ['-c', command]));
    expect(request).toMatchObject({ method: 'POST', url: '/SendHeartbeat' });
    expect(request.body).toBe(JSON.stringify(doc));
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-south-1\/sagemaker\/aws4_request/);
  });

  it('defaults to the AWS regional endpoint of us-east-1', () => {
    expect(emitCurl(doc)).toMatch(/'aws:amz:us-east-1:sagemaker'|aws:amz:us-east-1:sagemaker/);
    expect(emitCurl(doc).trim().endsWith('https://edge.sagemaker.us-east-1.amazonaws.com/SendHeartbeat')).toBe(true);
  });
});

describe('SDK snippets', () => {
  it('JS SDK v3: sends exactly the document, timestamps as Date objects', async () => {
    const snippet = emitJs(doc, { endpointUrl: endpoint, region: 'us-east-1' });
    expect(snippet).toContain('Timestamp: new Date("2026-01-01T00:00:00Z")');
    // Run the snippet as written, with its import pointed at this checkout's SDK.
    const sdk = pathToFileURL(createRequire(import.meta.url).resolve('@aws-sdk/client-sagemaker-edge')).href;
    const file = join(dir, 'snippet.mjs');
    writeFileSync(file, snippet.replace('"@aws-sdk/client-sagemaker-edge"', JSON.stringify(sdk)));
    const request = await lastRequestFor(() => runAsync(process.execPath, [file]));
    expect(JSON.parse(request.body)).toEqual(doc);
  });

  it.skipIf(!hasBoto3)('boto3: sends exactly the document, timestamps as datetime (skipped without boto3)', async () => {
    const snippet = emitPython(doc, { endpointUrl: endpoint, region: 'us-east-1' });
    expect(snippet).toContain('datetime(2026, 1, 1, 0, 0, 0, tzinfo=timezone.utc)');
    const request = await lastRequestFor(() => runAsync('python3', ['-'], snippet));
    expect(JSON.parse(request.body)).toEqual(doc);
  });

  it('paws (R): calls send_heartbeat with as.POSIXct timestamps and R string literals', () => {
    const snippet = emitR(doc, { endpointUrl: 'http://127.0.0.1:1', region: 'eu-west-1' });
    expect(snippet).toContain('svc <- paws::sagemakeredgemanager(config = list(region = "eu-west-1", endpoint = "http://127.0.0.1:1"))');
    expect(snippet).toContain('Timestamp = as.POSIXct("2026-01-01 00:00:00", tz = "UTC")');
    expect(snippet).toContain(`StatusReason = ${JSON.stringify(NASTY)}`);
    // R rejects a trailing comma in list(...).
    expect(snippet).not.toMatch(/,\s*\)/);
    expect(emitR({ DeploymentResult: { DeploymentStartTime: 1.5 } })).toContain('as.POSIXct(1.5, origin = "1970-01-01", tz = "UTC")');
  });

  it('keep sub-millisecond fractions where the language can', () => {
    const fractional = { DeploymentResult: { DeploymentStartTime: 1767225600.0001 } };
    expect(emitPython(fractional)).toContain('datetime(2026, 1, 1, 0, 0, 0, 100, tzinfo=timezone.utc)');
    expect(emitJs(fractional)).toContain('new Date(1767225600.0001 * 1000)');
    expect(emitJs({ DeploymentResult: { DeploymentStartTime: 1767225600.25 } })).toContain('new Date("2026-01-01T00:00:00.250Z")');
  });
});
