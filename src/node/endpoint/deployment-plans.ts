/**
 * Staged deployment plans (docs/endpoint.md#deployment-plans): one model for one fleet, handed out stage
 * by stage. A stage selects devices by name or by a cumulative percentage of the fleet's known devices
 * (in name order) when it starts; it succeeds when successThreshold of its devices report SUCCESS (the
 * next stage starts at once) and fails, stopping the plan, when more than maxFailures of them report
 * FAIL. GetDeployments hands the plan's EdgeDeployment to the devices of its started stages while the
 * plan is running or succeeded; a failed or cancelled plan is no longer handed out.
 *
 * Lookups are by map (plan by name, a plan's stage by device), so a GetDeployments or a heartbeat costs
 * the same for 10 devices or 100,000.
 */
import { AppError } from '../../common/errors.ts';
import type {
  DeploymentDeviceResult,
  DeploymentPlan,
  DeploymentPlanEvent,
  DeploymentPlanState,
  DeploymentPlanStatus,
  DeploymentStageState,
  DeploymentStageStatus,
} from '../../common/endpoint-fleet-types.ts';
import type { DeploymentResult, EdgeDeployment } from '../../common/model/index.ts';
import { patternWords } from '../../common/validation/patterns.ts';

export type { DeploymentPlan, DeploymentPlanStatus } from '../../common/endpoint-fleet-types.ts';

/** At most this many stages per plan (so a plan's timeline stays short). */
export const MAX_STAGES = 50;
/** At most this many plans at once (finished ones count; a reset forgets those created at run time). */
export const MAX_PLANS = 1000;
/** At most this many device names in one plan's lists. */
export const MAX_LISTED_DEVICES = 100_000;
/** A plan's status lists the latest result of at most this many devices. */
export const RESULTS_IN_STATUS = 1000;
/** A plan keeps at most this many timeline events (the newest). */
export const MAX_TIMELINE = 200;

const ENTITY_NAME = '^[a-zA-Z0-9](-*[a-zA-Z0-9])*$';
const DEVICE_NAME = '^[a-zA-Z0-9](-*_*[a-zA-Z0-9])*$';
const PLAN_KEYS = ['name', 'fleet', 'model', 'state', 'failureHandlingPolicy', 'stages', 'successThreshold', 'maxFailures'];

/** A plan that cannot be created: BAD_INPUT (invalid), CONFLICT (a name in use, too many plans), NOT_FOUND (no such plan). */
export class DeploymentPlanError extends AppError {
  constructor(code: 'BAD_INPUT' | 'CONFLICT' | 'NOT_FOUND', message: string) {
    super(code, message);
    this.name = 'DeploymentPlanError';
  }
}

/**
 * The first problem of a plan as a sentence fragment naming the member (`where` prefixes the member
 * paths: "deploymentPlans[0]" in the config file, "" at the admin API), or undefined when it is valid.
 */
