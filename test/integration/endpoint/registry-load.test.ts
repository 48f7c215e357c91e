/**
 * Issue 14 item 8: a heartbeat naming tens of thousands of models is merged in linear time (it took the
 * event loop 2.5 s), what the registry keeps per device is capped, and recent heartbeats keep no large
 * document (docs/endpoint.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { MAX_METRICS_PER_MODEL, MAX_MODELS_PER_DEVICE, MAX_AGENT_METRICS } from '../../../src/node/endpoint/registry.ts';
import { MAX_EVENT_BODY_BYTES } from '../../../src/node/endpoint/exchange.ts';
import { sendSigned } from './helpers.ts';

let endpoint: RunningEndpoint;
beforeAll(async () => {
  endpoint = await startEndpoint({});
});
afterAll(() => endpoint.close());

/** A valid SendHeartbeat just under 1 MiB with `count` distinct model names. */
function manyModels(count: number, device = 'flood-1'): string {
  const models: string[] = [];
  for (let i = 0; i < count; i++) models.push(`{"ModelName":"m${String(i).padStart(6, '0')}"}`);
  return `{"AgentVersion":"1.0","DeviceName":"${device}","DeviceFleetName":"fleet-a","Models":[${models.join(',')}]}`;
}

function medianMs(fn: () => void, runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

describe('device registry under a flood of model names (issue 14 item 8)', () => {
  it('handles one 1 MiB heartbeat with 37,000 distinct model names in a small multiple of a JSON.parse of it', async () => {
    const body = manyModels(37_000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(1024 * 1024);
    const parseMs = medianMs(() => JSON.parse(body));
    // Twice, so the second one also merges into a device that already holds the cap.
    for (let round = 0; round < 2; round++) {
      const res = await sendSigned(endpoint.url, { body });
      expect(res.status).toBe(200);
      const handled = endpoint.admin.recentHeartbeats(1)[0];
      // Handling includes hashing, decoding, parsing and validating the body: a generous bound, far below the quadratic 2.5 s (~300x a parse).
      expect(
        handled.handlingMs,
        `handling took ${handled.handlingMs.toFixed(1)} ms; JSON.parse of the body ${parseMs.toFixed(1)} ms`,
      ).toBeLessThan(Math.max(40 * parseMs, 150));
    }
    // The ring of recent heartbeats (and the event streams) do not keep a document this large, only its size.
    const event = endpoint.admin.recentHeartbeats(1)[0];
    expect(event.body).toBeUndefined();
    expect(event.bodyBytes).toBe(Buffer.byteLength(body));
    const device = endpoint.admin.device('fleet-a', 'flood-1')!;
    expect(device.models).toHaveLength(MAX_MODELS_PER_DEVICE);
    // The latest reported names are the ones kept, in the order the heartbeat listed them.
    expect(device.models.at(-1)!.modelName).toBe('m036999');
    expect(device.models[0].modelName).toBe(`m${String(37_000 - MAX_MODELS_PER_DEVICE).padStart(6, '0')}`);
    // Every model dropped to keep the cap is counted: all but the last kept in the first round, then all the second round evicted.
    expect(device.modelsNotKept).toBe(37_000 - MAX_MODELS_PER_DEVICE + 37_000);
  });

  it('caps the metrics kept per model and per agent, keeping the latest reading per dimension and name', async () => {
    const metrics = (n: number, ts: number) =>
      Array.from({ length: n }, (_, i) => ({ Dimension: 'd', MetricName: `metric-${i}`, Value: i, Timestamp: ts }));
    const body = {
      AgentVersion: '1.0',
      DeviceName: 'metrics-1',
      DeviceFleetName: 'fleet-a',
      AgentMetrics: metrics(MAX_AGENT_METRICS + 50, 100),
      Models: [{ ModelName: 'model-a', ModelMetrics: metrics(MAX_METRICS_PER_MODEL + 50, 100) }],
    };
    expect((await sendSigned(endpoint.url, { body })).status).toBe(200);
    expect(JSON.stringify(body).length).toBeLessThan(MAX_EVENT_BODY_BYTES);
    expect(endpoint.admin.recentHeartbeats(1)[0].body).toEqual(body);
    let device = endpoint.admin.device('fleet-a', 'metrics-1')!;
    expect(device.agentMetrics).toHaveLength(MAX_AGENT_METRICS);
    expect(device.models[0].metrics).toHaveLength(MAX_METRICS_PER_MODEL);
    // An older reading of a kept metric does not replace the newer one; a newer one does.
    const again = {
      ...body,
      AgentMetrics: [{ Dimension: 'd', MetricName: `metric-${MAX_AGENT_METRICS + 49}`, Value: -1, Timestamp: 50 }],
      Models: [
        {
          ModelName: 'model-a',
          ModelMetrics: [{ Dimension: 'd', MetricName: `metric-${MAX_METRICS_PER_MODEL + 49}`, Value: -2, Timestamp: 200 }],
        },
      ],
    };
    expect((await sendSigned(endpoint.url, { body: again })).status).toBe(200);
    device = endpoint.admin.device('fleet-a', 'metrics-1')!;
    expect(device.agentMetrics).toHaveLength(MAX_AGENT_METRICS);
    expect(device.agentMetrics.find((m) => m.metricName === `metric-${MAX_AGENT_METRICS + 49}`)!.value).toBe(MAX_AGENT_METRICS + 49);
    expect(device.models[0].metrics.find((m) => m.metricName === `metric-${MAX_METRICS_PER_MODEL + 49}`)!.value).toBe(-2);
  });
});
