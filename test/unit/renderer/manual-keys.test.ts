// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import TopBar from '../../../src/renderer/components/TopBar.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import type { Platform } from '../../../src/renderer/platform/index.ts';
import type { HeartbeatApi, ManualKeys } from '../../../src/common/api.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';

const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKENvalue==';

/** A host that records the keys it is handed (a test double: the real host keeps them in memory). */
function keysHost(reject?: string) {
  const offline = createOfflineApi();
  const received: ManualKeys[] = [];
  const forgotten: string[] = [];
  const api: HeartbeatApi = {
    ...offline,
    credentials: {
      ...offline.credentials,
      async registerManualKeys(keys) {
        received.push({ ...keys });
        if (reject) throw new PlatformError(reject, 'host');
        return { id: `key-${received.length}`, accessKeyIdLast4: keys.accessKeyId.slice(-4) };
      },
      async forgetManualKeys(id) {
        forgotten.push(id);
        return true;
      },
    },
  };
  return { api, received, forgotten };
}

function mountBar(pinia: Pinia, platform: Platform): VueWrapper {
  useSessionStore(pinia).setPlatformKind(platform.kind);
  return mount(TopBar, { global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: platform } }, attachTo: document.body });
}

const dialog = (w: VueWrapper) => w.find('dialog[aria-labelledby="manual-keys-title"]');
const field = (w: VueWrapper, id: string) => w.find<HTMLInputElement>(`#${id}`);
const credentials = (w: VueWrapper) => w.find<HTMLSelectElement>('#credentials');

async function openKeys(w: VueWrapper): Promise<void> {
  credentials(w).element.focus();
  await credentials(w).setValue('enter-keys');
  await flushPromises();
}

async function typeKeys(w: VueWrapper, token = ''): Promise<void> {
  await field(w, 'manual-access-key-id').setValue(KEY_ID);
  await field(w, 'manual-secret').setValue(SECRET);
  if (token) await field(w, 'manual-session-token').setValue(token);
}

