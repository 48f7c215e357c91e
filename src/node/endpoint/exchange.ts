/**
 * One operation request, start to finish, in the order an AWS front end checks things:
 * route → method → body (size, deadline) → content type → SigV4 → UTF-8 → JSON → model validation →
 * injected faults → the operation. Every answer carries x-amzn-RequestId and Date, is counted, sent to
 * subscribers, kept whole among the recent exchanges (recent-exchanges.ts) and, with --capture, written
 * as one ExchangeLine.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJson } from '../../common/json/parse.ts';
import { parseJsonFast } from '../../common/json/parse-fast.ts';
import { LOG_VERSION, type ExchangeLine } from '../../common/log/entry.ts';
import type { Operation } from '../../common/model/index.ts';
import { validate } from '../../common/validation/validate.ts';
import { readBody, type BodyLimits } from './body.ts';
import type { CaptureWriter } from './capture.ts';
import { methodNotAllowed, serialization, ServiceError, unknownOperation, unsupportedMediaType } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import type { EndpointEvent, Monitor } from './monitor.ts';
import { OPERATION_PATHS, runOperation } from './operations.ts';
import { keptExchange, redactedPath, redactedRequestHeaders, type RecentExchanges } from './recent-exchanges.ts';
import type { DeviceRegistry } from './registry.ts';
import type { SignatureVerifier } from './verify-signature.ts';
import { rejectInvalid } from './validation-message.ts';

export interface ExchangeContext {
  verifier: SignatureVerifier;
  registry: DeviceRegistry;
  monitor: Monitor;
  faults: FaultInjector;
  capture: CaptureWriter | undefined;
  /** The latest exchanges in full, for the app's inspector and GET /__admin/exchanges/ID. */
  exchanges: RecentExchanges;
  limits: BodyLimits;
}

/** Events (the recent heartbeats, the admin event stream) carry the parsed body only up to this many bytes of request body. */
export const MAX_EVENT_BODY_BYTES = 16 * 1024;

