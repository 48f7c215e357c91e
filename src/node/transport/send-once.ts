/**
 * One HTTP exchange: send the signed request, read at most `bodyLimit` bytes of the answer, time the
 * phases. Failures come back as TransportFailure (typed code + sentence); retries are the engine's job.
 */
import diagnostics from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { request as undiciRequest } from 'undici';
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
 * attempts by their (unique per attempt) amz-sdk-invocation-id and amz-sdk-request headers.
 */
const pendingPhases = new Map<string, (socket: Socket) => void>();
let subscribed = false;
const ATTEMPT_KEY = /\r\namz-sdk-invocation-id: ([^\r]+)\r\n[\s\S]*?amz-sdk-request: ([^\r]+)\r\n|\r\namz-sdk-request: ([^\r]+)\r\n[\s\S]*?amz-sdk-invocation-id: ([^\r]+)\r\n/i;

function onSendHeaders(message: unknown): void {
  const { headers, socket } = message as { headers?: unknown; socket?: Socket };
  if (typeof headers !== 'string' || !socket || pendingPhases.size === 0) return;
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

export async function sendOnce(transport: Transport, outgoing: OutgoingRequest, signal?: AbortSignal): Promise<RawResponse> {
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
  const where = new URL(outgoing.url).host;
  try {
    const { host: _host, ...headers } = outgoing.headers;
    const response = await undiciRequest(outgoing.url, {
      dispatcher: transport.dispatcher,
      method: outgoing.method as 'POST',
      headers,
      body: outgoing.body,
      headersTimeout: transport.readTimeoutMs,
      bodyTimeout: transport.readTimeoutMs,
      ...(signal ? { signal } : {}),
    });
    timings.firstByteMs = round(performance.now() - started);
    // Event-based reading: an async iterator per response costs more than the exchange itself here.
    const { chunks, truncated } = await new Promise<{ chunks: Buffer[]; truncated: boolean }>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.body.on('data', (buffer: Buffer) => {
        if (size + buffer.length > transport.bodyLimit) {
          chunks.push(buffer.subarray(0, transport.bodyLimit - size));
          // The rest is not wanted; dropping the stream closes this connection.
          response.body.destroy();
          resolve({ chunks, truncated: true });
          return;
        }
        chunks.push(buffer);
        size += buffer.length;
      });
      response.body.once('end', () => resolve({ chunks, truncated: false }));
      response.body.once('error', reject);
    });
    const responseHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    timings.totalMs = round(performance.now() - started);
    return { status: response.statusCode, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8'), truncated, timings };
  } catch (error) {
    throw classifyTransportError(error, where, { connectMs: transport.connectTimeoutMs, readMs: transport.readTimeoutMs });
  } finally {
    if (key) pendingPhases.delete(key);
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