export function deploymentPlanProblem(value: unknown, where = ''): string | undefined {
  const at = (member: string) => (where ? `${where}.${member}` : member);
  if (!isRecord(value)) return `${where || 'the plan'} must be a mapping with name, fleet, model and stages`;
  for (const key of Object.keys(value))
    if (!PLAN_KEYS.includes(key)) return `${where || 'the plan'} has unknown key "${key}" (allowed: ${PLAN_KEYS.join(', ')})`;
  const bad =
    name(value.name, at('name'), ENTITY_NAME, 'the deployment name') ??
    name(value.fleet, at('fleet'), DEVICE_NAME, 'the fleet name (DeviceFleetName)');
  if (bad) return bad;

  const model = value.model;
  if (!isRecord(model)) return `${at('model')} must be a mapping with handle, s3Url and an optional checksum`;
  for (const key of Object.keys(model))
    if (!['handle', 's3Url', 'checksum'].includes(key)) return `${at('model')} has unknown key "${key}" (allowed: handle, s3Url, checksum)`;
  const badModel = name(model.handle, at('model.handle'), ENTITY_NAME, 'the model handle');
  if (badModel) return badModel;
  if (typeof model.s3Url !== 'string') return `${at('model.s3Url')} must be the model's S3 URL (s3://bucket/key)`;
  if ([...model.s3Url].length > 1024) return `${at('model.s3Url')} must be at most 1024 characters`;
  if (!/^s3:\/\/([^/]+)\/?(.*)$/u.test(model.s3Url)) return `${at('model.s3Url')} "${model.s3Url}" must start with s3:// and a bucket name`;
  if (model.checksum !== undefined) {
    const checksum = model.checksum;
    if (!isRecord(checksum)) return `${at('model.checksum')} must be a mapping with type (SHA1) and sum`;
    for (const key of Object.keys(checksum))
      if (!['type', 'sum'].includes(key)) return `${at('model.checksum')} has unknown key "${key}" (allowed: type, sum)`;
    if (checksum.type !== undefined && checksum.type !== 'SHA1')
      return `${at('model.checksum.type')} must be SHA1, not ${show(checksum.type)}`;
    if (typeof checksum.sum !== 'string' || checksum.sum === '') return `${at('model.checksum.sum')} must be the checksum as text`;
    if ([...checksum.sum].length > 63) return `${at('model.checksum.sum')} must be at most 63 characters`;
    if (!/^[a-z0-9](-*[a-z0-9])*$/u.test(checksum.sum))
      return `${at('model.checksum.sum')} "${checksum.sum}" must be lower-case letters, digits and hyphens, starting and ending with a letter or digit`;
  }
  if (value.state !== undefined && value.state !== 'DEPLOY' && value.state !== 'UNDEPLOY')
    return `${at('state')} must be DEPLOY or UNDEPLOY, not ${show(value.state)}`;
  if (
    value.failureHandlingPolicy !== undefined &&
    value.failureHandlingPolicy !== 'ROLLBACK_ON_FAILURE' &&
    value.failureHandlingPolicy !== 'DO_NOTHING'
  )
    return `${at('failureHandlingPolicy')} must be ROLLBACK_ON_FAILURE or DO_NOTHING, not ${show(value.failureHandlingPolicy)}`;
  if (
    value.successThreshold !== undefined &&
    !(isNumber(value.successThreshold) && value.successThreshold > 0 && value.successThreshold <= 1)
  )
    return `${at('successThreshold')} must be a fraction greater than 0 and at most 1 (0.8 = 80% of a stage's devices), not ${show(value.successThreshold)}`;
  if (value.maxFailures !== undefined && !(isNumber(value.maxFailures) && value.maxFailures >= 0 && value.maxFailures <= 1))
    return `${at('maxFailures')} must be a fraction from 0 to 1 (0.2 = 20% of a stage's devices), not ${show(value.maxFailures)}`;

  const stages = value.stages;
  if (!Array.isArray(stages) || stages.length === 0)
    return `${at('stages')} must be a list of at least one stage ({devices: [names]} or {percent: N})`;
  if (stages.length > MAX_STAGES) return `${at('stages')} has ${stages.length} stages; a plan may have at most ${MAX_STAGES}`;
  const listed = new Map<string, number>();
  const stageNames = new Map<string, number>();
  let lastPercent = 0;
  let lastPercentAt = -1;
  let listedTotal = 0;
  for (const [i, stage] of stages.entries()) {
    const here = at(`stages[${i}]`);
    if (!isRecord(stage)) return `${here} must be a mapping: {devices: [names]} or {percent: N}`;
    for (const key of Object.keys(stage))
      if (!['name', 'devices', 'percent'].includes(key)) return `${here} has unknown key "${key}" (allowed: name, devices, percent)`;
    if (stage.name !== undefined) {
      if (typeof stage.name !== 'string' || stage.name.trim() === '' || [...stage.name].length > 63)
        return `${here}.name must be text of 1 to 63 characters`;
    }
    const stageName = stageNameOf(stage.name, i);
    const earlier = stageNames.get(stageName);
    if (earlier !== undefined) return `${here}.name "${stageName}" is also the name of stages[${earlier}]; give each stage its own name`;
    stageNames.set(stageName, i);
    const hasDevices = stage.devices !== undefined;
    const hasPercent = stage.percent !== undefined;
    if (hasDevices === hasPercent)
      return `${here} must have either devices (a list of names) or percent, not ${hasDevices ? 'both' : 'neither'}`;
    if (hasPercent) {
      if (!isNumber(stage.percent) || stage.percent <= 0 || stage.percent > 100)
        return `${here}.percent must be a number greater than 0 and at most 100, not ${show(stage.percent)}`;
      if (stage.percent < lastPercent)
        return `${here}.percent (${stage.percent}) is less than stages[${lastPercentAt}].percent (${lastPercent}); percentages are cumulative, so each must be at least the one before`;
      lastPercent = stage.percent;
      lastPercentAt = i;
      continue;
    }
    if (!Array.isArray(stage.devices) || stage.devices.length === 0) return `${here}.devices must be a list of at least one device name`;
    listedTotal += stage.devices.length;
    if (listedTotal > MAX_LISTED_DEVICES) return `${at('stages')} name more than ${MAX_LISTED_DEVICES} devices in all`;
    for (const [j, device] of stage.devices.entries()) {
      const badDevice = name(device, `${here}.devices[${j}]`, DEVICE_NAME, 'a device name (DeviceName)');
      if (badDevice) return badDevice;
      const other = listed.get(device as string);
      if (other !== undefined)
        return `${here}.devices[${j}] "${String(device)}" is already in stages[${other}]; a device belongs to one stage`;
      listed.set(device as string, i);
    }
  }
  return undefined;
}

