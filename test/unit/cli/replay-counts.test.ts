/**
 * Issue 14, item 12: the replay's progress and its summary count the same things, and add up: the
 * last progress line's count is the summary's items, items = ok + failed, sent = items - unreadable
 * (before, the progress said "301 sent" when the summary said "300 sent, 299 ok, 2 failed").
 */
import { describe, expect, it } from 'vitest';
import { replay, type ReplayProgress } from '../../../src/node/engine/replay.ts';
import type { ReplayItem, ReplayProblem } from '../../../src/node/engine/payloads.ts';
import { createEngine } from '../../../src/node/engine/send.ts';
import type { Transport } from '../../../src/node/transport/dispatcher.ts';

async function* items(n: number, problems: number[]): AsyncGenerator<ReplayItem | ReplayProblem> {
  for (let i = 1; i <= n; i++) {
    if (problems.includes(i)) yield { problem: 'the line is not JSON (a torn or foreign line)', source: `in.ndjson:${i}` };
    else
      yield {
        operation: 'SendHeartbeat',
        body: JSON.stringify({ AgentVersion: '1', DeviceName: `d-${i}`, DeviceFleetName: 'f' }),
        source: `in.ndjson:${i}`,
      };
  }
}

describe('replay counts', () => {
  it('progress and summary agree, and the counts add up (dry run with an unreadable line)', async () => {
    const engine = createEngine({ transport: {} as Transport });
    const seen: ReplayProgress[] = [];
    const summary = await replay(engine, items(301, [150]), {
      target: { kind: 'url', url: 'http://127.0.0.1:9', region: 'us-east-1' },
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      dryRun: true,
      concurrency: 4,
      onProgress: (p) => seen.push(p),
    });
    expect(summary).toMatchObject({ items: 301, sent: 300, ok: 300, failed: 1, failedByType: { unreadable: 1 } });
    expect(summary.failures).toEqual([
      { source: 'in.ndjson:150', errorType: 'unreadable', message: 'the line is not JSON (a torn or foreign line)' },
    ]);
    expect(seen.at(-1)).toEqual({ done: summary.items, ok: summary.ok, failed: summary.failed });
    expect(seen).toHaveLength(301);
  });

  it('lists the first maxFailuresListed failures in input order', async () => {
    const engine = createEngine({ transport: {} as Transport });
    const bad = Array.from({ length: 200 }, (_, i) => 2 * i + 1);
    const summary = await replay(engine, items(400, bad), {
      target: { kind: 'url', url: 'http://127.0.0.1:9', region: 'us-east-1' },
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      dryRun: true,
      concurrency: 8,
      maxFailuresListed: 20,
    });
    expect(summary).toMatchObject({ items: 400, ok: 200, failed: 200, sent: 200 });
    expect(summary.failures.map((f) => f.source)).toEqual(bad.slice(0, 20).map((i) => `in.ndjson:${i}`));
  });
});
