/** What the host and a fleet run's worker thread say to each other (worker-run.ts, worker.ts). */
import type { FleetRunSummary } from '../../common/fleet/summary.ts';
import type { Scenario } from '../../common/fleet/scenario.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import type { Credentials } from '../credentials/credentials.ts';
import type { TransportOptions } from '../transport/dispatcher.ts';

/** The workerData tag that makes worker.ts serve a run. */
export const FLEET_WORKER = 'heartbeat-fleet-worker';

export interface FleetWorkerData {
  kind: typeof FLEET_WORKER;
  scenario: Scenario;
  target: TargetRecord;
  credentials: Credentials;
  durationMs?: number;
  rateLimit?: number;
  /** The run log's path; the worker writes it. */
  runLogPath?: string;
  transport: TransportOptions;
  maxAttempts?: number;
}

export type ToWorker =
  | { op: 'snapshot'; id: number; window: boolean }
  | { op: 'devices'; id: number }
  | { op: 'detail'; id: number; name: string }
  | { op: 'pause' }
  | { op: 'resume' }
  | { op: 'stop' };

export type FromWorker =
  | { type: 'started' }
  | { type: 'answer'; id: number; result?: unknown; error?: string }
  | { type: 'done'; summary: FleetRunSummary }
  | { type: 'failed'; message: string };
