/**
 * `heartbeat send` and `heartbeat history` as a user runs them (the built CLI), against the embedded
 * endpoint started in this process: plain send, session token, every exit code, the JSON output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { heartbeat, historyText, isolatedEnv } from './heartbeat-run.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';
import { startEndpoint, type RunningEndpoint } from '../../src/node/endpoint/index.ts';

const PAYLOAD = JSON.stringify({
  AgentVersion: '1.0',
  DeviceName: 'cam-cli-1',
  DeviceFleetName: 'fleet-cli',
  Models: [{ ModelName: 'detector', ModelVersion: '1' }],
});

describe('heartbeat send against the embedded endpoint', () => {
  let endpoint: RunningEndpoint;
  const dir = mkdtempSync(join(tmpdir(), 'hb-send-'));
  const file = join(dir, 'payload.json');
  writeFileSync(file, PAYLOAD);

  beforeAll(async () => {
    endpoint = await startEndpoint();
  });
  afterAll(() => endpoint.close());

  it('plain send: exit 0, prints the outcome, records request and outcome', async () => {
    const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });
    const run = await heartbeat(['send', file, '--local', '--debug'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^200 OK, request id \S+ \(1 attempt, [\d.]+ ms\)\./);
    expect(run.stderr).toMatch(/Canonical request:\nPOST\n\/SendHeartbeat\n/);
    expect(run.stderr).toMatch(/Credential scope: \d{8}\/us-east-1\/sagemaker\/aws4_request/);
    const history = await heartbeat(['history', '--output', 'json'], env);
    expect(JSON.parse(history.stdout)).toMatchObject({
      total: 1,
      entries: [{ deviceName: 'cam-cli-1', fleetName: 'fleet-cli', state: 'success', status: 200 }],
    });
  });

  it('starts its own embedded endpoint for --local when HEARTBEAT_LOCAL_URL is not set and none is running', async () => {
    const run = await heartbeat(['send', '-', '--output', 'json', '--debug'], isolatedEnv(), PAYLOAD);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      target: { kind: 'local', region: 'us-east-1' },
      outcome: { kind: 'success', status: 200 },
    });
    expect(run.stderr).toMatch(
      /^Target: a throwaway embedded endpoint at http:\/\/127\.0\.0\.1:\d+, started for this command .*no embedded endpoint answers at http:\/\/127\.0\.0\.1:9;/m,
    );
  });

  it('--local sends to the running embedded endpoint when one answers where heartbeat serve listens', async () => {
    const running = await startEndpoint({ region: 'eu-west-1' });
    try {
      const env = isolatedEnv({ HEARTBEAT_SERVE_URL: running.url });
      const run = await heartbeat(['send', file, '--debug'], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toContain(
        `Target: the running embedded endpoint at ${running.url} (heartbeat serve or heartbeat ui; region eu-west-1).`,
      );
      // Signed for the region it enforces, and recorded in its registry.
      expect(run.stderr).toMatch(/Credential scope: \d{8}\/eu-west-1\/sagemaker\/aws4_request/);
      expect(running.admin.devices().map((d) => d.deviceName)).toEqual(['cam-cli-1']);
    } finally {
      await running.close();
    }
  });

  it('--local does not mistake another server on that port for the endpoint', async () => {
    const other = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"service":"something-else","region":"us-east-1"}'),
    );
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const env = isolatedEnv({ HEARTBEAT_SERVE_URL: `http://127.0.0.1:${(other.address() as AddressInfo).port}` });
      const run = await heartbeat(['send', file, '--debug'], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^Target: a throwaway embedded endpoint at /m);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('--local with something on the serve port that never answers: the probe gives up in time, a throwaway endpoint is used', async () => {
    // Reads what it is sent (so it sees the probe hang up) but never answers.
    const silent = createTcpServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const env = isolatedEnv({ HEARTBEAT_SERVE_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      const started = Date.now();
      const run = await heartbeat(['send', file, '--debug'], env);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/^Target: a throwaway embedded endpoint at /m);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('goes through HTTP_PROXY (the proxy agent bundled into the CLI)', async () => {
    const seen: string[] = [];
    const proxy = createTcpServer((client) => {
      client.once('data', (chunk) => {
        const line = chunk.toString('latin1').split('\r\n')[0]!;
        seen.push(line);
        const [host, port] = line.split(' ')[1]!.split(':');
        const upstream = connect(Number(port), host!, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client).pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
      });
      client.on('error', () => {});
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const env = isolatedEnv({
        AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
        AWS_REGION: 'us-east-1',
        HTTP_PROXY: proxyUrl,
      });
      const run = await heartbeat(['send', file, '--endpoint-url', endpoint.url], env);
      expect(run.code).toBe(0);
      expect(seen).toEqual([`CONNECT ${new URL(endpoint.url).host} HTTP/1.1`]);
    } finally {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    }
  });

  it('--profile: keys from the shared credentials file, through the SDK provider chain loaded for it', async () => {
    const env = isolatedEnv();
    writeFileSync(
      env.AWS_SHARED_CREDENTIALS_FILE!,
      `[edge]\naws_access_key_id = ${DEMO_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${DEMO_CREDENTIALS.secretAccessKey}\n`,
    );
    writeFileSync(env.AWS_CONFIG_FILE!, '[profile edge]\nregion = us-east-1\n');
    const run = await heartbeat(['send', file, '--endpoint-url', endpoint.url, '--profile', 'edge', '--output', 'json'], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: { kind: 'success', status: 200 } });
    const missing = await heartbeat(['send', file, '--endpoint-url', endpoint.url, '--profile', 'nobody'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Could not load credentials for profile "nobody"/);
  });

  it('session token: temporary keys from the environment are signed with X-Amz-Security-Token, which the log redacts', async () => {
    const env = isolatedEnv({
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
      AWS_REGION: 'us-east-1',
    });
    const run = await heartbeat(['send', file, '--endpoint-url', endpoint.url, '--debug', '--output', 'json'], env);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.signatureReport.signedHeaders).toContain('x-amz-security-token');
    const log = historyText(env.HEARTBEAT_HISTORY_DIR!);
    expect(log).toContain('"x-amz-security-token":"REDACTED"');
    expect(log).not.toContain('IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN');
  });

  it('exit 1 on a service error, with the 403 diagnosis', async () => {
    const env = isolatedEnv({ AWS_ACCESS_KEY_ID: 'AKIAUNKNOWNKEY009876', AWS_SECRET_ACCESS_KEY: 'nope', AWS_REGION: 'us-east-1' });
    const run = await heartbeat(['send', file, '--endpoint-url', endpoint.url], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^403 UnrecognizedClientException: /);
    expect(run.stderr).toMatch(/Diagnosis: The endpoint does not know the access key ending in 9876/);
  });

  it('exit 2 on bad input: an invalid payload is refused before anything is sent', async () => {
    const env = isolatedEnv({ HEARTBEAT_LOCAL_URL: endpoint.url });
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ AgentVersion: '1.0', DeviceName: 'bad name!', DeviceFleetName: 'f' }));
    const run = await heartbeat(['send', invalid, '--local'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/is not a valid SendHeartbeat request \(1 problem\); fix it, or pass --no-validate/);
    expect(historyText(env.HEARTBEAT_HISTORY_DIR!)).toBe('');
    const forced = await heartbeat(['send', invalid, '--local', '--no-validate'], env);
    expect(forced.code).toBe(1);
    expect(forced.stderr).toMatch(/^400 ValidationException: 1 validation error detected/);
    expect((await heartbeat(['send', file, '--max-attempts', 'zero'], env)).stderr).toMatch(
      /--max-attempts must be a positive whole number/,
    );
  });

  it('exit 3 on a transport error', async () => {
    const env = isolatedEnv({ AWS_ACCESS_KEY_ID: 'AKIAANYKEY0000000000', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'us-east-1' });
    const run = await heartbeat(
      ['send', file, '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1', '--connect-timeout', '2'],
      env,
    );
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^Transport error \(refused\) after 1 attempt: Connection refused by 127\.0\.0\.1:9/);
    const history = await heartbeat(['history', '--status', 'refused', '--output', 'json'], env);
    expect(JSON.parse(history.stdout).total).toBe(1);
  });
});
