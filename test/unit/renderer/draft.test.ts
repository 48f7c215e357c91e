// @vitest-environment jsdom
/** Issue 14 item 24: the composer's draft survives a reload (per window) and seeds a new window. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import App from '../../../src/renderer/App.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { keepDraft, loadDraft, saveDraft } from '../../../src/renderer/platform/preferences.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';

const DRAFT = '{\n  "AgentVersion": "9.9",\n  "DeviceName": "cam-draft",\n  "DeviceFleetName": "fleet-d"\n}\n';

function mountApp() {
  const pinia = createPinia();
  setActivePinia(pinia);
  return mount(App, {
    global: {
      plugins: [pinia],
      provide: { [PLATFORM_KEY as symbol]: { kind: 'offline', api: createOfflineApi() } },
      stubs: { JsonEditor: true },
    },
    attachTo: document.body,
  });
}

describe('composer draft', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    document.body.innerHTML = '';
  });

  it("this window's draft first, else the last draft of any window, else nothing", () => {
    expect(loadDraft()).toBeUndefined();
    localStorage.setItem('heartbeat.draft', 'last');
    expect(loadDraft()).toBe('last');
    sessionStorage.setItem('heartbeat.draft', 'mine');
    expect(loadDraft()).toBe('mine');
    saveDraft('both');
    expect([sessionStorage.getItem('heartbeat.draft'), localStorage.getItem('heartbeat.draft')]).toEqual(['both', 'both']);
  });

  it('a refusing storage does not break the composer', () => {
    const refusing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadDraft({ session: refusing, local: refusing })).toBeUndefined();
    expect(() => saveDraft('x', { session: refusing, local: refusing })).not.toThrow();
  });

  it('saves edits shortly after, and at once when the page goes away', () => {
    vi.useFakeTimers();
    try {
      let text = 'a';
      const keeper = keepDraft(() => text, 400);
      text = 'b';
      keeper.changed();
      expect(sessionStorage.getItem('heartbeat.draft')).toBeNull();
      vi.advanceTimersByTime(450);
      expect(sessionStorage.getItem('heartbeat.draft')).toBe('b');
      text = 'c';
      keeper.changed();
      window.dispatchEvent(new Event('pagehide'));
      expect(sessionStorage.getItem('heartbeat.draft')).toBe('c');
      keeper.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('the app restores the draft on load, and keeps what is typed for the next load', async () => {
    sessionStorage.setItem('heartbeat.draft', DRAFT);
    const first = mountApp();
    expect(useDocumentStore().text).toBe(DRAFT);
    expect(first.find<HTMLInputElement>('input[aria-label="DeviceName"], input[id$="DeviceName"]').element.value).toBe('cam-draft');
    useDocumentStore().setText(DRAFT.replace('cam-draft', 'cam-edited'));
    await flushPromises();
    first.unmount(); // as a reload would: the pending save is flushed
    await flushPromises();
    expect(sessionStorage.getItem('heartbeat.draft')).toContain('cam-edited');
    sessionStorage.clear(); // a new window: the last draft of any window
    const second = mountApp();
    expect(useDocumentStore().text).toContain('cam-edited');
    second.unmount();
  });
});
