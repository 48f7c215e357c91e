/**
 * What the inspector shows: the exchange of the latest send or replay, or a history entry opened from
 * the sidebar. Both are the same shape once the host has answered; only the signature report is
 * present just after a send (the history keeps no signature material). A fleet run's entry has no
 * exchange: the inspector shows its summary instead.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type {
  AttemptRecord,
  HistoryRunEntry,
  HistorySendEntry,
  LoggedRequest,
  Outcome,
  SendResult,
  SignatureReport,
  Timings,
} from '../../common/api.ts';

export interface Exchange {
  /** Where it came from, for the heading: a send of this window, a re-send, or a history entry. */
  origin: 'send' | 'replay' | 'history';
  historyId: string;
  /** ISO 8601, when known. */
  time?: string;
  request: LoggedRequest;
  outcome?: Outcome;
  attempts: AttemptRecord[];
  timings?: Timings;
  signature?: SignatureReport;
}

export function exchangeOfResult(result: SendResult, origin: 'send' | 'replay'): Exchange {
  return {
    origin,
    historyId: result.historyId,
    time: result.attempts[0]?.startedAt,
    request: result.request,
    outcome: result.outcome,
    attempts: result.attempts,
    timings: result.timings,
    signature: result.signature,
  };
}

export function exchangeOfEntry(entry: HistorySendEntry): Exchange {
  return {
    origin: 'history',
    historyId: entry.id,
    time: entry.time,
    request: entry.request,
    outcome: entry.outcome,
    attempts: entry.attempts ?? [],
    timings: entry.timings,
  };
}

export const useInspectorStore = defineStore('inspector', () => {
  const exchange = shallowRef<Exchange | undefined>(undefined);
  /** A fleet run's entry opened from the history (shown instead of an exchange). */
  const run = shallowRef<HistoryRunEntry | undefined>(undefined);
  return {
    exchange,
    run,
    show(next: Exchange | undefined) {
      exchange.value = next;
      run.value = undefined;
    },
    showRun(next: HistoryRunEntry) {
      run.value = next;
      exchange.value = undefined;
    },
  };
});
