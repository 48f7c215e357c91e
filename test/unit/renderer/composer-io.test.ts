// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import ComposerPane from '../../../src/renderer/components/ComposerPane.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import { useRunsStore } from '../../../src/renderer/stores/runs.ts';
import type { EndpointInfo, HeartbeatApi, MenuCommand } from '../../../src/common/api.ts';

const api: HeartbeatApi = {
  ...createOfflineApi(),
  endpoint: { ...createOfflineApi().endpoint, info: async () => ({ url: 'http://127.0.0.1:4567' }) as EndpointInfo },
};

describe('composer file and clipboard actions', () => {
  let pinia: Pinia;
  let w: VueWrapper;
  const button = (text: string) => w.findAll('button').find((b) => b.text() === text)!;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute('open', '');
    };
    w = mount(ComposerPane, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { JsonEditor: true } },
      attachTo: document.body,
    });
  });
  afterEach(() => {
    w.unmount();
    vi.restoreAllMocks();
  });

  it('pastes an aws command line: the composer and the target take it', async () => {
    await button('Paste…').trigger('click');
    await w
      .find('#paste-text')
      .setValue(
        'aws sagemaker-edge send-heartbeat --device-name pasted-1 --device-fleet-name f --agent-version 2.0 --endpoint-url http://127.0.0.1:9999',
      );
    await w.find('form').trigger('submit');
    expect(JSON.parse(useDocumentStore().text)).toEqual({ DeviceName: 'pasted-1', DeviceFleetName: 'f', AgentVersion: '2.0' });
    expect(useSessionStore().target).toEqual({ kind: 'url', url: 'http://127.0.0.1:9999', region: 'us-east-1' });
    expect(w.find('#paste-text').exists()).toBe(false);
    expect(w.find('[data-testid="io-notice"]').text()).toContain('Loaded the pasted aws CLI command');
  });

  it('keeps the dialog open with the problems, and the composer untouched, when the paste cannot be read', async () => {
    const before = useDocumentStore().text;
    await button('Paste…').trigger('click');
    await w.find('#paste-text').setValue('DeviceName: a\nDeviceName: b\n');
    await w.find('#paste-format').setValue('cli-input-yaml');
    await w.find('form').trigger('submit');
    expect(useDocumentStore().text).toBe(before);
    expect(w.find('[aria-label="Import problems"]').text()).toMatch(/line 2.*Duplicate key/);
  });

  it('opens a dropped file', async () => {
    const file = new File(['DeviceName: dropped\nDeviceFleetName: f\nAgentVersion: "1"\n'], 'beat.yaml');
    await w.find('main').trigger('drop', { dataTransfer: { files: [file], types: ['Files'] } });
    await flushPromises();
    await vi.waitFor(() => expect(JSON.parse(useDocumentStore().text)).toMatchObject({ DeviceName: 'dropped' }));
    expect(w.find('[data-testid="io-notice"]').text()).toContain('"beat.yaml" (cli-input-yaml)');
  });

  it('copies as curl with the embedded endpoint URL the host reports', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await w.find('button[aria-haspopup="menu"]').trigger('click');
    await w
      .findAll('[role="menuitem"]')
      .find((b) => b.text() === 'curl command')!
      .trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledOnce();
    const copied = writeText.mock.calls[0][0];
    expect(copied).toMatch(/^curl /);
    expect(copied).toMatch(/\n {2}http:\/\/127\.0\.0\.1:4567\/SendHeartbeat\n$/);
    expect(copied).toContain(JSON.stringify(JSON.parse(useDocumentStore().text)));
    expect(w.find('[data-testid="io-notice"]').text()).toBe('Copied as curl command.');
  });

  it('shows the text to copy by hand when the clipboard refuses', async () => {
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async () => Promise.reject(new Error('denied')) },
      configurable: true,
    });
    await w.find('button[aria-haspopup="menu"]').trigger('click');
    await w
      .findAll('[role="menuitem"]')
      .find((b) => b.text() === 'AWS CLI command')!
      .trigger('click');
    await flushPromises();
    expect((w.find('#manual-copy').element as HTMLTextAreaElement).value).toMatch(/^aws sagemaker-edge send-heartbeat/);
  });

  it('loads an example as one undoable replacement, and the menu works from the keyboard', async () => {
    const examples = w.findAll('button[aria-haspopup="menu"]').find((b) => b.text().startsWith('Examples'))!;
    await examples.trigger('keydown', { key: 'ArrowDown' });
    const items = w.findAll('[role="menuitem"]');
    expect(document.activeElement).toBe(items[0].element);
    await items[0].trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(items.at(-1)!.element);
    await items.at(-1)!.trigger('click');
    expect(useDocumentStore().text).toContain('camera_line 3!');
    expect(useDocumentStore().editSource).toBe('load');
    expect(w.find('[role="menu"]').exists()).toBe(false);
  });

  it('acts on the desktop menu: open loads the file main read, save downloads the document, a large file streams to Runs', async () => {
    w.unmount();
    let menu: ((m: MenuCommand) => void) | undefined;
    const desktop = {
      onMenuCommand: (l: (m: MenuCommand) => void) => ((menu = l), () => (menu = undefined)),
      readPickedFile: async (_file: string, _offset: number, _length: number): Promise<Uint8Array<ArrayBuffer>> => new Uint8Array(0),
    };
    w = mount(ComposerPane, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'electron', api, desktop } }, stubs: { JsonEditor: true } },
      attachTo: document.body,
    });
    menu!({ command: 'open', fileName: 'beat.json', text: '{"DeviceName":"from-menu"}' });
    expect(useDocumentStore().text).toBe('{"DeviceName":"from-menu"}');
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      expect(this.download).toBe('heartbeat-from-menu.json');
    });
    menu!({ command: 'save' });
    expect(click).toHaveBeenCalledOnce();

    // A file past 16 MiB: the Runs view streams it from main to the host, a piece at a time.
    const text = Array.from({ length: 40 }, (_, i) => `{"AgentVersion":"1","DeviceName":"cam-é${i}","DeviceFleetName":"f"}`).join('\n');
    const bytes = new TextEncoder().encode(text);
    const reads: Array<[string, number, number]> = [];
    // Pieces of 7 bytes: the two bytes of "é" are split across reads somewhere.
    desktop.readPickedFile = async (file: string, offset: number, length: number) => {
      reads.push([file, offset, length]);
      return bytes.slice(offset, Math.min(offset + 7, bytes.length));
    };
    const appended: string[] = [];
    const info = { id: 'c1', name: 'big.ndjson', state: 'reading', items: 0 } as never;
    const captures = api.captures;
    onTestFinished(() => void Object.assign(api, { captures }));
    Object.assign(api, {
      captures: {
        ...api.captures,
        open: vi.fn(async () => info),
        append: vi.fn(async (_id: string, piece: string) => (appended.push(piece), info)),
        finish: vi.fn(async () => info),
        close: vi.fn(async () => undefined),
      },
    });
    const runs = useRunsStore();
    const shown = runs.showRequested;
    menu!({ command: 'open-file', fileName: 'big.ndjson', size: bytes.length, file: 'picked-1' });
    await vi.waitFor(() => expect(api.captures.finish).toHaveBeenCalledWith('c1'));
    expect(appended.join('')).toBe(text);
    expect(api.captures.open).toHaveBeenCalledWith({ name: 'big.ndjson', size: bytes.length });
    expect(reads.every(([file]) => file === 'picked-1')).toBe(true);
    expect(reads[0]).toEqual(['picked-1', 0, 1024 * 1024]);
    expect(runs.showRequested).toBe(shown + 1);
    expect(w.find('[data-testid="io-notice"]').text()).toContain('Opened "big.ndjson" in the Runs view');
    w.unmount();
    expect(menu).toBeUndefined();
    w = mount(ComposerPane, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { JsonEditor: true } },
    });
  });
});
