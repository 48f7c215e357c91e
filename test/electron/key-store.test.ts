/**
 * Manual keys in the desktop app: encrypted with safeStorage (a stand-in here), kept across a restart of
 * the host, never written in clear, and never in anything the renderer receives over IPC.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiBridge } from '../../electron/bridge.ts';
import { registerApiHandlers } from '../../electron/ipc.ts';
import { createSafeKeyStore } from '../../electron/key-store.ts';
import { DEMO_CREDENTIALS } from '../../src/common/demo.ts';
import { startHostServices, type HostServices, type ManualKeyStore } from '../../src/node/host/services.ts';
import { connectRenderer, FakeIpcMain, FakeSafeStorage, FakeWebContents } from './fake-electron.ts';

const KEYS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN',
};
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'hb-keys-')), 'manual-keys.bin');

describe('safeStorage key store', () => {
  it('round-trips keys through an encrypted file only its owner can read', async () => {
    const file = tempFile();
    const store = createSafeKeyStore(new FakeSafeStorage(), file);
    await store.save({ abc123: KEYS });
    const raw = readFileSync(file);
    expect(raw.toString('utf8')).not.toContain(KEYS.secretAccessKey);
    expect(raw.toString('utf8')).not.toContain(KEYS.accessKeyId);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await createSafeKeyStore(new FakeSafeStorage(), file).load()).toEqual({ abc123: KEYS });
  });

  it('writes nothing where the OS has no key store, or only Linux’s constant-key "basic_text"', async () => {
    for (const storage of [
      Object.assign(new FakeSafeStorage(), { available: false }),
      Object.assign(new FakeSafeStorage(), { backend: 'basic_text' }),
    ]) {
      const file = tempFile();
      const store = createSafeKeyStore(storage, file);
      await store.save({ abc123: KEYS });
      expect(existsSync(file)).toBe(false);
      expect(await store.load()).toEqual({});
    }
  });

  it('starts empty from a damaged or foreign file, and skips malformed entries', async () => {
    const file = tempFile();
    writeFileSync(file, 'not encrypted by us');
    expect(await createSafeKeyStore(new FakeSafeStorage(), file).load()).toEqual({});
    const storage = new FakeSafeStorage();
    writeFileSync(file, storage.encryptString(JSON.stringify({ good: KEYS, 'bad id!': KEYS, abc: { accessKeyId: 'A' }, def: 'text' })));
    expect(await createSafeKeyStore(storage, file).load()).toEqual({});
    writeFileSync(file, storage.encryptString(JSON.stringify({ abcdef: KEYS, '0bad': { accessKeyId: 'A' } })));
    expect(await createSafeKeyStore(storage, file).load()).toEqual({ abcdef: KEYS });
  });
});

describe('manual keys in the desktop host', () => {
  const open: HostServices[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });

  async function desktopHost(dir: string, store: ManualKeyStore) {
    const services = await startHostServices({
      historyDir: join(dir, 'history'),
      settingsFile: join(dir, 'settings.json'),
      manualKeyStore: store,
    });
    open.push(services);
    const ipcMain = new FakeIpcMain();
    const window = new FakeWebContents();
    registerApiHandlers(ipcMain, services.api, () => window);
    return { services, ipcMain, api: createApiBridge(connectRenderer(ipcMain, window)) };
  }

  it('are kept encrypted across a restart and never reach the renderer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-desktop-keys-'));
    const file = join(dir, 'manual-keys.bin');
    const first = await desktopHost(dir, createSafeKeyStore(new FakeSafeStorage(), file));
    const held = await first.api.credentials.registerManualKeys({ ...DEMO_CREDENTIALS });
    expect(held).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), accessKeyIdLast4: DEMO_CREDENTIALS.accessKeyId.slice(-4) });
    expect(readFileSync(file, 'utf8')).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
    const body = JSON.stringify({ AgentVersion: '1.0', DeviceName: 'cam-keys', DeviceFleetName: 'fleet' });
    const request = {
      id: 'keys-1',
      operation: 'SendHeartbeat' as const,
      body,
      target: { kind: 'local' as const },
      credentials: { kind: 'manual' as const, id: held.id },
    };
    expect((await first.api.send(request)).outcome).toMatchObject({ kind: 'success', status: 200 });
    await first.services.close();

    const second = await desktopHost(dir, createSafeKeyStore(new FakeSafeStorage(), file));
    expect(await second.api.credentials.manualKeys()).toEqual([held]);
    const again = await second.api.send({ ...request, id: 'keys-2' });
    expect(again.outcome).toMatchObject({ kind: 'success', status: 200 });
    await second.api.history.get(again.historyId);
    await second.api.settings.get();
    const answers = JSON.stringify([...first.ipcMain.answers, ...second.ipcMain.answers]);
    expect(first.ipcMain.answers.length + second.ipcMain.answers.length).toBe(6);
    expect(answers).not.toContain(DEMO_CREDENTIALS.secretAccessKey);
    expect(answers).not.toContain(DEMO_CREDENTIALS.accessKeyId);

    // An export is a file for the user: its Authorization headers name the key id (not the secret).
    await second.api.history.export({}, 'jsonl');
    await second.api.history.export({}, 'har');
    expect(JSON.stringify(second.ipcMain.answers.slice(-2))).not.toContain(DEMO_CREDENTIALS.secretAccessKey);

    // Forgotten keys are gone from the file too: the next launch does not offer them.
    expect(await second.api.credentials.forgetManualKeys(held.id)).toBe(true);
    await second.services.close();
    const third = await desktopHost(dir, createSafeKeyStore(new FakeSafeStorage(), file));
    expect(await third.api.credentials.manualKeys()).toEqual([]);
  });

  it('are not kept when the store cannot save them, with a sentence saying so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hb-desktop-keys-'));
    const failing: ManualKeyStore = { load: async () => ({}), save: async () => Promise.reject(new Error('The disk is full.')) };
    const { api } = await desktopHost(dir, failing);
    await expect(api.credentials.registerManualKeys({ ...KEYS })).rejects.toThrow(
      'The keys could not be stored (The disk is full); they were not kept.',
    );
  });
});
