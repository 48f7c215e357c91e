/**
 * The fleet view's state (docs/fleet.md#the-app-and-heartbeatapi): the run as the host's `fleet` events
 * tell it, each device's state as one character, the chart series derived from consecutive statistics,
 * the endpoint's fleet report and deployment plans. State and thin setters; the I/O is in use-fleet.ts.
 *
 * Series are plain arrays in a shallowRef, appended in place and announced by `seriesVersion`: a chart
 * redraws from them without Vue tracking 10,000 numbers.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { DeploymentPlanStatus, FleetDevice, FleetDeviceDetail, FleetReport, FleetRunStats, FleetState } from '../../common/api.ts';

/** Ten minutes at two points a second. */
export const SERIES_POINTS = 1200;
/** Rates (per second) are measured over this many seconds. */
export const RATE_WINDOW_S = 2;

export interface FleetSeries {
  /** Seconds since the run started. */
  t: number[];
  /** Heartbeats sent per second. */
  heartbeats: number[];
  /** Requests answered 2xx per second (every operation). */
  accepted: number[];
  /** Answers refused per second, all types (retried attempts included). */
  rejected: number[];
  /** Refused per second by error type (each array as long as `t`). */
  rejectedByType: Record<string, number[]>;
  /** Whole-send latency over the last half second, milliseconds (null: no request in it). */
  p50: Array<number | null>;
  p99: Array<number | null>;
}

/** One model metric across the devices, a point per fleet report (every 2 s). */
export interface MetricSeries {
  t: number[];
  mean: number[];
  min: number[];
  max: number[];
}

/** `model NUL dimension NUL name`, the key of a metric series. */
export const metricKey = (m: { model: string; dimension?: string; name: string }): string =>
  `${m.model}\u0000${m.dimension ?? ''}\u0000${m.name}`;

export const emptySeries = (): FleetSeries => ({ t: [], heartbeats: [], accepted: [], rejected: [], rejectedByType: {}, p50: [], p99: [] });

const sum = (stats: FleetRunStats, pick: (o: FleetRunStats['operations'][keyof FleetRunStats['operations']]) => number): number =>
  pick(stats.operations.SendHeartbeat) + pick(stats.operations.GetDeviceRegistration) + pick(stats.operations.GetDeployments);

/** Refused answers by error type, retried attempts included (a fault shows at once, before retries give up). */
function failedByType(stats: FleetRunStats): Record<string, number> {
  if (stats.refusedAttempts) return stats.refusedAttempts;
  const out: Record<string, number> = {};
  for (const o of Object.values(stats.operations)) for (const [type, n] of Object.entries(o.failedByType)) out[type] = (out[type] ?? 0) + n;
  return out;
}

/** A run that has ended (no more events come for it). */
const isOver = (state: FleetState): boolean => state.state === 'finished' || state.state === 'failed';

