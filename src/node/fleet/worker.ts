/**
 * The worker thread's side of a fleet run (worker-run.ts starts it): its own transport and send engine,
 * the run, its run log, and answers to the host's questions — so signing, building and sending
 * thousands of requests a second leave the host's thread (and the embedded endpoint in it) alone.
 * Started with FLEET_WORKER in its workerData; imported anywhere else it does nothing.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { createSendService } from '../services/send-service.ts';
import { createTransport } from '../transport/dispatcher.ts';
import { inThread } from './run-handle.ts';
import { openRunLog } from './run-log.ts';
import { FLEET_WORKER, type FleetWorkerData, type FromWorker, type ToWorker } from './worker-protocol.ts';

async function serve(data: FleetWorkerData, port: MessagePort): Promise<void> {
  const post = (message: FromWorker): void => port.postMessage(message);
  try {
    const transport = await createTransport(data.transport);
    const sends = createSendService({ transport, ...(data.maxAttempts ? { maxAttempts: data.maxAttempts } : {}) });
    const runLog = data.runLogPath ? await openRunLog(data.runLogPath) : undefined;
    const run = inThread(
      sends.fleet({
        scenario: data.scenario,
        target: data.target,
        credentials: data.credentials,
        ...(data.durationMs !== undefined ? { durationMs: data.durationMs } : {}),
        ...(data.rateLimit !== undefined ? { rateLimit: data.rateLimit } : {}),
        ...(runLog ? { runLog } : {}),
      }),
    );
    port.on('message', (m: ToWorker) => {
      if (m.op === 'pause' || m.op === 'resume' || m.op === 'stop') {
        run[m.op]();
        return;
      }
      const answer = m.op === 'snapshot' ? run.snapshot(m.window) : m.op === 'devices' ? run.devices() : run.detail(m.name);
      answer.then(
        (result) => post({ type: 'answer', id: m.id, result }),
        (error: unknown) => post({ type: 'answer', id: m.id, error: (error as Error).message }),
      );
    });
    post({ type: 'started' });
    // Once done, the worker stays to answer about the devices until the host ends it (dispose).
    run.done.then(
      async (summary) => {
        await sends.close().catch(() => undefined);
        post({ type: 'done', summary });
      },
      async (error: unknown) => {
        await sends.close().catch(() => undefined);
        post({ type: 'failed', message: (error as Error).message });
        port.close();
      },
    );
  } catch (error) {
    post({ type: 'failed', message: (error as Error).message });
    port.close();
  }
}

if (!isMainThread && parentPort && (workerData as { kind?: string } | null)?.kind === FLEET_WORKER)
  void serve(workerData as FleetWorkerData, parentPort);
