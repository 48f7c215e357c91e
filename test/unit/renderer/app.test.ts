// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import App from '../../../src/renderer/App.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import type { Platform } from '../../../src/renderer/platform/index.ts';
import type { HeartbeatApi, SendRequest, SendResult } from '../../../src/common/api.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';

/** A host that records what it is asked to send and answers 200. */
function recordingApi(sent: SendRequest[], profiles: string[] = []): HeartbeatApi {
  const offline = createOfflineApi();
  return {
    ...offline,
    credentials: { ...offline.credentials, profiles: async () => profiles },
    async send(request): Promise<SendResult> {
      sent.push(request);
      return {
        id: request.id,
        historyId: 'h-1',
        request: { method: 'POST', url: 'http://127.0.0.1:1/SendHeartbeat', headers: {}, body: request.body },
        outcome: { kind: 'success', status: 200, requestId: 'req-123', headers: {}, body: '' },
        attempts: [],
      };
    },
  };
}

function mountApp(pinia: Pinia, platform: Platform): VueWrapper {
  // Monaco cannot run in jsdom: the JSON view is stubbed; the store is what it would show.
  return mount(App, {
    global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: platform }, stubs: { JsonEditor: true } },
    attachTo: document.body,
  });
}

const pressSend = () => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true }));

describe('App', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
    localStorage.clear();
    sessionStorage.clear(); // the composer draft (kept per window)
  });

  it('says in one sentence that sending needs a host when there is none', async () => {
    const w = mountApp(pinia, { kind: 'offline', api: createOfflineApi() });
    expect(w.find('[data-testid="connection"]').text()).toContain('Not connected');
    pressSend();
    await flushPromises();
    expect(w.find('[data-testid="inspector-status"]').text()).toContain('Not connected to a host: start the app with "npm start"');
    w.unmount();
  });

  it('sends the exact text with the picked target and credentials, on Ctrl+Enter', async () => {
    const sent: SendRequest[] = [];
    const w = mountApp(pinia, { kind: 'http', api: recordingApi(sent, ['dev', 'prod']) });
    await flushPromises();
    const credentials = w.find<HTMLSelectElement>('#credentials');
    expect(credentials.findAll('option').map((o) => o.text())).toContain('Profile: prod');
    await credentials.setValue('profile:prod');
    await w.find<HTMLSelectElement>('#target-kind').setValue('region');
    pressSend();
    await flushPromises();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      operation: 'SendHeartbeat',
      body: useDocumentStore().text,
      credentials: { kind: 'profile', profile: 'prod' },
      target: { kind: 'region', region: 'us-east-1' },
    });
    expect(w.find('[data-testid="inspector-status"]').text()).toContain('req-123');
    w.unmount();
  });

  it('refuses an invalid request until "Send anyway"', async () => {
    const sent: SendRequest[] = [];
    const w = mountApp(pinia, { kind: 'http', api: recordingApi(sent) });
    useDocumentStore().setText('{"DeviceName": "bad name"}');
    await w.find('button.primary').trigger('click');
    await flushPromises();
    expect(sent).toHaveLength(0);
    expect(w.find('[data-testid="inspector-status"]').text()).toMatch(/The request has \d+ problems/);
    const anyway = w.findAll('button').find((b) => b.text() === 'Send anyway')!;
    await anyway.trigger('click');
    await flushPromises();
    expect(sent).toHaveLength(1);
    expect(sent[0].options?.skipValidation).toBe(true);
    w.unmount();
  });

  it('applies and remembers the theme', async () => {
    const w = mountApp(pinia, { kind: 'offline', api: createOfflineApi() });
    await w.find<HTMLSelectElement>('#theme').setValue('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(localStorage.getItem('heartbeat.theme')).toBe('dark');
    await w.find<HTMLSelectElement>('#theme').setValue('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    w.unmount();
  });

  it('shows the composer status and names every control', async () => {
    const w = mountApp(pinia, { kind: 'offline', api: createOfflineApi() });
    expect(w.find('[data-testid="document-status"]').text()).toBe('Valid SendHeartbeat request');
    for (const b of w.findAll('button')) expect(b.attributes('aria-label') || b.text().trim(), b.html()).toBeTruthy();
    for (const control of w.findAll('input, select')) {
      const id = control.attributes('id');
      expect(control.attributes('aria-label') || (id && w.find(`label[for="${id}"]`).exists()), control.html()).toBeTruthy();
    }
    w.unmount();
  });
});
