/** What the top bar picks and what the last send did. State and thin setters; the I/O is in useSend. */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { CredentialRef, SendResult, TargetSpec } from '../../common/api.ts';
import type { PlatformKind } from '../platform/index.ts';
import type { StreamState } from '../platform/sse.ts';

export type SendState =
  | { status: 'idle' }
  | { status: 'sending'; id: string; startedAt: number }
  | { status: 'invalid'; message: string }
  | { status: 'done'; result: SendResult }
  | { status: 'failed'; message: string };

export const useSessionStore = defineStore('session', () => {
  const platformKind = shallowRef<PlatformKind>('offline');
  /** The event stream to the host, in browser mode (undefined elsewhere). */
  const connection = shallowRef<StreamState | undefined>(undefined);
  const target = shallowRef<TargetSpec>({ kind: 'local' });
  const credentials = shallowRef<CredentialRef>({ kind: 'demo' });
  const profiles = shallowRef<string[]>([]);
  const send = shallowRef<SendState>({ status: 'idle' });
  /** Manual keys registered with the host: its id and the key id's last four characters, never the keys. */
  const manualKeys = shallowRef<{ id: string; last4: string }[]>([]);

  return {
    platformKind,
    connection,
    target,
    credentials,
    profiles,
    send,
    manualKeys,
    setPlatformKind: (kind: PlatformKind) => (platformKind.value = kind),
    setConnection: (state: StreamState | undefined) => (connection.value = state),
    setTarget: (next: TargetSpec) => (target.value = next),
    setCredentials: (next: CredentialRef) => (credentials.value = next),
    setProfiles: (names: string[]) => (profiles.value = [...names]),
    setSendState: (state: SendState) => (send.value = state),
    addManualKey: (key: { id: string; last4: string }) =>
      (manualKeys.value = [...manualKeys.value.filter((k) => k.id !== key.id), { id: key.id, last4: key.last4 }]),
    setManualKeys: (keys: { id: string; last4: string }[]) => (manualKeys.value = keys.map((k) => ({ id: k.id, last4: k.last4 }))),
    /** Drops keys the host forgot; a session signing with them falls back to the demo keys. */
    removeManualKey: (id: string) => {
      manualKeys.value = manualKeys.value.filter((k) => k.id !== id);
      if (credentials.value.kind === 'manual' && credentials.value.id === id) credentials.value = { kind: 'demo' };
    },
  };
});
