/**
 * HeartbeatApi's `runs` (docs/runs.md#the-run-view): replays a capture's items (all, or some, e.g. a run's
 * failed ones) through the one send service — signed, sent, retried and recorded in the history like
 * `heartbeat replay` — and keeps each item's result, compared with what the capture recorded and checked
 * against the run's expectation. Results reach windows in batches (`run` events, at most 4 a second).
 */
import { randomUUID } from 'node:crypto';
import type { CredentialRef, ExportedFile, HeartbeatApi, TargetRecord, TargetSpec } from '../../common/api.ts';
import type { RunItemResult, RunStartRequest, RunState } from '../../common/capture/api-types.ts';
import { judge } from '../../common/capture/compare.ts';
import type { Credentials } from '../credentials/credentials.ts';
import type { ReplayItem } from '../engine/payloads.ts';
import type { SendService } from '../services/send-service.ts';
import type { HistorySink } from '../engine/send.ts';
import type { CaptureService, RunResults } from './capture-service.ts';
import type { EventHub } from './events.ts';
import { HostError, sentenceOf } from './host-error.ts';
import { runReport } from './run-report.ts';

/** At most this many run events a second per run. */
const EVENT_INTERVAL_MS = 250;
/** Finished runs kept (their results stay filterable and exportable). */
const RUNS_KEPT = 8;

interface Run extends RunResults {
  state: RunState;
  /** By capture index. */
  results: Map<number, RunItemResult>;
  pending: RunItemResult[];
  abort: AbortController;
  resumed?: () => void;
  paused?: Promise<void>;
  done: Promise<void>;
  started: number;
  lastEvent: number;
}

export interface RunService {
  api: HeartbeatApi['runs'];
  results(id: string): RunResults | undefined;
  /** Cancels the runs of a capture being closed. */
  captureClosing(captureId: string): void;
  close(): Promise<void>;
}

