/**
 * Issue 14 item 9: the app host's /api/events with pages that do not read. What it buffers for a client
 * that never reads stays bounded; one that falls behind gets a notice of how many events it missed and a
 * history-reset (its history list must be queried again), then live events again. Events are batched.
 */
import { connect, type Socket } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeartbeatApi, HostEvent } from '../../../src/common/api.ts';
import { BATCH_INTERVAL_MS, MAX_BATCH_BYTES, MAX_BUFFERED_BYTES } from '../../../src/node/endpoint/event-stream.ts';
import { startUiHost, type UiHost } from '../../../src/node/host/http-host.ts';

const listeners = new Set<(event: HostEvent) => void>();
const emit = (event: HostEvent) => {
  for (const l of listeners) l(event);
};
// The event stream needs nothing of the API but subscribe.
const api = {
  subscribe(listener: (event: HostEvent) => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
} as unknown as HeartbeatApi;

let host: UiHost;
let port: number;
beforeAll(async () => {
  const uiDir = mkdtempSync(join(tmpdir(), 'heartbeat-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>composer</title>');
  host = await startUiHost({ api, uiDir });
  port = Number(new URL(host.origin).port);
});
afterAll(() => host.close());

function openStream(paused: boolean): Promise<{ socket: Socket; text: () => string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${host.token}\r\n\r\n`);
      socket.setEncoding('utf8');
      socket.on('data', (d: string) => (got += d));
      const check = setInterval(() => {
        if (got.includes(': connected')) {
          clearInterval(check);
          if (paused) socket.pause();
          resolve({ socket, text: () => got });
        }
      }, 5);
      setTimeout(() => reject(new Error('the event stream did not open')), 5000).unref();
    });
  });
}

const dataOf = (text: string): HostEvent[] => [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]) as HostEvent);

describe('app host event stream backpressure (issue 14 item 9)', () => {
  it('batches events for a reading page: at most 20 writes a second', async () => {
    const page = await openStream(false);
    const writes: number[] = [];
    page.socket.on('data', () => writes.push(performance.now()));
    const start = performance.now();
    for (let i = 0; i < 100; i++) {
      emit({ type: 'notice', message: `event ${i}` });
      await new Promise((r) => setTimeout(r, 5));
    }
    await until(() => dataOf(page.text()).length === 100);
    const seconds = (performance.now() - start) / 1000;
    expect(dataOf(page.text()).map((e) => (e as { message: string }).message)).toEqual(Array.from({ length: 100 }, (_, i) => `event ${i}`));
    // 100 events emitted 5+ ms apart arrive in batches at most every BATCH_INTERVAL_MS.
    expect(writes.length).toBeLessThanOrEqual(Math.ceil((seconds * 1000) / BATCH_INTERVAL_MS) + 2);
    expect(writes.length).toBeLessThan(100);
    page.socket.destroy();
  });

  it('keeps what it buffers for a page that never reads bounded; a slow page learns how many it missed', async () => {
    const never = await openStream(true);
    const slow = await openStream(true);
    const big = 'x'.repeat(8 * 1024);
    const total = 4000;
    let maxBuffered = 0;
    // ~32 MB of events over about two seconds.
    for (let i = 0; i < total; i++) {
      emit({ type: 'notice', message: `${i} ${big}` });
      if (i % 100 === 99) {
        await new Promise((r) => setTimeout(r, 50));
        for (const st of host.eventStreams()) maxBuffered = Math.max(maxBuffered, st.bufferedBytes);
      }
    }
    const states = host.eventStreams();
    expect(states).toHaveLength(2);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_BUFFERED_BYTES + MAX_BATCH_BYTES + 16 * 1024);
    expect(states[0].dropped).toBeGreaterThan(0);

    slow.socket.resume();
    await until(() => slow.text().includes('event: dropped'));
    await quiet(slow.text);
    const caughtUp = slow.text();
    const events = dataOf(caughtUp);
    const notices = events.filter(
      (e): e is Extract<HostEvent, { type: 'notice' }> => e.type === 'notice' && /events? (was|were) dropped/.test(e.message),
    );
    expect(notices.length).toBeGreaterThan(0);
    const dropped = notices.reduce((sum, n) => sum + Number(/: (\d+) events? (?:was|were) dropped/.exec(n.message)![1]), 0);
    const delivered = events.filter((e) => e.type === 'notice' && !notices.includes(e)).length;
    expect(delivered + dropped).toBe(total);
    // Each notice is followed by history-reset.
    const at = events.indexOf(notices[0]);
    expect(events[at + 1]).toEqual({ type: 'history-reset' });
    expect(notices[0].message).toMatch(/^The page read live events too slowly: \d+ events were dropped; the history is queried again\.$/);

    emit({ type: 'notice', message: 'live again' });
    await until(() => slow.text().length > caughtUp.length && slow.text().includes('live again'));
    expect(dataOf(slow.text().slice(caughtUp.length))).toEqual([{ type: 'notice', message: 'live again' }]);
    never.socket.destroy();
    slow.socket.destroy();
  }, 60_000);
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function quiet(text: () => string): Promise<void> {
  let last = -1;
  while (text().length !== last) {
    last = text().length;
    await new Promise((r) => setTimeout(r, 300));
  }
}