interface Stage {
  name: string;
  percent?: number;
  devices?: readonly string[];
  status: DeploymentStageState;
  members: string[];
  succeeded: number;
  failed: number;
  /** An active percentage stage that found no device in its fleet yet. */
  waiting: boolean;
  startedAt?: string;
  endedAt?: string;
}

interface DeviceResult {
  stage: number;
  status: 'SUCCESS' | 'FAIL';
  reason?: string;
  at: string;
}

interface Plan {
  name: string;
  fleet: string;
  source: 'config' | 'admin';
  model: DeploymentPlan['model'];
  state: 'DEPLOY' | 'UNDEPLOY';
  policy: 'ROLLBACK_ON_FAILURE' | 'DO_NOTHING';
  successThreshold: number;
  maxFailures: number;
  status: DeploymentPlanState;
  createdAt: string;
  endedAt?: string;
  deployment: EdgeDeployment;
  stages: Stage[];
  /** Index of the active stage (the last started one). */
  active: number;
  /** Device → index of its stage; a device enters when its stage starts. */
  stageOf: Map<string, number>;
  /** Device → its latest result; insertion order = least to most recently changed. */
  results: Map<string, DeviceResult>;
  timeline: DeploymentPlanEvent[];
}

export interface DeploymentPlansOptions {
  /** The names of the devices of a fleet the registry knows now. */
  devicesOf: (fleet: string) => string[];
  /** Deployment names the config file already hands out (a plan may not take one). */
  reservedNames?: ReadonlySet<string>;
  now?: () => Date;
}

export class DeploymentPlans {
  private readonly plans = new Map<string, Plan>();
  private readonly byFleet = new Map<string, Plan[]>();
  private readonly now: () => Date;

