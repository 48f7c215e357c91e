/** Where an exported command or snippet sends its request, and the names each tool uses for an operation. */
import type { Operation } from '../model/index.ts';

export interface ExportTarget {
  operation?: Operation;
  /** An endpoint URL (e.g. the embedded endpoint); none means the AWS regional one. */
  endpointUrl?: string;
  /** Signing region; none means us-east-1. */
  region?: string;
}

export const DEFAULT_REGION = 'us-east-1';

/** The AWS regional endpoint of SageMaker Edge Manager (docs/architecture.md#aws-facts). */
export function regionalEndpoint(region: string): string {
  return `https://edge.sagemaker.${region}.amazonaws.com`;
}

/** SendHeartbeat → send-heartbeat (the AWS CLI's command name). */
export function cliCommandName(operation: Operation): string {
  return operation.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** SendHeartbeat → send_heartbeat (boto3 and paws method name). */
export function snakeName(operation: Operation): string {
  return cliCommandName(operation).replace(/-/g, '_');
}

/** --agent-version ↔ AgentVersion. */
export function optionName(member: string): string {
  return `--${cliCommandName(member as Operation)}`;
}

export function resolvedTarget(target: ExportTarget): { operation: Operation; region: string; endpoint: string; endpointGiven: boolean } {
  const region = target.region || DEFAULT_REGION;
  const endpoint = (target.endpointUrl || regionalEndpoint(region)).replace(/\/+$/, '');
  return { operation: target.operation ?? 'SendHeartbeat', region, endpoint, endpointGiven: !!target.endpointUrl };
}
