/**
 * kill -9 in the middle of a 10,000-payload replay: every completed line survives, the file is left as
 * it is (nobody cuts it), readers skip a torn tail, and the next writer starts a file of its own.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LOG_VERSION, parseLogLine } from '../../../src/common/log/entry.ts';
import { HistoryIndex } from '../../../src/node/history/history-index.ts';
import { HistoryWriter } from '../../../src/node/history/log-file.ts';

it('survives kill -9 mid-replay', async () => {
  const invocations = new Set<string>();
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      invocations.add(String(req.headers['amz-sdk-invocation-id']));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'hb-durable-'));
  const historyDir = join(dir, 'history');
  const payloads = join(dir, 'payloads.ndjson');
  writeFileSync(
    payloads,
    Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ AgentVersion: '1', DeviceName: `d-${i}`, DeviceFleetName: 'f' })).join('\n') +
      '\n',
  );
  const child = spawn(
    process.execPath,
    ['bin/heartbeat.js', 'replay', payloads, '--endpoint-url', url, '--concurrency', '32', '--output', 'json'],
    {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        HEARTBEAT_HISTORY_DIR: historyDir,
        AWS_ACCESS_KEY_ID: 'AKIADURABLE000000001',
        AWS_SECRET_ACCESS_KEY: 'x',
        AWS_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const fileOf = (): string | undefined => {
    try {
      const name = readdirSync(historyDir).find((f) => f.startsWith('history-'));
      return name && join(historyDir, name);
    } catch {
      return undefined; // not created yet
    }
  };
  // Wait (bounded) until a good part of the replay is on disk, then kill -9.
  for (let i = 0; i < 300; i++) {
    await new Promise((r) => setTimeout(r, 50));
    const found = fileOf();
    if (found && statSync(found).size > 1_500_000) break;
  }
  const file = fileOf()!;
  child.kill('SIGKILL');
  expect(await exited).toBe(null);
  await new Promise<void>((resolve) => server.close(() => resolve()));

  const raw = readFileSync(file, 'utf8');
  const lines = raw.split('\n');
  const complete = raw.endsWith('\n') ? lines.slice(0, -1) : lines.slice(0, -1);
  const parsed = complete.map((l) => parseLogLine(l));
  expect(parsed.every(Boolean)).toBe(true); // every completed line is whole
  const requests = parsed.filter((l) => l!.type === 'request');
  const outcomes = parsed.filter((l) => l!.type === 'outcome');
  expect(requests.length).toBeGreaterThan(1000);
  expect(requests.length).toBeLessThan(10_000); // it really was killed mid-replay
  // Each request line was written before its request left, so the server saw no more than were logged.
  expect(requests.length).toBeGreaterThanOrEqual(invocations.size);
  const requestIds = new Set(requests.map((l) => l!.id));
  expect(outcomes.every((l) => requestIds.has(l!.id))).toBe(true);

  // A new writer leaves the file as it is and writes a file of its own; readers skip at most the torn tail.
  const writer = await HistoryWriter.open(historyDir);
  await writer.append(
    {
      v: LOG_VERSION,
      type: 'request',
      id: 'after-crash',
      time: new Date().toISOString(),
      operation: 'SendHeartbeat',
      target: { kind: 'url', url, region: 'us-east-1' },
      request: { method: 'POST', url, headers: {}, body: '{}' },
    },
    true,
  );
  await writer.close();
  expect(readFileSync(file, 'utf8')).toBe(raw);
  const index = await HistoryIndex.open(historyDir);
  expect(index.size).toBe(requests.length + 1);
  expect(index.skipped).toEqual({ malformed: 0, torn: raw.endsWith('\n') ? 0 : 1 });
  expect(index.query({ status: 'pending', limit: 0 }).total).toBe(requests.length + 1 - outcomes.length);
}, 60_000);