export function createRunService(deps: {
  sends: SendService;
  events: EventHub;
  captures: () => CaptureService;
  targetOf(spec: TargetSpec): TargetRecord;
  credentialsOf(ref: CredentialRef): Promise<Credentials>;
  /** The host's attempts per send (a run's default, as the composer's sends). */
  maxAttempts(): number;
  /** Where a run's sends are recorded: the history, without waiting for its index (docs/runs.md#performance). */
  history: HistorySink;
}): RunService {
  const runs = new Map<string, Run>();

  const find = (id: string): Run => {
    const run = runs.get(id);
    if (!run) throw new HostError('There is no run by that id.');
    return run;
  };
  const snapshot = (run: Run): RunState => ({
    ...run.state,
    failedByType: { ...run.state.failedByType },
    elapsedMs:
      run.state.state === 'running' || run.state.state === 'paused' ? Math.round(performance.now() - run.started) : run.state.elapsedMs,
  });
  const emit = (run: Run, force = false): void => {
    const now = Date.now();
    if (!force && now - run.lastEvent < EVENT_INTERVAL_MS) return;
    run.lastEvent = now;
    const results = run.pending;
    run.pending = [];
    deps.events.emit({ type: 'run', state: snapshot(run), results });
  };
  const forget = (): void => {
    const finished = [...runs.values()].filter((r) => !['running', 'paused', 'cancelling'].includes(r.state.state));
    for (const run of finished.slice(0, Math.max(0, finished.length - RUNS_KEPT))) runs.delete(run.state.id);
  };

  const api: HeartbeatApi['runs'] = {
    async start(request: RunStartRequest) {
      const capture = deps.captures().get(request.captureId);
      if (!capture) throw new HostError('There is no open capture by that id: open the file again.');
      if (capture.info.state !== 'ready')
        throw new HostError(`${capture.info.name} is still being read: start the run once it is read whole.`);
      if ([...runs.values()].some((r) => r.captureId === request.captureId && ['running', 'paused', 'cancelling'].includes(r.state.state)))
        throw new HostError('A run of this capture is under way: cancel it or wait for it to end.');
      const indexes = request.items ?? capture.items.map((item) => item.index);
      for (const index of indexes)
        if (index >= capture.items.length) throw new HostError(`Item ${index} is not in the capture (it has ${capture.items.length}).`);
      if (indexes.length === 0) throw new HostError('Nothing to run: the capture has no runnable item.');
      const base = request.base !== undefined ? runs.get(request.base) : undefined;
      if (request.base !== undefined && (!base || base.captureId !== request.captureId))
        throw new HostError('The run to re-run is no longer kept (or is of another capture): start a whole run.');
      const target = deps.targetOf(request.target);
      const credentials = await deps.credentialsOf(request.credentials);
      const id = randomUUID();
      let resolveDone!: () => void;
      const run: Run = {
        captureId: request.captureId,
        state: {
          id,
          captureId: request.captureId,
          state: 'running',
          startedAt: new Date().toISOString(),
          ...(request.expect !== undefined ? { expect: request.expect } : {}),
          total: indexes.length,
          done: 0,
          ok: 0,
          failed: 0,
          same: 0,
          differs: 0,
          expectationFailed: 0,
          failedByType: {},
          ratePerSecond: 0,
          elapsedMs: 0,
        },
        // A re-run starts from its base run's results; each item it sends replaces that item's.
        results: new Map(base?.results),
        pending: [],
        abort: new AbortController(),
        done: new Promise((resolve) => (resolveDone = resolve)),
        started: performance.now(),
        lastEvent: 0,
        result: (index) => run.results.get(index),
        matching(filter) {
          const out: number[] = [];
          for (const [index, r] of run.results)
            if (filter === 'failed' ? r.outcome.kind !== 'success' || r.passed === false : r.comparison?.same === false) out.push(index);
          return out.sort((a, b) => a - b);
        },
      };
      runs.set(id, run);
      capture.busy = true;
      const items = capture.items;
      async function* source(): AsyncGenerator<ReplayItem> {
        for (const index of indexes) {
          const item = items[index]!;
          yield { operation: item.operation, body: item.body, source: item.source };
        }
      }
      const tally = (
        position: number,
        outcome: RunItemResult['outcome'],
        latencyMs: number,
        attempts: number,
        historyId?: string,
      ): void => {
        const index = indexes[position]!;
        const recorded = items[index]!.recorded;
        const { comparison, passed } = judge(outcome, recorded, request.expect);
        const result: RunItemResult = {
          index,
          outcome,
          latencyMs: Math.round(latencyMs * 100) / 100,
          attempts,
          ...(historyId ? { historyId } : {}),
          ...(comparison ? { comparison } : {}),
          ...(passed !== undefined ? { passed } : {}),
        };
        run.results.set(index, result);
        run.pending.push(result);
        const s = run.state;
        s.done++;
        if (outcome.kind === 'success') s.ok++;
        else {
          s.failed++;
          const type = outcome.kind === 'cancelled' ? 'cancelled' : (outcome.errorType ?? outcome.kind);
          s.failedByType[type] = (s.failedByType[type] ?? 0) + 1;
        }
        if (comparison?.same) s.same++;
        else if (comparison) s.differs++;
        if (passed === false) s.expectationFailed++;
        const elapsed = performance.now() - run.started;
        s.ratePerSecond = elapsed > 0 ? Math.round((s.done / elapsed) * 1000 * 10) / 10 : 0;
        emit(run);
      };
      void deps.sends
        .replay(
          source(),
          {
            target,
            credentials,
            concurrency: request.concurrency ?? 8,
            maxAttempts: request.maxAttempts ?? deps.maxAttempts(),
            ...(request.ratePerSecond ? { ratePerSecond: request.ratePerSecond } : {}),
            rewrite: {
              ...(request.timestamps && request.timestamps !== 'keep' ? { timestamps: request.timestamps } : {}),
              ...(request.deviceName ? { deviceName: request.deviceName } : {}),
              ...(request.fleetName ? { fleetName: request.fleetName } : {}),
            },
            signal: run.abort.signal,
            tags: ['replay', 'app-run'],
            gate: () => run.paused,
            onResult: (r) => tally(r.position, r.outcome, r.latencyMs, r.attempts, r.historyId),
          },
          deps.history,
        )
        .then(
          (summary) => {
            run.state.state = run.abort.signal.aborted ? 'cancelled' : 'finished';
            run.state.elapsedMs = summary.elapsedMs;
            if (summary.p50Ms !== undefined) run.state.p50Ms = summary.p50Ms;
            if (summary.p99Ms !== undefined) run.state.p99Ms = summary.p99Ms;
          },
          (error: unknown) => {
            run.state.state = 'failed';
            run.state.error = sentenceOf(error);
            run.state.elapsedMs = Math.round(performance.now() - run.started);
          },
        )
        .finally(() => {
          capture.busy = [...runs.values()].some((r) => r !== run && r.captureId === run.captureId && r.state.state === 'running');
          delete run.paused;
          run.resumed?.();
          emit(run, true);
          forget();
          resolveDone();
        });
      emit(run, true);
      return snapshot(run);
    },
    async pause(id) {
      const run = runs.get(id);
      if (!run || run.state.state !== 'running') return run ? snapshot(run) : undefined;
      run.paused = new Promise((resolve) => (run.resumed = resolve));
      run.state.state = 'paused';
      emit(run, true);
      return snapshot(run);
    },
    async resume(id) {
      const run = runs.get(id);
      if (!run || run.state.state !== 'paused') return run ? snapshot(run) : undefined;
      delete run.paused;
      run.resumed?.();
      run.state.state = 'running';
      emit(run, true);
      return snapshot(run);
    },
    async cancel(id) {
      const run = runs.get(id);
      if (!run) return undefined;
      if (run.state.state === 'running' || run.state.state === 'paused') {
        run.state.state = 'cancelling';
        run.abort.abort();
        delete run.paused;
        run.resumed?.();
        emit(run, true);
      }
      await run.done;
      return snapshot(run);
    },
    async state(id) {
      const run = runs.get(id);
      return run ? snapshot(run) : undefined;
    },
    async export(id, format): Promise<ExportedFile> {
      const run = find(id);
      const capture = deps.captures().get(run.captureId);
      if (!capture) throw new HostError("The run's capture is closed: its results cannot be exported any more.");
      return runReport(snapshot(run), capture, run.results, format);
    },
  };
  return {
    api,
    results: (id) => runs.get(id),
    captureClosing(captureId) {
      for (const run of runs.values()) if (run.captureId === captureId) void api.cancel(run.state.id);
    },
    async close() {
      await Promise.all([...runs.values()].map((run) => api.cancel(run.state.id)));
    },
  };
}
