/**
 * Target + credentials for a command or a UI send, from user choices: the embedded endpoint (`local`:
 * HEARTBEAT_LOCAL_URL when set, else the one `heartbeat serve` or `heartbeat ui` runs on
 * 127.0.0.1:8787 when it answers as ours, else one started in-process for the session), an AWS
 * region, or a custom endpoint URL; keys from the demo pair, a profile, manual keys or the default chain.
 */
import { DEFAULT_ENDPOINT_PORT, DEMO_REGION, ENDPOINT_SERVICE_ID } from '../../common/demo.ts';
import type { TargetRecord } from '../../common/log/entry.ts';
import { resolveCredentials, type CredentialSource, type Credentials } from '../credentials/credentials.ts';
import { resolveRegion } from '../credentials/profiles.ts';
import { resolveTarget } from '../targets/target.ts';
import type { EndpointAdmin } from '../endpoint/admin-api.ts';

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
  /** For --local: which embedded endpoint the session uses, as a sentence (for --debug). */
  localNote?: string;
  /** The embedded endpoint this session started in-process, if it did: a fleet run registers its devices there. */
  started?: EndpointAdmin;
  /** Stops an embedded endpoint this session started; a no-op otherwise. */
  close(): Promise<void>;
}

/** Where `heartbeat serve` listens by default; HEARTBEAT_SERVE_URL moves where `--local` looks. */
export const DEFAULT_SERVE_URL = `http://127.0.0.1:${DEFAULT_ENDPOINT_PORT}`;
const PROBE_TIMEOUT_MS = 500;
/** The health answer is a small JSON object; anything much larger is not our endpoint. */
const PROBE_BODY_LIMIT = 64 * 1024;

/**
 * The region of our embedded endpoint answering at `url` (its unauthenticated GET /__admin/health),
 * or undefined when nothing answers there, or something that is not ours. Asked with node:http, which
 * the transport has loaded anyway: the global fetch would load and compile a second HTTP client
 * (Node's own undici), a large share of a `heartbeat send --local`'s start-up.
 */
export async function probeEmbeddedEndpoint(url: string): Promise<{ region: string; anyRegion: boolean } | undefined> {
  let address: URL;
  try {
    address = new URL(`${url}/__admin/health`);
  } catch {
    return undefined;
  }
  if (address.protocol !== 'http:' && address.protocol !== 'https:') return undefined;
  const { get } = address.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: { region: string; anyRegion: boolean } | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), PROBE_TIMEOUT_MS);
    // agent: false: one connection, closed after the answer, so nothing is left to keep the process up.
    const request = get(address, { agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status >= 300) return done(undefined);
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > PROBE_BODY_LIMIT) done(undefined);
        else chunks.push(chunk);
      });
      response.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            service?: unknown;
            region?: unknown;
            anyRegion?: unknown;
          } | null;
          if (!body || body.service !== ENDPOINT_SERVICE_ID || typeof body.region !== 'string') return done(undefined);
          done({ region: body.region, anyRegion: body.anyRegion === true });
        } catch {
          done(undefined);
        }
      });
      response.on('error', () => done(undefined));
    });
    request.on('error', () => done(undefined));
  });
}

export async function openSession(choice: SessionChoice): Promise<Session> {
  const env = choice.env ?? process.env;
  if (choice.local) {
    const source: CredentialSource = choice.credentials ?? { kind: 'demo' };
    const given = env.HEARTBEAT_LOCAL_URL;
    if (given) {
      const target = resolveTarget({ kind: 'local', url: given, region: choice.region ?? DEMO_REGION });
      return {
        target,
        credentials: await resolveCredentials(source),
        source,
        localNote: `Target: the embedded endpoint at ${target.url} (HEARTBEAT_LOCAL_URL).`,
        close: async () => {},
      };
    }
    // The default target is the running embedded endpoint, so what is sent shows up in its registry.
    const serveUrl = (env.HEARTBEAT_SERVE_URL || DEFAULT_SERVE_URL).replace(/\/+$/, '');
    const running = await probeEmbeddedEndpoint(serveUrl);
    if (running) {
      const target = resolveTarget({ kind: 'local', url: serveUrl, region: choice.region ?? running.region });
      const note = `Target: the running embedded endpoint at ${target.url} (heartbeat serve or heartbeat ui; ${running.anyRegion ? 'any region' : `region ${running.region}`}).`;
      return { target, credentials: await resolveCredentials(source), source, localNote: note, close: async () => {} };
    }
    // Loaded only when needed: the endpoint is a whole server the other paths do not need.
    const { startEndpoint } = await import('../endpoint/index.ts');
    const endpoint = await startEndpoint();
    const demo = endpoint.credentials[0]!;
    const target = resolveTarget({ kind: 'local', url: endpoint.url, region: choice.region ?? endpoint.region });
    const credentials = choice.credentials
      ? await resolveCredentials(choice.credentials)
      : { accessKeyId: demo.accessKeyId, secretAccessKey: demo.secretAccessKey };
    const note = `Target: a throwaway embedded endpoint at ${target.url}, started for this command and stopped after it (no embedded endpoint answers at ${serveUrl}; start one with heartbeat serve).`;
    return { target, credentials, source, localNote: note, started: endpoint.admin, close: () => endpoint.close() };
  }
  const source: CredentialSource =
    choice.credentials ?? (choice.profile ? { kind: 'profile', profile: choice.profile } : { kind: 'default' });
  const region = await resolveRegion({
    ...(choice.region ? { region: choice.region } : {}),
    ...(choice.profile ? { profile: choice.profile } : {}),
    env,
  });
  const target = choice.endpointUrl
    ? resolveTarget({ kind: 'url', url: choice.endpointUrl, region })
    : resolveTarget({ kind: 'region', region, ...(choice.fips ? { fips: true } : {}), ...(choice.dualStack ? { dualStack: true } : {}) });
  return { target, credentials: await resolveCredentials(source), source, close: async () => {} };
}
