/**
 * HeartbeatApi's captures and runs groups through the in-process host and the loopback HTTP host, against
 * the app's own embedded endpoint (docs/runs.md#the-run-view): a capture streamed in chunks split mid-line
 * is indexed (broken lines listed, the rest runnable); a run sends every item, recorded in the history,
 * results in batched events; filters, re-run of the failed items, pause, cancel; a history export opened
 * again and run against an endpoint injecting faults differs exactly where the faults hit.
 */
import { beforeAll, expect, it } from 'vitest';
import type { CaptureInfo, HeartbeatApi, HostEvent, RunItemResult, RunState } from '../../../src/common/api.ts';
import { describeOnHosts } from './on-hosts.ts';

const now = Math.floor(Date.now() / 1000);
const heartbeat = (n: number, device = `cap-${String(n).padStart(3, '0')}`): string =>
  JSON.stringify({
    AgentVersion: '1.0',
    DeviceName: device,
    DeviceFleetName: 'capture-fleet',
    AgentMetrics: [{ MetricName: 'CpuUtilization', Value: n, Timestamp: now }],
  });

/** 30 payloads: item 7 and 19 lack their DeviceName (the endpoint refuses them); line 12 is torn. */
function ndjson(): string {
  const lines: string[] = [];
  for (let n = 0; n < 31; n++) {
    if (n === 11) lines.push('{"AgentVersion": "1.0", "DeviceName": "torn');
    else lines.push(heartbeat(n));
  }
  return (
    lines
      .join('\n')
      .replace(/"DeviceName":"cap-007",/, '')
      .replace(/"DeviceName":"cap-020",/, '') + '\n'
  );
}

async function openText(api: HeartbeatApi, name: string, text: string, pieces = 3): Promise<CaptureInfo> {
  const info = await api.captures.open({ name, size: text.length });
  const size = Math.ceil(text.length / pieces);
  for (let at = 0; at < text.length; at += size) await api.captures.append(info.id, text.slice(at, at + size));
  return api.captures.finish(info.id);
}

