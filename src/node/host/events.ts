/** The host's event hub: every service emits into it; the API's subscribe listens. */
import type { HostEvent } from '../../common/api.ts';

export interface EventHub {
  emit(event: HostEvent): void;
  subscribe(listener: (event: HostEvent) => void): () => void;
  clear(): void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<(event: HostEvent) => void>();
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // One broken listener must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear: () => listeners.clear(),
  };
}
