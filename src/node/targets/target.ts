/**
 * Where a send goes: the embedded endpoint, an AWS region (URL from the service's endpoint rule set,
 * with FIPS and dual-stack), or a custom endpoint URL. The result is the TargetRecord the log keeps.
 * A URL with userinfo (`http://user:pass@host`) is refused: it would be kept in the history.
 */
import { customEndpointFunctions, resolveEndpoint, type RuleSetObject } from '@smithy/util-endpoints';
import ruleSet from '../../../reference/sagemaker-edge-2020-09-23.endpoint-rule-set-1.json' with { type: 'json' };
import type { TargetRecord } from '../../common/log/entry.ts';
import { partitionOf } from './partitions.ts';
import { withoutUserinfo } from './userinfo.ts';
import { AppError } from '../../common/errors.ts';

export { withoutUserinfo } from './userinfo.ts';

export type TargetChoice =
  | { kind: 'local'; url: string; region: string }
  | { kind: 'region'; region: string; fips?: boolean; dualStack?: boolean }
  | { kind: 'url'; url: string; region: string };

export class TargetError extends AppError {
  constructor(message: string) {
    super('TARGET', message);
  }
}

customEndpointFunctions.aws = { ...customEndpointFunctions.aws, partition: (region: string) => partitionOf(region) };

export function resolveTarget(spec: TargetChoice): TargetRecord {
  if (spec.kind === 'region') {
    if (!/^[a-z0-9-]{1,63}$/.test(spec.region)) throw new TargetError(`"${spec.region}" is not a region name; use one like us-east-1.`);
    try {
      const endpoint = resolveEndpoint(ruleSet as unknown as RuleSetObject, {
        endpointParams: { Region: spec.region, UseFIPS: Boolean(spec.fips), UseDualStack: Boolean(spec.dualStack) },
      });
      return { kind: 'region', url: endpoint.url.href.replace(/\/$/, ''), region: spec.region };
    } catch (error) {
      throw new TargetError(`No endpoint for region ${spec.region}: ${(error as Error).message.replace(/\.$/, '')}.`);
    }
  }
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    throw new TargetError(`"${spec.url}" is not a URL; give one like http://127.0.0.1:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TargetError(`The endpoint URL must be http:// or https://, not ${url.protocol}//.`);
  // Never echo the password: the refusal names the URL without its userinfo.
  if (url.username || url.password)
    throw new TargetError(
      `The endpoint URL ${withoutUserinfo(url.href).replace(/\/$/, '')} must not carry a user name or password ("user:pass@"): requests are signed with the chosen credentials, and a URL is kept in the history, so remove them.`,
    );
  return { kind: spec.kind, url: url.href.replace(/\/$/, ''), region: spec.region };
}
