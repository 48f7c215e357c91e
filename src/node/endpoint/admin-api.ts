/**
 * The admin API under /__admin/ for the UI and tests: loopback callers only, with the admin token in
 * `Authorization: Bearer TOKEN` or `x-heartbeat-admin-token`. JSON in and out, plus a server-sent-event
 * stream of every exchange.
 *
 *   GET  /__admin/health                  {"service": "heartbeat-composer-endpoint", "region", "anyRegion"} (no token)
 *   GET  /__admin/devices                 {"devices": [...]}
 *   POST /__admin/devices                 {"devices": [{"name", "fleet"}...]} registers them → {"registered", "known", "refused"} (body ≤ 8 MiB)
 *   GET  /__admin/devices/FLEET/NAME      one device (404 when unknown)
 *   GET  /__admin/deployments             {"plans": [plan status...]}
 *   POST /__admin/deployments             a deployment plan → 201 its status; 400 invalid, 409 name in use (body ≤ 8 MiB)
 *   GET  /__admin/deployments/NAME        one plan's status (404 when unknown)
 *   POST /__admin/deployments/NAME/cancel cancels it → its status (404 when unknown)
 *   GET  /__admin/fleet-report?fleet=F&limit=N   per fleet and per device: connected/offline, models, agent versions
 *   GET  /__admin/heartbeats?limit=N      {"heartbeats": [...]} newest last
 *   GET  /__admin/exchanges/ID            one of the latest requests in full: request (signature redacted), answer, verdict (404 when no longer kept)
 *   GET  /__admin/stats                   counters and p50/p99 handling time
 *   GET  /__admin/events                  text/event-stream, one `exchange` event per request, batched; `dropped` when a slow reader missed some
 *   GET  /__admin/faults | PUT /__admin/faults   fault settings (PUT replaces them)
 *   POST /__admin/reset                   devices and plans back to the config, stats, heartbeats and exchanges cleared
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ENDPOINT_SERVICE_ID } from '../../common/demo.ts';
import type { EndpointExchange } from '../../common/endpoint-exchange.ts';
import type { DeploymentPlanStatus, FleetReport, FleetReportOptions } from '../../common/endpoint-fleet-types.ts';
import { HTTP_STATUS_OF, isAppError } from '../../common/errors.ts';
import { parseJson } from '../../common/json/parse.ts';
import { parseJsonFast } from '../../common/json/parse-fast.ts';
import { readBody } from './body.ts';
import { ServiceError } from './errors.ts';
import { EventStream, type EventStreamState } from './event-stream.ts';
import type { FaultSettings } from '../../common/api.ts';
import type { ResolvedFaults } from './faults.ts';
import type { EndpointEvent, EndpointStats, EventListener } from './monitor.ts';
import type { DeviceState, DeviceToRegister, RegisterDevicesResult } from './registry.ts';

export const ADMIN_PREFIX = '/__admin';

/** In-process access to the endpoint's state: what the admin API serves, for hosts in the same process. */
export interface EndpointAdmin {
  devices(): DeviceState[];
  device(fleet: string, name: string): DeviceState | undefined;
  recentHeartbeats(limit?: number): EndpointEvent[];
  /** One of the latest exchanges in full (secrets redacted), by its id (the answer's x-amzn-RequestId); undefined when no longer kept. */
  exchange(id: string): EndpointExchange | undefined;
  /** How many exchanges are kept at most. */
  exchangesKept(): number;
  stats(): EndpointStats & { captureError?: string };
  faults(): ResolvedFaults;
  /** Replaces the fault settings (unset fields take their defaults); throws a sentence when invalid. */
  setFaults(settings: FaultSettings): ResolvedFaults;
  subscribe(listener: EventListener): () => void;
  /** Devices and plans back to the config file; stats, recent heartbeats and exchanges, and faults back to the start. */
  reset(): void;
  /** Registers devices whatever auto-registration says (idempotent, capped); throws an AppError sentence when an entry is bad. */
  registerDevices(devices: readonly DeviceToRegister[], source?: 'admin' | 'run'): RegisterDevicesResult;
  deploymentPlans(): DeploymentPlanStatus[];
  deploymentPlan(name: string): DeploymentPlanStatus | undefined;
  /** Checks and starts a plan; throws an AppError: BAD_INPUT (a sentence naming the member), CONFLICT (name in use). */
  createDeploymentPlan(plan: unknown): DeploymentPlanStatus;
  /** Cancels a plan (no longer handed out); throws an AppError NOT_FOUND for an unknown name. */
  cancelDeploymentPlan(name: string): DeploymentPlanStatus;
  fleetReport(options?: FleetReportOptions): FleetReport;
}

