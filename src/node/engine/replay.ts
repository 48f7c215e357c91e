/**
 * Replays payloads through the engine with N sends in flight and an optional rate cap; stops cleanly
 * when its signal aborts (Ctrl+C), cancelling sends in flight, and always returns a summary. Each
 * send's result can be had as it counts (onResult: a run's per-item results, docs/runs.md), and a
 * gate holds back new sends (a run's Pause).
 */
import type { Credentials } from '../credentials/credentials.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import type { ObservedOutcome } from '../../common/capture/api-types.ts';
import { observedOutcome } from '../../common/capture/compare.ts';
import { mayHavePlaceholders, unresolvedSentence, type VariableResolver } from '../../common/variables/resolve.ts';
import { createSigner } from '../signing/sign.ts';
import type { ReplayItem, ReplayProblem } from './payloads.ts';
import { createRewriter, type RewriteOptions } from './rewrite.ts';
import { send, type Engine, type SendHandle, type EngineResult } from './send.ts';

/** One sent item's result, as it counts (its history lines are durable). */
export interface ReplayResult<T extends ReplayItem = ReplayItem> {
  /**
   * 0-based place of the item in the input, as taken from it (unreadable lines, which are taken too,
   * have places of their own): the order of the failures' list.
   */
  position: number;
  /** The item as the input gave it (a CaptureItem stays one: its index, line and recorded outcome are there). */
  item: T;
  outcome: ObservedOutcome;
  /** From the first attempt to the answer, backoff waits included (what p50/p99 are of). */
  latencyMs: number;
  attempts: number;
  /** The send's history entry; undefined when the engine records no history. */
  historyId?: string;
}

export interface ReplayOptions<T extends ReplayItem = ReplayItem> {
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
  /** Attempts per send (1: no retry); default the engine's. */
  maxAttempts?: number;
  /**
   * Resolves `{{…}}` in each body after its rewrites, before signing (docs/variables.md); an item with a
   * placeholder it cannot resolve is not sent and fails as `unresolved-variable`.
   */
  variables?: VariableResolver;
  /**
   * Called once per sent item when its result counts: after its history lines are durable, where the
   * summary counts it (so never for an unreadable line, nor in a dry run). Keep it quick: it runs on
   * the replay's hot path.
   */
  onResult?(result: ReplayResult<T>): void;
  /**
   * Asked by each worker before it takes the next item (and again before a send held back by the
   * rate): while the promise it returns is pending nothing new starts; sends in flight finish. The
   * replay's signal still stops it. Time spent with a worker held here is left out of elapsedMs and
   * the rate, and the rate's schedule restarts after it (no burst to catch up).
   */
  gate?: () => Promise<void> | undefined;
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
 * finished), and sent = items - failedByType.unreadable - failedByType['unresolved-variable']
 * (payloads handed to the transport, or signed in a dry run).
 */
export interface ReplaySummary {
  items: number;
  /** Payloads handed to the transport (or signed, in a dry run). */
  sent: number;
  ok: number;
  failed: number;
  /**
   * Error type, `transport:<code>`, `cancelled`, `unreadable` for lines that are not payloads, or
   * `unresolved-variable` for payloads with a placeholder that has no value (not sent).
   */
  failedByType: Record<string, number>;
  /** The failed items in input order: all of them, or the first maxFailuresListed. */
  failures: ReplayFailure[];
  p50Ms?: number;
  p99Ms?: number;
  ratePerSecond: number;
  /** Wall time of the replay, less the time it was held by the gate (paused). */
  elapsedMs: number;
  stopped: boolean;
  dryRun: boolean;
}

