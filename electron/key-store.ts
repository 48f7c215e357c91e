/**
 * Manual keys kept between launches, encrypted with Electron's safeStorage (the OS key store: Keychain,
 * DPAPI, libsecret/kwallet). Where the OS has none — or Linux falls back to its "basic_text" backend,
 * whose key is a constant — nothing is written and the keys live in memory for the session only.
 * The keys never leave main: the renderer knows them by id.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ManualKeys } from '../src/common/api.ts';
import type { ManualKeyStore } from '../src/node/host/services.ts';

/** The part of Electron's safeStorage used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron ≥ 30). */
  getSelectedStorageBackend?(): string;
}

/** True when safeStorage encrypts with a key the OS protects. */
export function canEncrypt(safeStorage: SafeStorageLike): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
}

const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

function keysOf(value: unknown): Record<string, ManualKeys> {
  const keys: Record<string, ManualKeys> = {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return keys;
  for (const [id, entry] of Object.entries(value as Record<string, unknown>)) {
    const k = entry as Partial<ManualKeys> | null;
    if (!/^[0-9a-f]{1,64}$/.test(id) || !k || !isText(k.accessKeyId, 128) || !isText(k.secretAccessKey, 256)) continue;
    keys[id] = {
      accessKeyId: k.accessKeyId,
      secretAccessKey: k.secretAccessKey,
      ...(isText(k.sessionToken, 8192) ? { sessionToken: k.sessionToken } : {}),
    };
  }
  return keys;
}

/** A ManualKeyStore over one encrypted file (written 0600, replaced atomically). */
export function createSafeKeyStore(safeStorage: SafeStorageLike, file: string): ManualKeyStore {
  return {
    async load() {
      if (!canEncrypt(safeStorage)) return {};
      let blob: Buffer;
      try {
        blob = await readFile(file);
      } catch {
        return {};
      }
      try {
        return keysOf(JSON.parse(safeStorage.decryptString(blob)));
      } catch {
        // Another user's or another machine's file, or a damaged one: start without saved keys.
        return {};
      }
    },
    async save(keys) {
      if (!canEncrypt(safeStorage)) return;
      const blob = safeStorage.encryptString(JSON.stringify(keys));
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      await writeFile(temporary, blob, { mode: 0o600 });
      await rename(temporary, file);
    },
  };
}
