/**
 * What the inspector shows: the exchange of the latest send or replay, or a history entry opened from
 * the sidebar. Both are the same shape once the host has answered; only the signature report is
 * present just after a send (the history keeps no signature material). A fleet run's entry has no
 * exchange: the inspector shows its summary instead. A request the embedded endpoint received, opened
 * from the Endpoint tab, is the endpoint's side of an exchange (EndpointExchange): its own view.
 * One of the three at a time.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type {
  AttemptRecord,
  EndpointActivity,
  EndpointExchange,
  HistoryRunEntry,
  HistorySendEntry,
  LoggedRequest,
  Outcome,
  SendResult,
  SignatureReport,
  Timings,
} from '../../common/api.ts';
import { isOperation, type Operation } from '../../common/model/index.ts';

/** The operation of a request URL (…/GetDeployments), or undefined. */
export function operationOfUrl(url: string): Operation | undefined {
  const last = /\/([A-Za-z]+)\/?(?:[?#].*)?$/.exec(url)?.[1];
  return last !== undefined && isOperation(last) ? last : undefined;
}

export interface Exchange {
  /** Where it came from, for the heading: a send of this window, a re-send, or a history entry. */
  origin: 'send' | 'replay' | 'history';
  historyId: string;
  /** The operation sent: the inspector reads its answer as that operation's result. */
  operation?: Operation;
  /** ISO 8601, when known. */
  time?: string;
  request: LoggedRequest;
  outcome?: Outcome;
  attempts: AttemptRecord[];
  timings?: Timings;
  signature?: SignatureReport;
}

export function exchangeOfResult(result: SendResult, origin: 'send' | 'replay', operation?: Operation): Exchange {
  const op = operation ?? operationOfUrl(result.request.url);
  return {
    origin,
    historyId: result.historyId,
    ...(op ? { operation: op } : {}),
    time: result.attempts[0]?.startedAt,
    request: result.request,
    outcome: result.outcome,
    attempts: result.attempts,
    timings: result.timings,
    signature: result.signature,
  };
}

export function exchangeOfEntry(entry: HistorySendEntry): Exchange {
  const op = isOperation(entry.operation) ? entry.operation : operationOfUrl(entry.request.url);
  return {
    origin: 'history',
    historyId: entry.id,
    ...(op ? { operation: op } : {}),
    time: entry.time,
    request: entry.request,
    outcome: entry.outcome,
    attempts: entry.attempts ?? [],
    timings: entry.timings,
  };
}

/**
 * A request of the Endpoint tab's list opened in the inspector: being fetched, found (in full), no
 * longer kept by the endpoint, or the fetch failed (a sentence). `activity` is the list's row.
 */
export type EndpointRequestView =
  | { kind: 'loading'; activity: EndpointActivity }
  | { kind: 'found'; activity: EndpointActivity; exchange: EndpointExchange }
  | { kind: 'gone'; activity: EndpointActivity }
  | { kind: 'failed'; activity: EndpointActivity; message: string };

export const useInspectorStore = defineStore('inspector', () => {
  const exchange = shallowRef<Exchange | undefined>(undefined);
  /** A fleet run's entry opened from the history (shown instead of an exchange). */
  const run = shallowRef<HistoryRunEntry | undefined>(undefined);
  /** A request the embedded endpoint received, opened from the Endpoint tab (shown instead of an exchange). */
  const endpointRequest = shallowRef<EndpointRequestView | undefined>(undefined);
  /** A simulated device of the fleet view's run, by name (shown instead of an exchange). */
  const fleetDevice = shallowRef<string | undefined>(undefined);
  return {
    exchange,
    run,
    endpointRequest,
    fleetDevice,
    show(next: Exchange | undefined) {
      exchange.value = next;
      run.value = undefined;
      endpointRequest.value = undefined;
      fleetDevice.value = undefined;
    },
    showRun(next: HistoryRunEntry) {
      run.value = next;
      exchange.value = undefined;
      endpointRequest.value = undefined;
      fleetDevice.value = undefined;
    },
    showEndpointRequest(next: EndpointRequestView) {
      endpointRequest.value = next;
      exchange.value = undefined;
      run.value = undefined;
      fleetDevice.value = undefined;
    },
    /** Shows a simulated device; undefined closes the one shown (and leaves anything else as it is). */
    showFleetDevice(name: string | undefined) {
      if (name === undefined) {
        fleetDevice.value = undefined;
        return;
      }
      fleetDevice.value = name;
      exchange.value = undefined;
      run.value = undefined;
      endpointRequest.value = undefined;
    },
  };
});
