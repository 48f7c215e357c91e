/**
 * A fleet run in a worker thread of the app's host (src/node/fleet/worker-run.ts, docs/fleet.md): the
 * host's fleet service drives it as it drives a run in its own thread — live events with every device's
 * state, the device list, a device in detail (its heartbeat and deployment history), pause, resume, the
 * run log (written by the worker), the summary — and the devices can still be asked about once it has
 * ended; a big run against the app's endpoint goes to a worker, a small one or another target stays.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetState } from '../../../src/common/api.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';
import type { FleetRunSummary } from '../../../src/common/fleet/summary.ts';
import { startEndpoint, type RunningEndpoint } from '../../../src/node/endpoint/index.ts';
import { ELECTRON_FLEET_WORKER, fleetWorkerEntry } from '../../../src/node/fleet/worker-run.ts';
import { createEventHub } from '../../../src/node/host/events.ts';
import { createFleetService, FLEET_WORKER_MIN_DEVICES, type FleetServiceDeps } from '../../../src/node/host/fleet-service.ts';
import { createSendService, type SendService } from '../../../src/node/services/send-service.ts';
import { createTransport } from '../../../src/node/transport/dispatcher.ts';

const SCENARIO = `name: in-worker
seed: 3
fleets:
  - name: worker-fleet
    devices: 30
    deviceName: 'w-{n:02}'
    interval: 500ms
    deploymentPoll: 1s
    applyTime: 200ms
    failureRate: 1
    agentMetrics:
      - { dimension: agent, name: CpuUtilization, value: { uniform: { min: 0, max: 100 } } }
    models:
      - { name: detector, version: '1.0' }
`;

const ROOT = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'hb-fleet-worker-'));
let endpoint: RunningEndpoint;
let sends: SendService;
beforeAll(async () => {
  endpoint = await startEndpoint({
    config: {
      fleets: [
        {
          name: 'worker-fleet',
          deployments: [
            {
              DeploymentName: 'detector-2',
              Type: 'Model',
              FailureHandlingPolicy: 'ROLLBACK_ON_FAILURE',
              Definitions: [{ ModelHandle: 'detector', S3Url: 's3://m/detector-2.0.tgz', State: 'DEPLOY' }],
            },
          ],
        },
      ],
    },
  });
  sends = createSendService({ transport: await createTransport({ env: {} }) });
});
afterAll(async () => {
  await sends?.close();
  await endpoint?.close();
  rmSync(dir, { recursive: true, force: true });
});

function service(extra: Partial<FleetServiceDeps> = {}) {
  const events = createEventHub();
  const seen: Array<{ state: FleetState; devices: string }> = [];
  events.subscribe((e) => {
    if (e.type === 'fleet') seen.push({ state: e.state, devices: e.devices });
  });
  const recorded: FleetRunSummary[] = [];
  const fleet = createFleetService({
    sends,
    endpoint,
    events,
    targetOf: () => ({ kind: 'local', url: endpoint.url, region: endpoint.region }),
    credentialsOf: async () => DEMO_CREDENTIALS,
    historyDir: () => dir,
    recordRun: async (summary) => {
      recorded.push(summary);
      return `entry-${recorded.length}`;
    },
    ...extra,
  });
  return { api: fleet.api, close: fleet.close, seen, recorded };
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a fleet run in a worker thread of the host', () => {
  it('can find its code from the sources (through tsx)', () => {
    expect(fleetWorkerEntry()).toMatchObject({ code: expect.stringContaining('worker.ts') });
  });

  it('runs like one in the host thread: events, devices, a device in detail, pause and resume, run log, summary', async () => {
    let asked = 0;
    const { api, close, seen, recorded } = service({
      runIn: 'worker',
      workerEntry: () => {
        asked++;
        return fleetWorkerEntry();
      },
    });
    try {
      const started = await api.start({ scenario: SCENARIO, target: { kind: 'local' }, credentials: { kind: 'demo' }, durationMs: 6000 });
      expect(asked).toBe(1);
      expect(started).toMatchObject({ state: 'running', scenario: 'in-worker', stats: { devices: 30 } });
      // Every device healthy or deploying, as the events tell it: one character a device.
      const healthy = await until(
        async () => seen.at(-1)?.devices ?? '',
        (codes) => codes.length === 30 && /^[hd]+$/.test(codes),
      );
      expect(healthy).toMatch(/^[hd]{30}$/);
      const devices = await api.devices();
      expect(devices.map((d) => d.name)).toEqual(Array.from({ length: 30 }, (_, i) => `w-${String(i + 1).padStart(2, '0')}`));
      // A device in detail: watched from the first ask, its next heartbeat; every apply fails and rolls back.
      await api.device('w-07');
      const detail = await until(
        () => api.device('w-07'),
        (d) => d?.lastHeartbeat !== undefined && (d?.deployments.length ?? 0) > 0,
      );
      expect(detail?.lastHeartbeat).toMatchObject({ DeviceName: 'w-07', DeviceFleetName: 'worker-fleet' });
      expect(detail?.deployments[0]).toMatchObject({ name: 'detector-2', status: 'FAIL', rolledBack: true });
      expect(await api.device('nobody')).toBeUndefined();

      expect((await api.pause())?.state).toBe('paused');
      const sentAt = (await api.state())!.stats.operations.SendHeartbeat.sent;
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect((await api.state())!.stats.operations.SendHeartbeat.sent).toBe(sentAt);
      expect((await api.resume())?.state).toBe('running');

      const finished = await until(
        () => api.state(),
        (s) => s?.state === 'finished',
      );
      expect(finished?.summary).toMatchObject({ scenario: 'in-worker', totals: { failed: 0 }, deployments: { failed: 30 } });
      expect(finished?.historyId).toBe('entry-1');
      expect(recorded).toHaveLength(1);
      expect(seen.at(-1)?.state.state).toBe('finished');
      // The run log, written by the worker: one line per request.
      const lines = readFileSync(finished!.summary!.runLog!, 'utf8').trim().split('\n');
      expect(lines.length).toBe(finished!.summary!.totals.sent);
      // Once ended, its devices can still be asked about (the view reads them for the last time).
      expect((await api.devices()).filter((d) => d.lastDeployment?.status === 'FAIL')).toHaveLength(30);
      expect((await api.device('w-07'))?.deployments[0]?.status).toBe('FAIL');
    } finally {
      await close();
    }
  }, 40_000);

  it("the desktop build's own worker bundle (dist/electron/fleet-worker.cjs, found beside main.cjs in Electron) runs a run", async () => {
    const main = join(ROOT, 'dist', 'electron', 'main.cjs');
    const entry = fleetWorkerEntry(pathToFileURL(main).href, '45.0.0');
    expect(entry, 'run "npm run build" first').toEqual({ file: join(ROOT, 'dist', 'electron', ELECTRON_FLEET_WORKER) });
    // Elsewhere a bundle is its own worker, and Electron without the worker's bundle keeps runs in its thread.
    expect(fleetWorkerEntry('file:///opt/hb/dist/cli-commands/ui.cjs', undefined)).toEqual({ file: '/opt/hb/dist/cli-commands/ui.cjs' });
    expect(fleetWorkerEntry(pathToFileURL(join(dir, 'main.cjs')).href, '45.0.0')).toBeUndefined();
    const { api, close, recorded } = service({ runIn: 'worker', workerEntry: () => entry });
    try {
      await api.start({ scenario: SCENARIO, target: { kind: 'local' }, credentials: { kind: 'demo' }, durationMs: 2500 });
      const finished = await until(
        () => api.state(),
        (s) => s?.state === 'finished',
      );
      expect(finished?.summary).toMatchObject({ scenario: 'in-worker', devices: 30, totals: { failed: 0 } });
      expect(finished!.summary!.totals.sent).toBeGreaterThanOrEqual(60);
      expect(recorded).toHaveLength(1);
      const lines = readFileSync(finished!.summary!.runLog!, 'utf8').trim().split('\n');
      expect(lines.length).toBe(finished!.summary!.totals.sent);
    } finally {
      await close();
    }
  }, 30_000);

  it('goes to a worker by itself only for a big run against the app endpoint; without a worker the run stays in the host thread', async () => {
    let asked = 0;
    const { api, close } = service({
      workerEntry: () => {
        asked++;
        return undefined;
      },
    });
    try {
      await api.start({ scenario: SCENARIO, target: { kind: 'local' }, credentials: { kind: 'demo' }, durationMs: 300 });
      expect(asked).toBe(0); // 30 devices
      await until(
        () => api.state(),
        (s) => s?.state === 'finished',
      );
      const big = SCENARIO.replace('devices: 30', `devices: ${FLEET_WORKER_MIN_DEVICES}`).replace('interval: 500ms', 'interval: 1h');
      await api.start({ scenario: big, target: { kind: 'local' }, credentials: { kind: 'demo' }, durationMs: 300 });
      expect(asked).toBe(1); // no worker to be had: in the host thread, and it runs
      const state = await until(
        () => api.state(),
        (s) => s?.state === 'finished',
      );
      expect(state?.summary?.devices).toBe(FLEET_WORKER_MIN_DEVICES);
    } finally {
      await close();
    }
  }, 30_000);
});
