/**
 * The embedded Edge-Manager-compatible endpoint: the three operations over node:http with SigV4
 * verification, AWS-shaped errors, a device registry, capture, fault injection and an admin API.
 * `startEndpoint()` is the one entry point for the CLI (`heartbeat serve`), the hosts and the tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { DEMO_CREDENTIALS, DEMO_REGION, ENDPOINT_SERVICE_ID } from '../../common/demo.ts';
import { ADMIN_PREFIX, AdminApi, type EndpointAdmin } from './admin-api.ts';
import { CaptureWriter, type CaptureOptions } from './capture.ts';
import type { EndpointConfig } from './config.ts';
import { handleExchange, type ExchangeContext } from './exchange.ts';
import type { FaultSettings } from '../../common/api.ts';
import { FaultInjector, NO_FAULTS, resolveFaults } from './faults.ts';
import { Monitor } from './monitor.ts';
import { RecentExchanges, type RecentExchangesLimits } from './recent-exchanges.ts';
import { fleetReport } from './fleet-report.ts';
import { DeviceRegistry } from './registry.ts';
import { DeviceStateWriter, loadDeviceState } from './state-file.ts';
import { SignatureVerifier, type AcceptedKey } from './verify-signature.ts';

export type { EndpointAdmin, EndpointIdentity } from './admin-api.ts';
export type { EndpointConfig, DeviceConfig, FleetConfig } from './config.ts';
export { loadEndpointConfig, parseEndpointConfig, EndpointConfigError } from './config.ts';
export { loadCredentialsFile } from './credentials-file.ts';
export type { ResolvedFaults, InjectableError } from './faults.ts';
export { INJECTABLE_ERRORS, parseLatency, resolveFaults } from './faults.ts';
export type { EndpointEvent, EndpointStats } from './monitor.ts';
export type { DeviceState, ModelState, MetricReading, DeviceToRegister, RegisterDevicesResult } from './registry.ts';
export type { DeploymentPlan, DeploymentPlanStatus } from './deployment-plans.ts';
export { DeploymentPlanError, deploymentPlanProblem } from './deployment-plans.ts';
export type { FleetReport, FleetReportOptions } from './fleet-report.ts';
export { fleetReport } from './fleet-report.ts';
export type { AcceptedKey } from './verify-signature.ts';
export type { RecentExchangesLimits } from './recent-exchanges.ts';

export { SIGNING_NAME } from '../signing/sigv4.ts';
import { SIGNING_NAME } from '../signing/sigv4.ts';

export interface EndpointOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (any free port); the CLI defaults to 8787. */
  port?: number;
  /**
   * The region credential scopes must name. Unset (or '*'): any region is accepted, so a client signing
   * for whatever region it was configured with gets through; the endpoint stands in for every region.
   */
  region?: string;
  /** Accepted key pairs; default the documented DEMO_CREDENTIALS. */
  credentials?: AcceptedKey[];
  config?: EndpointConfig;
  /** Register unknown devices on their first valid heartbeat. Default true. */
  autoRegister?: boolean;
  /** Append one ExchangeLine per request to this JSON-lines file. */
  capturePath?: string;
  /** Rotation of the capture file and where its problems are told (capture.ts). */
  captureOptions?: CaptureOptions;
  /** Keep the device registry in this file across restarts. */
  statePath?: string;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** The whole body must arrive within this long after the headers. Default 10 s. */
  bodyTimeoutMs?: number;
  /** The headers must arrive within this long. Default 10 s. */
  headersTimeoutMs?: number;
  /** Allowed clock skew of X-Amz-Date. Default 300 (5 minutes, like AWS). */
  clockSkewSeconds?: number;
  faults?: FaultSettings;
  /** How many of the latest exchanges are kept whole, and their total size; default 200 and 8 MiB (docs/endpoint.md#recent-exchanges). */
  recentExchanges?: Partial<RecentExchangesLimits>;
  /** Default: 32 random hex characters. */
  adminToken?: string;
}

export interface RunningEndpoint {
  /** http://HOST:PORT */
  url: string;
  /** The region to sign for: the enforced one, else DEMO_REGION (which is accepted like any other). */
  region: string;
  /** True when credential scopes may name any region (no region was configured). */
  anyRegion: boolean;
  credentials: AcceptedKey[];
  adminToken: string;
  admin: EndpointAdmin;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2000;

export async function startEndpoint(options: EndpointOptions = {}): Promise<RunningEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const anyRegion = options.region === undefined || options.region === '*';
  const region = anyRegion ? DEMO_REGION : options.region!;
  const credentials = (options.credentials ?? [DEMO_CREDENTIALS]).map((k) => ({
    accessKeyId: k.accessKeyId,
    secretAccessKey: k.secretAccessKey,
  }));
  if (credentials.length === 0 || credentials.some((k) => !k.accessKeyId || !k.secretAccessKey))
    throw new Error('Every accepted key pair needs an access key id and a secret access key.');
  const startFaults = resolveFaults(options.faults ?? {}, NO_FAULTS);
  if (typeof startFaults === 'string') throw new Error(startFaults);
  const maxBodyBytes = positive(options.maxBodyBytes, 1024 * 1024, 'maxBodyBytes');
  const bodyTimeoutMs = positive(options.bodyTimeoutMs, 10_000, 'bodyTimeoutMs');
  const headersTimeoutMs = positive(options.headersTimeoutMs, 10_000, 'headersTimeoutMs');
  const clockSkewSeconds = positive(options.clockSkewSeconds, 300, 'clockSkewSeconds');
  const adminToken = options.adminToken ?? randomBytes(16).toString('hex');

