/**
 * The host's credentials as the UI uses them (I/O lives in composables, state in the session store):
 * profile names and held manual keys loaded at start, manual keys registered and forgotten. Secrets go
 * to the host and are never kept here; the UI keeps ids and the last 4 characters of key ids.
 */
import type { ManualKeys } from '../../common/api.ts';
import { useSessionStore } from '../stores/session.ts';
import { usePlatform } from './platform.ts';

export function useCredentials() {
  const { api } = usePlatform();
  const session = useSessionStore();
  return {
    /** Profiles and the keys kept from an earlier launch (the desktop app stores them encrypted). */
    async load(): Promise<void> {
      await Promise.all([
        api.credentials.profiles().then(
          (names) => session.setProfiles(names),
          () => session.setProfiles([]),
        ),
        api.credentials.manualKeys().then(
          (keys) => session.setManualKeys(keys.map((k) => ({ id: k.id, last4: k.accessKeyIdLast4 }))),
          () => session.setManualKeys([]),
        ),
      ]);
    },
    /** Hands the keys to the host and picks them; rejects with the host's sentence. */
    async register(keys: ManualKeys): Promise<void> {
      const { id, accessKeyIdLast4 } = await api.credentials.registerManualKeys(keys);
      session.addManualKey({ id, last4: accessKeyIdLast4 });
      session.setCredentials({ kind: 'manual', id });
    },
    async forget(id: string): Promise<void> {
      await api.credentials.forgetManualKeys(id);
      session.removeManualKey(id);
    },
  };
}
