/**
 * The fleet view's I/O: start and stop runs with the top bar's target and credentials, follow the
 * host's `fleet` events, read the devices of a run, and poll the embedded endpoint's fleet report and
 * deployment plans while the view is open (every REPORT_REFRESH_MS). Failures come back as a sentence.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { DeploymentPlan, FaultSettings, FleetState } from '../../common/api.ts';
import { errorSentence } from '../platform/errors.ts';
import { useFleetStore } from '../stores/fleet.ts';
import { useSessionStore } from '../stores/session.ts';
import { useHostEvents } from './host-events.ts';
import { usePlatform } from './platform.ts';

export const REPORT_REFRESH_MS = 2000;

export interface FleetActions {
  /** Starts a run of this scenario text; resolves to a sentence when the host refuses it. */
  start(scenario: string, options?: { scale?: number; durationMs?: number }): Promise<string | undefined>;
  stop(): Promise<string | undefined>;
  /** Pauses a running run, resumes a paused one. */
  pauseOrResume(): Promise<string | undefined>;
  /** Reads the run's devices (names, fleets, models, last deployment). */
  loadDevices(): Promise<void>;
  /** Reads the selected device in detail (the host watches it from the first read). */
  loadDetail(): Promise<void>;
  createPlan(plan: DeploymentPlan): Promise<string | undefined>;
  cancelPlan(name: string): Promise<string | undefined>;
  /** Replaces the endpoint's faults; `forMs` puts the previous ones back after that long. */
  setFaults(faults: FaultSettings, forMs?: number): Promise<string | undefined>;
  refresh(): Promise<void>;
}

export function useFleet(): FleetActions {
  const { api } = usePlatform();
  const store = useFleetStore();
  const session = useSessionStore();
  let timer: ReturnType<typeof setInterval> | undefined;
  let restore: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  const attempt = async (work: () => Promise<unknown>): Promise<string | undefined> => {
    try {
      await work();
      return undefined;
    } catch (error) {
      return errorSentence(error);
    }
  };

  async function loadDevices(): Promise<void> {
    const list = await api.fleet.devices().catch(() => undefined);
    if (alive && list) store.setDevices(list);
  }

  let refreshes = 0;
  async function loadDetail(): Promise<void> {
    const name = store.selected;
    if (!name) return;
    const detail = await api.fleet.device(name).catch(() => undefined);
    if (alive && store.selected === name) store.setDetail(detail);
  }

  async function refresh(): Promise<void> {
    // While a run goes, the devices (deployment results: the grid's red corners) are re-read every refresh
    // up to 2,000 devices, every fifth (10 s) above that.
    const run = store.run;
    if (run && (run.state === 'running' || run.state === 'stopping') && (store.statuses.length <= 2000 || refreshes % 5 === 0))
      void loadDevices();
    refreshes++;
    const [report, plans] = await Promise.all([
      api.endpoint.fleetReport({ limit: 0 }).catch(() => undefined),
      api.endpoint.deploymentPlans().catch(() => undefined),
    ]);
    if (!alive) return;
    if (report) store.setReport(report);
    if (plans) store.setPlans(plans);
  }

  let seenRun: string | undefined;
  const follow = (state: FleetState, codes?: string): void => {
    store.applyState(state, codes);
    // A new run: its device list (names for the grid's hover, search and filters) once.
    if (state.id !== seenRun) {
      seenRun = state.id;
      void loadDevices();
    }
  };

  useHostEvents((event) => {
    if (event.type === 'fleet') follow(event.state, event.devices);
  });

  onMounted(() => {
    api.fleet.state().then(
      (state) => alive && state && follow(state),
      () => undefined,
    );
    void refresh();
    timer = setInterval(() => void refresh(), REPORT_REFRESH_MS);
  });
  onBeforeUnmount(() => {
    alive = false;
    clearInterval(timer);
    clearTimeout(restore);
  });

  return {
    start: (scenario, options) =>
      attempt(async () => {
        const state = await api.fleet.start({
          scenario,
          target: session.target ?? { kind: 'local' },
          credentials: session.credentials,
          ...(options?.scale !== undefined ? { scale: options.scale } : {}),
          ...(options?.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
        });
        follow(state);
      }),
    stop: () =>
      attempt(async () => {
        const state = await api.fleet.stop();
        if (state) follow(state);
      }),
    pauseOrResume: () =>
      attempt(async () => {
        const state = store.run?.state === 'paused' ? await api.fleet.resume() : await api.fleet.pause();
        if (state) follow(state);
      }),
    loadDevices,
    loadDetail,
    createPlan: (plan) =>
      attempt(async () => {
        await api.endpoint.createDeploymentPlan(plan);
        await refresh();
      }),
    cancelPlan: (name) =>
      attempt(async () => {
        await api.endpoint.cancelDeploymentPlan(name);
        await refresh();
      }),
    setFaults: (faults, forMs) =>
      attempt(async () => {
        const before = forMs ? (await api.endpoint.info()).faults : undefined;
        await api.endpoint.setFaults(faults);
        clearTimeout(restore);
        if (before) restore = setTimeout(() => void api.endpoint.setFaults(before).catch(() => undefined), forMs);
      }),
    refresh,
  };
}
