/**
 * Skeletons: every member of a request with an example value.
 *
 * Two flavours, because they serve different people:
 * - `exampleRequest` (what `heartbeat skeleton` prints by default): a VALID document, every member
 *   present, with believable values that satisfy every length, pattern and enum of the model, so a
 *   composer can start from it and send it as is.
 * - `awsSkeleton`: what `aws ... --generate-cli-skeleton input` prints: empty strings, 0.0 numbers,
 *   1970-01-01T00:00:00 timestamps, an enum value. It is not a valid request (empty names).
 */
import { requestSchema, type Operation, type SchemaNode } from '../model/index.ts';

// 2026-01-01T00:00:00Z: a fixed time, so skeletons are reproducible.
const EXAMPLE_TIME = 1767225600;

// Believable values by model shape (x-shape) or member name; each satisfies the shape's constraints.
const BY_MEMBER: Record<string, string> = {
  DeviceName: 'camera-01',
  DeviceFleetName: 'warehouse-fleet',
  AgentVersion: '1.2.0',
  ModelName: 'object-detector',
  ModelVersion: '3.1',
  ModelHandle: 'object-detector-3',
  DeploymentName: 'deployment-2026-01',
  DeploymentStatus: 'SUCCESS',
  DeploymentStatusMessage: 'All models deployed.',
  StatusReason: 'Deployed.',
  RollbackFailureReason: 'None.',
  Dimension: 'model/object-detector',
  MetricName: 'InferenceLatency',
};

/** A string that meets the node's length limits, built from `seed`, for shapes the table does not know. */
function fitLength(seed: string, node: SchemaNode): string {
  let text = seed;
  const min = node.minLength ?? 0;
  while ([...text].length < min) text += 'x';
  if (node.maxLength !== undefined && [...text].length > node.maxLength) text = [...text].slice(0, node.maxLength).join('');
  return text;
}

function exampleValue(node: SchemaNode, member: string): unknown {
  if (node['x-timestamp']) return EXAMPLE_TIME;
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(node.properties ?? {})) out[name] = exampleValue(sub, name);
      return out;
    }
    case 'array':
      return node.items ? [exampleValue(node.items, member)] : [];
    case 'string':
      if (node.enum?.length) return node.enum[0];
      return fitLength(BY_MEMBER[member] ?? 'example', node);
    case 'number':
      return member === 'Value' ? 12.5 : 1;
    case 'integer':
      return node.minimum ?? 1;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

/** A valid request with every member filled in (one item in every list). */
export function exampleRequest(operation: Operation = 'SendHeartbeat'): Record<string, unknown> {
  return exampleValue(requestSchema(operation), '') as Record<string, unknown>;
}

function skeletonValue(node: SchemaNode): unknown {
  if (node['x-timestamp']) return '1970-01-01T00:00:00';
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, sub] of Object.entries(node.properties ?? {})) out[name] = skeletonValue(sub);
      return out;
    }
    case 'array':
      return node.items ? [skeletonValue(node.items)] : [];
    case 'string':
      return node.enum?.[0] ?? '';
    case 'boolean':
      return true;
    default:
      return 0;
  }
}

/** The AWS CLI's --generate-cli-skeleton input shape: every member, placeholder values. */
export function awsSkeleton(operation: Operation = 'SendHeartbeat'): Record<string, unknown> {
  return skeletonValue(requestSchema(operation)) as Record<string, unknown>;
}

/** The AWS skeleton as the AWS CLI prints it: 4-space indentation and 0.0 for doubles. */
export function emitAwsSkeleton(operation: Operation = 'SendHeartbeat'): string {
  return `${JSON.stringify(awsSkeleton(operation), null, 4).replace(/": 0(,?)$/gm, '": 0.0$1')}\n`;
}
