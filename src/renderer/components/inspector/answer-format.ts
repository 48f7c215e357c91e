/**
 * An answer's body read as its operation's result, for the inspector: GetDeviceRegistration's
 * registration and CacheTTL in words ("REGISTERED, cache for 1 h"), GetDeployments' deployments as a
 * list. SendHeartbeat answers with an empty body: nothing to read. The raw body stays in the view.
 */
import type { Outcome } from '../../../common/api.ts';
import type {
  Checksum,
  EdgeDeployment,
  GetDeploymentsResult,
  GetDeviceRegistrationResult,
  Operation,
} from '../../../common/model/index.ts';
import { validateOutput } from '../../../common/validation/validate.ts';

export interface DefinitionView {
  modelHandle?: string;
  s3Url?: string;
  /** "SHA1 3f786850e387550fdab836ed7e6dc881de23001b". */
  checksum?: string;
  state?: string;
}

export interface DeploymentView {
  name?: string;
  type?: string;
  policy?: string;
  definitions: DefinitionView[];
}

export type Answer =
  | {
      kind: 'registration';
      registration?: string;
      /** CacheTTL as sent (a string of seconds in the model). */
      cacheTtl?: string;
      /** "cache for 1 h"; "no CacheTTL" when absent. */
      cacheWords: string;
      /** "REGISTERED, cache for 1 h". */
      summary: string;
      /** Where the answer does not fit the model's output, one sentence each. */
      problems: string[];
    }
  | { kind: 'deployments'; deployments: DeploymentView[]; problems: string[] }
  /** The body could not be read as the result (not JSON, not an object). */
  | { kind: 'unreadable'; message: string };

const UNITS: [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** 3600 → "1 h", 5400 → "1 h 30 min", 90 → "1 min 30 s", 0 → "0 s". */
export function durationWords(seconds: number): string {
  if (seconds === 0) return '0 s';
  const parts: string[] = [];
  let left = seconds;
  for (const [size, unit] of UNITS) {
    const n = Math.floor(left / size);
    if (n > 0) parts.push(`${n} ${unit}`);
    left -= n * size;
  }
  return parts.join(' ');
}

/** CacheTTL (seconds, as a string) in words. */
export function cacheWords(ttl: string | undefined): string {
  if (ttl === undefined) return 'no CacheTTL';
  const t = ttl.trim();
  if (!/^\d+$/.test(t)) return `cache for "${ttl}" (not a number of seconds)`;
  const seconds = Number(t);
  return seconds === 0 ? 'do not cache' : `cache for ${durationWords(seconds)}`;
}

const checksumWords = (c: Checksum | undefined): string | undefined =>
  c === undefined ? undefined : [c.Type, c.Sum].filter((x) => x !== undefined && x !== '').join(' ') || undefined;

function deploymentView(d: EdgeDeployment): DeploymentView {
  return {
    name: d.DeploymentName,
    type: d.Type,
    policy: d.FailureHandlingPolicy,
    definitions: (Array.isArray(d.Definitions) ? d.Definitions : []).map((def) => ({
      modelHandle: def.ModelHandle,
      s3Url: def.S3Url,
      checksum: checksumWords(def.Checksum),
      state: def.State,
    })),
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v));

/**
 * The answer of a successful send of `operation`, read as its result; undefined when there is nothing
 * to read (SendHeartbeat, an error, no answer, an unknown operation).
 */
export function readAnswer(operation: Operation | undefined, outcome: Outcome | undefined): Answer | undefined {
  if (outcome?.kind !== 'success' || (operation !== 'GetDeviceRegistration' && operation !== 'GetDeployments')) return undefined;
  const body = outcome.body.trim();
  if (body === '') return { kind: 'unreadable', message: `The answer has an empty body; a ${operation} result is a JSON object.` };
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', message: `The answer is not JSON, so it cannot be read as a ${operation} result: see the raw body.` };
  }
  if (!isRecord(doc))
    return { kind: 'unreadable', message: `The answer is not a JSON object, so it is no ${operation} result: see the raw body.` };
  const problems = validateOutput(doc, operation).errors.map((e) => e.message);
  if (operation === 'GetDeviceRegistration') {
    const r = doc as GetDeviceRegistrationResult;
    const registration = asString(r.DeviceRegistration);
    const cacheTtl = asString(r.CacheTTL);
    const words = cacheWords(cacheTtl);
    return {
      kind: 'registration',
      ...(registration !== undefined ? { registration } : {}),
      ...(cacheTtl !== undefined ? { cacheTtl } : {}),
      cacheWords: words,
      summary: `${registration ?? 'No DeviceRegistration'}, ${words}`,
      problems,
    };
  }
  const list = (doc as GetDeploymentsResult).Deployments;
  const deployments = Array.isArray(list) ? list.filter(isRecord).map((d) => deploymentView(d as EdgeDeployment)) : [];
  return { kind: 'deployments', deployments, problems };
}
