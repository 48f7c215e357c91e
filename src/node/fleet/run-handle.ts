/**
 * A fleet run as the app's host drives it (src/node/host/fleet-service.ts): in the host's own thread
 * (inThread, over the engine's FleetRun) or in a worker thread (worker-run.ts,
 * docs/fleet.md#the-simulator-in-a-worker-thread) — the same questions, answered asynchronously either way.
 */
import { DEVICE_STATUS_CODES, type FleetDevice, type FleetDeviceDetail } from '../../common/fleet/api-types.ts';
import type { FleetRunStats, FleetRunSummary } from '../../common/fleet/summary.ts';
import { fleetDeviceOf, type FleetRun } from './run.ts';

export interface FleetRunHandle {
  /** Where the devices live: the host's own thread, or a worker thread of its own. */
  readonly where: 'thread' | 'worker';
  /**
   * The statistics now (`window`: with `recent`, starting a new window, as FleetRun.stats) and every
   * device's state as one DEVICE_STATUS_CODES character, in run order.
   */
  snapshot(window: boolean): Promise<{ stats: FleetRunStats; statuses: string }>;
  devices(): Promise<FleetDevice[]>;
  /** One device in detail (watched from the first call, FleetRun.detail). */
  detail(name: string): Promise<FleetDeviceDetail | undefined>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** The summary once the run has ended and its log is closed (its devices can still be asked about). */
  readonly done: Promise<FleetRunSummary>;
  /** Forgets the run (a worker thread ends); only once it is done, or to abandon it. */
  dispose(): void;
}

/** Every device's state now, one character each. */
export function statusesOf(run: FleetRun): string {
  const at = run.elapsedMs();
  let out = '';
  for (const d of run.devices) out += DEVICE_STATUS_CODES[d.status(at)];
  return out;
}

/** A run in this thread. */
export function inThread(run: FleetRun): FleetRunHandle {
  return {
    where: 'thread',
    snapshot: async (window) => ({ stats: run.stats({ window }), statuses: statusesOf(run) }),
    devices: async () => {
      const at = run.elapsedMs();
      return run.devices.map((d) => fleetDeviceOf(d, at));
    },
    detail: async (name) => run.detail(name),
    pause: () => run.pause(),
    resume: () => run.resume(),
    stop: () => run.stop(),
    done: run.done,
    dispose: () => undefined,
  };
}