function percentile(sorted: Float64Array, p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function replay<T extends ReplayItem>(
  engine: Engine,
  items: AsyncIterable<T | ReplayProblem>,
  options: ReplayOptions<T>,
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
  const { gate, onResult } = options;
  const recordsHistory = engine.history !== undefined;

  // The gate (Pause): workers held, how long the replay was held, and where the rate's schedule starts.
  let held = 0;
  let heldSince = 0;
  let pausedMs = 0;
  let schedule = { at: started, sequence: 0 };
  let aborted: Promise<void> | undefined;
  const whenAborted = (signal: AbortSignal): Promise<void> =>
    (aborted ??= new Promise((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    }));
  const hold = async (waiting: Promise<void>): Promise<void> => {
    if (held++ === 0) heldSince = performance.now();
    try {
      await (options.signal ? Promise.race([waiting, whenAborted(options.signal)]) : waiting);
    } finally {
      if (--held === 0) {
        const now = performance.now();
        pausedMs += now - heldSince;
        // Items taken but not yet sent (held for their slot) go first, a slot apart, from now.
        schedule = { at: now, sequence: counts.sent };
      }
    }
  };
  /** Waits for the item's slot under the rate cap; paused meanwhile, it waits for its slot in the schedule that starts at the resume. */
  const waitForSlot = async (sequence: number, rate: number): Promise<void> => {
    const signal = options.signal ?? new AbortController().signal;
    const due = (): number => schedule.at + ((sequence - 1 - schedule.sequence) * 1000) / rate;
    let wait = due() - performance.now();
    if (wait > 0) await engine.sleep(wait, signal);
    if (signal.aborted || !gate) return;
    const waiting = gate();
    if (!waiting) return;
    await hold(waiting);
    wait = due() - performance.now();
    if (wait > 0 && !signal.aborted) await engine.sleep(wait, signal);
  };

  /** Sends answered whose lines are not yet durable: counted when they are. */
  const settling = new Set<Promise<void>>();
  /** A history write that failed, or onResult that threw: the replay stops and throws it. */
  let writeFailure: unknown;

  const worker = async (): Promise<void> => {
    while (!options.signal?.aborted && writeFailure === undefined) {
      const waiting = gate?.();
      if (waiting) {
        // Once it settles the worker goes on (a gate that answers with settled promises cannot spin it).
        await hold(waiting);
        if (options.signal?.aborted) break;
      }
      const next = await iterator.next();
      if (next.done) return;
      const index = counts.read++;
      if ('problem' in next.value) {
        const problem = next.value as ReplayProblem;
        fail(index, { source: problem.source, errorType: 'unreadable', message: problem.problem });
        progress();
        continue;
      }
      const item = next.value as T;
      const sequence = ++counts.taken;
      if (options.ratePerSecond) {
        await waitForSlot(sequence, options.ratePerSecond);
        if (options.signal?.aborted) return;
      }
      let body = rewrite(item, sequence);
      // Variables (docs/variables.md): resolved after the rewrites, so {{device}} is the DeviceName as sent.
      if (options.variables && mayHavePlaceholders(body)) {
        const resolved = options.variables(body, { operation: item.operation });
        if (resolved.problems.length > 0) {
          fail(index, { source: item.source, errorType: 'unresolved-variable', message: unresolvedSentence(resolved.problems) });
          progress();
          continue;
        }
        body = resolved.text;
      }
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
          ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
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
            const latencyMs = tally(index, item.source, result);
            if (onResult)
              try {
                onResult({
                  position: index,
                  item,
                  outcome: observedOutcome(result.outcome),
                  latencyMs,
                  attempts: result.attempts.length,
                  ...(recordsHistory ? { historyId: result.id } : {}),
                });
              } catch (error) {
                // The caller's failure stops the replay and is what replay() throws, as a history write's.
                writeFailure ??= error;
                stop();
                return;
              }
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
  /** Counts a send's result; returns its latency (first attempt to answer, backoff included). */
  const tally = (index: number, source: string, result: EngineResult): number => {
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
    return total;
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
    while (settling.size > 0) await Promise.all(settling);
  } finally {
    options.signal?.removeEventListener('abort', stop);
    await iterator.return?.(undefined);
  }
  if (writeFailure !== undefined) throw writeFailure;
  const elapsedMs = performance.now() - started - pausedMs;
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