const JSON_TYPES = new Set(['application/json', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Answer {
  status: number;
  body: string;
  error?: ServiceError;
  injected?: boolean;
}

export async function handleExchange(req: IncomingMessage, res: ServerResponse, ctx: ExchangeContext): Promise<void> {
  const started = performance.now();
  const at = new Date();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const operation: Operation | undefined = Object.prototype.hasOwnProperty.call(OPERATION_PATHS, path) ? OPERATION_PATHS[path] : undefined;
  let answer: Answer;
  let raw: Buffer | undefined;
  let doc: unknown;

  if (!operation) answer = fail(unknownOperation(req.method ?? 'GET', path));
  else if (req.method !== 'POST') answer = fail(methodNotAllowed(req.method ?? '', path));
  else {
    const body = await readBody(req, ctx.limits);
    if (body === 'gone') return;
    if (body instanceof ServiceError) answer = fail(body);
    else {
      raw = body;
      const checked = check(req, operation, path, q < 0 ? '' : url.slice(q + 1), body, ctx);
      doc = checked.doc;
      answer = checked.answer ?? (await afterChecks(operation, doc, ctx, at));
    }
  }

  const requestId = randomUUID();
  const headers: string[] = [
    'x-amzn-RequestId',
    requestId,
    'content-type',
    'application/json',
    'content-length',
    String(Buffer.byteLength(answer.body)),
  ];
  const error = answer.error;
  if (error) {
    headers.push('x-amzn-ErrorType', error.errorType);
    for (const name in error.headers) headers.push(name, error.headers[name]);
  }
  // Set here rather than by node:http, so the kept exchange shows the Date the client got.
  headers.push('Date', new Date().toUTCString());

  const event: EndpointEvent = {
    id: requestId,
    time: at.toISOString(),
    operation: operation ?? 'unknown',
    status: answer.status,
    requestId,
    handlingMs: performance.now() - started,
  };
  if (error) {
    event.errorType = error.errorType;
    event.message = error.message;
  }
  if (answer.injected) event.injected = true;
  if (isRecord(doc)) {
    if (typeof doc.DeviceName === 'string') event.deviceName = doc.DeviceName;
    if (typeof doc.DeviceFleetName === 'string') event.deviceFleetName = doc.DeviceFleetName;
  }
  // The recent-heartbeat ring and every event stream keep what an event holds: a large document is left out.
  if (doc !== undefined) {
    if (raw === undefined || raw.length <= MAX_EVENT_BODY_BYTES) event.body = doc;
    else event.bodyBytes = raw.length;
  }
  // Captured (synchronously) before the answer leaves, so a client that got an answer finds it in the file.
  if (ctx.capture) ctx.capture.write(captureLine(req, url, raw, event));
  // Kept before the answer leaves too, so a client that got an answer can open it at once.
  ctx.exchanges.add(
    keptExchange({
      id: event.id,
      time: event.time,
      operation: event.operation,
      deviceName: event.deviceName,
      deviceFleetName: event.deviceFleetName,
      method: req.method ?? '',
      url,
      headers: req.headers,
      body: raw,
      responseHeaders: headers,
      responseBody: answer.body,
      verdict: {
        status: event.status,
        ...(event.errorType ? { errorType: event.errorType } : {}),
        ...(event.message ? { message: event.message } : {}),
        requestId: event.requestId,
        handlingMs: Math.round(event.handlingMs * 1000) / 1000,
        ...(event.injected ? { injected: true } : {}),
      },
    }),
  );
  if (!res.destroyed) res.writeHead(answer.status, headers).end(answer.body);
  ctx.monitor.record(event);
}

/** Content type → SigV4 → UTF-8 → JSON → model validation; an answer when one of them fails. */
function check(
  req: IncomingMessage,
  operation: Operation,
  path: string,
  query: string,
  body: Buffer,
  ctx: ExchangeContext,
): { doc?: unknown; answer?: Answer } {
  const type = req.headers['content-type'];
  if (type !== undefined && !isJsonType(type)) return { answer: fail(unsupportedMediaType(type)) };
  const verified = ctx.verifier.verify({ method: 'POST', path, query, headers: req.headersDistinct, body });
  if (verified instanceof ServiceError) return { answer: fail(verified) };
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { answer: fail(serialization('The request body is not valid UTF-8; encode the JSON document as UTF-8.')) };
  }
  let doc: unknown;
  const fast = parseJsonFast(text);
  if (fast) doc = fast.value;
  else if (text.trim() === '') doc = {};
  else {
    const parsed = parseJson(text, { positions: false });
    if (parsed.errors.length) {
      const e = parsed.errors[0];
      return {
        answer: fail(
          serialization(`The request body is not valid JSON: ${e.message.replace(/\.$/, '')} (line ${e.line}, column ${e.column}).`),
        ),
      };
    }
    doc = parsed.value;
  }
  const checked = validate(doc, operation);
  return checked.valid ? { doc } : { doc, answer: fail(rejectInvalid(doc, checked.errors)) };
}

/** Injected latency and errors, then the operation itself. */
async function afterChecks(operation: Operation, doc: unknown, ctx: ExchangeContext, at: Date): Promise<Answer> {
  const delay = ctx.faults.latency();
  if (delay > 0) await sleep(delay);
  const injected = ctx.faults.nextError();
  if (injected) return { ...fail(injected), injected: true };
  return { status: 200, body: runOperation(operation, doc, ctx.registry, at) };
}

function fail(error: ServiceError): Answer {
  return { status: error.status, body: error.body(), error };
}

function isJsonType(header: string): boolean {
  const [type, ...params] = header.split(';').map((s) => s.trim().toLowerCase());
  if (!JSON_TYPES.has(type)) return false;
  const charset = params.find((p) => p.startsWith('charset='));
  return charset === undefined || /^charset="?utf-8"?$/.test(charset);
}

function captureLine(req: IncomingMessage, url: string, raw: Buffer | undefined, event: EndpointEvent): ExchangeLine {
  return {
    v: LOG_VERSION,
    type: 'exchange',
    id: event.id,
    time: event.time,
    operation: event.operation,
    ...(req.socket.remoteAddress ? { remote: `${req.socket.remoteAddress}:${req.socket.remotePort}` } : {}),
    request: {
      method: req.method ?? '',
      url: `http://${req.headers.host ?? 'localhost'}${redactedPath(url)}`,
      headers: redactedRequestHeaders(req.headers),
      body: raw ? raw.toString('utf8') : '',
    },
    verdict: {
      status: event.status,
      ...(event.errorType ? { errorType: event.errorType } : {}),
      ...(event.message ? { message: event.message } : {}),
      requestId: event.requestId,
      handlingMs: Math.round(event.handlingMs * 1000) / 1000,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
