/**
 * What the embedded endpoint says about a fleet, shared by the endpoint (src/node/endpoint/) and
 * HeartbeatApi (api.ts): staged deployment plans (deployment-plans.ts) and the fleet report
 * (fleet-report.ts). Semantics: docs/endpoint.md#deployment-plans and #fleet-report.
 */
import type { DeploymentResult, EdgeDeployment } from './model/index.ts';

/** One stage of a plan: the named devices, or the fleet's devices up to a cumulative percentage. */
export type DeploymentStage = { name?: string; devices: string[] } | { name?: string; percent: number };

/** A staged deployment of one model to one fleet, as given to the admin API, the app or the config file. */
export interface DeploymentPlan {
  /** The EdgeDeployment's DeploymentName (EntityName: letters, digits, hyphens; 1–63). */
  name: string;
  /** DeviceFleetName. */
  fleet: string;
  model: { handle: string; s3Url: string; checksum?: { type?: 'SHA1'; sum: string } };
  /** Default DEPLOY. */
  state?: 'DEPLOY' | 'UNDEPLOY';
  /** Default ROLLBACK_ON_FAILURE; handed to the devices as is. */
  failureHandlingPolicy?: 'ROLLBACK_ON_FAILURE' | 'DO_NOTHING';
  stages: DeploymentStage[];
  /** Fraction (0 < t ≤ 1) of a stage's devices that must report SUCCESS before the next stage starts. Default 1. */
  successThreshold?: number;
  /** A stage fails (and stops the plan) when more than this fraction (0 ≤ m ≤ 1) of its devices report FAIL. Default 1 − successThreshold. */
  maxFailures?: number;
}

export type DeploymentPlanState = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type DeploymentStageState = 'pending' | 'active' | 'succeeded' | 'failed' | 'cancelled';

export interface DeploymentStageStatus {
  name: string;
  /** What the stage selects: its percentage of the fleet, or how many devices its list names. */
  percent?: number;
  listed?: number;
  status: DeploymentStageState;
  /** Devices selected when the stage started (0 while pending). */
  devices: number;
  succeeded: number;
  failed: number;
  pending: number;
  /** True while an active percentage stage waits for its fleet's first devices. */
  waiting?: boolean;
  /** ISO 8601. */
  startedAt?: string;
  endedAt?: string;
}

/** A device's latest result for a plan. */
export interface DeploymentDeviceResult {
  device: string;
  stage: string;
  status: 'SUCCESS' | 'FAIL';
  reason?: string;
  /** ISO 8601: when this status was first reported. */
  at: string;
}

export interface DeploymentPlanEvent {
  /** ISO 8601. */
  at: string;
  event:
    | 'plan-created'
    | 'stage-started'
    | 'stage-waiting'
    | 'stage-succeeded'
    | 'stage-failed'
    | 'plan-succeeded'
    | 'plan-failed'
    | 'plan-cancelled';
  stage?: string;
  message: string;
}

export interface DeploymentPlanStatus {
  name: string;
  fleet: string;
  /** Created from the config file (re-created by a reset) or at run time (forgotten by a reset). */
  source: 'config' | 'admin';
  model: DeploymentPlan['model'];
  state: 'DEPLOY' | 'UNDEPLOY';
  failureHandlingPolicy: 'ROLLBACK_ON_FAILURE' | 'DO_NOTHING';
  successThreshold: number;
  maxFailures: number;
  status: DeploymentPlanState;
  /** ISO 8601. */
  createdAt: string;
  endedAt?: string;
  /** What GetDeployments hands a selected device. */
  deployment: EdgeDeployment;
  stages: DeploymentStageStatus[];
  /** The latest result per device, newest first, at most 1,000 (resultCount says how many devices reported). */
  results: DeploymentDeviceResult[];
  resultCount: number;
  timeline: DeploymentPlanEvent[];
}

export interface FleetReportOptions {
  /** Only this fleet (DeviceFleetName). */
  fleet?: string;
  /** At most this many devices in `devices` (the fleets' counts always cover every device). */
  limit?: number;
}

export interface FleetReportModel {
  name: string;
  /** The ModelVersion the devices report ('' when they report none). */
  version: string;
  /** Devices reporting this model version: all, connected, offline. */
  devices: number;
  connected: number;
  offline: number;
  /** Connected devices whose LatestInference is within 3 of their intervals. */
  active: number;
  /** Connected devices whose LatestSampleTime is within 3 of their intervals. */
  sampling: number;
}

export interface FleetReportFleet {
  name: string;
  devices: { total: number; connected: number; offline: number };
  /** Most common first. */
  agentVersions: { version: string; count: number }[];
  models: FleetReportModel[];
  /** Per model metric: the latest value of each connected device that reports it, as mean, min and max. */
  metrics: FleetReportMetric[];
}

export interface FleetReportMetric {
  model: string;
  dimension?: string;
  name: string;
  /** Connected devices whose latest heartbeat held the metric. */
  devices: number;
  mean: number;
  min: number;
  max: number;
}

export interface FleetReportDevice {
  deviceName: string;
  deviceFleetName: string;
  registration: string;
  agentVersion?: string;
  /** ISO 8601. */
  lastHeartbeat?: string;
  /** The estimated heartbeat interval the Connected/Offline verdict used. */
  intervalSeconds: number;
  connected: boolean;
  models: { name: string; version?: string; latestSampleTime?: number; latestInference?: number }[];
  lastDeploymentResult?: DeploymentResult;
}

export interface FleetReport {
  /** ISO 8601. */
  generatedAt: string;
  fleets: FleetReportFleet[];
  /** By fleet, then name; cut to `limit` (devicesTotal says how many there are). */
  devices: FleetReportDevice[];
  devicesTotal: number;
}

/**
 * The ModelVersion a device reports for a deployed definition (docs/endpoint.md#deployment-plans): the
 * S3 URL's last path segment without .tar.gz/.tgz/.zip, after its last "-v" or "-" followed by a digit;
 * else the whole segment. s3://models/pallet-detector-2.5.tar.gz → "2.5".
 */
export function modelVersionOfS3Url(s3Url: string): string {
  const segments = s3Url.replace(/^s3:\/\//i, '').split('/');
  let last = '';
  for (let i = segments.length - 1; i >= 0 && last === ''; i--) last = segments[i];
  const base = last.replace(/\.(tar\.gz|tgz|zip)$/i, '');
  return /^.*-v?(\d.*)$/.exec(base)?.[1] ?? base;
}
