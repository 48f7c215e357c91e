/**
 * The endpoint's config file (YAML or JSON): which devices are registered, in which fleet, which
 * deployments GetDeployments hands out, and the staged deployment plans to start. Deployments are
 * checked against the model's EdgeDeployment shape and plans as the admin API checks them when the
 * file is loaded, so a typo fails at start-up, not in a device's agent.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { outputSchemas, type EdgeDeployment, type SchemaNode } from '../../common/model/index.ts';
import { AppError } from '../../common/errors.ts';
import { patternWords } from '../../common/validation/patterns.ts';
import type { DeploymentPlan } from '../../common/endpoint-fleet-types.ts';
import { deploymentPlanProblem } from './deployment-plans.ts';

export interface FleetConfig {
  name: string;
  /** Handed to every device of the fleet. */
  deployments?: EdgeDeployment[];
}

export interface DeviceConfig {
  name: string;
  fleet: string;
  /** GetDeviceRegistration's DeviceRegistration; default "REGISTERED". */
  registration?: string;
  /** Handed to this device, before its fleet's deployments. */
  deployments?: EdgeDeployment[];
}

export interface EndpointConfig {
  /** GetDeviceRegistration's CacheTTL (seconds, as a string like the model); default "3600". */
  cacheTTL?: string;
  fleets?: FleetConfig[];
  devices?: DeviceConfig[];
  /** Staged deployment plans (docs/endpoint.md#deployment-plans), started when the endpoint starts and again by a reset. */
  deploymentPlans?: DeploymentPlan[];
}

export class EndpointConfigError extends AppError {
  constructor(message: string) {
    super('ENDPOINT_CONFIG', message);
  }
}

export async function loadEndpointConfig(path: string): Promise<EndpointConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EndpointConfigError(
      `Cannot read the endpoint config ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); check the path.`,
    );
  }
  return parseEndpointConfig(text, path);
}

export function parseEndpointConfig(text: string, name = 'the endpoint config'): EndpointConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new EndpointConfigError(`${name} is not valid YAML or JSON (${(error as Error).message.split('\n')[0]}); fix the syntax.`);
  }
  const problem = checkConfig(value ?? {});
  if (problem) throw new EndpointConfigError(`${name}: ${problem}; see docs/endpoint.md for the format.`);
  return (value ?? {}) as EndpointConfig;
}

const DEPLOYMENT = outputSchemas.GetDeployments.properties!.Deployments.items!;

function checkConfig(value: unknown): string | undefined {
  if (!isRecord(value)) return 'the top level must be a mapping with cacheTTL, fleets, devices and deploymentPlans';
  for (const key of Object.keys(value))
    if (!['cacheTTL', 'fleets', 'devices', 'deploymentPlans'].includes(key))
      return `unknown key "${key}" (allowed: cacheTTL, fleets, devices, deploymentPlans)`;
  if (value.cacheTTL !== undefined && typeof value.cacheTTL !== 'string' && typeof value.cacheTTL !== 'number')
    return 'cacheTTL must be a number of seconds';
  if (typeof value.cacheTTL === 'number') value.cacheTTL = String(value.cacheTTL);
  for (const [list, keys] of [
    ['fleets', ['name', 'deployments']],
    ['devices', ['name', 'fleet', 'registration', 'deployments']],
  ] as const) {
    const items = value[list];
    if (items === undefined) continue;
    if (!Array.isArray(items)) return `${list} must be a list`;
    for (const [i, item] of items.entries()) {
      const where = `${list}[${i}]`;
      if (!isRecord(item)) return `${where} must be a mapping`;
      for (const key of Object.keys(item))
        if (!(keys as readonly string[]).includes(key)) return `${where} has unknown key "${key}" (allowed: ${keys.join(', ')})`;
      if (typeof item.name !== 'string' || item.name === '') return `${where}.name must be a non-empty string`;
      if (list === 'devices' && (typeof item.fleet !== 'string' || item.fleet === '')) return `${where}.fleet must be a non-empty string`;
      if (item.registration !== undefined && typeof item.registration !== 'string') return `${where}.registration must be a string`;
      if (item.deployments !== undefined) {
        if (!Array.isArray(item.deployments)) return `${where}.deployments must be a list of EdgeDeployment`;
        for (const [j, d] of item.deployments.entries()) {
          const bad = checkShape(DEPLOYMENT, d, `${where}.deployments[${j}]`);
          if (bad) return bad;
        }
      }
    }
  }
  return checkPlans(value);
}

/** Each plan as the admin API checks it, names unique and none a deployment name the file already hands out. */
function checkPlans(value: Record<string, unknown>): string | undefined {
  const plans = value.deploymentPlans;
  if (plans === undefined) return undefined;
  if (!Array.isArray(plans)) return 'deploymentPlans must be a list';
  const handedOut = new Set<string>();
  for (const holder of [...((value.fleets as FleetConfig[] | undefined) ?? []), ...((value.devices as DeviceConfig[] | undefined) ?? [])])
    for (const d of holder.deployments ?? []) if (d.DeploymentName !== undefined) handedOut.add(d.DeploymentName);
  const names = new Map<string, number>();
  for (const [i, plan] of plans.entries()) {
    const where = `deploymentPlans[${i}]`;
    const bad = deploymentPlanProblem(plan, where);
    if (bad) return bad;
    const name = (plan as DeploymentPlan).name;
    const earlier = names.get(name);
    if (earlier !== undefined) return `${where}.name "${name}" is also the name of deploymentPlans[${earlier}]; plan names must be unique`;
    if (handedOut.has(name)) return `${where}.name "${name}" is also a DeploymentName under fleets or devices; choose another name`;
    names.set(name, i);
  }
  return undefined;
}

/** The first way `value` breaks the model shape `schema` (types, members, enums, lengths). */
function checkShape(schema: SchemaNode, value: unknown, where: string): string | undefined {
  switch (schema.type) {
    case 'object': {
      if (!isRecord(value)) return `${where} must be a mapping (${schema['x-shape'] ?? 'object'})`;
      for (const [key, member] of Object.entries(value)) {
        const sub = schema.properties?.[key];
        if (!sub) return `${where} has unknown member "${key}" (allowed: ${Object.keys(schema.properties ?? {}).join(', ')})`;
        const bad = checkShape(sub, member, `${where}.${key}`);
        if (bad) return bad;
      }
      return undefined;
    }
    case 'array':
      if (!Array.isArray(value)) return `${where} must be a list`;
      for (const [i, item] of value.entries()) {
        const bad = checkShape(schema.items ?? {}, item, `${where}[${i}]`);
        if (bad) return bad;
      }
      return undefined;
    case 'string':
      if (typeof value !== 'string') return `${where} must be a string`;
      if (schema.enum && !schema.enum.includes(value)) return `${where} must be one of ${schema.enum.join(', ')}, not "${value}"`;
      if (schema.maxLength !== undefined && [...value].length > schema.maxLength)
        return `${where} must be at most ${schema.maxLength} characters`;
      if (schema.pattern && !patternOf(schema.pattern).test(value))
        return `${where} "${value}" does not match the pattern: ${patternWords(schema.pattern)}`;
      return undefined;
    case 'number':
    case 'integer':
      return typeof value === 'number' ? undefined : `${where} must be a number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${where} must be true or false`;
    default:
      return undefined;
  }
}

/** Model patterns are ECMA-262 searches (docs/architecture.md#aws-facts); a few are not u-flag safe, so fall back without it. */
function patternOf(source: string): RegExp {
  try {
    return new RegExp(source, 'u');
  } catch {
    return new RegExp(source);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
