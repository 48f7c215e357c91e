/**
 * What a fleet run reports (docs/fleet.md#heartbeat-fleet-run): live statistics while it runs and a
 * summary at the end — the CLI prints it, the app shows it, and it is the run's one history entry.
 */
import type { TargetRecord } from '../log/entry.ts';
import type { Operation } from '../model/index.ts';

export interface OperationStats {
  /** Requests handed to the transport. */
  sent: number;
  /** Answered 2xx (after retries). */
  ok: number;
  /** Answered otherwise, or never (a transport error or cancelled), after retries. */
  failed: number;
  /** Error type (the service's, `transport:<code>`, `cancelled`) → count. */
  failedByType: Record<string, number>;
  /** Whole-send latency (retries included), milliseconds. */
  p50Ms?: number;
  p99Ms?: number;
}

export interface FleetRunStats {
  /** Milliseconds since the run started. */
  elapsedMs: number;
  devices: number;
  /** Devices whose last registration answer was REGISTERED. */
  registered: number;
  /** Devices that were refused (or could not ask) and keep asking. */
  unregistered: number;
  /** Devices in an offline spell. */
  offline: number;
  /** Devices applying a deployment. */
  deploying: number;
  inFlight: number;
  /** Requests per second over the last second. */
  ratePerSecond: number;
  operations: Record<Operation, OperationStats>;
  /** How late requests left against their schedule, milliseconds. */
  lag: { p50Ms?: number; p99Ms?: number; maxMs?: number };
  deployments: { applied: number; succeeded: number; failed: number };
  /** Every refused attempt by error type, retried ones included (what the target answered; `failedByType` counts requests that failed after retries). */
  refusedAttempts?: Record<string, number>;
  /** Since the previous windowed read (the app's events: every half second): whole-send latency of every operation, schedule lag. */
  recent?: { requests: number; p50Ms?: number; p99Ms?: number; lagP99Ms?: number };
}

export interface FleetRunSummary extends FleetRunStats {
  scenario: string;
  seed: number;
  target: TargetRecord;
  /** ISO 8601. */
  startedAt: string;
  /** The run ended before its duration (stopped by the user or a signal). */
  stopped: boolean;
  /** Sum over the operations. */
  totals: { sent: number; ok: number; failed: number };
  /** The run log (one NDJSON line per request, replayable), when one was written. */
  runLog?: string;
}
