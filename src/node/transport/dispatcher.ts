/**
 * The connection pool every send goes through: keep-alive reuse, connect/read timeouts (60 s defaults,
 * as the AWS CLI), a CA bundle, certificate checks that only --no-verify-ssl turns off, and
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY through undici's EnvHttpProxyAgent.
 */
import { readFile } from 'node:fs/promises';
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { createConnector } from './connector.ts';
import { AppError } from '../../common/errors.ts';

export const DEFAULT_TIMEOUT_MS = 60_000;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface TransportOptions {
  connectTimeoutMs?: number;
  readTimeoutMs?: number;
  /** Path of a PEM file with the CA certificates to trust (in addition to none: like the AWS CLI, it replaces the default store). */
  caBundle?: string;
  /** false only for an explicit --no-verify-ssl. */
  verifySsl?: boolean;
  /** Response bodies beyond this many bytes are cut off (and marked truncated). */
  bodyLimit?: number;
  /** Proxy variables; process.env by default. */
  env?: NodeJS.ProcessEnv;
}

export interface Transport {
  dispatcher: Dispatcher;
  connectTimeoutMs: number;
  readTimeoutMs: number;
  bodyLimit: number;
  /** true when requests go through a proxy (phase timings are then not available). */
  proxied: boolean;
  close(): Promise<void>;
}

export class TransportConfigError extends AppError {
  constructor(message: string) {
    super('TRANSPORT_CONFIG', message);
  }
}

export async function createTransport(options: TransportOptions = {}): Promise<Transport> {
  const connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const readTimeoutMs = options.readTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  let ca: Buffer | undefined;
  if (options.caBundle) {
    try {
      ca = await readFile(options.caBundle);
    } catch {
      throw new TransportConfigError(`Cannot read the CA bundle ${options.caBundle}; give a readable PEM file.`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      throw new TransportConfigError(`The CA bundle ${options.caBundle} holds no PEM certificate.`);
  }
  const rejectUnauthorized = options.verifySsl !== false;
  const env = options.env ?? process.env;
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY;
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY;
  // A bounded pool per origin: undici frees a connection a tick after its response ends, so without a
  // bound a busy replay would keep opening new sockets instead of waiting that tick for a free one.
  const common = { headersTimeout: readTimeoutMs, bodyTimeout: readTimeoutMs, keepAliveTimeout: 4_000, pipelining: 1, connections: 64 };
  const tlsOptions = { rejectUnauthorized, ...(ca ? { ca } : {}) };
  let dispatcher: Dispatcher;
  const proxied = Boolean(httpProxy || httpsProxy);
  if (proxied) {
    dispatcher = new EnvHttpProxyAgent({
      ...common,
      ...(httpProxy ? { httpProxy } : {}),
      ...(httpsProxy ? { httpsProxy } : {}),
      noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
      connect: { timeout: connectTimeoutMs, ...tlsOptions },
      requestTls: { timeout: connectTimeoutMs, ...tlsOptions },
    });
  } else {
    dispatcher = new Agent({ ...common, connect: createConnector({ connectTimeoutMs, rejectUnauthorized, ...(ca ? { ca } : {}) }) });
  }
  return {
    dispatcher,
    connectTimeoutMs,
    readTimeoutMs,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    proxied,
    close: () => dispatcher.close(),
  };
}
