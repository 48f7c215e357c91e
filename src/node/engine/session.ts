/**
 * Target + credentials for a command or a UI send, from user choices: the embedded endpoint (`local`:
 * HEARTBEAT_LOCAL_URL when set, else one started in-process for the session), an AWS region, or a
 * custom endpoint URL; keys from the demo pair, a profile, manual keys or the default chain.
 */
import { DEMO_REGION } from '../../common/demo.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import { resolveCredentials, type CredentialSource, type Credentials } from '../credentials/credentials.ts';
import { resolveRegion } from '../credentials/profiles.ts';
import { resolveTarget } from '../targets/target.ts';

export interface SessionChoice {
  local?: boolean;
  endpointUrl?: string;
  region?: string;
  fips?: boolean;
  dualStack?: boolean;
  profile?: string;
  /** Overrides profile/default-chain selection (manual keys from the UI). */
  credentials?: CredentialSource;
  env?: NodeJS.ProcessEnv;
}

export interface Session {
  target: TargetRecord;
  credentials: Credentials;
  source: CredentialSource;
  /** Stops an embedded endpoint this session started; a no-op otherwise. */
  close(): Promise<void>;
}

export async function openSession(choice: SessionChoice): Promise<Session> {
  const env = choice.env ?? process.env;
  if (choice.local) {
    const source: CredentialSource = choice.credentials ?? { kind: 'demo' };
    const given = env.HEARTBEAT_LOCAL_URL;
    if (given) {
      const target = resolveTarget({ kind: 'local', url: given, region: choice.region ?? DEMO_REGION });
      return { target, credentials: await resolveCredentials(source), source, close: async () => {} };
    }
    // Loaded only for --local: the endpoint is a whole server the other paths do not need.
    const { startEndpoint } = await import('../endpoint/index.ts');
    const endpoint = await startEndpoint();
    const demo = endpoint.credentials[0]!;
    const target = resolveTarget({ kind: 'local', url: endpoint.url, region: endpoint.region });
    const credentials = choice.credentials ? await resolveCredentials(choice.credentials) : { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey };
    return { target, credentials, source, close: () => endpoint.close() };
  }
  const source: CredentialSource = choice.credentials ?? (choice.profile ? { kind: 'profile', profile: choice.profile } : { kind: 'default' });
  const region = await resolveRegion({ ...(choice.region ? { region: choice.region } : {}), ...(choice.profile ? { profile: choice.profile } : {}), env });
  const target = choice.endpointUrl
    ? resolveTarget({ kind: 'url', url: choice.endpointUrl, region })
    : resolveTarget({ kind: 'region', region, ...(choice.fips ? { fips: true } : {}), ...(choice.dualStack ? { dualStack: true } : {}) });
  return { target, credentials: await resolveCredentials(source), source, close: async () => {} };
}

