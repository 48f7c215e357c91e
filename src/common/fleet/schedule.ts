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
import { SimulatedDevice, type PlannedRequest } from './device.ts';
import type { Scenario } from './scenario.ts';

export type { PlannedRequest } from './device.ts';

const ORDER: Record<Operation, number> = { GetDeviceRegistration: 0, SendHeartbeat: 1, GetDeployments: 2 };

/**
 * Every request of the scenario before `durationMs`, in order, for a run that starts at `startMs` (epoch
 * milliseconds; timestamps in bodies come from it). A heap merges the devices' streams: memory grows with
 * the number of devices, not with the run's length.
 */
export function* planRequests(scenario: Scenario, durationMs: number, startMs: number): Generator<PlannedRequest> {
  interface Head {
    device: SimulatedDevice;
    at: number;
    fleet: number;
    n: number;
  }
  const before = (a: Head, b: Head): boolean =>
    a.at !== b.at
      ? a.at < b.at
      : a.fleet !== b.fleet
        ? a.fleet < b.fleet
        : a.n !== b.n
          ? a.n < b.n
          : ORDER[a.device.dueOperation] < ORDER[b.device.dueOperation];
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
      const device = new SimulatedDevice(scenario, fleet, n, startMs, { live: false });
      heap.push({ device, at: device.dueMs, fleet: f, n });
      up(heap.length - 1);
    }
  });
  while (heap.length > 0) {
    const head = heap[0]!;
    if (head.at >= durationMs) return;
    yield head.device.take();
    head.at = head.device.dueMs;
    down(0);
  }
}
