/**
 * The one way to send (docs/architecture.md#where-a-new-feature-goes-the-fleet-simulator-worked-through):
 * an engine (SigV4 core, transport, retries, history) over a transport that settings may replace, with
 * a short-lived pool for a send that asks for its own timeout. The app's host, `heartbeat send` and
 * `heartbeat replay` all send through it, and so does a fleet run (without history: a run writes its own
 * run log and one summary entry, docs/fleet.md).
 */
import type { ReplayItem, ReplayProblem } from '../engine/payloads.ts';
import { replay, type ReplayOptions, type ReplaySummary } from '../engine/replay.ts';
import { createEngine, send, type Engine, type HistorySink, type SendHandle, type SendInput } from '../engine/send.ts';
import { createTransport, type Transport, type TransportOptions } from '../transport/dispatcher.ts';
import { startFleetRun, type FleetRun, type FleetRunOptions } from '../fleet/run.ts';

export interface SendServiceOptions {
  transport: Transport;
  history?: HistorySink;
  /** Attempts per send unless a send says otherwise (default: the standard retry mode's 3). */
  maxAttempts?: number;
  /** How to make a pool for a send with its own timeout (default: createTransport with that timeout). */
  transportFor?: (timeoutMs: number) => Promise<Transport>;
}

export interface SendService {
  /** Sends one request; `timeoutMs` other than the pool's gets a pool of its own for this send. */
  send(input: SendInput & { timeoutMs?: number }): Promise<SendHandle>;
  /**
   * Replays items through this service's transport; `history` replaces the service's history sink for
   * this replay (the app's runs record without waiting for the history's index, docs/runs.md).
   */
  replay<T extends ReplayItem>(
    items: AsyncIterable<T | ReplayProblem>,
    options: ReplayOptions<T>,
    history?: HistorySink,
  ): Promise<ReplaySummary>;
  /** Starts a fleet run over this service's transport; its requests are not written to the history. */
  fleet(options: FleetRunOptions): FleetRun;
  /** Sends from now on use `transport` (settings changed); the previous one is closed. */
  useTransport(transport: Transport): void;
  readonly transport: Transport;
  close(): Promise<void>;
}

export function createSendService(options: SendServiceOptions): SendService {
  let transport = options.transport;
  const engineFor = (t: Transport, history = options.history): Engine =>
    createEngine({
      transport: t,
      ...(history ? { history } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
  let engine = engineFor(transport);
  const transportFor =
    options.transportFor ??
    ((timeoutMs: number) => createTransport({ connectTimeoutMs: timeoutMs, readTimeoutMs: timeoutMs } satisfies TransportOptions));
  return {
    get transport() {
      return transport;
    },
    async send({ timeoutMs, ...input }) {
      if (timeoutMs === undefined || timeoutMs === transport.readTimeoutMs) return send(engine, input);
      const oneOff = await transportFor(timeoutMs);
      const handle = send(engineFor(oneOff), input);
      void handle.response.finally(() => oneOff.close()).catch(() => undefined);
      return handle;
    },
    replay: (items, replayOptions, history) => replay(history ? engineFor(transport, history) : engine, items, replayOptions),
    fleet: (runOptions) =>
      startFleetRun(createEngine({ transport, ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}) }), runOptions),
    useTransport(next) {
      const old = transport;
      transport = next;
      engine = engineFor(next);
      void old.close();
    },
    close: () => transport.close(),
  };
}
