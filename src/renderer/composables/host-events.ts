/**
 * One subscription to the host's event stream per API, shared by every component that listens: the
 * HTTP platform opens one server-sent-events connection, not one per panel. A listener added in a
 * component's setup is removed when the component unmounts.
 */
import { getCurrentInstance, onBeforeUnmount } from 'vue';
import type { HeartbeatApi, HostEvent, Unsubscribe } from '../../common/api.ts';
import { usePlatform } from './platform.ts';

type Listener = (event: HostEvent) => void;

interface Hub {
  listeners: Set<Listener>;
  stop?: Unsubscribe;
}

const hubs = new WeakMap<HeartbeatApi, Hub>();

/** Adds a listener to the shared stream of `api`; the returned function removes it (and closes the stream after the last one). */
export function listenToHost(api: HeartbeatApi, listener: Listener): Unsubscribe {
  let hub = hubs.get(api);
  if (!hub) {
    hub = { listeners: new Set() };
    hubs.set(api, hub);
  }
  const current = hub;
  current.listeners.add(listener);
  if (!current.stop) {
    current.stop = api.subscribe((event) => {
      for (const l of [...current.listeners]) {
        try {
          l(event);
        } catch {
          // One panel's failure must not starve the others.
        }
      }
    });
  }
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0 && current.stop) {
      current.stop();
      current.stop = undefined;
    }
  };
}

/** listenToHost for the platform of this component, removed on unmount. */
export function useHostEvents(listener: Listener): void {
  const stop = listenToHost(usePlatform().api, listener);
  if (getCurrentInstance()) onBeforeUnmount(stop);
}
