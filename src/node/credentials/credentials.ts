/**
 * Where the keys for a send come from. Secrets stay inside src/node: callers get `Credentials` only to
 * hand them to the signer, and anything shown to a person goes through `describeCredentials`.
 */
import { DEMO_CREDENTIALS } from '../../common/demo.ts';
import { AppError } from '../../common/errors.ts';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type CredentialSource =
  /** The AWS SDK's default chain: env, shared files, SSO, assume-role, credential_process, IMDS. */
  | { kind: 'default' }
  /** A named profile of the shared config/credentials files (with everything the chain supports for it). */
  | { kind: 'profile'; profile: string }
  | { kind: 'manual'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  /** The embedded endpoint's documented demo keys. */
  | { kind: 'demo' };

/** What the UI may see about credentials: never the secret, only the last 4 of the key id. */
export interface CredentialSummary {
  source: CredentialSource['kind'];
  profile?: string;
  accessKeyIdLast4: string;
  hasSessionToken: boolean;
}

export class CredentialsError extends AppError {
  /** Why the chain found nothing, without the CLI's advice (hosts give their own). */
  readonly why?: string;

  constructor(message: string, why?: string) {
    super('CREDENTIALS', message);
    if (why !== undefined) this.why = why;
  }
}

/**
 * Resolves fresh credentials for one send. A new provider is built on every call (and the shared files
 * are re-read) so keys rotated on disk are used without a restart. The SDK providers are loaded lazily:
 * sends with manual or demo keys never pay for them.
 */
export async function resolveCredentials(source: CredentialSource): Promise<Credentials> {
  if (source.kind === 'demo') return { accessKeyId: DEMO_CREDENTIALS.accessKeyId, secretAccessKey: DEMO_CREDENTIALS.secretAccessKey };
  if (source.kind === 'manual') {
    if (!source.accessKeyId || !source.secretAccessKey)
      throw new CredentialsError('Manual credentials need both an access key id and a secret access key.');
    return {
      accessKeyId: source.accessKeyId,
      secretAccessKey: source.secretAccessKey,
      ...(source.sessionToken ? { sessionToken: source.sessionToken } : {}),
    };
  }
  const env = process.env;
  // The chain's first provider, without loading the SDK (a large share of `heartbeat send` start-up).
  if (source.kind === 'default' && !env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return {
      accessKeyId: env.AWS_ACCESS_KEY_ID,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const profile = source.kind === 'profile' ? source.profile : undefined;
  try {
    const provider = fromNodeProviderChain({ ...(profile ? { profile } : {}), ignoreCache: true });
    const found = await provider();
    return {
      accessKeyId: found.accessKeyId,
      secretAccessKey: found.secretAccessKey,
      ...(found.sessionToken ? { sessionToken: found.sessionToken } : {}),
    };
  } catch (error) {
    const why = (error as Error).message?.split('\n')[0] ?? String(error);
    throw new CredentialsError(
      profile
        ? `Could not load credentials for profile "${profile}" (${why.replace(/\.$/, '')}); check ~/.aws/config and ~/.aws/credentials.`
        : `Could not find AWS credentials (${why.replace(/\.$/, '')}); set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, pass --profile, or use --local.`,
      why.replace(/\.$/, ''),
    );
  }
}

export function describeCredentials(source: CredentialSource, credentials: Credentials): CredentialSummary {
  return {
    source: source.kind,
    ...(source.kind === 'profile' ? { profile: source.profile } : {}),
    accessKeyIdLast4: credentials.accessKeyId.slice(-4),
    hasSessionToken: Boolean(credentials.sessionToken),
  };
}
