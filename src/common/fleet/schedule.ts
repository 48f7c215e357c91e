/**
 * What a fleet does over time, as the requests it makes, in order: the schedule both the run engine and
 * `heartbeat fleet run --dry-run` follow (and a Locust export must reproduce). Pure: no clock, no I/O.
 *
 * For each device (fleet i, number n from 1), from its own streams (prng.ts):
 * - clock skew: min + (max − min) × float() of stream (seed, fleet, n, "skew"), in whole ms;
 * - start: `stagger` spreads first requests over one interval, floor(interval × (n − 1) / devices);
 *   `together` starts all at 0;
 * - at the start: GetDeviceRegistration; then a heartbeat at once and every interval × (1 + jitter × (2u − 1))
 *   (u from stream "schedule", whole ms); GetDeployments every deploymentPoll after the start;
 * - offline: before each heartbeat, with probability `offline.probability` (stream "schedule") the device
 *   goes quiet for `offline.duration`: its heartbeats and polls in that time are not made;
 * - a heartbeat's values: each metric's generator (stream (seed, fleet, n, metric)), at t = seconds since
 *   the start; timestamps are the send time plus the device's skew, epoch seconds to the millisecond.
 * Requests at the same time go in fleet, device, then GetDeviceRegistration, SendHeartbeat, GetDeployments order.
 * A dry run takes every device as registered and gives no deployments; the run engine follows the same
 * times and values, answering registrations and deployments as they come.
 */
import type { Operation } from '../model/index.ts';
import { makeGenerator, roundTo, type Generator as ValueGenerator } from './generators.ts';
import { Prng, streamSeed } from './prng.ts';
import { deviceNameOf, type FleetSpec, type Scenario } from './scenario.ts';

export interface PlannedRequest {
  /** Milliseconds from the run's start. */
  offsetMs: number;
  fleet: string;
  device: string;
  operation: Operation;
  body: Record<string, unknown>;
}

const ORDER: Record<Operation, number> = { GetDeviceRegistration: 0, SendHeartbeat: 1, GetDeployments: 2 };

interface MetricStream {
  dimension: string;
  name: string;
  next: ValueGenerator;
}

/** One device's requests in time order. */
function* deviceRequests(scenario: Scenario, fleet: FleetSpec, n: number, startMs: number): Generator<PlannedRequest> {
  const seed = scenario.seed;
  const device = deviceNameOf(fleet.deviceName, n, fleet.name);
  const skewPrng = new Prng(streamSeed(seed, fleet.name, n, 'skew'));
  const skewMs = Math.round(fleet.clockSkewMs.min + (fleet.clockSkewMs.max - fleet.clockSkewMs.min) * skewPrng.float());
  const schedule = new Prng(streamSeed(seed, fleet.name, n, 'schedule'));
  const streams = (list: FleetSpec['agentMetrics'], key: string): MetricStream[] =>
    list.map((m) => ({
      dimension: m.dimension,
      name: m.name,
      next: makeGenerator(m.value, new Prng(streamSeed(seed, fleet.name, n, `${key}/${m.dimension}/${m.name}`)), m.precision),
    }));
  const agent = streams(fleet.agentMetrics, 'agent');
  const models = fleet.models.map((m) => ({ spec: m, metrics: streams(m.metrics, `model/${m.name}`) }));
  const first = fleet.startup === 'together' ? 0 : Math.floor((fleet.intervalMs * (n - 1)) / fleet.devices);
  const ids = { DeviceName: device, DeviceFleetName: fleet.name };
  const at = (offsetMs: number, operation: Operation, body: Record<string, unknown>): PlannedRequest => ({
    offsetMs,
    fleet: fleet.name,
    device,
    operation,
    body,
  });

  yield at(first, 'GetDeviceRegistration', { ...ids });
  let nextBeat = first;
  let nextPoll = first + fleet.deploymentPollMs;
  let quietUntil = -1;
  for (;;) {
    if (nextPoll < nextBeat) {
      if (nextPoll >= quietUntil) yield at(nextPoll, 'GetDeployments', { ...ids });
      nextPoll += fleet.deploymentPollMs;
      continue;
    }
    if (nextBeat >= quietUntil) {
      if (fleet.offline.probability > 0 && schedule.float() < fleet.offline.probability) quietUntil = nextBeat + fleet.offline.durationMs;
      else {
        const t = (nextBeat - first) / 1000;
        const timestamp = roundTo((startMs + nextBeat + skewMs) / 1000, 3);
        const body: Record<string, unknown> = { AgentVersion: fleet.agentVersion, ...ids };
        if (agent.length > 0)
          body.AgentMetrics = agent.map((m) => ({ Dimension: m.dimension, MetricName: m.name, Value: m.next(t), Timestamp: timestamp }));
        if (models.length > 0)
          body.Models = models.map(({ spec, metrics }) => ({
            ModelName: spec.name,
            ModelVersion: spec.version,
            LatestSampleTime: timestamp,
            LatestInference: timestamp,
            ...(metrics.length > 0
              ? {
                  ModelMetrics: metrics.map((m) => ({
                    Dimension: m.dimension,
                    MetricName: m.name,
                    Value: m.next(t),
                    Timestamp: timestamp,
                  })),
                }
              : {}),
          }));
        yield at(nextBeat, 'SendHeartbeat', body);
      }
    }
    const jitter = fleet.jitter > 0 ? fleet.jitter * (2 * schedule.float() - 1) : 0;
    nextBeat += Math.max(1, Math.round(fleet.intervalMs * (1 + jitter)));
  }
}

/**
 * Every request of the scenario before `durationMs`, in order, for a run that starts at `startMs` (epoch
 * milliseconds; timestamps in bodies come from it). A heap merges the devices' streams: memory grows with
 * the number of devices, not with the run's length.
 */
export function* planRequests(scenario: Scenario, durationMs: number, startMs: number): Generator<PlannedRequest> {
  interface Head {
    next: PlannedRequest;
    rest: Generator<PlannedRequest>;
    fleet: number;
    n: number;
  }
  const before = (a: Head, b: Head): boolean =>
    a.next.offsetMs !== b.next.offsetMs
      ? a.next.offsetMs < b.next.offsetMs
      : a.fleet !== b.fleet
        ? a.fleet < b.fleet
        : a.n !== b.n
          ? a.n < b.n
          : ORDER[a.next.operation] < ORDER[b.next.operation];
  const heap: Head[] = [];
  const up = (i: number): void => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) return;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  scenario.fleets.forEach((fleet, f) => {
    for (let n = 1; n <= fleet.devices; n++) {
      const rest = deviceRequests(scenario, fleet, n, startMs);
      const first = rest.next();
      if (!first.done) {
        heap.push({ next: first.value, rest, fleet: f, n });
        up(heap.length - 1);
      }
    }
  });
  while (heap.length > 0) {
    const head = heap[0]!;
    if (head.next.offsetMs >= durationMs) return;
    yield head.next;
    const following = head.rest.next();
    if (following.done) {
      heap[0] = heap[heap.length - 1]!;
      heap.pop();
    } else head.next = following.value;
    if (heap.length > 0) down(0);
  }
}
