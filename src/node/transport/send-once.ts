/**
 * One HTTP exchange: send the signed request, read at most `bodyLimit` bytes of the answer, time the
 * phases. Failures come back as TransportFailure (typed code + sentence); retries are the engine's job.
 *
 * It goes through undici's dispatch API with a handler that collects the (small) answer itself: the
 * `request()` API wraps every answer in a Readable stream and an async resource, which cost more CPU
 * than the rest of the exchange for Edge Manager's empty or tiny bodies.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Dispatcher } from 'undici';
import type { Timings } from '../../common/log/entry.ts';
import { socketTimes } from './connector.ts';
import { classifyTransportError } from './errors.ts';
import type { Transport } from './dispatcher.ts';

export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What sendOnce needs of a cancellation: an AbortSignal, or anything with these members. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface RawResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  timings: Timings;
}

/**
 * undici reports which socket carried a request on a diagnostics channel; requests are matched to
 * attempts by their (unique per attempt) amz-sdk-invocation-id and amz-sdk-request headers. Only a
 * socket whose phases nobody has reported yet is worth matching (the first request on each connection).
 */
const pendingPhases = new Map<string, (socket: Socket) => void>();
let subscribed = false;
const ATTEMPT_KEY =
  /\r\namz-sdk-invocation-id: ([^\r]+)\r\n[\s\S]*?amz-sdk-request: ([^\r]+)\r\n|\r\namz-sdk-request: ([^\r]+)\r\n[\s\S]*?amz-sdk-invocation-id: ([^\r]+)\r\n/i;

function onSendHeaders(message: unknown): void {
  const { headers, socket } = message as { headers?: unknown; socket?: Socket };
  if (typeof headers !== 'string' || !socket || pendingPhases.size === 0) return;
  const times = socketTimes.get(socket);
  if (!times || times.claimed) return;
  const match = ATTEMPT_KEY.exec(headers);
  if (!match) return;
  const key = match[1] !== undefined ? `${match[1]}|${match[2]}` : `${match[4]}|${match[3]}`;
  const report = pendingPhases.get(key);
  if (report) report(socket);
}

function attemptKey(headers: Record<string, string>): string | undefined {
  const id = headers['amz-sdk-invocation-id'];
  const attempt = headers['amz-sdk-request'];
  return id && attempt ? `${id}|${attempt}` : undefined;
}

interface Destination {
  origin: string;
  path: string;
}

/** URL → origin and path for undici, parsed once per URL (a replay sends to one URL many times). */
const destinations = new Map<string, Destination>();

function destinationOf(url: string): Destination {
  let found = destinations.get(url);
  if (!found) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError(`Invalid URL protocol: ${parsed.protocol}`);
    found = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (destinations.size >= 64) destinations.clear();
    destinations.set(url, found);
  }
  return found;
}

export function sendOnce(transport: Transport, outgoing: OutgoingRequest, signal?: CancelSignal): Promise<RawResponse> {
  if (!subscribed) {
    diagnostics.subscribe('undici:client:sendHeaders', onSendHeaders);
    subscribed = true;
  }
  const started = performance.now();
  const timings: Timings = { totalMs: 0 };
  const key = attemptKey(outgoing.headers);
  if (key) {
    pendingPhases.set(key, (socket) => {
      const times = socketTimes.get(socket);
      if (!times || times.claimed) return;
      times.claimed = true;
      if (times.connectedAt !== undefined) timings.connectMs = round(times.connectedAt - started);
      if (times.secureAt !== undefined) timings.tlsMs = round(times.secureAt - started);
    });
  }
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let responseHeaders: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = (): void => {
      const reason =
        signal?.reason instanceof Error ? signal.reason : Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
      if (controller) controller.abort(reason);
      else fail(reason);
    };
    const finish = (): void => {
      settled = true;
      if (key) pendingPhases.delete(key);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      finish();
      reject(
        classifyTransportError(error, new URL(outgoing.url).host, {
          connectMs: transport.connectTimeoutMs,
          readMs: transport.readTimeoutMs,
        }),
      );
    };
    const succeed = (truncated: boolean): void => {
      if (settled) return;
      finish();
      timings.totalMs = round(performance.now() - started);
      resolve({
        status,
        headers: responseHeaders,
        body: chunks.length === 0 ? '' : Buffer.concat(chunks).toString('utf8'),
        truncated,
        timings,
      });
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (settled || signal?.aborted) c.abort(signal?.reason instanceof Error ? signal.reason : new Error('The request was cancelled.'));
      },
      onResponseStart(_c, statusCode, headers) {
        if (statusCode < 200) return; // 1xx: informational, the answer follows
        status = statusCode;
        timings.firstByteMs = round(performance.now() - started);
        const flat: Record<string, string> = {};
        for (const name in headers) {
          const value = headers[name];
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        responseHeaders = flat;
      },
      onResponseData(c, chunk) {
        if (settled) return;
        if (size + chunk.length > transport.bodyLimit) {
          chunks.push(chunk.subarray(0, transport.bodyLimit - size));
          succeed(true);
          // The rest is not wanted; aborting closes this connection.
          c.abort(new Error('The response body passed the size limit.'));
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      },
      onResponseEnd() {
        succeed(false);
      },
      onResponseError(_c, error) {
        fail(error);
      },
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    try {
      const { origin, path } = destinationOf(outgoing.url);
      const { host: _host, ...headers } = outgoing.headers;
      transport.dispatcher.dispatch(
        {
          origin,
          path,
          method: outgoing.method as Dispatcher.HttpMethod,
          headers,
          body: outgoing.body,
          headersTimeout: transport.readTimeoutMs,
          bodyTimeout: transport.readTimeoutMs,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
