/**
 * When a send's history lines are written and when it is done (docs/history.md "Writing"): the request
 * line is written before the request leaves, the slot is free when the answer is in, and the send is
 * reported done only once its outcome line is durable. A real server on 127.0.0.1 and a sink that holds
 * the fsync until the test lets it go.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LogLine } from '../../../src/common/log/entry.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import { replay } from '../../../src/node/engine/replay.ts';
import { createEngine, send, type HistorySink } from '../../../src/node/engine/send.ts';
import { createTransport, type Transport } from '../../../src/node/transport/dispatcher.ts';

const events: string[] = [];
let url = '';
const server = createServer((req, res) => {
  events.push('server: request arrived');
  req.resume();
  req.on('end', () => res.end());
});
let transport: Transport;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  transport = await createTransport({ env: {} });
});
afterAll(async () => {
  await transport.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Writes at once; durable lines wait for `syncNow()`. */
function heldSink() {
  const held: Array<() => void> = [];
  const sink: HistorySink = {
    record(line: LogLine, durable: boolean) {
      events.push(`history: ${line.type} written${durable ? ', waits for fsync' : ''}`);
      return durable ? new Promise<void>((resolve) => held.push(resolve)) : Promise.resolve();
    },
  };
  return { sink, syncNow: () => held.splice(0).forEach((r) => r()), held };
}

it('writes the request line before the request leaves, answers at once, and is done only after the fsync', async () => {
  events.length = 0;
  const { sink, syncNow, held } = heldSink();
  const engine = createEngine({ transport, history: sink });
  const handle = send(engine, {
    operation: 'SendHeartbeat',
    body: '{}',
    target: { kind: 'url', url, region: 'us-east-1' },
    credentials: DEMO_CREDENTIALS,
  });
  let done = false;
  void handle.response.then(() => (done = true));
  const answered = await handle.answered;
  expect(answered.outcome).toMatchObject({ kind: 'success', status: 200 });
  expect(events).toEqual(['history: request written', 'server: request arrived', 'history: outcome written, waits for fsync']);
  await new Promise((r) => setTimeout(r, 20));
  expect(done).toBe(false);
  expect(held).toHaveLength(1);
  syncNow();
  expect((await handle.response).id).toBe(answered.id);
});

it('replay counts a send when its lines are durable, and fails with the write error when they cannot be', async () => {
  const { sink, syncNow } = heldSink();
  const engine = createEngine({ transport, history: sink });
  async function* items() {
    for (let i = 0; i < 5; i++) yield { operation: 'SendHeartbeat' as const, body: '{}', source: `in:${i + 1}` };
  }
  const progress: number[] = [];
  const running = replay(engine, items(), {
    target: { kind: 'url', url, region: 'us-east-1' },
    credentials: DEMO_CREDENTIALS,
    concurrency: 2,
    onProgress: (p) => progress.push(p.done),
  });
  await new Promise((r) => setTimeout(r, 100));
  expect(progress).toEqual([]); // all five answered, none durable yet
  syncNow();
  const summary = await running;
  expect(summary).toMatchObject({ sent: 5, ok: 5, failed: 0 });
  expect(progress.at(-1)).toBe(5);

  const failing: HistorySink = {
    record: (_line, durable) =>
      durable
        ? Promise.reject(new Error('Cannot write the history log in /x (the disk is full); free disk space or set HEARTBEAT_HISTORY_DIR.'))
        : Promise.resolve(),
  };
  await expect(
    replay(createEngine({ transport, history: failing }), items(), {
      target: { kind: 'url', url, region: 'us-east-1' },
      credentials: DEMO_CREDENTIALS,
      concurrency: 2,
    }),
  ).rejects.toThrow(/the disk is full/);
});
