/**
 * Browser mode's host: serves the built UI and the HeartbeatApi (routeOf in src/common/api-args.ts) on
 * 127.0.0.1 only. Every API call needs the per-launch token (it reaches the page in the URL fragment,
 * which browsers never send to a server); the Host header must name this loopback address (DNS
 * rebinding); a foreign Origin or a cross-site fetch is refused; no CORS headers are ever sent.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeartbeatApi, HostEvent, HttpErrorBody } from '../../common/api.ts';
import { callApi, checkApiArgs, EVENTS_ROUTE } from '../../common/api-args.ts';
import { EventStream, type EventStreamState } from '../endpoint/event-stream.ts';
import { HostError, sentenceOf } from './host-error.ts';
import { HTTP_STATUS_OF, isAppError } from '../../common/errors.ts';
import { methodOfRoute } from './routes.ts';
import { serveStaticFile } from './static-files.ts';

export interface UiHostOptions {
  api: HeartbeatApi;
  /** The built renderer (dist/ui). */
  uiDir: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default: 32 random bytes, base64url. */
  token?: string;
}

export interface UiHost {
  /** http://127.0.0.1:PORT/ */
  origin: string;
  /** The URL to open: origin + "#token=…". */
  url: string;
  token: string;
  /** Each open /api/events stream's bytes waiting to be sent and events dropped (diagnostics and tests). */
  eventStreams(): EventStreamState[];
  close(): Promise<void>;
}

/** Largest API request body: a composed document can be big, and "send anyway" may test a 413. */
const MAX_API_BODY = 16 * 1024 * 1024;
const SSE_PING_MS = 15_000;

/**
 * What a page that fell behind gets before live events resume: a notice saying how many it missed, and
 * history-reset, since a missed history event means its list must be queried again.
 */
function droppedEvents(n: number): string {
  const notice: HostEvent = {
    type: 'notice',
    message: `The page read live events too slowly: ${n} event${n === 1 ? ' was' : 's were'} dropped; the history is queried again.`,
  };
  const reset: HostEvent = { type: 'history-reset' };
  return `event: dropped\ndata: ${JSON.stringify(notice)}\n\ndata: ${JSON.stringify(reset)}\n\n`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const body: HttpErrorBody = { error: { message } };
  sendJson(res, status, body);
}

function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_API_BODY) {
        reject(new HostError('The request to the app host is too large (over 16 MiB).', 'TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => reject(new HostError('The request to the app host was cut off; try again.')));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        const value: unknown = text ? JSON.parse(text) : {};
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        resolve(value as Record<string, unknown>);
      } catch {
        reject(new HostError('The request to the app host is not a JSON object.'));
      }
    });
  });
}

export async function startUiHost(options: UiHostOptions): Promise<UiHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const expected = Buffer.from(`Bearer ${token}`);
  const streams = new Map<ServerResponse, EventStream>();
  let origins: Set<string> = new Set();
  let hosts: Set<string> = new Set();

  const authorized = (req: IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (!authorized(req))
      return refuse(res, 401, 'This page lacks the app host\'s access token: open the URL that "heartbeat ui" printed.');
    if (path === EVENTS_ROUTE) {
      if (req.method !== 'GET') return refuse(res, 405, 'Use GET for the event stream.');
      return openEventStream(res);
    }
    const method = methodOfRoute(path);
    if (!method) return refuse(res, 404, `The app host has no API "${path}".`);
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST');
      return refuse(res, 405, 'Use POST for the app host API.');
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? ''))
      return refuse(res, 415, 'Send the app host JSON (Content-Type: application/json).');
    try {
      const args = await readJsonBody(req);
      const problem = checkApiArgs(method, args);
      if (problem) throw new HostError(`The app host refused the call: ${problem}`);
      sendJson(res, 200, { result: await callApi(options.api, method, args) });
    } catch (error) {
      refuse(res, isAppError(error) ? HTTP_STATUS_OF[error.code] : 500, sentenceOf(error));
    }
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const stream = new EventStream(res, { droppedFrame: droppedEvents, pingMs: SSE_PING_MS });
    streams.set(res, stream);
    const unsubscribe = options.api.subscribe((event) => stream.push(`data: ${JSON.stringify(event)}\n\n`));
    res.on('close', () => {
      unsubscribe();
      streams.delete(res);
    });
  }

  const server = createServer((req, res) => {
    // DNS rebinding: a page of another name resolving to 127.0.0.1 would send its own Host.
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return refuse(res, 421, 'The app host answers only to its loopback address.');
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return refuse(res, 403, 'Requests from other web pages are refused.');
    if (req.headers['sec-fetch-site'] === 'cross-site') return refuse(res, 403, 'Requests from other web pages are refused.');
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      return refuse(res, 400, 'The request path is not valid.');
    }
    if (path === '/api' || path.startsWith('/api/')) {
      void handleApi(req, res, path);
      return;
    }
    void serveStaticFile(options.uiDir, path, req, res);
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 0; // the event stream stays open
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const base = `http://127.0.0.1:${port}/`;
  return {
    origin: base,
    url: `${base}#token=${token}`,
    token,
    eventStreams: () => Array.from(streams.values(), (s) => s.state),
    close: () =>
      new Promise<void>((resolve) => {
        for (const [res, stream] of streams) {
          stream.close();
          res.end();
        }
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