export const useFleetStore = defineStore('fleet', () => {
  const run = shallowRef<FleetState | undefined>(undefined);
  /** One DEVICE_STATUS_CODES character per device, in run order. */
  const statuses = shallowRef('');
  /** The run's devices (names, fleets, models): read when a run starts and when a device is inspected. */
  const devices = shallowRef<FleetDevice[]>([]);
  const series = shallowRef<FleetSeries>(emptySeries());
  const seriesVersion = shallowRef(0);
  const report = shallowRef<FleetReport | undefined>(undefined);
  const plans = shallowRef<DeploymentPlanStatus[]>([]);
  const selected = shallowRef<string | undefined>(undefined);
  /** The selected device in detail (its latest heartbeat, its metrics since it was selected). */
  const detail = shallowRef<FleetDeviceDetail | undefined>(undefined);
  const presenter = shallowRef(false);
  /** Model metrics across the run's devices, by metricKey; appended in place like `series`. */
  const metrics = shallowRef(new Map<string, MetricSeries>());
  /** The last few statistics: rates are taken over about RATE_WINDOW_S seconds, so half-second steps do not saw-tooth. */
  let history: FleetRunStats[] = [];

  function appendPoint(stats: FleetRunStats): void {
    const s = series.value;
    const t = stats.elapsedMs / 1000;
    const last = history.at(-1);
    if (last && t <= last.elapsedMs / 1000) return;
    history.push(stats);
    while (history.length > 2 && t - history[1]!.elapsedMs / 1000 >= RATE_WINDOW_S) history.shift();
    const before = history[0]!;
    if (before === stats) return;
    const dt = t - before.elapsedMs / 1000;
    const rate = (now: number, then: number): number => Math.max(0, Math.round(((now - then) / dt) * 10) / 10);
    s.t.push(Math.round(t * 10) / 10);
    s.heartbeats.push(rate(stats.operations.SendHeartbeat.sent, before.operations.SendHeartbeat.sent));
    s.accepted.push(
      rate(
        sum(stats, (o) => o.ok),
        sum(before, (o) => o.ok),
      ),
    );
    const nowTypes = failedByType(stats);
    const thenTypes = failedByType(before);
    const total = (types: Record<string, number>): number => Object.values(types).reduce((a, b) => a + b, 0);
    s.rejected.push(rate(total(nowTypes), total(thenTypes)));
    for (const type of Object.keys(nowTypes)) s.rejectedByType[type] ??= new Array<number>(s.t.length - 1).fill(0);
    for (const [type, values] of Object.entries(s.rejectedByType)) values.push(rate(nowTypes[type] ?? 0, thenTypes[type] ?? 0));
    s.p50.push(stats.recent?.p50Ms ?? null);
    s.p99.push(stats.recent?.p99Ms ?? null);
    if (s.t.length > SERIES_POINTS) {
      const cut = s.t.length - SERIES_POINTS;
      for (const list of [s.t, s.heartbeats, s.accepted, s.rejected, s.p50, s.p99, ...Object.values(s.rejectedByType)]) list.splice(0, cut);
    }
    seriesVersion.value++;
  }

  return {
    run,
    statuses,
    devices,
    series,
    seriesVersion,
    report,
    plans,
    selected,
    presenter,
    metrics,
    /** A `fleet` event (or a state() answer): a new run starts new series. */
    applyState(state: FleetState, codes?: string) {
      // An ended run stays ended: an answer that left the host before the end (stop's "stopping") can
      // arrive after the event saying "finished", and no event would follow to put it right.
      if (run.value?.id === state.id && isOver(run.value) && !isOver(state)) return;
      if (run.value?.id !== state.id) {
        series.value = emptySeries();
        metrics.value = new Map();
        history = [];
        seriesVersion.value++;
        devices.value = [];
      }
      run.value = state;
      if (codes !== undefined) statuses.value = codes;
      if (state.state === 'running' || state.state === 'stopping' || !state.summary) appendPoint(state.stats);
    },
    setDevices: (list: FleetDevice[]) => (devices.value = list),
    /** A fleet report: the tiles, and a point of every model metric of the run's fleets while a run goes. */
    setReport(next: FleetReport | undefined) {
      report.value = next;
      const current = run.value;
      if (!next || !current || (current.state !== 'running' && current.state !== 'stopping')) return;
      const fleets = new Set(devices.value.map((d) => d.fleet));
      const t = Math.round(current.stats.elapsedMs / 100) / 10;
      // Devices of several fleets reporting one metric: a point of all of them together.
      const merged = new Map<string, { n: number; sum: number; min: number; max: number }>();
      for (const fleet of next.fleets) {
        if (fleets.size > 0 && !fleets.has(fleet.name)) continue;
        for (const m of fleet.metrics ?? []) {
          const key = metricKey(m);
          const acc = merged.get(key) ?? { n: 0, sum: 0, min: Infinity, max: -Infinity };
          acc.n += m.devices;
          acc.sum += m.mean * m.devices;
          acc.min = Math.min(acc.min, m.min);
          acc.max = Math.max(acc.max, m.max);
          merged.set(key, acc);
        }
      }
      for (const [key, acc] of merged) {
        let line = metrics.value.get(key);
        if (!line) metrics.value.set(key, (line = { t: [], mean: [], min: [], max: [] }));
        if (line.t.length && line.t[line.t.length - 1]! >= t) continue;
        line.t.push(t);
        line.mean.push(Math.round((acc.sum / acc.n) * 1000) / 1000);
        line.min.push(acc.min);
        line.max.push(acc.max);
        if (line.t.length > SERIES_POINTS) for (const list of [line.t, line.mean, line.min, line.max]) list.shift();
      }
      seriesVersion.value++;
    },
    setPlans: (next: DeploymentPlanStatus[]) => (plans.value = next),
    detail,
    select(name: string | undefined) {
      if (name !== selected.value) detail.value = undefined;
      selected.value = name;
    },
    setDetail: (next: FleetDeviceDetail | undefined) => (detail.value = next),
    setPresenter: (on: boolean) => (presenter.value = on),
  };
});