/** Bodies of POST /__admin/devices and /__admin/deployments: room for 100,000 devices. */
export const MAX_ADMIN_LIST_BODY = 8 * 1024 * 1024;

const SSE_PING_MS = 15_000;

/** What the endpoint says about itself on GET /__admin/health: enough for a client to find and sign for it. */
export interface EndpointIdentity {
  service: typeof ENDPOINT_SERVICE_ID;
  region: string;
  anyRegion: boolean;
}

export class AdminApi {
  private readonly streams = new Map<ServerResponse, EventStream>();

  constructor(
    private readonly admin: EndpointAdmin,
    private readonly token: string,
    private readonly identity?: EndpointIdentity,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = url.pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
    const send = (status: number, body: unknown) => {
      const text = body === undefined ? '' : JSON.stringify(body);
      res
        .writeHead(status, {
          'x-amzn-RequestId': requestId,
          'content-type': 'application/json',
          'cache-control': 'no-store',
          'content-length': Buffer.byteLength(text),
        })
        .end(text);
    };
    if (!isLoopback(req.socket.remoteAddress))
      return send(403, { message: 'The admin API answers only on loopback; call it from the same machine.' });
    // The one route without the token: it tells `heartbeat send --local` a running endpoint is ours.
    if (route === '/health' && req.method === 'GET' && this.identity) return send(200, this.identity);
    if (!this.authorized(req))
      return send(401, {
        message: 'The admin token is missing or wrong; send it as "Authorization: Bearer TOKEN" or "x-heartbeat-admin-token: TOKEN".',
      });
    const method = req.method ?? 'GET';
    const allow = (methods: string) => {
      if (methods.split(',').includes(method)) return true;
      res.setHeader('allow', methods);
      send(405, { message: `${ADMIN_PREFIX}${route} accepts ${methods.replace(',', ' or ')}, not ${method}.` });
      return false;
    };

    /** The JSON body (≤ maxBytes), or undefined when an answer was already sent. */
    const readJson = async (maxBytes: number, what: string): Promise<{ value: unknown } | undefined> => {
      const body = await readBody(req, { maxBytes, timeoutMs: 10_000 });
      if (body === 'gone') return undefined;
      if (body instanceof ServiceError) return void send(body.status, { message: body.message });
      const text = body.toString('utf8');
      const fast = parseJsonFast(text);
      if (fast) return fast;
      const parsed = parseJson(text, { positions: false });
      if (parsed.errors.length) return void send(400, { message: `${what} is not valid JSON: ${parsed.errors[0].message}` });
      return { value: parsed.value };
    };
    /** Runs an admin action; an AppError is answered with its code's status and sentence. */
    const attempt = (status: number, action: () => unknown) => {
      let result: unknown;
      try {
        result = action();
      } catch (error) {
        if (isAppError(error)) return send(HTTP_STATUS_OF[error.code], { message: error.message });
        throw error;
      }
      return send(status, result);
    };

    if (route === '/devices') {
      if (!allow('GET,POST')) return;
      if (method === 'GET') return send(200, { devices: this.admin.devices() });
      const body = await readJson(MAX_ADMIN_LIST_BODY, 'The device list');
      if (!body) return;
      const devices = isRecord(body.value) ? body.value.devices : undefined;
      if (!isRecord(body.value) || Object.keys(body.value).some((k) => k !== 'devices') || !Array.isArray(devices))
        return send(400, { message: 'Send {"devices": [{"name": DEVICE, "fleet": FLEET}, ...]} to register devices.' });
      return attempt(200, () => this.admin.registerDevices(devices as DeviceToRegister[], 'admin'));
    }
    if (route === '/deployments') {
      if (!allow('GET,POST')) return;
      if (method === 'GET') return send(200, { plans: this.admin.deploymentPlans() });
      const body = await readJson(MAX_ADMIN_LIST_BODY, 'The deployment plan');
      if (!body) return;
      return attempt(201, () => this.admin.createDeploymentPlan(body.value));
    }
    const plan = /^\/deployments\/([^/]+)(\/cancel)?$/.exec(route);
    if (plan) {
      const name = decodeURIComponent(plan[1]);
      if (plan[2]) return allow('POST') ? attempt(200, () => this.admin.cancelDeploymentPlan(name)) : undefined;
      if (!allow('GET')) return;
      const found = this.admin.deploymentPlan(name);
      return found
        ? send(200, found)
        : send(404, { message: `There is no deployment plan named "${name}"; list them with GET /__admin/deployments.` });
    }
    if (route === '/fleet-report') {
      if (!allow('GET')) return;
      const fleet = url.searchParams.get('fleet');
      const limitText = url.searchParams.get('limit');
      const limit = limitText === null ? undefined : Number(limitText);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
        return send(400, { message: `limit must be a whole number of devices (0 or more), not "${limitText}".` });
      return send(200, this.admin.fleetReport({ ...(fleet !== null ? { fleet } : {}), ...(limit !== undefined ? { limit } : {}) }));
    }
    const device = /^\/devices\/([^/]+)\/([^/]+)$/.exec(route);
    if (device) {
      if (!allow('GET')) return;
      const found = this.admin.device(decodeURIComponent(device[1]), decodeURIComponent(device[2]));
      return found ? send(200, found) : send(404, { message: 'No such device in that fleet; list the devices with GET /__admin/devices.' });
    }
    if (route === '/heartbeats') {
      if (!allow('GET')) return;
      const limit = Number(url.searchParams.get('limit') ?? 200);
      return send(200, { heartbeats: this.admin.recentHeartbeats(Number.isFinite(limit) ? limit : 200) });
    }
    const exchange = /^\/exchanges\/([^/]+)$/.exec(route);
    if (exchange) {
      if (!allow('GET')) return;
      let id: string;
      try {
        id = decodeURIComponent(exchange[1]);
      } catch {
        return send(400, { message: `The request id in ${url.pathname} is not a valid URL-encoded text.` });
      }
      const found = this.admin.exchange(id);
      return found
        ? send(200, found)
        : send(404, {
            message: `No request with id "${id}" is kept: the endpoint keeps only its latest ${this.admin.exchangesKept()} requests (and forgets them on reset).`,
          });
    }
    if (route === '/stats') return allow('GET') ? send(200, { ...this.admin.stats(), eventStreams: this.eventStreams() }) : undefined;
    if (route === '/events') return allow('GET') ? this.stream(req, res, requestId) : undefined;
    if (route === '/reset') {
      if (!allow('POST')) return;
      this.admin.reset();
      return send(200, { reset: true });
    }
    if (route === '/faults') {
      if (!allow('GET,PUT')) return;
      if (method === 'GET') return send(200, this.admin.faults());
      const body = await readBody(req, { maxBytes: 64 * 1024, timeoutMs: 10_000 });
      if (body === 'gone') return;
      if (body instanceof ServiceError) return send(body.status, { message: body.message });
      const parsed = parseJson(body.toString('utf8'), { positions: false });
      if (parsed.errors.length) return send(400, { message: `The fault settings are not valid JSON: ${parsed.errors[0].message}` });
      try {
        return send(200, this.admin.setFaults(parsed.value as FaultSettings));
      } catch (error) {
        return send(400, { message: (error as Error).message });
      }
    }
    send(404, { message: `No admin resource at ${url.pathname}; see docs/endpoint.md for the admin API.` });
  }

  /** Ends every open event stream (on shutdown). */
  closeStreams(): void {
    for (const [res, stream] of this.streams) {
      stream.close();
      res.end();
    }
    this.streams.clear();
  }

  private stream(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    res.writeHead(200, {
      'x-amzn-RequestId': requestId,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    const stream = new EventStream(res, { droppedFrame: (n) => `event: dropped\ndata: {"dropped":${n}}\n\n`, pingMs: SSE_PING_MS });
    this.streams.set(res, stream);
    const unsubscribe = this.admin.subscribe((event) =>
      stream.push(`id: ${event.id}\nevent: exchange\ndata: ${JSON.stringify(event)}\n\n`),
    );
    req.socket.setTimeout(0);
    res.on('close', () => {
      unsubscribe();
      this.streams.delete(res);
    });
  }

  /** Each open event stream's bytes waiting to be sent and events dropped (GET /__admin/stats shows them). */
  eventStreams(): EventStreamState[] {
    return Array.from(this.streams.values(), (s) => s.state);
  }

  private authorized(req: IncomingMessage): boolean {
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const header = req.headers['x-heartbeat-admin-token'];
    const given = bearer ?? (typeof header === 'string' ? header : undefined);
    if (given === undefined) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(this.token);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}
