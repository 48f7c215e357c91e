// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import TopBar from '../../../src/renderer/components/TopBar.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import type { Platform } from '../../../src/renderer/platform/index.ts';
import type { HeartbeatApi, HostSettings } from '../../../src/common/api.ts';
import { useThemeStore } from '../../../src/renderer/stores/theme.ts';

/** A host whose settings are `saved`; update() records its patch, or refuses with `reject`. */
function settingsHost(reject?: string) {
  const offline = createOfflineApi();
  const saved: HostSettings = {
    timeoutMs: 30_000,
    maxAttempts: 3,
    caBundle: '',
    historyDir: '/home/me/.local/share/heartbeat-composer/history',
    retentionDays: 0,
    retentionKeep: 0,
  };
  const calls = { get: 0, update: [] as Partial<HostSettings>[] };
  const api: HeartbeatApi = {
    ...offline,
    settings: {
      get: async () => (calls.get++, { ...saved }),
      async update(patch) {
        calls.update.push(patch);
        if (reject) throw new PlatformError(reject, 'host');
        Object.assign(saved, patch);
        return { ...saved };
      },
    },
  };
  return { api, saved, calls };
}

function mountBar(pinia: Pinia, platform: Platform): VueWrapper {
  return mount(TopBar, { global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: platform } }, attachTo: document.body });
}

const settingsButton = (w: VueWrapper) => w.findAll('button').find((b) => b.text() === 'Settings')!;
const dialog = (w: VueWrapper) => w.find<HTMLDialogElement>('dialog[aria-labelledby="settings-title"]');
const input = (w: VueWrapper, id: string) => w.find<HTMLInputElement>(`#${id}`);

async function openSettings(w: VueWrapper): Promise<void> {
  (settingsButton(w).element as HTMLButtonElement).focus();
  await settingsButton(w).trigger('click');
  await flushPromises();
}