  constructor(private readonly options: DeploymentPlansOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Checks a plan and starts its first stage; throws a DeploymentPlanError with a sentence when it cannot. */
  create(value: unknown, source: 'config' | 'admin' = 'admin'): DeploymentPlanStatus {
    const problem = deploymentPlanProblem(value);
    if (problem)
      throw new DeploymentPlanError('BAD_INPUT', `The deployment plan is not valid: ${problem}; see docs/endpoint.md#deployment-plans.`);
    const spec = value as unknown as DeploymentPlan;
    if (this.plans.has(spec.name))
      throw new DeploymentPlanError(
        'CONFLICT',
        `A deployment plan named "${spec.name}" already exists; choose another name (a reset forgets the plans created at run time).`,
      );
    if (this.options.reservedNames?.has(spec.name))
      throw new DeploymentPlanError(
        'CONFLICT',
        `The config file already hands out a deployment named "${spec.name}"; choose another name so devices' results can be told apart.`,
      );
    if (this.plans.size >= MAX_PLANS)
      throw new DeploymentPlanError(
        'CONFLICT',
        `There are already ${MAX_PLANS} deployment plans; reset the endpoint to forget those created at run time.`,
      );
    const state = spec.state ?? 'DEPLOY';
    const policy = spec.failureHandlingPolicy ?? 'ROLLBACK_ON_FAILURE';
    const successThreshold = spec.successThreshold ?? 1;
    const model: DeploymentPlan['model'] = {
      handle: spec.model.handle,
      s3Url: spec.model.s3Url,
      ...(spec.model.checksum ? { checksum: { type: 'SHA1', sum: spec.model.checksum.sum } } : {}),
    };
    const plan: Plan = {
      name: spec.name,
      fleet: spec.fleet,
      source,
      model,
      state,
      policy,
      successThreshold,
      maxFailures: spec.maxFailures ?? roundFraction(1 - successThreshold),
      status: 'running',
      createdAt: this.now().toISOString(),
      deployment: {
        DeploymentName: spec.name,
        Type: 'Model',
        FailureHandlingPolicy: policy,
        Definitions: [
          {
            ModelHandle: model.handle,
            S3Url: model.s3Url,
            ...(model.checksum ? { Checksum: { Type: 'SHA1', Sum: model.checksum.sum } } : {}),
            State: state,
          },
        ],
      },
      stages: spec.stages.map((s, i) => ({
        name: stageNameOf(s.name, i),
        ...('percent' in s ? { percent: s.percent } : { devices: [...s.devices] }),
        status: 'pending',
        members: [],
        succeeded: 0,
        failed: 0,
        waiting: false,
      })),
      active: 0,
      stageOf: new Map(),
      results: new Map(),
      timeline: [],
    };
    this.plans.set(plan.name, plan);
    const fleetPlans = this.byFleet.get(plan.fleet) ?? [];
    fleetPlans.push(plan);
    this.byFleet.set(plan.fleet, fleetPlans);
    note(
      plan,
      this.now(),
      'plan-created',
      `Plan created for fleet ${plan.fleet}: ${plan.stages.length} stage${plan.stages.length === 1 ? '' : 's'}.`,
    );
    this.startStage(plan, 0);
    return statusOf(plan);
  }

  /** Stops a running plan (or withdraws a succeeded one): it is no longer handed out. A finished one is answered as it is. */
  cancel(name: string): DeploymentPlanStatus {
    const plan = this.plans.get(name);
    if (!plan)
      throw new DeploymentPlanError('NOT_FOUND', `There is no deployment plan named "${name}"; list them with GET /__admin/deployments.`);
    if (plan.status === 'running' || plan.status === 'succeeded') {
      const now = this.now();
      const stage = plan.stages[plan.active];
      if (plan.status === 'running' && stage.status === 'active') {
        stage.status = 'cancelled';
        stage.endedAt = now.toISOString();
      }
      plan.status = 'cancelled';
      plan.endedAt = now.toISOString();
      note(plan, now, 'plan-cancelled', 'Plan cancelled: it is no longer handed out.');
    }
    return statusOf(plan);
  }

  list(): DeploymentPlanStatus[] {
    return Array.from(this.plans.values(), statusOf);
  }

  get(name: string): DeploymentPlanStatus | undefined {
    const plan = this.plans.get(name);
    return plan && statusOf(plan);
  }

  /** The deployments of the running or succeeded plans whose started stages include the device. */
  deploymentsFor(fleet: string, device: string): EdgeDeployment[] {
    const out: EdgeDeployment[] = [];
    for (const plan of this.byFleet.get(fleet) ?? [])
      if ((plan.status === 'running' || plan.status === 'succeeded') && plan.stageOf.has(device)) out.push(plan.deployment);
    return out;
  }

  /**
   * A device's DeploymentResult (from its heartbeat): recorded for the plan of that name when the device
   * is in one of its started stages; moves the plan on. Other results are ignored here.
   */
  recordResult(fleet: string, device: string, result: DeploymentResult, at: Date): void {
    const plan = result.DeploymentName === undefined ? undefined : this.plans.get(result.DeploymentName);
    if (!plan || plan.fleet !== fleet) return;
    const stageIndex = plan.stageOf.get(device);
    if (stageIndex === undefined) return;
    const verdict = judge(result);
    if (!verdict) return;
    const prior = plan.results.get(device);
    if (prior && prior.status === verdict.status) {
      if (verdict.reason !== undefined) prior.reason = verdict.reason;
      return;
    }
    const stage = plan.stages[stageIndex];
    if (prior) {
      if (prior.status === 'SUCCESS') stage.succeeded--;
      else stage.failed--;
      plan.results.delete(device);
    }
    if (verdict.status === 'SUCCESS') stage.succeeded++;
    else stage.failed++;
    plan.results.set(device, {
      stage: stageIndex,
      status: verdict.status,
      at: at.toISOString(),
      ...(verdict.reason ? { reason: verdict.reason } : {}),
    });
    if (plan.status === 'running' && stageIndex === plan.active) this.advance(plan, at);
  }

  /** The registry learnt devices of this fleet: an active percentage stage still waiting for its first devices selects them. */
  devicesAdded(fleet: string): void {
    for (const plan of this.byFleet.get(fleet) ?? []) {
      if (plan.status !== 'running') continue;
      const stage = plan.stages[plan.active];
      if (stage.status === 'active' && stage.waiting) this.select(plan, plan.active, this.now(), true);
    }
  }

  /** Forgets every plan. */
  clear(): void {
    this.plans.clear();
    this.byFleet.clear();
  }

  private startStage(plan: Plan, index: number): void {
    const now = this.now();
    plan.active = index;
    const stage = plan.stages[index];
    stage.status = 'active';
    stage.startedAt = now.toISOString();
    this.select(plan, index, now, false);
  }

  /** Selects the stage's devices (a percentage of the fleet's known devices, or its list), then moves the plan on. */
  private select(plan: Plan, index: number, now: Date, again: boolean): void {
    const stage = plan.stages[index];
    let members: string[];
    let fleetSize = 0;
    if (stage.percent !== undefined) {
      const names = this.options.devicesOf(plan.fleet).sort(byCodeUnits);
      fleetSize = names.length;
      const target = Math.ceil((stage.percent * names.length) / 100 - 1e-9);
      let already = 0;
      for (const n of names) if (plan.stageOf.has(n)) already++;
      members = [];
      for (const n of names) {
        if (members.length >= target - already) break;
        if (!plan.stageOf.has(n)) members.push(n);
      }
    } else members = stage.devices!.filter((n) => !plan.stageOf.has(n));
    for (const n of members) plan.stageOf.set(n, index);
    stage.members = members;
    // A percentage stage of a fleet with no known device yet waits for its first devices (a config plan starts before they register).
    stage.waiting = stage.percent !== undefined && fleetSize === 0;
    if (stage.waiting) {
      if (!again) note(plan, now, 'stage-waiting', `Stage ${stage.name} waits: fleet ${plan.fleet} has no known devices yet.`, stage.name);
      return;
    }
    note(
      plan,
      now,
      'stage-started',
      `Stage ${stage.name} started with ${members.length} device${members.length === 1 ? '' : 's'}.`,
      stage.name,
    );
    this.advance(plan, now);
  }

  /** Ends the active stage when its failures or successes reach their limits, and starts the next one. */
  private advance(plan: Plan, at: Date): void {
    while (plan.status === 'running') {
      const stage = plan.stages[plan.active];
      if (stage.waiting) return;
      const n = stage.members.length;
      const time = at.toISOString();
      if (n > 0 && stage.failed > Math.floor(plan.maxFailures * n + 1e-9)) {
        stage.status = 'failed';
        stage.endedAt = time;
        plan.status = 'failed';
        plan.endedAt = time;
        note(plan, at, 'stage-failed', `Stage ${stage.name} failed: ${stage.failed} of ${n} devices reported FAIL.`, stage.name);
        note(plan, at, 'plan-failed', `Plan failed at stage ${stage.name}; later stages will not start and it is no longer handed out.`);
        return;
      }
      if (stage.succeeded < Math.ceil(plan.successThreshold * n - 1e-9)) return;
      stage.status = 'succeeded';
      stage.endedAt = time;
      note(
        plan,
        at,
        'stage-succeeded',
        n === 0
          ? `Stage ${stage.name} had no devices to wait for.`
          : `Stage ${stage.name} succeeded: ${stage.succeeded} of ${n} devices reported SUCCESS.`,
        stage.name,
      );
      if (plan.active + 1 >= plan.stages.length) {
        plan.status = 'succeeded';
        plan.endedAt = time;
        note(plan, at, 'plan-succeeded', 'Plan succeeded: every stage reached its threshold.');
        return;
      }
      this.startStage(plan, plan.active + 1);
      return; // startStage advanced the plan itself
    }
  }
}

/** SUCCESS, FAIL, or nothing to judge: any DeploymentStatus other than SUCCESS or any model FAIL is a failure. */
function judge(result: DeploymentResult): { status: 'SUCCESS' | 'FAIL'; reason?: string } | undefined {
  const models = result.DeploymentModels ?? [];
  const failedModel = models.find((m) => m.Status === 'FAIL');
  const status = result.DeploymentStatus;
  if ((status !== undefined && status !== 'SUCCESS') || failedModel) {
    const reason =
      result.DeploymentStatusMessage ??
      failedModel?.StatusReason ??
      failedModel?.RollbackFailureReason ??
      (status !== undefined && status !== 'SUCCESS'
        ? status
        : failedModel
          ? `model ${failedModel.ModelHandle ?? failedModel.ModelName ?? ''} FAIL`.trim()
          : undefined);
    return { status: 'FAIL', ...(reason ? { reason } : {}) };
  }
  if (status === 'SUCCESS' || (models.length > 0 && models.every((m) => m.Status === 'SUCCESS')))
    return { status: 'SUCCESS', ...(result.DeploymentStatusMessage ? { reason: result.DeploymentStatusMessage } : {}) };
  return undefined;
}

function statusOf(plan: Plan): DeploymentPlanStatus {
  const results: DeploymentDeviceResult[] = [];
  const all = [...plan.results];
  for (let i = all.length - 1; i >= 0 && results.length < RESULTS_IN_STATUS; i--) {
    const [device, r] = all[i];
    results.push({ device, stage: plan.stages[r.stage].name, status: r.status, ...(r.reason ? { reason: r.reason } : {}), at: r.at });
  }
  return {
    name: plan.name,
    fleet: plan.fleet,
    source: plan.source,
    model: structuredClone(plan.model),
    state: plan.state,
    failureHandlingPolicy: plan.policy,
    successThreshold: plan.successThreshold,
    maxFailures: plan.maxFailures,
    status: plan.status,
    createdAt: plan.createdAt,
    ...(plan.endedAt ? { endedAt: plan.endedAt } : {}),
    deployment: structuredClone(plan.deployment),
    stages: plan.stages.map((s): DeploymentStageStatus => ({
      name: s.name,
      ...(s.percent !== undefined ? { percent: s.percent } : { listed: s.devices!.length }),
      status: s.status,
      devices: s.members.length,
      succeeded: s.succeeded,
      failed: s.failed,
      pending: s.members.length - s.succeeded - s.failed,
      ...(s.waiting && s.status === 'active' ? { waiting: true } : {}),
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      ...(s.endedAt ? { endedAt: s.endedAt } : {}),
    })),
    results,
    resultCount: plan.results.size,
    timeline: plan.timeline.map((e) => ({ ...e })),
  };
}

function note(plan: Plan, at: Date, event: DeploymentPlanEvent['event'], message: string, stage?: string): void {
  plan.timeline.push({ at: at.toISOString(), event, ...(stage !== undefined ? { stage } : {}), message });
  if (plan.timeline.length > MAX_TIMELINE) plan.timeline.splice(0, plan.timeline.length - MAX_TIMELINE);
}

function stageNameOf(given: unknown, index: number): string {
  return typeof given === 'string' && given.trim() !== '' ? given : `stage-${index + 1}`;
}

/** A name member: text of 1–63 characters matching the model's pattern. */
function name(value: unknown, where: string, pattern: string, what: string): string | undefined {
  if (typeof value !== 'string' || value === '') return `${where} must be ${what}, a non-empty string`;
  if ([...value].length > 63) return `${where} must be at most 63 characters`;
  if (!new RegExp(pattern, 'u').test(value)) return `${where} "${value}" does not match the pattern: ${patternWords(pattern)}`;
  return undefined;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function roundFraction(x: number): number {
  return Math.round(x * 1e9) / 1e9;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
