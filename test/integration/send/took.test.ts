/** Issue 14 item 11: a send's timings.totalMs is its whole wall time, backoff and Retry-After waits included (it said "1 ms, 2 attempts" after a 1-2 s wait). */
import { afterAll, describe, expect, it } from 'vitest';
import type { LogLine, OutcomeLine } from '../../../src/common/log/entry.ts';
import { createEngine, send } from '../../../src/node/engine/send.ts';
import { createTransport } from '../../../src/node/transport/dispatcher.ts';
import { respond, serviceError, startFaultServer } from './fault-server.ts';

const CREDS = { accessKeyId: 'AKIATOOKTEST00000001', secretAccessKey: 'took/test/secret' };
const BODY = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet-1' });
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('how long a send took (issue 14 item 11)', () => {
  it('counts the Retry-After wait and every attempt in timings.totalMs; each attempt keeps its own time', async () => {
    const server = await startFaultServer((_r, socket, i) =>
      i === 1 ? serviceError(socket, 429, 'ThrottlingException', 'Rate exceeded', { 'retry-after': '1' }) : respond(socket, 200),
    );
    cleanups.push(() => server.close());
    const transport = await createTransport({ connectTimeoutMs: 2000, readTimeoutMs: 2000, env: {} });
    cleanups.push(() => transport.close());
    const lines: LogLine[] = [];
    const engine = createEngine({ transport, random: () => 0.5, history: { record: async (line) => void lines.push(line) } });
    const before = performance.now();
    const result = await send(engine, {
      operation: 'SendHeartbeat',
      body: BODY,
      target: { kind: 'url', url: server.url, region: 'us-east-1' },
      credentials: CREDS,
    }).response;
    const wall = performance.now() - before;
    expect(result.outcome.kind).toBe('success');
    expect(result.attempts).toHaveLength(2);
    expect(result.attempts[1].delayMs).toBe(1000);
    const perAttempt = result.attempts.reduce((sum, a) => sum + a.durationMs, 0);
    expect(perAttempt).toBeLessThan(900);
    // The whole send: both attempts and the 1 s wait between them, and no more than the caller saw.
    expect(result.timings!.totalMs).toBeGreaterThanOrEqual(1000 + perAttempt - 1);
    expect(result.timings!.totalMs).toBeLessThanOrEqual(wall + 1);
    // The answered attempt's phases sit on the same timeline, after the wait.
    expect(result.timings!.firstByteMs).toBeGreaterThanOrEqual(1000);
    expect(result.timings!.firstByteMs).toBeLessThanOrEqual(result.timings!.totalMs);
    const outcomeLine = lines.find((l): l is OutcomeLine => l.type === 'outcome')!;
    expect(outcomeLine.timings!.totalMs).toBe(result.timings!.totalMs);
  });

  it('has a total even when no attempt got an answer', async () => {
    const server = await startFaultServer((_r, socket) => socket.resetAndDestroy());
    cleanups.push(() => server.close());
    const transport = await createTransport({ connectTimeoutMs: 2000, readTimeoutMs: 2000, env: {} });
    cleanups.push(() => transport.close());
    const engine = createEngine({ transport, random: () => 0.5, maxAttempts: 2 });
    const result = await send(engine, {
      operation: 'SendHeartbeat',
      body: BODY,
      target: { kind: 'url', url: server.url, region: 'us-east-1' },
      credentials: CREDS,
    }).response;
    expect(result.outcome.kind).toBe('transport-error');
    expect(result.timings!.totalMs).toBeGreaterThanOrEqual(50); // the 50 ms backoff between the two attempts
    expect(result.timings!.connectMs).toBeUndefined();
  });
});
