/**
 * Replays payloads through the engine with N sends in flight and an optional rate cap; stops cleanly
 * when its signal aborts (Ctrl+C), cancelling sends in flight, and always returns a summary.
 */
import type { Credentials } from '../credentials/credentials.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import { createSigner } from '../signing/sign.ts';
import type { ReplayItem, ReplayProblem } from './payloads.ts';
import { createRewriter, type RewriteOptions } from './rewrite.ts';
import { send, type Engine, type SendHandle } from './send.ts';

export interface ReplayOptions {
  target: TargetRecord;
  credentials: Credentials;
  concurrency?: number;
  /** Sends per second at most. */
  ratePerSecond?: number;
  rewrite?: RewriteOptions;
  /** Sign but do not send (and record nothing). */
  dryRun?: boolean;
  signal?: AbortSignal;
  tags?: string[];
  onProgress?(progress: ReplayProgress): void;
}

export interface ReplayProgress {
  done: number;
  ok: number;
  failed: number;
}

export interface ReplaySummary {
  /** Payloads handed to the transport (or signed, in a dry run). */
  sent: number;
  ok: number;
  failed: number;
  /** Error type, `transport:<code>`, `cancelled`, or `unreadable` for lines that are not payloads. */
  failedByType: Record<string, number>;
  p50Ms?: number;
  p99Ms?: number;
  ratePerSecond: number;
  elapsedMs: number;
  stopped: boolean;
  dryRun: boolean;
}

function percentile(sorted: Float64Array, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function replay(engine: Engine, items: AsyncIterable<ReplayItem | ReplayProblem>, options: ReplayOptions): Promise<ReplaySummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const rewrite = createRewriter(options.rewrite ?? {});
  const failedByType: Record<string, number> = {};
  const latencies: number[] = [];
  const inFlight = new Set<SendHandle>();
  const counts = { sent: 0, ok: 0, failed: 0, taken: 0 };
  const fail = (type: string): void => {
    counts.failed++;
    failedByType[type] = (failedByType[type] ?? 0) + 1;
  };
  const started = performance.now();
  const stop = (): void => {
    for (const handle of inFlight) handle.cancel();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const iterator = items[Symbol.asyncIterator]();
  const signer = options.dryRun ? createSigner(options.credentials, { region: options.target.region }) : undefined;

  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted) {
      const next = await iterator.next();
      if (next.done) return;
      const item = next.value;
      if ('problem' in item) {
        fail('unreadable');
        continue;
      }
      const sequence = ++counts.taken;
      if (options.ratePerSecond) {
        const due = started + ((sequence - 1) * 1000) / options.ratePerSecond;
        const wait = due - performance.now();
        if (wait > 0) await engine.sleep(wait, options.signal ?? new AbortController().signal);
        if (options.signal?.aborted) return;
      }
      const body = rewrite(item, sequence);
      counts.sent++;
      if (signer) {
        await signer.sign({ method: 'POST', url: `${options.target.url}/${item.operation}`, headers: { 'content-type': 'application/json' }, body }, { report: false });
        counts.ok++;
      } else {
        const handle = send(engine, { operation: item.operation, body, target: options.target, credentials: options.credentials, report: false, ...(options.tags ? { tags: options.tags } : {}) });
        inFlight.add(handle);
        try {
          const result = await handle.response;
          const total = result.attempts.reduce((sum, a) => sum + a.durationMs + (a.delayMs ?? 0), 0);
          const outcome = result.outcome;
          if (outcome.kind === 'success') {
            counts.ok++;
            latencies.push(total);
          } else if (outcome.kind === 'service-error') {
            fail(outcome.errorType);
            latencies.push(total);
          } else if (outcome.kind === 'transport-error') fail(`transport:${outcome.code}`);
          else fail('cancelled');
        } finally {
          inFlight.delete(handle);
        }
      }
      options.onProgress?.({ done: counts.ok + counts.failed, ok: counts.ok, failed: counts.failed });
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await iterator.return?.(undefined);
  }
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  return {
    sent: counts.sent,
    ok: counts.ok,
    failed: counts.failed,
    failedByType,
    ...(p50 !== undefined ? { p50Ms: Math.round(p50 * 100) / 100 } : {}),
    ...(p99 !== undefined ? { p99Ms: Math.round(p99 * 100) / 100 } : {}),
    ratePerSecond: elapsedMs > 0 ? Math.round((counts.sent / elapsedMs) * 1000 * 10) / 10 : 0,
    elapsedMs: Math.round(elapsedMs),
    stopped: Boolean(options.signal?.aborted),
    dryRun: Boolean(options.dryRun),
  };
}
