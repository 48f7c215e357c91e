/**
 * HeartbeatApi's `fleet` group (docs/fleet.md#the-app-and-heartbeatapi): a fleet run started, watched and
 * stopped by the app, over any of the three hosts (in-process, HTTP loopback, Electron IPC).
 */
import type { DeviceDeployment, DeviceStatus } from './device.ts';
import type { FleetRunStats, FleetRunSummary } from './summary.ts';

export type { DeviceStatus, FleetRunStats, FleetRunSummary };
/** Deployments a simulated device remembers for its history (oldest forgotten first). */
export const DEPLOYMENT_HISTORY_CAP = 20;

/** One deployment a simulated device went through: name, models, when, SUCCESS or FAIL, rolled back or not, why. */
export type FleetDeviceDeployment = DeviceDeployment;

export interface FleetStartRequest {
  /** The scenario's text (YAML or JSON, docs/fleet.md#the-scenario-file-yaml-or-json). */
  scenario: string;
  /** The folder csv generators' relative paths start from (the scenario file's); default the host's working folder. */
  baseDir?: string;
  /** Where the devices send; `local` (the app's embedded endpoint) registers them there first. */
  target: import('../api.ts').TargetSpec;
  credentials: import('../api.ts').CredentialRef;
  /** Default: the scenario's duration, else until stopped. */
  durationMs?: number;
  /** Multiplies every fleet's device count. */
  scale?: number;
  /** Requests per second at most, all devices together. */
  rateLimit?: number;
}

export interface FleetState {
  id: string;
  state: 'running' | 'paused' | 'stopping' | 'finished' | 'failed';
  scenario: string;
  /** ISO 8601. */
  startedAt: string;
  stats: FleetRunStats;
  /** Once finished. */
  summary?: FleetRunSummary;
  /** The run's history entry, once written. */
  historyId?: string;
  /** Why the run failed, or why its summary could not be recorded. */
  error?: string;
}

export interface FleetDevice {
  name: string;
  fleet: string;
  status: DeviceStatus;
  lastHeartbeatAgoMs?: number;
  models: Array<{ name: string; version: string }>;
  lastDeployment?: { name: string; status: 'SUCCESS' | 'FAIL' };
}

/**
 * One device watched from the app: its latest heartbeat and its metrics since it was first asked for, and
 * its deployment history (kept by every device from the run's start, not only while watched).
 */
export interface FleetDeviceDetail extends FleetDevice {
  /** The latest heartbeat it sent since it was watched (the request body as sent), if any. */
  lastHeartbeat?: Record<string, unknown>;
  /** Every deployment it went through, oldest first: the last DEPLOYMENT_HISTORY_CAP. */
  deployments: FleetDeviceDeployment[];
  /** The deployment it is applying now (epoch ms on the device's clock). */
  applying?: { name: string; startedAt: number; endsAt: number };
  /** Seconds since the run started, one per heartbeat since it was watched (at most 600). */
  t: number[];
  /** By metric ("agent: NAME" or "MODEL: NAME"), a value per `t` (null when that heartbeat lacked it). */
  metrics: Record<string, Array<number | null>>;
}

/**
 * One character per device state in a `fleet` event's `devices` string, in the run's device order
 * (fleets in scenario order, devices by number).
 */
export const DEVICE_STATUS_CODES: Readonly<Record<DeviceStatus, string>> = {
  starting: 's',
  registering: 'r',
  unregistered: 'u',
  healthy: 'h',
  offline: 'o',
  deploying: 'd',
};
