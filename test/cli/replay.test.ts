/**
 * `heartbeat replay` and `heartbeat history` end to end, and the promise that no file the tool writes
 * holds the secret key, the session token or a full signature.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';

const SECRET = 'sEcReT/never+written/anywhere0123456789';
const TOKEN = 'SESSIONTOKEN-never-written-anywhere-XYZ';
const payload = (i: number) =>
  JSON.stringify({
    AgentVersion: '1.0',
    DeviceName: `dev-${i}`,
    DeviceFleetName: 'fleet-r',
    AgentMetrics: [{ Dimension: 'cpu', MetricName: 'load', Value: i, Timestamp: 1_700_000_000 + i }],
  });

describe('replay, history and secrets (loopback server that records what it receives)', () => {
  let server: Server;
  let url: string;
  const received: Array<{ authorization: string; body: string }> = [];
  const dir = mkdtempSync(join(tmpdir(), 'hb-replay-cli-'));
  const env = isolatedEnv({
    AWS_ACCESS_KEY_ID: 'AKIAREPLAYTEST000042',
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_SESSION_TOKEN: TOKEN,
    AWS_REGION: 'eu-west-1',
  });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push({ authorization: String(req.headers.authorization), body });
        const device = (JSON.parse(body) as { DeviceName: string }).DeviceName;
        if (device.endsWith('-13')) {
          res.writeHead(400, { 'x-amzn-errortype': 'ValidationException', 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'bad' }));
        } else res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('replays NDJSON with rewrites and prints a JSON summary', async () => {
    const file = join(dir, 'payloads.ndjson');
    writeFileSync(file, Array.from({ length: 40 }, (_, i) => payload(i)).join('\n') + '\nnot json\n');
    const run = await heartbeat(
      [
        'replay',
        file,
        '--endpoint-url',
        url,
        '--concurrency',
        '4',
        '--device-name',
        'sim-{n}',
        '--rewrite-timestamps',
        'now',
        '--output',
        'json',
      ],
      env,
    );
    expect(run.code).toBe(1);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({
      sent: 40,
      ok: 39,
      failed: 2,
      failedByType: { ValidationException: 1, unreadable: 1 },
      stopped: false,
      dryRun: false,
    });
    expect(summary.p50Ms).toBeGreaterThan(0);
    expect(received.map((r) => JSON.parse(r.body).DeviceName).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `sim-${i + 1}`).sort());
    const now = Date.now() / 1000;
    expect(Math.abs(JSON.parse(received[0]!.body).AgentMetrics[0].Timestamp - now)).toBeLessThan(60);
  });

  it('a dry run signs but sends and records nothing', async () => {
    const before = received.length;
    const file = join(dir, 'two.ndjson');
    writeFileSync(file, `${payload(1)}\n${payload(2)}\n`);
    const run = await heartbeat(['replay', file, '--endpoint-url', url, '--dry-run'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^signed \(dry run\) 2 items: 2 ok, 0 failed; 2 signed,/);
    expect(received.length).toBe(before);
  });

  it('history search, status filter, and exports that replay reads back', async () => {
    const found = JSON.parse((await heartbeat(['history', 'search', 'SIM-1', '--output', 'json', '--limit', '100'], env)).stdout);
    expect(found.total).toBe(11); // sim-1, sim-10 … sim-19
    expect(
      JSON.parse((await heartbeat(['history', '--status', 'ValidationException', '--output', 'json'], env)).stdout).entries[0].deviceName,
    ).toBe('sim-13');
    const jsonl = join(dir, 'export.jsonl');
    expect((await heartbeat(['history', '--status', 'ok', '--export', 'jsonl', jsonl], env)).stderr).toMatch(/Exported 39 entries/);
    const har = join(dir, 'export.har');
    expect((await heartbeat(['history', '--export', 'har', har], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(har, 'utf8')).log.entries).toHaveLength(40);
    const before = received.length;
    const again = JSON.parse((await heartbeat(['replay', jsonl, '--endpoint-url', url, '--output', 'json'], env)).stdout);
    expect(again).toMatchObject({ sent: 39, ok: 39, failed: 0 });
    expect(received.length).toBe(before + 39);
  });

  it('no file the tool wrote contains the secret key, the session token or any full signature', async () => {
    const signatures = received.map((r) => /Signature=([0-9a-f]{64})/.exec(r.authorization)![1]!);
    expect(signatures.length).toBeGreaterThan(70);
    const files = [
      ...readdirSync(env.HEARTBEAT_HISTORY_DIR!).map((f) => join(env.HEARTBEAT_HISTORY_DIR!, f)),
      ...readdirSync(dir).map((f) => join(dir, f)),
    ];
    expect(files.length).toBeGreaterThan(3);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toContain(SECRET);
      expect(text, file).not.toContain(TOKEN);
      for (const signature of signatures) expect(text.includes(signature), `${file} holds a signature`).toBe(false);
    }
  });
});
