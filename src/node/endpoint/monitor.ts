/**
 * What the endpoint has seen: counters, handling-time percentiles, the recent heartbeats, and a
 * subscription to every exchange as it completes (the admin SSE stream and in-process listeners).
 */
import type { EndpointActivity } from '../../common/api.ts';
import type { Operation } from '../../common/model/index.ts';

/** One answered request: what the UI lists (EndpointActivity), plus the parsed body for in-process listeners. */
export interface EndpointEvent extends EndpointActivity {
  operation: Operation | 'unknown';
  /** The parsed request document, when the body was valid JSON and at most MAX_EVENT_BODY_BYTES (16 KiB). */
  body?: unknown;
  /** Instead of `body` when the (valid JSON) body was larger: its size in bytes. */
  bodyBytes?: number;
}

export interface EndpointStats {
  startedAt: string;
  received: number;
  accepted: number;
  rejected: number;
  /** x-amzn-ErrorType (or HTTP status when none) → count. */
  rejectedByReason: Record<string, number>;
  byOperation: Record<string, { received: number; accepted: number }>;
  faultsInjected: number;
  handlingMs: { p50: number; p99: number; samples: number };
}

export type EventListener = (event: EndpointEvent) => void;

const SAMPLES = 2048;
const RECENT = 200;

export class Monitor {
  private startedAt = new Date().toISOString();
  private counters = { received: 0, accepted: 0, rejected: 0, faultsInjected: 0 };
  private reasons: Record<string, number> = {};
  private operations: Record<string, { received: number; accepted: number }> = {};
  private durations = new Float64Array(SAMPLES);
  private durationCount = 0;
  /** A ring of the latest RECENT heartbeats; `heartbeatCount` of them were ever recorded. */
  private heartbeats: EndpointEvent[] = [];
  private heartbeatCount = 0;
  private readonly listeners = new Set<EventListener>();

  record(event: EndpointEvent): void {
    const ok = event.status < 300;
    this.counters.received++;
    if (ok) this.counters.accepted++;
    else {
      this.counters.rejected++;
      const reason = event.errorType ?? String(event.status);
      this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    }
    if (event.injected) this.counters.faultsInjected++;
    const op = (this.operations[event.operation] ??= { received: 0, accepted: 0 });
    op.received++;
    if (ok) op.accepted++;
    this.durations[this.durationCount++ % SAMPLES] = event.handlingMs;
    if (event.operation === 'SendHeartbeat') {
      this.heartbeats[this.heartbeatCount++ % RECENT] = event;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a failing listener must not break request handling
      }
    }
  }

  stats(): EndpointStats {
    const n = Math.min(this.durationCount, SAMPLES);
    const sorted = Array.from(this.durations.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => (n === 0 ? 0 : round(sorted[Math.min(n - 1, Math.ceil(q * n) - 1)]));
    return {
      startedAt: this.startedAt,
      ...this.counters,
      rejectedByReason: { ...this.reasons },
      byOperation: structuredClone(this.operations),
      handlingMs: { p50: at(0.5), p99: at(0.99), samples: n },
    };
  }

  /** The latest SendHeartbeat exchanges, newest last. */
  recentHeartbeats(limit = RECENT): EndpointEvent[] {
    const n = Math.min(Math.max(0, limit), this.heartbeats.length);
    const out: EndpointEvent[] = [];
    for (let i = this.heartbeatCount - n; i < this.heartbeatCount; i++) out.push(this.heartbeats[i % RECENT]);
    return out;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reset(): void {
    this.startedAt = new Date().toISOString();
    this.counters = { received: 0, accepted: 0, rejected: 0, faultsInjected: 0 };
    this.reasons = {};
    this.operations = {};
    this.durationCount = 0;
    this.heartbeats = [];
    this.heartbeatCount = 0;
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
