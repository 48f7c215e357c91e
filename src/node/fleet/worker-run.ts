/**
 * A fleet run in a worker thread of the app's host (docs/fleet.md#the-simulator-in-a-worker-thread): the
 * devices, the signing and the sending run beside the host's thread, where the embedded endpoint answers
 * them, so the two share the machine's cores instead of one. The same FleetRunHandle as a run in the
 * host's thread; the host asks, the worker answers (worker.ts).
 *
 * Where the worker's code is: `fleetWorkerEntry` (the sources through tsx, or the host's own bundle),
 * or undefined where there is none: the run then stays in the host's thread.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FleetDevice, FleetDeviceDetail } from '../../common/fleet/api-types.ts';
import type { FleetRunStats, FleetRunSummary } from '../../common/fleet/summary.ts';
import type { FleetRunHandle } from './run-handle.ts';
import { FLEET_WORKER, type FleetWorkerData, type FromWorker, type ToWorker } from './worker-protocol.ts';

/** How to start the worker: a file to run, or code to evaluate (loading the sources through tsx). */
export type FleetWorkerEntry = { file: string } | { code: string };

/** The file the Electron build's worker is bundled into, beside main.cjs (vite.config.ts). */
export const ELECTRON_FLEET_WORKER = 'fleet-worker.cjs';

/**
 * Where the worker's code is: from the sources (this module is a .ts file), worker.ts loaded through tsx;
 * from a CommonJS bundle of the host (dist/cli-commands/ui.cjs: the fleet service imports worker.ts, so
 * the bundle holds it, and run as a worker with FLEET_WORKER in its workerData it serves a run), that
 * bundle itself; in Electron's main process (its bundle starts the desktop app, so it cannot be the worker),
 * the worker's own bundle beside it, ELECTRON_FLEET_WORKER (Electron reads it from the app's asar archive
 * in a worker too). Undefined where none is found (tsx missing, a build without the worker bundle): the run
 * then stays in the host's thread. `here` and `electron` are this module's URL and Electron's version.
 */
export function fleetWorkerEntry(
  here: string = typeof import.meta.url === 'string' ? import.meta.url : '',
  electron: string | undefined = process.versions.electron,
): FleetWorkerEntry | undefined {
  const bundle = here.startsWith('file:') && here.endsWith('.cjs') ? fileURLToPath(here) : undefined;
  if (electron) {
    const file = bundle && join(dirname(bundle), ELECTRON_FLEET_WORKER);
    return file && existsSync(file) ? { file } : undefined;
  }
  if (here.endsWith('.ts')) {
    try {
      // tsx's ES module entry (its CommonJS one cannot register the ES module hooks from a worker).
      const tsxPackage = createRequire(here).resolve('tsx/package.json');
      const tsx = pathToFileURL(join(dirname(tsxPackage), 'dist', 'esm', 'api', 'index.mjs')).href;
      if (!existsSync(new URL(tsx))) return undefined;
      const worker = new URL('./worker.ts', here).href;
      return {
        code: `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); })`,
      };
    } catch {
      return undefined;
    }
  }
  return bundle ? { file: bundle } : undefined;
}

export function startFleetWorker(entry: FleetWorkerEntry, data: Omit<FleetWorkerData, 'kind'>): FleetRunHandle {
  const workerData: FleetWorkerData = { kind: FLEET_WORKER, ...data };
  const worker = 'file' in entry ? new Worker(entry.file, { workerData }) : new Worker(entry.code, { eval: true, workerData });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let ended: Error | undefined;
  let resolveDone!: (summary: FleetRunSummary) => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<FleetRunSummary>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  // Commands sent before the worker started are queued by its port; questions wait for their answers.
  const ask = <T>(message: ToWorker & { id: number }): Promise<T> => {
    if (ended) return Promise.reject(ended);
    return new Promise<T>((resolve, reject) => {
      pending.set(message.id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage(message);
    });
  };
  const end = (error: Error): void => {
    ended ??= error;
    for (const p of pending.values()) p.reject(ended);
    pending.clear();
  };
  let settled = false;
  let disposed = false;
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'answer') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    } else if (m.type === 'done') {
      settled = true;
      // The finished run's worker waits for questions about its devices, keeping no process alive by itself.
      worker.unref();
      resolveDone(m.summary);
    } else if (m.type === 'failed') {
      settled = true;
      rejectDone(new Error(m.message));
      end(new Error(m.message));
      void worker.terminate();
    }
  });
  worker.on('error', (error) => {
    end(error);
    if (!settled) {
      settled = true;
      rejectDone(error);
    }
  });
  worker.on('exit', (code) => {
    const error = new Error(disposed ? 'The fleet run was forgotten.' : `The fleet run's worker thread stopped (exit code ${code}).`);
    end(error);
    if (!settled) {
      settled = true;
      rejectDone(error);
    }
  });
  const tell = (op: 'pause' | 'resume' | 'stop'): void => {
    if (!ended) worker.postMessage({ op } satisfies ToWorker);
  };
  return {
    where: 'worker',
    snapshot: (window) => ask<{ stats: FleetRunStats; statuses: string }>({ op: 'snapshot', id: nextId++, window }),
    devices: () => ask<FleetDevice[]>({ op: 'devices', id: nextId++ }),
    detail: (name) => ask<FleetDeviceDetail | undefined>({ op: 'detail', id: nextId++, name }),
    pause: () => tell('pause'),
    resume: () => tell('resume'),
    stop: () => tell('stop'),
    done,
    dispose() {
      disposed = true;
      void worker.terminate();
    },
  };
}
