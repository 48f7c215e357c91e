/**
 * The replay engine's per-item results (onResult) and its gate (a run's Pause), against the embedded
 * endpoint on 127.0.0.1 with fault injection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/common/log/entry.ts';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';
import { startEndpoint, type RunningEndpoint } from '../../src/node/endpoint/index.ts';
import type { ReplayItem, ReplayProblem } from '../../src/node/engine/payloads.ts';
import { replay, type ReplayResult } from '../../src/node/engine/replay.ts';
import { createEngine, type Engine } from '../../src/node/engine/send.ts';
import { createTransport, type Transport } from '../../src/node/transport/dispatcher.ts';

interface Numbered extends ReplayItem {
  n: number;
}

async function* items(n: number, problems: number[] = [], invalid: number[] = []): AsyncGenerator<Numbered | ReplayProblem> {
  for (let i = 1; i <= n; i++) {
    if (problems.includes(i)) yield { problem: 'the line is not JSON', source: `in.ndjson:${i}` };
    else
      yield {
        n: i,
        operation: 'SendHeartbeat',
        body: JSON.stringify({ AgentVersion: '1', DeviceName: invalid.includes(i) ? '-bad' : `d-${i}`, DeviceFleetName: 'f' }),
        source: `in.ndjson:${i}`,
      };
  }
}

describe('replay: onResult and gate', () => {
  let endpoint: RunningEndpoint;
  let transport: Transport;
  const lines: LogLine[] = [];
  let engine: Engine;
  const options = () => ({
    target: { kind: 'url' as const, url: endpoint.url, region: endpoint.region },
    credentials: DEMO_CREDENTIALS,
  });

  beforeAll(async () => {
    endpoint = await startEndpoint();
    transport = await createTransport({ env: {} });
    engine = createEngine({
      transport,
      maxAttempts: 1,
      history: {
        record: async (line) => {
          lines.push(line);
        },
      },
    });
  });
  afterAll(async () => {
    await transport.close();
    await endpoint.close();
  });

  it('reports every sent item once, with its place, outcome, attempts, latency and history entry', async () => {
    endpoint.admin.setFaults({ failEveryNth: 4 });
    try {
      const results: Array<ReplayResult<Numbered>> = [];
      const summary = await replay(engine, items(20, [7], [10]), {
        ...options(),
        concurrency: 1,
        onResult: (r) => {
          // Counted already: its outcome line is recorded.
          expect(lines.some((l) => l.type === 'outcome' && l.id === r.historyId)).toBe(true);
          results.push(r);
        },
      });
      expect(summary).toMatchObject({ items: 20, sent: 19, failed: 1 + 1 + 4 });
      expect(results).toHaveLength(19);
      expect(results.map((r) => r.position)).toEqual([...Array(20).keys()].filter((p) => p !== 6));
      for (const r of results) {
        expect(r.item.n).toBe(r.position + 1);
        expect(r.attempts).toBe(1);
        expect(r.latencyMs).toBeGreaterThan(0);
        expect(lines.find((l) => l.type === 'request' && l.id === r.historyId)).toBeDefined();
      }
      // Every 4th valid request fails (item 7 is unreadable and item 10 invalid: neither counts for the fault).
      const faulted = results.filter((r) => r.outcome.errorType === 'InternalServiceException').map((r) => r.item.n);
      expect(faulted).toEqual([4, 9, 14, 18]);
      expect(results.find((r) => r.item.n === 4)!.outcome).toEqual({
        kind: 'service-error',
        status: 500,
        errorType: 'InternalServiceException',
        message: expect.any(String),
      });
      expect(results.find((r) => r.item.n === 10)!.outcome).toMatchObject({
        kind: 'service-error',
        status: 400,
        errorType: 'ValidationException',
      });
      expect(results.find((r) => r.item.n === 1)!.outcome).toEqual({ kind: 'success', status: 200 });
    } finally {
      endpoint.admin.setFaults({});
    }
  });

  it('no history, no history id; a transport error maps to its code', async () => {
    const bare = createEngine({ transport, maxAttempts: 1 });
    const results: ReplayResult[] = [];
    await replay(bare, items(2), { ...options(), onResult: (r) => results.push(r) });
    expect(results.map((r) => r.historyId)).toEqual([undefined, undefined]);
    const refused: ReplayResult[] = [];
    await replay(bare, items(1), {
      target: { kind: 'url', url: 'http://127.0.0.1:9', region: 'us-east-1' },
      credentials: DEMO_CREDENTIALS,
      onResult: (r) => refused.push(r),
    });
    expect(refused[0]!.outcome).toEqual({ kind: 'transport-error', errorType: 'refused', message: expect.any(String) });
  });

  it('gate: nothing new starts while it is pending, sends in flight finish, and the pause is not counted', async () => {
    let release!: () => void;
    let paused: Promise<void> | undefined;
    const pause = () => (paused = new Promise<void>((resolve) => (release = resolve)));
    const before = endpoint.admin.stats().received;
    const done: number[] = [];
    const wall = performance.now();
    const run = replay(engine, items(40), {
      ...options(),
      concurrency: 4,
      gate: () => paused,
      onResult: (r) => {
        done.push(r.item.n);
        if (done.length === 10) pause();
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    while (!paused) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The ones in flight when it paused finished; nothing more was sent in 300 ms.
    const whilePaused = endpoint.admin.stats().received - before;
    expect(whilePaused).toBeLessThanOrEqual(10 + 4);
    expect(done.length).toBe(whilePaused);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(endpoint.admin.stats().received - before).toBe(whilePaused);
    paused = undefined;
    release();
    const summary = await run;
    expect(summary).toMatchObject({ items: 40, ok: 40 });
    expect(done.sort((a, b) => a - b)).toEqual([...Array(40).keys()].map((i) => i + 1));
    // Paused for at least 400 ms, which the elapsed time leaves out.
    expect(summary.elapsedMs).toBeLessThanOrEqual(performance.now() - wall - 350);
  });

  it('gate: the signal stops a paused replay', async () => {
    const stop = new AbortController();
    const never = new Promise<void>(() => undefined);
    let sent = 0;
    const run = replay(engine, items(10), {
      ...options(),
      concurrency: 2,
      signal: stop.signal,
      gate: () => (sent >= 3 ? never : undefined),
      onResult: () => void sent++,
    });
    while (sent < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    const summary = await run;
    expect(summary.stopped).toBe(true);
    expect(summary.items).toBeLessThanOrEqual(5);
  });

  it('gate with a rate: no burst after the pause', async () => {
    let paused: Promise<void> | undefined = new Promise<void>((resolve) => setTimeout(resolve, 300));
    void paused.then(() => (paused = undefined));
    const times: number[] = [];
    const started = performance.now();
    await replay(engine, items(6), {
      ...options(),
      concurrency: 6,
      ratePerSecond: 20,
      gate: () => paused,
      onResult: () => times.push(performance.now() - started),
    });
    times.sort((a, b) => a - b);
    // Held 300 ms, then one send every 50 ms from the resume (not 6 at once).
    expect(times[0]).toBeGreaterThanOrEqual(290);
    expect(times[5]! - times[0]!).toBeGreaterThanOrEqual(200);
  });

  it('a throwing onResult stops the replay and is what it throws', async () => {
    await expect(
      replay(engine, items(20), {
        ...options(),
        onResult: () => {
          throw new Error('the caller failed');
        },
      }),
    ).rejects.toThrow('the caller failed');
  });
});
