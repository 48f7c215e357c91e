/**
 * Credentials for the host's sends: manual keys held in memory under a random id (stored, encrypted,
 * by the desktop app's key store), profile names, and resolution of a CredentialRef into keys. Secrets
 * never leave this module except into the signer.
 */
import { randomBytes } from 'node:crypto';
import type { CredentialRef, HeartbeatApi } from '../../common/api.ts';
import { isAppError } from '../../common/errors.ts';
import { resolveCredentials, type CredentialsError, type CredentialSource, type Credentials } from '../credentials/credentials.ts';
import { listProfiles } from '../credentials/profiles.ts';
import { HostError, sentenceOf } from './host-error.ts';
import type { ManualKeyStore } from './services.ts';

export interface KeysService {
  api: HeartbeatApi['credentials'];
  credentialsOf(ref: CredentialRef): Promise<Credentials>;
  close(): void;
}

export async function createKeysService(keyStore: ManualKeyStore | undefined): Promise<KeysService> {
  const manualKeys = new Map<string, Credentials>();
  if (keyStore) for (const [id, keys] of Object.entries(await keyStore.load().catch(() => ({})))) manualKeys.set(id, keys);

  /** Sets (or, with undefined, drops) the keys held under `id` and saves them all; on a failed save, puts back what was there. */
  async function changeKeys(id: string, keys: Credentials | undefined, refusal: (reason: string) => string): Promise<void> {
    const before = manualKeys.get(id);
    if (keys) manualKeys.set(id, keys);
    else manualKeys.delete(id);
    try {
      await keyStore?.save(Object.fromEntries(manualKeys));
    } catch (error) {
      if (before) manualKeys.set(id, before);
      else manualKeys.delete(id);
      throw new HostError(refusal(error instanceof Error ? error.message.replace(/\.$/, '') : String(error)));
    }
  }

  async function credentialsOf(ref: CredentialRef): Promise<Credentials> {
    let source: CredentialSource;
    if (ref.kind === 'manual') {
      const held = manualKeys.get(ref.id);
      if (!held) throw new HostError('Those manual keys are no longer held by the host (it was restarted); enter them again.', 'NOT_FOUND');
      return held;
    }
    if (ref.kind === 'profile') source = { kind: 'profile', profile: ref.profile };
    else if (ref.kind === 'default-chain') source = { kind: 'default' };
    else source = { kind: 'demo' };
    try {
      return await resolveCredentials(source);
    } catch (error) {
      const why = isAppError(error) && error.code === 'CREDENTIALS' ? (error as CredentialsError).why : undefined;
      if (ref.kind === 'default-chain' && why !== undefined) {
        throw new HostError(
          `Could not find AWS credentials (${why}); choose a profile or "Enter keys…" in the top bar, or send to the embedded endpoint with Demo keys.`,
          'CREDENTIALS',
        );
      }
      throw new HostError(sentenceOf(error), 'CREDENTIALS');
    }
  }

  const api: HeartbeatApi['credentials'] = {
    async profiles() {
      try {
        return (await listProfiles()).map((p) => p.name);
      } catch {
        return [];
      }
    },
    async registerManualKeys(keys) {
      const accessKeyId = typeof keys?.accessKeyId === 'string' ? keys.accessKeyId.trim() : '';
      const secretAccessKey = typeof keys?.secretAccessKey === 'string' ? keys.secretAccessKey.trim() : '';
      const sessionToken = typeof keys?.sessionToken === 'string' ? keys.sessionToken.trim() : '';
      if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId))
        throw new HostError('The access key id should be 16 to 128 capital letters and digits, like AKIAIOSFODNN7EXAMPLE.');
      if (secretAccessKey.length < 16) throw new HostError('The secret access key looks too short; paste the whole key.');
      // The same access key id again replaces its secret (a rotated key) and keeps its id, so keys do not pile up.
      const known = [...manualKeys].find(([, held]) => held.accessKeyId === accessKeyId);
      const id = known?.[0] ?? randomBytes(12).toString('hex');
      await changeKeys(
        id,
        { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) },
        (reason) => `The keys could not be stored (${reason}); they were not kept.`,
      );
      return { id, accessKeyIdLast4: accessKeyId.slice(-4) };
    },
    async manualKeys() {
      return [...manualKeys].map(([id, held]) => ({ id, accessKeyIdLast4: held.accessKeyId.slice(-4) }));
    },
    async forgetManualKeys(id) {
      if (!manualKeys.has(id)) return false;
      await changeKeys(id, undefined, (reason) => `The stored keys could not be updated (${reason}); the keys are still held.`);
      return true;
    },
  };
  return { api, credentialsOf, close: () => manualKeys.clear() };
}
