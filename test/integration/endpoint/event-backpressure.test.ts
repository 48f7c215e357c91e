/**
 * Issue 14 item 9: /__admin/events with clients that do not read. One that never reads must not make the
 * endpoint buffer every event (55 MB → 941 MB in 8 s of load); one that falls behind and catches up gets a
 * "dropped N" event, then live events again.
 */
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { MAX_BATCH_BYTES, MAX_BUFFERED_BYTES } from '../../../src/node/endpoint/event-stream.ts';
import { HEARTBEAT, signed } from './helpers.ts';

let endpoint: RunningEndpoint;
const agent = new Agent({ keepAlive: true, maxSockets: 16 });
beforeAll(async () => {
  endpoint = await startEndpoint({});
});
afterAll(async () => {
  agent.destroy();
  await endpoint.close();
});

const port = () => Number(new URL(endpoint.url).port);

/** Opens /__admin/events on a raw socket; `paused` sockets read nothing until resumed. */
function openStream(paused: boolean): Promise<{ socket: Socket; text: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port(), '127.0.0.1');
    let got = '';
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(`GET /__admin/events HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nAuthorization: Bearer ${endpoint.adminToken}\r\n\r\n`);
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (got += d));
      // Wait for the answer's head, then stop reading if asked.
      const check = setInterval(() => {
        if (got.includes('retry: 2000')) {
          clearInterval(check);
          if (paused) socket.pause();
          resolve({ socket, text: () => got });
        }
      }, 5);
      setTimeout(() => reject(new Error('the event stream did not open')), 5000).unref();
    });
  });
}

function post(path: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: port(), path, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function streamStates(): Promise<{ bufferedBytes: number; dropped: number }[]> {
  const res = await fetch(`${endpoint.url}/__admin/stats`, { headers: { authorization: `Bearer ${endpoint.adminToken}` } });
  return ((await res.json()) as { eventStreams: { bufferedBytes: number; dropped: number }[] }).eventStreams;
}

describe('admin event stream backpressure (issue 14 item 9)', () => {
  it('keeps what it buffers for a client that never reads bounded, and tells a slow reader how many events it missed', async () => {
    const never = await openStream(true);
    const slow = await openStream(true);
    // A heartbeat of ~10 KB, so each event (which carries the body) is ~10 KB; signed once, sent thousands of times.
    const models = Array.from({ length: 60 }, (_, i) => ({
      ModelName: `model-${i}`,
      ModelVersion: '1.0',
      ModelMetrics: [{ Dimension: 'model', MetricName: 'latency-ms', Value: i, Timestamp: 1_763_797_702 }],
    }));
    const s = await signed(endpoint.url, { body: { ...HEARTBEAT, Models: models } });
    expect(s.body.length).toBeGreaterThan(8_000);
    const total = 2500;
    let maxBuffered = 0;
    for (let sent = 0; sent < total; sent += 50) {
      const statuses = await Promise.all(Array.from({ length: 50 }, () => post(s.path, s.headers, s.body)));
      expect(statuses.every((st) => st === 200)).toBe(true);
      if (sent % 250 === 0) for (const st of await streamStates()) maxBuffered = Math.max(maxBuffered, st.bufferedBytes);
    }
    await new Promise((r) => setTimeout(r, 200));
    const states = await streamStates();
    expect(states).toHaveLength(2);
    for (const st of states) maxBuffered = Math.max(maxBuffered, st.bufferedBytes);
    // ~25 MB of events were produced; the server holds at most its high-water mark plus one batch per client.
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + MAX_BATCH_BYTES + 64 * 1024);
    expect(states[0].dropped).toBeGreaterThan(0);

    // The slow reader catches up: everything buffered, then one "dropped" event, then live events again.
    slow.socket.resume();
    await until(() => /event: dropped\ndata: \{"dropped":\d+\}\n\n/.test(slow.text()));
    await quiet(slow.text);
    const caughtUp = slow.text();
    const dropped = [...caughtUp.matchAll(/event: dropped\ndata: \{"dropped":(\d+)\}/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(dropped).toBeGreaterThan(0);
    // Every event was either delivered or counted in a "dropped" event.
    expect(count(caughtUp, 'event: exchange') + dropped).toBe(total);
    const after = await Promise.all(Array.from({ length: 3 }, () => post(s.path, s.headers, s.body)));
    expect(after).toEqual([200, 200, 200]);
    await until(() => count(slow.text().slice(caughtUp.length), 'event: exchange') === 3);
    expect(slow.text().slice(caughtUp.length)).not.toContain('event: dropped');
    never.socket.destroy();
    slow.socket.destroy();
  }, 120_000);
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function count(text: string, what: string): number {
  return text.split(what).length - 1;
}

/** Waits until `text()` has not grown for 300 ms. */
async function quiet(text: () => string): Promise<void> {
  let last = -1;
  while (text().length !== last) {
    last = text().length;
    await new Promise((r) => setTimeout(r, 300));
  }
}