describe('Settings dialog', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });

  it('opens from the Settings button as a labelled modal with the theme focused and the host settings loaded', async () => {
    const host = settingsHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    expect(dialog(w).attributes('open')).toBeUndefined();
    expect(settingsButton(w).attributes('aria-haspopup')).toBe('dialog');
    await openSettings(w);
    expect(dialog(w).attributes('open')).toBeDefined();
    expect(document.getElementById('settings-title')?.textContent).toBe('Settings');
    expect(document.activeElement?.id).toBe('theme');
    expect(host.calls.get).toBe(1);
    expect(input(w, 'settings-timeout').element.value).toBe('30');
    expect(input(w, 'settings-attempts').element.value).toBe('3');
    expect(input(w, 'settings-history').element.value).toBe(host.saved.historyDir);
    expect(w.find('label[for="settings-timeout"]').text()).toBe('Timeout (seconds)');
    expect(w.text()).toContain('Takes effect at the next launch.');
    for (const control of dialog(w).findAll('input, select'))
      expect(w.find(`label[for="${control.attributes('id')}"]`).exists(), control.html()).toBe(true);
    w.unmount();
  });

  it('saves only what changed, timeout in milliseconds, and closes', async () => {
    const host = settingsHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openSettings(w);
    await input(w, 'settings-timeout').setValue('12.5');
    await input(w, 'settings-attempts').setValue('5');
    await input(w, 'settings-ca').setValue('  /etc/ssl/extra.pem ');
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.calls.update).toEqual([{ timeoutMs: 12_500, maxAttempts: 5, caBundle: '/etc/ssl/extra.pem' }]);
    expect(dialog(w).attributes('open')).toBeUndefined();
    expect(document.activeElement).toBe(settingsButton(w).element);
    // Opened again: loaded afresh, showing what was saved.
    await openSettings(w);
    expect(host.calls.get).toBe(2);
    expect(input(w, 'settings-timeout').element.value).toBe('12.5');
    w.unmount();
  });

  it('saves the retention (days and newest entries) and checks it before asking the host', async () => {
    const host = settingsHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openSettings(w);
    expect(input(w, 'settings-retention-days').element.value).toBe('0');
    await input(w, 'settings-retention-days').setValue('2.5');
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.calls.update).toEqual([]);
    expect(w.find('[data-testid="settings-error"]').text()).toMatch(/whole number of days/);
    await input(w, 'settings-retention-days').setValue('30');
    await input(w, 'settings-retention-keep').setValue('5000');
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.calls.update).toEqual([{ retentionDays: 30, retentionKeep: 5000 }]);
    w.unmount();
  });

  it("shows the host's sentence when it refuses, and stays open", async () => {
    const sentence = 'The CA bundle must be an absolute path to a PEM file, or empty for none.';
    const host = settingsHost(sentence);
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openSettings(w);
    await input(w, 'settings-ca').setValue('ca.pem');
    await w
      .findAll('button')
      .find((b) => b.text() === 'Save')!
      .trigger('click');
    await flushPromises();
    expect(host.calls.update).toEqual([{ caBundle: 'ca.pem' }]);
    expect(w.find('[data-testid="settings-error"]').text()).toBe(sentence);
    expect(w.find('[data-testid="settings-error"]').attributes('role')).toBe('alert');
    expect(dialog(w).attributes('open')).toBeDefined();
    w.unmount();
  });

  it('checks the timeout before asking the host', async () => {
    const host = settingsHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openSettings(w);
    await input(w, 'settings-timeout').setValue('');
    await dialog(w).find('form').trigger('submit');
    await flushPromises();
    expect(host.calls.update).toEqual([]);
    expect(w.find('[data-testid="settings-error"]').text()).toBe('The timeout must be from 0.1 to 600 seconds.');
    w.unmount();
  });

  it('closes on Escape without saving, and on Close', async () => {
    const host = settingsHost();
    const w = mountBar(pinia, { kind: 'http', api: host.api });
    await openSettings(w);
    await input(w, 'settings-attempts').setValue('7');
    await input(w, 'settings-attempts').trigger('keydown', { key: 'Escape' });
    expect(dialog(w).attributes('open')).toBeUndefined();
    expect(document.activeElement).toBe(settingsButton(w).element);
    await openSettings(w);
    await w
      .findAll('button')
      .find((b) => b.text() === 'Close')!
      .trigger('click');
    expect(dialog(w).attributes('open')).toBeUndefined();
    expect(host.calls.update).toEqual([]);
    w.unmount();
  });

  it('uses showModal where the browser has it', async () => {
    const proto = HTMLElement.prototype as HTMLElement & { showModal?: () => void; close?: () => void };
    const calls: string[] = [];
    proto.showModal = function (this: HTMLElement) {
      calls.push('showModal');
      this.setAttribute('open', '');
    };
    proto.close = function (this: HTMLElement) {
      calls.push('close');
      this.removeAttribute('open');
      this.dispatchEvent(new Event('close'));
    };
    try {
      const w = mountBar(pinia, { kind: 'http', api: settingsHost().api });
      await openSettings(w);
      await dialog(w).trigger('cancel');
      expect(calls).toEqual(['showModal', 'close']);
      expect(document.activeElement).toBe(settingsButton(w).element);
      w.unmount();
    } finally {
      delete proto.showModal;
      delete proto.close;
    }
  });

  it('keeps the theme working offline and says why the host settings are disabled', async () => {
    const w = mountBar(pinia, { kind: 'offline', api: createOfflineApi() });
    await openSettings(w);
    expect(w.find('[data-testid="settings-state"]').text()).toBe(
      'Timeout, attempts, CA bundle and history folder are kept by the app host: start the app with "npm start" (or "heartbeat ui") to change them.',
    );
    expect(dialog(w).find('fieldset').attributes('disabled')).toBeDefined();
    expect(
      w
        .findAll('button')
        .find((b) => b.text() === 'Save')!
        .attributes('disabled'),
    ).toBeDefined();
    await w.find('#theme').setValue('dark');
    expect(useThemeStore().preference).toBe('dark');
    w.unmount();
  });
});