describe('Manual keys', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });

  it('"Enter keys…" opens a labelled dialog without changing the credentials', async () => {
    const w = mountBar(pinia, { kind: 'http', api: keysHost().api });
    expect(
      credentials(w)
        .findAll('option')
        .map((o) => o.text()),
    ).toContain('Enter keys…');
    await openKeys(w);
    expect(dialog(w).attributes('open')).toBeDefined();
    expect(document.getElementById('manual-keys-title')?.textContent).toBe('Enter keys');
    expect(document.activeElement?.id).toBe('manual-access-key-id');
    expect(credentials(w).element.value).toBe('demo');
    expect(useSessionStore().credentials).toEqual({ kind: 'demo' });
    const secret = field(w, 'manual-secret');
    expect(secret.attributes('type')).toBe('password');
    expect(secret.attributes('autocomplete')).toBe('off');
    expect(field(w, 'manual-session-token').attributes('autocomplete')).toBe('off');
    for (const control of dialog(w).findAll('input'))
      expect(w.find(`label[for="${control.attributes('id')}"]`).exists(), control.html()).toBe(true);
    w.unmount();
  });

  it('registers the keys with the host, selects them, empties the secret and keeps it out of every store', async () => {
    const host = keysHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openKeys(w);
    await typeKeys(w, TOKEN);
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.received).toEqual([{ accessKeyId: KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN }]);
    expect(useSessionStore().credentials).toEqual({ kind: 'manual', id: 'key-1' });
    expect(useSessionStore().manualKeys).toEqual([{ id: 'key-1', last4: 'MPLE' }]);
    expect(credentials(w).element.value).toBe('manual:key-1');
    expect(credentials(w).find('option[value="manual:key-1"]').text()).toBe('Manual keys …MPLE');
    expect(field(w, 'manual-secret').element.value).toBe('');
    expect(field(w, 'manual-session-token').element.value).toBe('');
    expect(dialog(w).attributes('open')).toBeUndefined();
    const state = JSON.stringify(pinia.state.value);
    expect(state).not.toContain(SECRET);
    expect(state).not.toContain(TOKEN);
    expect(state).not.toContain(KEY_ID);
    expect(document.body.innerHTML).not.toContain(SECRET);
    // Back to the demo keys and to the manual ones again, from the select.
    await credentials(w).setValue('demo');
    expect(useSessionStore().credentials).toEqual({ kind: 'demo' });
    await credentials(w).setValue('manual:key-1');
    expect(useSessionStore().credentials).toEqual({ kind: 'manual', id: 'key-1' });
    w.unmount();
  });

  it('lists the keys the host holds, and "Forget" drops them, falling back to the demo keys', async () => {
    const host = keysHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    useSessionStore().setManualKeys([
      { id: 'kept-1', last4: 'AAAA' },
      { id: 'kept-2', last4: 'BBBB' },
    ]);
    useSessionStore().setCredentials({ kind: 'manual', id: 'kept-2' });
    await openKeys(w);
    const forget = dialog(w)
      .findAll('button')
      .filter((b) => b.text() === 'Forget');
    expect(forget.map((b) => b.attributes('aria-label'))).toEqual(['Forget the keys ending in AAAA', 'Forget the keys ending in BBBB']);
    await forget[1].trigger('click');
    await flushPromises();
    expect(host.forgotten).toEqual(['kept-2']);
    expect(useSessionStore().manualKeys).toEqual([{ id: 'kept-1', last4: 'AAAA' }]);
    expect(useSessionStore().credentials).toEqual({ kind: 'demo' });
    expect(credentials(w).find('option[value="manual:kept-2"]').exists()).toBe(false);
    w.unmount();
  });

  it('sends no session token when none is typed', async () => {
    const host = keysHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openKeys(w);
    await typeKeys(w);
    await w
      .findAll('button')
      .find((b) => b.text() === 'Use these keys')!
      .trigger('click');
    await flushPromises();
    expect(host.received).toEqual([{ accessKeyId: KEY_ID, secretAccessKey: SECRET }]);
    w.unmount();
  });

  it("shows the host's sentence on refusal, with the secret emptied anyway and the credentials unchanged", async () => {
    const sentence = 'The secret access key looks too short; paste the whole key.';
    const host = keysHost(sentence);
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openKeys(w);
    await typeKeys(w, TOKEN);
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.received).toHaveLength(1);
    expect(w.find('[data-testid="manual-keys-error"]').text()).toBe(sentence);
    expect(field(w, 'manual-secret').element.value).toBe('');
    expect(field(w, 'manual-session-token').element.value).toBe('');
    expect(field(w, 'manual-access-key-id').element.value).toBe(KEY_ID);
    expect(document.activeElement?.id).toBe('manual-secret');
    expect(dialog(w).attributes('open')).toBeDefined();
    expect(useSessionStore().credentials).toEqual({ kind: 'demo' });
    expect(JSON.stringify(pinia.state.value)).not.toContain(SECRET);
    w.unmount();
  });

  it('asks for the missing field before calling the host', async () => {
    const host = keysHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openKeys(w);
    await field(w, 'manual-access-key-id').setValue(KEY_ID);
    await dialog(w).find('form').trigger('submit');
    expect(host.received).toHaveLength(0);
    expect(w.find('[data-testid="manual-keys-error"]').text()).toBe('Type the secret access key too.');
    w.unmount();
  });

  it('Escape closes it, clears what was typed and gives the focus back to the credentials', async () => {
    const host = keysHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openKeys(w);
    await typeKeys(w);
    await field(w, 'manual-secret').trigger('keydown', { key: 'Escape' });
    expect(dialog(w).attributes('open')).toBeUndefined();
    expect(field(w, 'manual-secret').element.value).toBe('');
    expect(field(w, 'manual-access-key-id').element.value).toBe('');
    expect(document.activeElement?.id).toBe('credentials');
    expect(host.received).toHaveLength(0);
    expect(useSessionStore().credentials).toEqual({ kind: 'demo' });
    w.unmount();
  });

  it('says in one sentence that manual keys need the host when offline', async () => {
    const w = mountBar(pinia, { kind: 'offline', api: createOfflineApi() });
    await openKeys(w);
    expect(w.find('[data-testid="manual-keys-offline"]').text()).toBe(
      'Manual keys are handed to the app host: start the app with "npm start" (or "heartbeat ui") to use them.',
    );
    expect(dialog(w).find('fieldset').attributes('disabled')).toBeDefined();
    expect(
      w
        .findAll('button')
        .find((b) => b.text() === 'Use these keys')!
        .attributes('disabled'),
    ).toBeDefined();
    expect(document.activeElement?.textContent).toBe('Cancel');
    w.unmount();
  });
});
