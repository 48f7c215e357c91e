/**
 * The embedded endpoint as the panel shows it: its address and counts, its fault settings, and the
 * latest requests it answered (newest first). State and thin setters; the I/O is in use-endpoint.ts.
 */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { EndpointActivity, EndpointInfo } from '../../common/api.ts';

/** How many requests the live list keeps. */
export const RECENT_LIMIT = 50;

export type EndpointCounts = EndpointInfo['counts'];

/** loading: the first info() has not answered; offline: there is no host; failed: info() failed otherwise. */
export type EndpointStatus =
  { kind: 'loading' } | { kind: 'ready' } | { kind: 'offline'; message: string } | { kind: 'failed'; message: string };

export const useEndpointStore = defineStore('endpoint', () => {
  const status = shallowRef<EndpointStatus>({ kind: 'loading' });
  const info = shallowRef<Omit<EndpointInfo, 'recent' | 'counts'> | undefined>(undefined);
  const counts = shallowRef<EndpointCounts>({ received: 0, accepted: 0, rejected: 0, devices: 0 });
  const recent = shallowRef<EndpointActivity[]>([]);

  return {
    status,
    info,
    counts,
    recent,
    setStatus: (next: EndpointStatus) => (status.value = next),
    /** A whole info() answer; its `recent` is newest last, the store's newest first. */
    setInfo(next: EndpointInfo) {
      const { recent: list, counts: c, ...rest } = next;
      info.value = rest;
      counts.value = { ...c };
      recent.value = [...list].reverse().slice(0, RECENT_LIMIT);
      status.value = { kind: 'ready' };
    },
    setCounts: (next: EndpointCounts) => (counts.value = { ...next }),
    setFaults(faults: EndpointInfo['faults']) {
      if (info.value) info.value = { ...info.value, faults: { ...faults } };
    },
    /** A request that just arrived: first in the list, and counted at once (devices come with the next info()). */
    addActivity(activity: EndpointActivity) {
      if (recent.value.some((a) => a.id === activity.id)) return;
      recent.value = [activity, ...recent.value].slice(0, RECENT_LIMIT);
      const ok = activity.status < 300;
      const c = counts.value;
      counts.value = { ...c, received: c.received + 1, accepted: c.accepted + (ok ? 1 : 0), rejected: c.rejected + (ok ? 0 : 1) };
    },
  };
});
