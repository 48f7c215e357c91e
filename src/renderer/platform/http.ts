/**
 * HeartbeatApi over HTTP, for browser mode: the loopback host serves the UI and this API on the same
 * origin. The per-launch token arrives in the URL fragment (never sent to a server by the browser) and
 * goes out as a bearer token on every call. See the HTTP binding in src/common/api.ts.
 */
import type { HeartbeatApi, HostEvent, HttpErrorBody } from '../../common/api.ts';
import { apiClient, EVENTS_ROUTE, routeOf } from '../../common/api-args.ts';
import { PlatformError } from './errors.ts';
import { DISCONNECTED_AFTER_FAILURES, readSseData, type StreamStatus } from './sse.ts';

export interface HttpApiOptions {
  /** Origin (and optional path prefix) of the host, e.g. "http://127.0.0.1:5123". */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Delay before reconnecting a dropped event stream, milliseconds. */
  reconnectMs?: number;
  /** Told whether the event stream is connected, reconnecting or disconnected. */
  status?: StreamStatus;
}

export function createHttpApi(options: HttpApiOptions): HeartbeatApi {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = options.baseUrl.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${options.token}` };

  async function call<T>(route: string, args: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(base + route, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
    } catch {
      throw new PlatformError('The app host did not answer: check that "heartbeat ui" is still running, then reload this page.', 'network');
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const message = (body as Partial<HttpErrorBody> | undefined)?.error?.message;
      if (response.status === 401 || response.status === 403) {
        throw new PlatformError(
          message ?? 'The app host refused this page: open the URL "heartbeat ui" printed (it carries the access token).',
          'unauthorized',
        );
      }
      throw new PlatformError(message ?? `The app host answered HTTP ${response.status}; try again.`, 'host');
    }
    if (body === undefined || typeof body !== 'object' || body === null || !('result' in body)) {
      throw new PlatformError('The app host sent an answer this page does not understand: reload the page.', 'protocol');
    }
    return (body as { result: T }).result;
  }

  return apiClient(
    (method, args) => call(routeOf(method), args),
    (listener) => {
      const controller = new AbortController();
      const reconnectMs = options.reconnectMs ?? 2000;
      const status = options.status;
      let failures = 0;
      const run = async (): Promise<void> => {
        while (!controller.signal.aborted) {
          try {
            const response = await doFetch(base + EVENTS_ROUTE, {
              headers: { ...headers, accept: 'text/event-stream' },
              signal: controller.signal,
            });
            // A refused token will not get better by retrying (a restarted host has a new token).
            if (response.status === 401 || response.status === 403) {
              status?.set('disconnected');
              return;
            }
            if (response.ok && response.body) {
              // Events sent while the stream was down are lost: the history is queried again.
              if (failures > 0) listener({ type: 'history-reset' });
              failures = 0;
              status?.set('connected');
              await readSseData(response.body, (data) => {
                try {
                  listener(JSON.parse(data) as HostEvent);
                } catch {
                  // A malformed event is dropped; the stream goes on.
                }
              });
            }
          } catch {
            // Dropped connection or abort: retry below unless aborted.
          }
          if (controller.signal.aborted) return;
          failures++;
          status?.set(failures >= DISCONNECTED_AFTER_FAILURES ? 'disconnected' : 'reconnecting');
          await new Promise((resolve) => setTimeout(resolve, reconnectMs));
        }
      };
      void run();
      return () => controller.abort();
    },
  );
}