async function ended(api: HeartbeatApi, id: string): Promise<RunState> {
  for (let i = 0; i < 200; i++) {
    const state = await api.runs.state(id);
    if (state && ['finished', 'cancelled', 'failed'].includes(state.state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the run did not end in 10 s');
}

describeOnHosts('HeartbeatApi captures and runs', (host) => {
  let api: HeartbeatApi;
  beforeAll(() => {
    ({ api } = host());
  });

  it('indexes a capture streamed in pieces split mid-line, lists the torn line, and runs every item with its result', async () => {
    const events: HostEvent[] = [];
    const stop = api.subscribe((e) => events.push(e));
    const info = await openText(api, 'payloads.ndjson', ndjson());
    expect(info).toMatchObject({ state: 'ready', format: 'ndjson', items: 30, problems: 1, operations: { SendHeartbeat: 30 } });
    expect(info.guess?.format).toBe('ndjson');
    const issues = await api.captures.issues(info.id, 0, 10);
    expect(issues.problems).toEqual([expect.objectContaining({ line: 12, source: 'payloads.ndjson:12' })]);
    const page = await api.captures.rows(info.id, { offset: 10, limit: 5 });
    expect(page.total).toBe(30);
    // Item 11 is line 13: the torn line 12 is not an item.
    expect(page.rows.map((r) => [r.index, r.line, r.device])).toEqual([
      [10, 11, 'cap-010'],
      [11, 13, 'cap-012'],
      [12, 14, 'cap-013'],
      [13, 15, 'cap-014'],
      [14, 16, 'cap-015'],
    ]);
    expect(page.rows[0]).not.toHaveProperty('body');
    expect(JSON.parse((await api.captures.item(info.id, 10))!.body)).toMatchObject({ DeviceName: 'cap-010' });

    const started = await api.runs.start({ captureId: info.id, target: { kind: 'local' }, credentials: { kind: 'demo' }, concurrency: 4 });
    expect(started).toMatchObject({ state: 'running', total: 30 });
    const state = await ended(api, started.id);
    expect(state).toMatchObject({ state: 'finished', total: 30, done: 30, ok: 28, failed: 2 });
    expect(Object.keys(state.failedByType)).toEqual(['ValidationException']);
    await new Promise((r) => setTimeout(r, 100));
    stop();
    // Results came in batched events (at most 4 a second), every item once.
    const runEvents = events.filter((e): e is Extract<HostEvent, { type: 'run' }> => e.type === 'run' && e.state.id === started.id);
    const results = runEvents.flatMap((e) => e.results);
    expect(results.map((r) => r.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i));
    expect(runEvents.length).toBeLessThan(30);
    expect(runEvents.at(-1)!.state.state).toBe('finished');

    const failed = await api.captures.rows(info.id, { offset: 0, limit: 100, runId: started.id, filter: 'failed' });
    expect(failed.rows.map((r) => r.device ?? '(none)')).toEqual(['(none)', '(none)']);
    expect(failed.rows.map((r) => r.result?.outcome)).toEqual([
      expect.objectContaining({ kind: 'service-error', status: 400, errorType: 'ValidationException' }),
      expect.objectContaining({ kind: 'service-error', status: 400, errorType: 'ValidationException' }),
    ]);
    // Each send is in the history: the row's entry is the request as sent.
    const entry = await api.history.get(failed.rows[0]!.result!.historyId!);
    expect(entry && entry.kind !== 'run' && entry.outcome?.kind).toBe('service-error');

    // Re-run failed: only those two are sent; their results replace the old ones, the others stay.
    const rerun = await api.runs.start({
      captureId: info.id,
      target: { kind: 'local' },
      credentials: { kind: 'demo' },
      items: failed.rows.map((r) => r.index),
      base: started.id,
    });
    expect(rerun.total).toBe(2);
    expect(await ended(api, rerun.id)).toMatchObject({ done: 2, failed: 2 });
    const all = await api.captures.rows(info.id, { offset: 0, limit: 100, runId: rerun.id });
    expect(all.rows.filter((r) => r.result).length).toBe(30);
    expect((await api.captures.rows(info.id, { offset: 0, limit: 100, runId: rerun.id, filter: 'failed' })).total).toBe(2);
    expect(await api.captures.close(info.id)).toBe(true);
    await expect(api.captures.rows(info.id, { offset: 0, limit: 1 })).rejects.toThrow(/no open capture/);
  });

  it('pauses (nothing new is sent), resumes and cancels a run', async () => {
    const lines = Array.from({ length: 60 }, (_, n) => heartbeat(n, `pause-${n}`)).join('\n');
    const info = await openText(api, 'pause.ndjson', lines, 1);
    const run = await api.runs.start({
      captureId: info.id,
      target: { kind: 'local' },
      credentials: { kind: 'demo' },
      concurrency: 1,
      ratePerSecond: 40,
    });
    await new Promise((r) => setTimeout(r, 300));
    const paused = await api.runs.pause(run.id);
    expect(paused?.state).toBe('paused');
    await new Promise((r) => setTimeout(r, 150));
    const held = (await api.runs.state(run.id))!.done;
    await new Promise((r) => setTimeout(r, 400));
    expect((await api.runs.state(run.id))!.done).toBe(held);
    expect((await api.runs.resume(run.id))?.state).toBe('running');
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await api.runs.cancel(run.id);
    expect(cancelled?.state).toBe('cancelled');
    expect(cancelled!.done).toBeGreaterThan(held);
    expect(cancelled!.done).toBeLessThan(60);
    await expect(api.runs.start({ captureId: 'nope', target: { kind: 'local' }, credentials: { kind: 'demo' } })).rejects.toThrow(
      /no open capture/,
    );
  });

  it('compares with the recorded outcome: a history export run again differs exactly where injected faults hit', async () => {
    // Record: 12 sends through a run (all accepted), then export the history's JSON lines and open them as a capture.
    const lines = Array.from({ length: 12 }, (_, n) => heartbeat(n, `cmp-${String(n).padStart(2, '0')}`)).join('\n');
    const source = await openText(api, 'record.ndjson', lines, 1);
    const first = await ended(
      api,
      (await api.runs.start({ captureId: source.id, target: { kind: 'local' }, credentials: { kind: 'demo' }, concurrency: 1 })).id,
    );
    expect(first.ok).toBe(12);
    const exported = await api.history.export({ text: 'cmp-' }, 'jsonl');
    const capture = await openText(api, exported.fileName, exported.text);
    expect(capture).toMatchObject({ format: 'history-jsonl', items: 12, recorded: 12 });

    // Every 4th request fails now (no retry): exactly those items differ (concurrency 1: the order is the capture's).
    await api.endpoint.setFaults({ failEveryNth: 4, errorType: 'InternalServiceException' });
    try {
      const run = await api.runs.start({
        captureId: capture.id,
        target: { kind: 'local' },
        credentials: { kind: 'demo' },
        concurrency: 1,
        maxAttempts: 1,
        expect: 'recorded',
      });
      const state = await ended(api, run.id);
      const differs = await api.captures.rows(capture.id, { offset: 0, limit: 100, runId: run.id, filter: 'differs' });
      expect(state.differs).toBe(differs.total);
      expect(state.same + state.differs).toBe(12);
      expect(state.expectationFailed).toBe(state.differs);
      expect(differs.total).toBeGreaterThan(0);
      for (const row of differs.rows) {
        const r = row.result as RunItemResult;
        expect(r.outcome).toMatchObject({ kind: 'service-error', errorType: 'InternalServiceException' });
        expect(r.comparison?.changes.join(' ')).toMatch(/200 → 500/);
        expect(r.passed).toBe(false);
      }
      const junit = await api.runs.export(run.id, 'junit');
      expect(junit.fileName).toMatch(/\.xml$/);
      expect((junit.text.match(/<failure/g) ?? []).length).toBe(differs.total);
      const jsonl = await api.runs.export(run.id, 'jsonl');
      expect(jsonl.text.trim().split('\n')).toHaveLength(12);
    } finally {
      await api.endpoint.setFaults({});
    }
  });
});
