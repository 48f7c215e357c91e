/**
 * One request the embedded endpoint answered, kept whole: the request (secrets redacted), the answer and
 * the verdict. `HeartbeatApi.endpoint.exchange(id)` and `GET /__admin/exchanges/ID` answer it; the
 * endpoint keeps the latest EXCHANGES_KEPT of them in memory, at most about EXCHANGES_KEPT_BYTES
 * (src/node/endpoint/recent-exchanges.ts, docs/endpoint.md#recent-exchanges).
 */

/** How many exchanges the endpoint keeps, at most: the latest ones. */
export const EXCHANGES_KEPT = 200;
/** …and how many bytes of text they may hold together (the oldest go first). */
export const EXCHANGES_KEPT_BYTES = 8 * 1024 * 1024;
/** A request or answer body is kept up to this many bytes; a longer one is cut (`bodyTruncated`). */
export const EXCHANGE_BODY_LIMIT = 256 * 1024;

export interface EndpointExchangeRequest {
  method: string;
  /** Path and query as sent (a query's X-Amz-Signature and X-Amz-Security-Token redacted). */
  path: string;
  /** Lower-case names; Authorization's signature and X-Amz-Security-Token are REDACTED. */
  headers: Record<string, string>;
  /** The body as UTF-8 text (bytes that are not UTF-8 read as U+FFFD), at most EXCHANGE_BODY_LIMIT bytes of it. */
  body: string;
  /** The size of the whole body received, in bytes. */
  bodyBytes: number;
  /** True when `body` holds only the first EXCHANGE_BODY_LIMIT bytes. */
  bodyTruncated?: boolean;
}

export interface EndpointExchangeResponse {
  status: number;
  /** Lower-case names, as sent (x-amzn-RequestId, date, content-type, x-amzn-ErrorType, retry-after…). */
  headers: Record<string, string>;
  body: string;
  bodyTruncated?: boolean;
}

/** The endpoint's verdict: what it decided and how long it took (the fields of EndpointActivity). */
export interface EndpointExchangeVerdict {
  status: number;
  /** x-amzn-ErrorType; absent on success. */
  errorType?: string;
  message?: string;
  requestId: string;
  /** Milliseconds from the request's arrival to the answer. */
  handlingMs: number;
  /** True when a fault setting produced the answer. */
  injected?: boolean;
}

export interface EndpointExchange {
  /** The activity's id (the answer's x-amzn-RequestId). */
  id: string;
  /** ISO 8601: when the request arrived. */
  time: string;
  /** SendHeartbeat, GetDeviceRegistration, GetDeployments, or `unknown` (no such route). */
  operation: string;
  deviceName?: string;
  deviceFleetName?: string;
  request: EndpointExchangeRequest;
  response: EndpointExchangeResponse;
  verdict: EndpointExchangeVerdict;
}
