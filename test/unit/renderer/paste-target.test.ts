// @vitest-environment jsdom
/**
 * Issue 14, item 19 in the composer: a pasted command that names another endpoint says the target
 * changed and offers to keep the current one; a command aimed at the embedded endpoint keeps it; the
 * app's own "Copy as curl" pastes back.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import ComposerPane from '../../../src/renderer/components/ComposerPane.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import type { EndpointInfo, HeartbeatApi } from '../../../src/common/api.ts';

const api: HeartbeatApi = {
  ...createOfflineApi(),
  endpoint: { ...createOfflineApi().endpoint, info: async () => ({ url: 'http://127.0.0.1:4567' }) as EndpointInfo },
};
const DOC = { AgentVersion: '1.0', DeviceName: 'cam-7', DeviceFleetName: 'fleet' };

describe('pasting a command with an endpoint', () => {
  let pinia: Pinia;
  let w: VueWrapper;
  const button = (text: string) => w.findAll('button').find((b) => b.text() === text);

  beforeEach(async () => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    useSessionStore().setPlatformKind('http');
    w = mount(ComposerPane, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { JsonEditor: true } },
      attachTo: document.body,
    });
    await flushPromises();
  });
  afterEach(() => {
    w.unmount();
    vi.restoreAllMocks();
  });

  async function paste(text: string): Promise<void> {
    await button('Paste…')!.trigger('click');
    await w.find('#paste-text').setValue(text);
    await w.find('form').trigger('submit');
  }

  it('says the target changed and offers to keep the current one', async () => {
    await paste(
      'aws sagemaker-edge send-heartbeat --device-name cam-7 --device-fleet-name fleet --agent-version 1.0 --endpoint-url https://edge.example.test --region eu-west-1',
    );
    expect(JSON.parse(useDocumentStore().text)).toEqual(DOC);
    expect(useSessionStore().target).toEqual({ kind: 'url', url: 'https://edge.example.test', region: 'eu-west-1' });
    expect(w.find('[data-testid="io-notice"]').text()).toMatch(
      /The target is now https:\/\/edge\.example\.test \(signing region eu-west-1\), from the command's --endpoint-url/,
    );
    const keep = w.find('[data-testid="keep-target"]');
    expect(keep.text()).toBe('Keep the embedded endpoint');
    await keep.trigger('click');
    expect(useSessionStore().target).toEqual({ kind: 'local' });
    expect(w.find('[data-testid="keep-target"]').exists()).toBe(false);
    expect(w.find('[data-testid="io-notice"]').text()).toBe('The target stays the embedded endpoint.');
  });

  it('reads the app\'s own "Copy as curl" back, aimed at the embedded endpoint: the target stays', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    useDocumentStore().setText(JSON.stringify(DOC, null, 2));
    await w
      .findAll('button')
      .find((b) => b.text().startsWith('Copy as'))!
      .trigger('click');
    await w
      .findAll('[role="menuitem"]')
      .find((b) => b.text() === 'curl command')!
      .trigger('click');
    await flushPromises();
    const curl = (writeText.mock.calls[0] as unknown as [string])[0];
    useDocumentStore().setText('{}');
    await paste(curl);
    expect(JSON.parse(useDocumentStore().text)).toEqual(DOC);
    expect(w.find('[data-testid="io-notice"]').text()).toContain('Loaded the pasted curl command.');
    expect(useSessionStore().target).toEqual({ kind: 'local' });
    expect(w.find('[data-testid="keep-target"]').exists()).toBe(false);
  });

  it('names a plain JSON paste wire JSON, not cli-input-json', async () => {
    await paste(JSON.stringify(DOC));
    expect(w.find('[data-testid="io-notice"]').text()).toContain('Loaded the pasted wire JSON.');
  });
});
