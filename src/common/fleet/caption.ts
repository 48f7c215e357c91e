/**
 * The fleet dashboard's presenter caption (issue 18): one short line saying what is happening, from the
 * run's state, the endpoint's deployment plans and its fault settings. Pure and deterministic: the same
 * input gives the same line, at most CAPTION_MAX characters (a shorter wording is chosen when a long name
 * would not fit, and only then is the line cut with "…").
 *
 * When several things hold, the first of these wins:
 * 1. a **running** deployment plan (the most recently created one): its active stage's progress;
 * 2. **faults** the endpoint injects (an error rate, every Nth request failing, added latency);
 * 3. a plan that **ended recently** (the one that ended last): failed (stopped at a stage, devices
 *    rolling back), succeeded, or cancelled. Recently: within FINISHED_PLAN_SHOWN_MS of `now` when `now` is
 *    given; without `now`, when it ended after the run started (or at any time when there is no run);
 * 4. the **fleet run**: registering its devices, its health (devices up, offline, unregistered,
 *    deploying; requests per second; failures), stopping, finished or failed;
 * 5. "No fleet running".
 */
import type { FaultSettings } from '../api.ts';
import { modelVersionOfS3Url, type DeploymentPlanStatus, type DeploymentStageStatus } from '../endpoint-fleet-types.ts';
import type { FleetState } from './api-types.ts';
import type { FleetRunStats } from './summary.ts';

/** The longest caption, in characters (code points). */
export const CAPTION_MAX = 90;

/** Without a running plan or faults, a finished plan is the caption for this long after it ended (when `now` is given). */
export const FINISHED_PLAN_SHOWN_MS = 120_000;

/** What the caption needs of a run: FleetState (HeartbeatApi.fleet.state()) has it. */
export interface CaptionRun {
  state: FleetState['state'];
  stats: FleetRunStats;
  scenario?: string;
  /** ISO 8601. */
  startedAt?: string;
  summary?: { totals: { sent: number; ok: number; failed: number } };
  error?: string;
}

export interface CaptionInput {
  /** The latest run (none: no run since the host started). */
  state?: CaptionRun;
  /** The endpoint's deployment plans (HeartbeatApi.endpoint.deploymentPlans()). */
  plans?: readonly DeploymentPlanStatus[];
  /** The endpoint's fault settings (EndpointInfo.faults). */
  faults?: FaultSettings;
  /** Epoch milliseconds: when given, a finished plan is shown only for FINISHED_PLAN_SHOWN_MS after it ended. */
  now?: number;
}

/** The presenter caption: one line, at most CAPTION_MAX characters. */
export function captionOf(input: CaptionInput): string {
  const plans = input.plans ?? [];
  const running = latest(
    plans.filter((p) => p.status === 'running'),
    (p) => p.createdAt,
  );
  if (running) return fit(runningPlanCaption(running));
  const fault = faultCaption(input.faults);
  if (fault) return fit(fault);
  const ended = latest(
    plans.filter((p) => p.status !== 'running' && p.endedAt !== undefined && endedRecently(p.endedAt, input)),
    (p) => p.endedAt!,
  );
  if (ended) return fit(endedPlanCaption(ended));
  if (input.state) return fit(runCaption(input.state));
  return 'No fleet running';
}

// --- plans ---

function runningPlanCaption(plan: DeploymentPlanStatus): string[] {
  const n = plan.stages.length;
  let index = plan.stages.findIndex((s) => s.status === 'active');
  if (index < 0)
    index = Math.max(
      0,
      lastIndex(plan.stages, (s) => s.status !== 'pending'),
    );
  const stage = plan.stages[index];
  const where = `stage ${index + 1} of ${n}`;
  if (!stage) return [`Rollout ${plan.name} starting`, 'Rollout starting'];
  if (stage.waiting)
    return [
      `Rollout ${plan.name}, ${where}: waiting for fleet ${plan.fleet}'s first devices`,
      `${capital(where)}: waiting for fleet ${plan.fleet}'s first devices`,
      `${capital(where)}: waiting for the fleet's first devices`,
    ];
  const failed = stage.failed > 0 ? `, ${count(stage.failed)} failed` : '';
  const progress = `${count(stage.succeeded)} of ${devices(stage.devices)} ${onWhat(plan)}${failed}`;
  return [`Rollout ${plan.name}, ${where}: ${progress}`, `${capital(where)}: ${progress}`];
}

function endedPlanCaption(plan: DeploymentPlanStatus): string[] {
  const n = plan.stages.length;
  if (plan.status === 'failed') {
    const index = Math.max(
      0,
      lastIndex(plan.stages, (s) => s.status === 'failed'),
    );
    const stage = plan.stages[index];
    const failedCount = stage ? `${count(stage.failed)} of ${devices(stage.devices)} failed` : 'devices failed';
    const after = plan.failureHandlingPolicy === 'DO_NOTHING' ? 'not rolled back (DO_NOTHING)' : 'rolling back';
    const where = `stage ${index + 1} of ${n}`;
    return [`Rollout ${plan.name} stopped at ${where}: ${failedCount}, ${after}`, `${capital(where)}: ${failedCount}, ${after}`];
  }
  const done = sum(plan.stages, (s) => s.succeeded);
  const selected = sum(plan.stages, (s) => s.devices);
  const outcome = `${count(done)} of ${devices(selected)} ${onWhat(plan)}`;
  if (plan.status === 'succeeded') return [`Rollout ${plan.name} complete: ${outcome}`, `Rollout complete: ${outcome}`];
  const index = plan.stages.findIndex((s) => s.status === 'cancelled');
  const at = index >= 0 ? ` at stage ${index + 1} of ${n}` : '';
  return [`Rollout ${plan.name} cancelled${at}: ${outcome}`, `Rollout cancelled${at}: ${outcome}`];
}

