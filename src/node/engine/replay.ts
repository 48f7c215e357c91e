/**
 * Replays payloads through the engine with N sends in flight and an optional rate cap; stops cleanly
 * when its signal aborts (Ctrl+C), cancelling sends in flight, and always returns a summary.
 */
import type { Credentials } from '../credentials/credentials.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import { createSigner } from '../signing/sign.ts';
import type { ReplayItem, ReplayProblem } from './payloads.ts';
import { createRewriter, type RewriteOptions } from './rewrite.ts';
import { send, type Engine, type SendHandle, type EngineResult } from './send.ts';

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
  /** How many failures the summary lists (the first ones in input order; default: all). */
  maxFailuresListed?: number;
}

export interface ReplayProgress {
  /** Items finished: ok + failed. */
  done: number;
  ok: number;
  failed: number;
}

/** One item that failed: where it is in the input, and why. */
export interface ReplayFailure {
  /** file:line (`stdin:N` for standard input). */
  source: string;
  /** The HTTP status of a service error. */
  status?: number;
  /** The service's error type, `transport:<code>`, `cancelled`, or `unreadable`. */
  errorType: string;
  message: string;
}

/**
 * The counts add up: items = ok + failed (every payload or unreadable line taken from the input and
 * finished), and sent = items - failedByType.unreadable (payloads handed to the transport, or signed
 * in a dry run).
 */
export interface ReplaySummary {
  items: number;
  /** Payloads handed to the transport (or signed, in a dry run). */
  sent: number;
  ok: number;
  failed: number;
  /** Error type, `transport:<code>`, `cancelled`, or `unreadable` for lines that are not payloads. */
  failedByType: Record<string, number>;
  /** The failed items in input order: all of them, or the first maxFailuresListed. */
  failures: ReplayFailure[];
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

export async function replay(
  engine: Engine,
  items: AsyncIterable<ReplayItem | ReplayProblem>,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 8));
  const rewrite = createRewriter(options.rewrite ?? {});
  const failedByType: Record<string, number> = {};
  const latencies: number[] = [];
  const inFlight = new Set<SendHandle>();
  const counts = { sent: 0, ok: 0, failed: 0, taken: 0, read: 0 };
  const listed = options.maxFailuresListed ?? Infinity;
  // Kept with their place in the input; trimmed to the first `listed` now and then, so a cap bounds memory.
  let failures: Array<ReplayFailure & { index: number }> = [];
  const byInputOrder = (a: { index: number }, b: { index: number }): number => a.index - b.index;
  const fail = (index: number, failure: ReplayFailure): void => {
    counts.failed++;
    failedByType[failure.errorType] = (failedByType[failure.errorType] ?? 0) + 1;
    if (listed <= 0) return;
    failures.push({ index, ...failure });
    if (failures.length >= 2 * listed + 64) failures = failures.sort(byInputOrder).slice(0, listed);
  };
  const progress = (): void => options.onProgress?.({ done: counts.ok + counts.failed, ok: counts.ok, failed: counts.failed });
  const started = performance.now();
  const stop = (): void => {
    for (const handle of inFlight) handle.cancel();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const iterator = items[Symbol.asyncIterator]();
  const signer = options.dryRun ? createSigner(options.credentials, { region: options.target.region }) : undefined;

  /** Sends answered whose lines are not yet durable: counted when they are. */
  const settling = new Set<Promise<void>>();
  let writeFailure: unknown;

  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted && writeFailure === undefined) {
      const next = await iterator.next();
      if (next.done) return;
      const item = next.value;
      const index = counts.read++;
      if ('problem' in item) {
        fail(index, { source: item.source, errorType: 'unreadable', message: item.problem });
        progress();
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
        signer.sign(
          { method: 'POST', url: `${options.target.url}/${item.operation}`, headers: { 'content-type': 'application/json' }, body },
          { report: false },
        );
        counts.ok++;
      } else {
        const handle = send(engine, {
          operation: item.operation,
          body,
          target: options.target,
          credentials: options.credentials,
          report: false,
          ...(options.tags ? { tags: options.tags } : {}),
        });
        inFlight.add(handle);
        try {
          // The slot is free once the answer is in; the send counts once its lines are durable.
          await handle.answered;
        } finally {
          inFlight.delete(handle);
        }
        const counted = handle.response.then(
          (result) => {
            tally(index, item.source, result);
            progress();
          },
          (error: unknown) => {
            writeFailure ??= error;
            stop();
          },
        );
        settling.add(counted);
        void counted.finally(() => settling.delete(counted));
        continue;
      }
      progress();
    }
  };
  const tally = (index: number, source: string, result: EngineResult): void => {
    const total = result.attempts.reduce((sum, a) => sum + a.durationMs + (a.delayMs ?? 0), 0);
    const outcome = result.outcome;
    if (outcome.kind === 'success') {
      counts.ok++;
      latencies.push(total);
    } else if (outcome.kind === 'service-error') {
      fail(index, { source, status: outcome.status, errorType: outcome.errorType, message: outcome.message });
      latencies.push(total);
    } else if (outcome.kind === 'transport-error')
      fail(index, { source, errorType: `transport:${outcome.code}`, message: outcome.message });
    else fail(index, { source, errorType: 'cancelled', message: outcome.message });
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    while (settling.size > 0) await Promise.all(settling);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await iterator.return?.(undefined);
  }
  if (writeFailure !== undefined) throw writeFailure;
  const elapsedMs = performance.now() - started;
  const sorted = Float64Array.from(latencies).sort();
  const p50 = percentile(sorted, 50);
  const p99 = percentile(sorted, 99);
  return {
    items: counts.ok + counts.failed,
    sent: counts.sent,
    ok: counts.ok,
    failed: counts.failed,
    failedByType,
    failures: failures
      .sort(byInputOrder)
      .slice(0, listed)
      .map(({ index: _index, ...failure }) => failure),
    ...(p50 !== undefined ? { p50Ms: Math.round(p50 * 100) / 100 } : {}),
    ...(p99 !== undefined ? { p99Ms: Math.round(p99 * 100) / 100 } : {}),
    ratePerSecond: elapsedMs > 0 ? Math.round((counts.sent / elapsedMs) * 1000 * 10) / 10 : 0,
    elapsedMs: Math.round(elapsedMs),
    stopped: Boolean(options.signal?.aborted),
    dryRun: Boolean(options.dryRun),
  };
}
