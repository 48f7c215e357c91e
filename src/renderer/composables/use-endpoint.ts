/**
 * The embedded endpoint's I/O for the panel: load its info, follow its live activity (one shared host
 * stream), change its fault settings and reset it, and open one of its requests in the inspector.
 * Failures come back as one sentence to show.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { EndpointActivity, FaultSettings } from '../../common/api.ts';
import { useEndpointStore } from '../stores/endpoint.ts';
import { useInspectorStore } from '../stores/inspector.ts';
import { useSessionStore } from '../stores/session.ts';
import { errorSentence, PlatformError } from '../platform/errors.ts';
import { usePlatform } from './platform.ts';
import { useHostEvents } from './host-events.ts';

export const ENDPOINT_OFFLINE =
  'The embedded endpoint runs inside the app host: start the app with "npm start" (or "heartbeat ui") to see it here.';

/** While requests keep arriving, the counts are re-read from the host at most this often. */
export const COUNTS_REFRESH_MS = 1000;

export const isNotConnected = (error: unknown): boolean => error instanceof PlatformError && error.code === 'not-connected';

export interface EndpointActions {
  load: () => Promise<void>;
  /** Replaces the fault settings; resolves to the host's sentence when it refuses them. */
  setFaults: (faults: FaultSettings) => Promise<string | undefined>;
  /** Forgets devices, counts and recent requests; resolves to a sentence when it fails. */
  reset: () => Promise<string | undefined>;
}

export function useEndpoint(): EndpointActions {
  const { api } = usePlatform();
  const store = useEndpointStore();
  let countsTimer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  async function load(): Promise<void> {
    try {
      const info = await api.endpoint.info();
      if (alive) store.setInfo(info);
    } catch (error) {
      if (alive)
        store.setStatus(
          isNotConnected(error) ? { kind: 'offline', message: ENDPOINT_OFFLINE } : { kind: 'failed', message: errorSentence(error) },
        );
    }
  }

  /** Counted locally at once; the host's counts (which know the devices) follow, throttled. */
  function refreshCountsSoon(): void {
    if (countsTimer !== undefined) return;
    countsTimer = setTimeout(() => {
      countsTimer = undefined;
      api.endpoint.info().then(
        (info) => alive && store.setCounts(info.counts),
        () => undefined,
      );
    }, COUNTS_REFRESH_MS);
  }

  useHostEvents((event) => {
    if (event.type !== 'endpoint-activity' || store.status.kind !== 'ready') return;
    for (const activity of event.activities) store.addActivity(activity);
    refreshCountsSoon();
  });

  async function setFaults(faults: FaultSettings): Promise<string | undefined> {
    try {
      const info = await api.endpoint.setFaults(faults);
      store.setFaults(info.faults);
      store.setCounts(info.counts);
      return undefined;
    } catch (error) {
      return errorSentence(error);
    }
  }

  async function reset(): Promise<string | undefined> {
    try {
      store.setInfo(await api.endpoint.reset());
      return undefined;
    } catch (error) {
      return errorSentence(error);
    }
  }

  onMounted(() => void load());
  onBeforeUnmount(() => {
    alive = false;
    if (countsTimer !== undefined) clearTimeout(countsTimer);
  });

  return { load, setFaults, reset };
}

/**
 * Opens a request of the live list in the inspector: shown at once as being fetched, then in full, or
 * as no longer kept by the endpoint, or with the sentence of a failure. A later open (or a send, or a
 * history entry) that replaced it wins over a late answer.
 */
export function useOpenEndpointRequest(): (activity: EndpointActivity) => Promise<void> {
  const { api } = usePlatform();
  const inspector = useInspectorStore();
  const session = useSessionStore();
  return async (activity) => {
    const view = { kind: 'loading', activity } as const;
    inspector.showEndpointRequest(view);
    if (session.send.status !== 'sending') session.setSendState({ status: 'idle' });
    const stillShown = () => inspector.endpointRequest === view;
    try {
      const exchange = await api.endpoint.exchange(activity.id);
      if (!stillShown()) return;
      inspector.showEndpointRequest(exchange ? { kind: 'found', activity, exchange } : { kind: 'gone', activity });
    } catch (error) {
      if (stillShown()) inspector.showEndpointRequest({ kind: 'failed', activity, message: errorSentence(error) });
    }
  };
}