  const registry = new DeviceRegistry({ config: options.config ?? {}, autoRegister: options.autoRegister ?? true });
  let stateWriter: DeviceStateWriter | undefined;
  if (options.statePath) {
    registry.restore(await loadDeviceState(options.statePath));
    const writer = (stateWriter = new DeviceStateWriter(options.statePath, () => registry.snapshot()));
    registry.onChange = () => writer.changed();
  }
  const capture = options.capturePath ? await CaptureWriter.open(options.capturePath, options.captureOptions) : undefined;
  const monitor = new Monitor();
  const faults = new FaultInjector(startFaults);
  const exchanges = new RecentExchanges(options.recentExchanges);
  const ctx: ExchangeContext = {
    verifier: new SignatureVerifier({ credentials, region: anyRegion ? '*' : region, service: SIGNING_NAME, clockSkewSeconds }),
    registry,
    monitor,
    faults,
    capture,
    exchanges,
    limits: { maxBytes: maxBodyBytes, timeoutMs: bodyTimeoutMs },
  };
  const admin: EndpointAdmin = {
    devices: () => registry.list(),
    device: (fleet, name) => registry.get(fleet, name),
    recentHeartbeats: (limit) => monitor.recentHeartbeats(limit),
    exchange: (id) => exchanges.get(id),
    exchangesKept: () => exchanges.limits.count,
    stats: () => ({ ...monitor.stats(), ...(capture?.error ? { captureError: capture.error } : {}) }),
    faults: () => faults.settings,
    setFaults: (settings) => {
      const next = resolveFaults(settings, NO_FAULTS);
      if (typeof next === 'string') throw new Error(next);
      return (faults.settings = next);
    },
    subscribe: (listener) => monitor.subscribe(listener),
    reset: () => {
      registry.reset();
      monitor.reset();
      exchanges.reset();
      faults.settings = startFaults;
    },
    registerDevices: (devices, source) => registry.registerDevices(devices, source),
    deploymentPlans: () => registry.plans.list(),
    deploymentPlan: (name) => registry.plans.get(name),
    createDeploymentPlan: (plan) => registry.plans.create(plan, 'admin'),
    cancelDeploymentPlan: (name) => registry.plans.cancel(name),
    fleetReport: (reportOptions) => fleetReport(registry, new Date(), reportOptions),
  };
  const adminApi = new AdminApi(admin, adminToken, { service: ENDPOINT_SERVICE_ID, region, anyRegion });

  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: headersTimeoutMs + bodyTimeoutMs,
      connectionsCheckingInterval: 500,
      keepAliveTimeout: 5000,
    },
    (req, res) => {
      const url = req.url ?? '/';
      const isAdmin = url === ADMIN_PREFIX || url.startsWith(`${ADMIN_PREFIX}/`) || url.startsWith(`${ADMIN_PREFIX}?`);
      const work = isAdmin ? adminApi.handle(req, res, randomUUID()) : handleExchange(req, res, ctx);
      work.catch(() => {
        // A bug must cost one request, not the server.
        if (!res.headersSent)
          res
            .writeHead(500, {
              'x-amzn-RequestId': randomUUID(),
              'x-amzn-ErrorType': 'InternalServiceException',
              'content-type': 'application/json',
            })
            .end(JSON.stringify({ Message: 'The endpoint failed to handle the request.' }));
        else res.destroy();
      });
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket));
  await listen(server, host, options.port ?? 0);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      adminApi.closeStreams();
      const grace = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      clearTimeout(grace);
      await capture?.close();
      await stateWriter?.close();
    })());

  return { url, region, anyRegion, credentials, adminToken, admin, close };
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not ${value}.`);
  return value;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use; pass another --port (or 0 for any free port)`
          : error.code === 'EADDRNOTAVAIL'
            ? `${host} is not an address of this machine`
            : (error.code ?? error.message);
      // The sentence for people, the code for callers that fall back to another port (heartbeat ui, the desktop app).
      reject(Object.assign(new Error(`The endpoint cannot listen on ${host}:${port}: ${why}.`), { code: error.code }));
    });
    server.listen(port, host, () => resolve());
  });
}

/** Node's own answers to broken or too slow requests, with the headers every answer carries. */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text, type, message] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [
          408,
          'Request Timeout',
          'RequestTimeoutException',
          'The request did not arrive in time; send the headers and body without pausing.',
        ]
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [
            431,
            'Request Header Fields Too Large',
            'RequestHeaderFieldsTooLargeException',
            'The request headers are too large; send fewer or shorter headers.',
          ]
        : [400, 'Bad Request', 'BadRequestException', 'The request is not valid HTTP/1.1; check the client.'];
  const body = JSON.stringify({ message });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nDate: ${new Date().toUTCString()}\r\nx-amzn-RequestId: ${randomUUID()}\r\nx-amzn-ErrorType: ${type}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
