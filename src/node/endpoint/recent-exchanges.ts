/**
 * The endpoint's memory of its latest requests in full (docs/endpoint.md#recent-exchanges): bounded by
 * count (EXCHANGES_KEPT) and by size (EXCHANGES_KEPT_BYTES, the oldest go first), each body cut at
 * EXCHANGE_BODY_LIMIT bytes. Secrets are redacted before an exchange is kept: the Authorization
 * signature, X-Amz-Security-Token, and the same two in a query string. Nothing here holds a key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import {
  EXCHANGE_BODY_LIMIT,
  EXCHANGES_KEPT,
  EXCHANGES_KEPT_BYTES,
  type EndpointExchange,
  type EndpointExchangeVerdict,
} from '../../common/endpoint-exchange.ts';
import { redactHeaders } from '../../common/log/entry.ts';
import { redactSignature } from './authorization.ts';

export interface RecentExchangesLimits {
  /** At most this many exchanges. */
  count: number;
  /** At most about this many bytes of text (bodies, headers, messages) together. */
  bytes: number;
}

/** What one exchange costs beyond its text: ids, numbers, the objects themselves. */
const OVERHEAD_BYTES = 256;

export class RecentExchanges {
  /** Insertion order is age: the first entry is the oldest. */
  private readonly kept = new Map<string, { exchange: EndpointExchange; bytes: number }>();
  private total = 0;
  readonly limits: RecentExchangesLimits;

  constructor(limits: Partial<RecentExchangesLimits> = {}) {
    this.limits = { count: limits.count ?? EXCHANGES_KEPT, bytes: limits.bytes ?? EXCHANGES_KEPT_BYTES };
  }

  /** Keeps `exchange` as the newest, dropping the oldest while over either limit (one larger than the byte limit is not kept). */
  add(exchange: EndpointExchange): void {
    const bytes = sizeOf(exchange);
    const previous = this.kept.get(exchange.id);
    if (previous) {
      this.kept.delete(exchange.id);
      this.total -= previous.bytes;
    }
    if (bytes > this.limits.bytes || this.limits.count <= 0) return;
    this.kept.set(exchange.id, { exchange, bytes });
    this.total += bytes;
    for (const [id, entry] of this.kept) {
      if (this.kept.size <= this.limits.count && this.total <= this.limits.bytes) break;
      this.kept.delete(id);
      this.total -= entry.bytes;
    }
  }

  get(id: string): EndpointExchange | undefined {
    return this.kept.get(id)?.exchange;
  }

  /** How many are kept, and their size as counted against the byte limit. */
  get size(): { count: number; bytes: number } {
    return { count: this.kept.size, bytes: this.total };
  }

  reset(): void {
    this.kept.clear();
    this.total = 0;
  }
}

/** The text an exchange holds, counted in UTF-16 code units (≈ bytes for the ASCII of JSON and headers), plus a fixed overhead. */
export function sizeOf(exchange: EndpointExchange): number {
  let n = OVERHEAD_BYTES + exchange.request.body.length + exchange.response.body.length + exchange.request.path.length;
  for (const headers of [exchange.request.headers, exchange.response.headers])
    for (const name in headers) n += name.length + headers[name].length;
  n += exchange.verdict.message?.length ?? 0;
  n += (exchange.deviceName?.length ?? 0) + (exchange.deviceFleetName?.length ?? 0);
  return n;
}

/**
 * A request's headers fit to keep (and capture): lower-case names, the security token and the
 * signature redacted, even from a malformed Authorization header. On every request, so the usual case
 * is quick: one loop, and a well-formed Authorization cut at its signature.
 */
export function redactedRequestHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawName in headers) {
    const raw = headers[rawName];
    if (raw === undefined) continue;
    const name = rawName.toLowerCase();
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    out[name] = name === 'authorization' ? redactedAuthorization(value) : name === 'x-amz-security-token' ? 'REDACTED' : value;
  }
  return out;
}

/** The header exactly as SigV4 clients write it, up to its signature. */
const WELL_FORMED_AUTHORIZATION = /^(AWS4-HMAC-SHA256 Credential=[^\s,]+, ?SignedHeaders=[^\s,=]+, ?Signature=)[0-9a-f]+$/;

/** Whether `text` has what redactSignature redacts wherever it stands, a run of 32 or more hex digits (a loop: quicker than a regex here). */
function hasHexRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)) {
      if (++run >= 32) return true;
    } else run = 0;
  }
  return false;
}

/** Authorization with its signature REDACTED: quickly when well formed, else as the history and the error messages do. */
function redactedAuthorization(value: string): string {
  const m = WELL_FORMED_AUTHORIZATION.exec(value);
  return m && !hasHexRun(m[1]) ? `${m[1]}REDACTED` : redactSignature(redactHeaders({ authorization: value }).authorization);
}

/** A path with its query fit to keep: a presigned URL's X-Amz-Signature and X-Amz-Security-Token redacted. */
export function redactedPath(path: string): string {
  return path.indexOf('?') < 0 ? path : path.replace(/([?&]X-Amz-(?:Signature|Security-Token)=)[^&]*/gi, '$1REDACTED');
}

/** The first `limit` bytes of `body` as text, cut before a UTF-8 sequence rather than inside one. */
export function bodyText(body: Buffer | string, limit = EXCHANGE_BODY_LIMIT): { text: string; truncated: boolean } {
  if (typeof body === 'string') {
    if (body.length <= limit / 3 || Buffer.byteLength(body) <= limit) return { text: body, truncated: false };
    return bodyText(Buffer.from(body, 'utf8'), limit);
  }
  if (body.length <= limit) return { text: body.toString('utf8'), truncated: false };
  let end = limit;
  // A continuation byte (10xxxxxx) at the cut: step back to the start of its sequence.
  while (end > 0 && (body[end] & 0xc0) === 0x80) end--;
  return { text: body.toString('utf8', 0, end), truncated: true };
}

export interface ExchangeFacts {
  id: string;
  time: string;
  operation: string;
  deviceName?: string;
  deviceFleetName?: string;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** The request body as received (undefined when none was read). */
  body: Buffer | undefined;
  /** The answer's headers as name, value pairs (as given to writeHead). */
  responseHeaders: readonly string[];
  responseBody: string;
  verdict: EndpointExchangeVerdict;
}

/** An exchange as it is kept: redacted, bodies cut at EXCHANGE_BODY_LIMIT. */
export function keptExchange(facts: ExchangeFacts): EndpointExchange {
  const request = bodyText(facts.body ?? '');
  const response = bodyText(facts.responseBody);
  const responseHeaders: Record<string, string> = {};
  for (let i = 0; i + 1 < facts.responseHeaders.length; i += 2)
    responseHeaders[facts.responseHeaders[i].toLowerCase()] = facts.responseHeaders[i + 1];
  const exchange: EndpointExchange = {
    id: facts.id,
    time: facts.time,
    operation: facts.operation,
    request: {
      method: facts.method,
      path: redactedPath(facts.url),
      headers: redactedRequestHeaders(facts.headers),
      body: request.text,
      bodyBytes: facts.body?.length ?? 0,
      ...(request.truncated ? { bodyTruncated: true } : {}),
    },
    response: {
      status: facts.verdict.status,
      headers: responseHeaders,
      body: response.text,
      ...(response.truncated ? { bodyTruncated: true } : {}),
    },
    verdict: facts.verdict,
  };
  if (facts.deviceName !== undefined) exchange.deviceName = facts.deviceName;
  if (facts.deviceFleetName !== undefined) exchange.deviceFleetName = facts.deviceFleetName;
  return exchange;
}
