/**
 * One operation request, start to finish, in the order an AWS front end checks things:
 * route → method → body (size, deadline) → content type → SigV4 → UTF-8 → JSON → model validation →
 * injected faults → the operation. Every answer carries x-amzn-RequestId and Date, is counted, sent to
 * subscribers and, with --capture, written as one ExchangeLine.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseJson, parseJsonFast } from '../../common/json/parse.ts';
import { LOG_VERSION, redactHeaders, type ExchangeLine } from '../../common/log/entry.ts';
import type { Operation } from '../../common/model/index.ts';
import { validate } from '../../common/validation/validate.ts';
import { readBody, type BodyLimits } from './body.ts';
import type { CaptureWriter } from './capture.ts';
import { methodNotAllowed, serialization, ServiceError, unknownOperation, unsupportedMediaType } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import type { EndpointEvent, Monitor } from './monitor.ts';
import { OPERATION_PATHS, runOperation } from './operations.ts';
import type { DeviceRegistry } from './registry.ts';
import type { SignatureVerifier } from './verify-signature.ts';
import { rejectInvalid } from './validation-message.ts';

export interface ExchangeContext {
  verifier: SignatureVerifier;
  registry: DeviceRegistry;
  monitor: Monitor;
  faults: FaultInjector;
  capture: CaptureWriter | undefined;
  limits: BodyLimits;
}

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
  const requestId = randomUUID();
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const operation: Operation | undefined = Object.prototype.hasOwnProperty.call(OPERATION_PATHS, path) ? OPERATION_PATHS[path] : undefined;
  let raw: Buffer | undefined;
  let doc: unknown;

  const answer = await (async (): Promise<Answer | 'gone'> => {
    if (!operation) return fail(unknownOperation(req.method ?? 'GET', path));
    if (req.method !== 'POST') return fail(methodNotAllowed(req.method ?? '', path));
    const body = await readBody(req, ctx.limits);
    if (body === 'gone') return 'gone';
    if (body instanceof ServiceError) return fail(body);
    raw = body;
    const type = req.headers['content-type'];
    if (type !== undefined && !isJsonType(type)) return fail(unsupportedMediaType(type));
    const verified = await ctx.verifier.verify({ method: 'POST', path, query: q < 0 ? '' : url.slice(q + 1), headers: req.headers, body });
    if (verified instanceof ServiceError) return fail(verified);
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return fail(serialization('The request body is not valid UTF-8; encode the JSON document as UTF-8.'));
    }
    const fast = parseJsonFast(text);
    if (fast) doc = fast.value;
    else if (text.trim() === '') doc = {};
    else {
      const parsed = parseJson(text, { positions: false });
      if (parsed.errors.length) {
        const e = parsed.errors[0];
        return fail(serialization(`The request body is not valid JSON: ${e.message.replace(/\.$/, '')} (line ${e.line}, column ${e.column}).`));
      }
      doc = parsed.value;
    }
    const checked = validate(doc, operation);
    if (!checked.valid) return fail(rejectInvalid(doc, checked.errors));
    const delay = ctx.faults.latency();
    if (delay > 0) await sleep(delay);
    const injected = ctx.faults.nextError();
    if (injected) return { ...fail(injected), injected: true };
    return { status: 200, body: runOperation(operation, doc, ctx.registry, at) };
  })();

  if (answer === 'gone') return;
  const headers: Record<string, string | number> = { 'x-amzn-RequestId': requestId, 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer.body) };
  if (answer.error) {
    headers['x-amzn-ErrorType'] = answer.error.errorType;
    Object.assign(headers, answer.error.headers);
  }
  if (!res.destroyed) res.writeHead(answer.status, headers).end(answer.body);

  const handlingMs = performance.now() - started;
  const record = isRecord(doc) ? doc : undefined;
  const event: EndpointEvent = {
    id: requestId,
    time: at.toISOString(),
    operation: operation ?? 'unknown',
    status: answer.status,
    requestId,
    handlingMs,
    ...(answer.error ? { errorType: answer.error.errorType, message: answer.error.message } : {}),
    ...(answer.injected ? { injected: true } : {}),
    ...(typeof record?.DeviceName === 'string' ? { deviceName: record.DeviceName } : {}),
    ...(typeof record?.DeviceFleetName === 'string' ? { deviceFleetName: record.DeviceFleetName } : {}),
    ...(doc !== undefined ? { body: doc } : {}),
  };
  ctx.monitor.record(event);
  if (ctx.capture) ctx.capture.write(captureLine(req, url, raw, event));
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
    request: { method: req.method ?? '', url: `http://${req.headers.host ?? 'localhost'}${url}`, headers: redactHeaders(req.headers), body: raw ? raw.toString('utf8') : '' },
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