/** "on 3.1" (the version the S3 URL names) or "without detector" for an UNDEPLOY. */
function onWhat(plan: DeploymentPlanStatus): string {
  return plan.state === 'UNDEPLOY' ? `without ${plan.model.handle}` : `on ${modelVersionOfS3Url(plan.model.s3Url)}`;
}

function endedRecently(endedAt: string, input: CaptionInput): boolean {
  const ended = Date.parse(endedAt);
  if (input.now !== undefined) return Number.isFinite(ended) && input.now - ended <= FINISHED_PLAN_SHOWN_MS;
  if (!input.state?.startedAt) return true;
  const started = Date.parse(input.state.startedAt);
  return !Number.isFinite(started) || !Number.isFinite(ended) || ended >= started;
}

// --- faults ---

function faultCaption(faults: FaultSettings | undefined): string[] | undefined {
  if (!faults) return undefined;
  const type = faults.errorType ?? 'InternalServiceException';
  const rate = faults.errorRate ?? 0;
  const nth = faults.failEveryNth ?? 0;
  const latency = faults.latencyMs ?? 0;
  const jitter = faults.latencyJitterMs ?? 0;
  const delay = latency > 0 ? `${count(latency)} ms${jitter > 0 ? ` ± ${count(jitter)} ms` : ''}` : '';
  let errors = '';
  if (rate >= 1) errors = `every request fails with ${type}`;
  else if (rate > 0 && nth > 0) errors = `${percent(rate)} of requests and every ${ordinal(nth)} fail with ${type}`;
  else if (rate > 0) errors = `${percent(rate)} of requests fail with ${type}`;
  else if (nth === 1) errors = `every request fails with ${type}`;
  else if (nth > 0) errors = `every ${ordinal(nth)} request fails with ${type}`;
  if (errors && delay) return [`Fault: ${errors}, +${delay} — devices retry`, `Fault: ${errors} — devices retry`];
  if (errors) return [`Fault: ${errors} — devices retry`, `Fault: ${errors}`];
  if (delay) return [`Fault: every answer ${delay} late`];
  return undefined;
}

// --- the run ---

function runCaption(run: CaptionRun): string[] {
  const s = run.stats;
  const name = run.scenario ? ` ${run.scenario}` : '';
  const totals = run.summary?.totals ?? totalsOf(s);
  if (run.state === 'failed') {
    const why = run.error ? `: ${oneLine(run.error)}` : '';
    return [`Run${name} failed${why}`, `The run failed${why}`];
  }
  if (run.state === 'finished') {
    const what = `${devices(s.devices)}, ${count(totals.sent)} requests, ${count(totals.failed)} failed`;
    return [`Run${name} finished: ${what}`, `Run finished: ${what}`];
  }
  if (run.state === 'paused')
    return [`Paused${name ? `:${name}` : ''}: ${devices(s.devices)} hold still until Resume`, 'Paused until Resume'];
  if (run.state === 'stopping')
    return s.inFlight > 0 ? [`Stopping the run… ${count(s.inFlight)} answers to wait for`] : ['Stopping the run…'];
  if (s.registered + s.unregistered < s.devices)
    return [s.registered > 0 ? `Registering ${devices(s.devices)}… ${count(s.registered)} so far` : `Registering ${devices(s.devices)}…`];
  const up = Math.max(0, s.registered - s.offline);
  const states = [
    `${count(up)} of ${devices(s.devices)} up`,
    ...(s.offline > 0 ? [`${count(s.offline)} offline`] : []),
    ...(s.unregistered > 0 ? [`${count(s.unregistered)} unregistered`] : []),
    ...(s.deploying > 0 ? [`${count(s.deploying)} deploying`] : []),
  ].join(', ');
  const rate = `${count(s.ratePerSecond)} requests/s`;
  const failed = totals.failed > 0 ? ` · ${count(totals.failed)} failed` : '';
  return [`${states} · ${rate}${failed}`, `${states} · ${rate}`, states];
}

function totalsOf(s: FleetRunStats): { sent: number; failed: number } {
  const ops = Object.values(s.operations ?? {});
  return { sent: sum(ops, (o) => o.sent), failed: sum(ops, (o) => o.failed) };
}

// --- wording ---

/** The first candidate that fits; else the last one cut to fit, ending in "…". */
function fit(candidates: string[]): string {
  for (const c of candidates) if ([...c].length <= CAPTION_MAX) return c;
  const last = [...candidates[candidates.length - 1]!];
  return last.slice(0, CAPTION_MAX - 1).join('') + '…';
}

/** 5000 → "5,000" (rounded to a whole number). */
function count(n: number): string {
  const whole = Math.round(Number.isFinite(n) ? n : 0);
  return String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function devices(n: number): string {
  return `${count(n)} ${n === 1 ? 'device' : 'devices'}`;
}

/** 0.2 → "20%", 0.025 → "2.5%". */
function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${count(n)}${suffix}`;
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function sum<T>(items: readonly T[], of: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += of(item) || 0;
  return total;
}

function lastIndex(stages: readonly DeploymentStageStatus[], test: (s: DeploymentStageStatus) => boolean): number {
  for (let i = stages.length - 1; i >= 0; i--) if (test(stages[i]!)) return i;
  return -1;
}

/** The item with the greatest time (ISO 8601); the later one in the list on a tie. */
function latest<T>(items: readonly T[], time: (item: T) => string): T | undefined {
  let best: T | undefined;
  let bestAt = -Infinity;
  for (const item of items) {
    const at = Date.parse(time(item));
    const t = Number.isFinite(at) ? at : -Infinity;
    if (best === undefined || t >= bestAt) {
      best = item;
      bestAt = t;
    }
  }
  return best;
}
