// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { useHistoryStore } from '../../../src/renderer/stores/history.ts';
import HostNotice from '../../../src/renderer/components/HostNotice.vue';
import HistorySidebar from '../../../src/renderer/components/HistorySidebar.vue';
import InspectorPanel from '../../../src/renderer/components/InspectorPanel.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import type { HeartbeatApi, HistoryEntry, HistoryQuery, HostEvent, SendResult } from '../../../src/common/api.ts';

function entry(id: string, time: string, device: string, status: 'success' | 'error' = 'success'): HistoryEntry {
  return {
    id,
    time,
    operation: 'SendHeartbeat',
    deviceName: device,
    fleetName: 'fleet',
    status,
    httpStatus: status === 'success' ? 200 : 403,
    ...(status === 'error' ? { errorType: 'InvalidSignatureException' } : {}),
    target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:1/SendHeartbeat',
      headers: { 'content-type': 'application/json' },
      body: `{"DeviceName":"${device}","DeviceFleetName":"fleet","AgentVersion":"1.0"}`,
    },
    outcome:
      status === 'success'
        ? { kind: 'success', status: 200, requestId: `r-${id}`, headers: {}, body: '{}' }
        : {
            kind: 'service-error',
            status: 403,
            errorType: 'InvalidSignatureException',
            message: 'no',
            retried: false,
            diagnosis: 'The secret key is wrong.',
            headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
            body: '{"message":"no"}',
          },
    attempts: [{ attempt: 1, startedAt: time, status: 200, durationMs: 3 }],
  };
}

/** A history host in memory that records the calls. */
function fakeHost(entries: HistoryEntry[]) {
  const calls = { query: [] as HistoryQuery[], replay: [] as unknown[][], export: [] as unknown[][], clear: 0 };
  let listener: ((e: HostEvent) => void) | undefined;
  const offline = createOfflineApi();
  const api: HeartbeatApi = {
    ...offline,
    history: {
      async query(q) {
        calls.query.push(q);
        const found = entries.filter((e) => (!q.text || e.deviceName!.includes(q.text)) && (!q.status || e.status === q.status));
        return {
          entries: found.map(({ id, time, operation, deviceName, fleetName, status, httpStatus, errorType }) => ({
            id,
            time,
            operation,
            deviceName,
            fleetName,
            status,
            httpStatus,
            errorType,
          })),
          total: found.length,
        };
      },
      get: async (id) => entries.find((e) => e.id === id),
      async export(q, format) {
        calls.export.push([q, format]);
        return { fileName: `history.${format}`, mediaType: 'application/json', text: '{}' };
      },
      async clear() {
        calls.clear++;
        const removed = entries.length;
        entries.length = 0;
        return { removed };
      },
      async prune() {
        return { removed: 0 };
      },
    },
    async replay(id, overrides): Promise<SendResult> {
      calls.replay.push([id, overrides]);
      const e = entries.find((x) => x.id === id)!;
      if (e.kind === 'run') throw new Error('a fleet run cannot be sent again');
      return {
        id: 'x',
        historyId: 'new',
        request: e.request,
        outcome: { kind: 'success', status: 200, requestId: 'replayed-1', headers: {}, body: '' },
        attempts: [],
      };
    },
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return { api, calls, emit: (e: HostEvent) => listener?.(e) };
}

describe('HistorySidebar', () => {
  let pinia: Pinia;
  let w: VueWrapper | undefined;
  const entries = () => [entry('b', '2026-11-23T10:05:00Z', 'cam-2', 'error'), entry('a', '2026-11-23T10:00:00Z', 'cam-1')];

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });
  afterEach(() => {
    w?.unmount();
    vi.restoreAllMocks();
  });

  function mountWith(api: HeartbeatApi) {
    useSessionStore().setPlatformKind('http');
    const global = { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { DiffDialog: true } };
    w = mount(
      {
        components: { HostNotice, HistorySidebar, InspectorPanel },
        template: '<div><HostNotice /><HistorySidebar /><InspectorPanel /></div>',
      },
      { global, attachTo: document.body },
    );
    return w;
  }

  it('lists the entries newest first and filters by text after a pause in typing', async () => {
    const host = fakeHost(entries());
    const w = mountWith(host.api);
    await flushPromises();
    expect(w.findAll('[data-testid="history-entry"]').map((li) => li.find('.device').text())).toEqual(['cam-2', 'cam-1']);
    expect(w.find('[data-testid="history-count"]').text()).toBe('2');
    await w.find('input[type="search"]').setValue('cam-1');
    await new Promise((r) => setTimeout(r, 260));
    await flushPromises();
    expect(host.calls.query.at(-1)).toMatchObject({ text: 'cam-1' });
    expect(w.findAll('[data-testid="history-entry"]')).toHaveLength(1);
    await w.find('#history-status').setValue('error');
    await new Promise((r) => setTimeout(r, 260));
    await flushPromises();
    expect(host.calls.query.at(-1)).toMatchObject({ text: 'cam-1', status: 'error' });
    expect(w.text()).toContain('No entry matches these filters.');
  });

  it("shows the host's notices and queries again when the history was reset by another process", async () => {
    const host = fakeHost(entries());
    const w = mountWith(host.api);
    await flushPromises();
    const queries = host.calls.query.length;
    host.emit({
      type: 'notice',
      message: 'The history skipped 2 unreadable lines: history-000001.jsonl line 3 (it has no time) and 1 more.',
    });
    await flushPromises();
    expect(w.find('[data-testid="history-notice"]').text()).toContain('skipped 2 unreadable lines');
    expect(w.find('[data-testid="history-notice"]').attributes('role')).toBe('status');
    await w.find('button[aria-label="Dismiss this notice"]').trigger('click');
    expect(w.find('[data-testid="history-notice"]').exists()).toBe(false);
    host.emit({ type: 'history-reset' });
    await new Promise((r) => setTimeout(r, 20));
    await flushPromises();
    expect(host.calls.query.length).toBe(queries + 1);
    // A send or re-send of this window has the list queried again, whether or not its event arrives.
    useHistoryStore().changed();
    await new Promise((r) => setTimeout(r, 20));
    await flushPromises();
    expect(host.calls.query.length).toBe(queries + 2);
  });

  it('opens an entry into the composer and the inspector, with its diagnosis', async () => {
    const w = mountWith(fakeHost(entries()).api);
    await flushPromises();
    await w.find('button[aria-label^="Open cam-2"]').trigger('click');
    await flushPromises();
    expect(useDocumentStore().text).toBe('{"DeviceName":"cam-2","DeviceFleetName":"fleet","AgentVersion":"1.0"}');
    expect(w.find('[data-testid="inspector-origin"]').text()).toMatch(/^From history/);
    expect(w.find('[data-testid="diagnosis"]').text()).toContain('The secret key is wrong.');
    // The error answer's own headers and body, as the server sent them.
    expect(w.text()).toContain('x-amzn-errortype');
    expect(w.find('pre[aria-label="Response body"]').text()).toContain('"message": "no"');
  });

  it('re-sends an entry with the picked credentials and shows the new answer', async () => {
    const host = fakeHost(entries());
    const w = mountWith(host.api);
    await flushPromises();
    useSessionStore().setCredentials({ kind: 'profile', profile: 'dev' });
    await w.find('button[aria-label^="Re-send cam-1"]').trigger('click');
    await flushPromises();
    expect(host.calls.replay).toEqual([['a', { sendId: expect.any(String), credentials: { kind: 'profile', profile: 'dev' } }]]);
    expect(w.find('[data-testid="inspector-origin"]').text()).toMatch(/^Re-send/);
    expect(w.find('[data-testid="outcome"]').text()).toContain('replayed-1');
  });

  it('adds live entries from the host at the top', async () => {
    const host = fakeHost(entries());
    const w = mountWith(host.api);
    await flushPromises();
    host.emit({
      type: 'history',
      entry: { id: 'c', time: '2026-11-23T10:09:00Z', operation: 'SendHeartbeat', deviceName: 'cam-live', status: 'pending' },
    });
    await flushPromises();
    expect(w.findAll('[data-testid="history-entry"] .device').map((d) => d.text())).toEqual(['cam-live', 'cam-2', 'cam-1']);
    host.emit({
      type: 'history',
      entry: {
        id: 'c',
        time: '2026-11-23T10:09:00Z',
        operation: 'SendHeartbeat',
        deviceName: 'cam-live',
        status: 'success',
        httpStatus: 200,
      },
    });
    await flushPromises();
    expect(w.findAll('[data-testid="history-entry"]')).toHaveLength(3);
    expect(w.find('[data-testid="history-entry"] .badge').text()).toBe('200');
  });

  it('clears only after the confirmation, and exports what the filters select', async () => {
    const host = fakeHost(entries());
    const w = mountWith(host.api);
    await flushPromises();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const clear = w.findAll('button').find((b) => b.text() === 'Clear…')!;
    await clear.trigger('click');
    await flushPromises();
    expect(host.calls.clear).toBe(0);
    await clear.trigger('click');
    await flushPromises();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(host.calls.clear).toBe(1);
    expect(w.findAll('[data-testid="history-entry"]')).toHaveLength(0);

    const host2 = fakeHost(entries());
    w.unmount();
    const w2 = mountWith(host2.api);
    await flushPromises();
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await w2.find('button[aria-label="Export history as HAR"]').trigger('click');
    await flushPromises();
    expect(host2.calls.export).toEqual([[{}, 'har']]);
    expect(click).toHaveBeenCalledOnce();
  });

  it('compares two picked entries, older on the left', async () => {
    const w = mountWith(fakeHost(entries()).api);
    await flushPromises();
    const compare = () => w.findAll('button').find((b) => b.text() === 'Compare')!;
    expect(compare().attributes('disabled')).toBeDefined();
    for (const box of w.findAll('input[type="checkbox"]')) await box.setValue(true);
    expect(compare().attributes('disabled')).toBeUndefined();
    await compare().trigger('click');
    await flushPromises();
    const dialog = w.findComponent({ name: 'DiffDialog' });
    expect(dialog.props('left')).toMatchObject({ time: '2026-11-23T10:00:00Z' });
    expect(dialog.props('right').body).toContain('cam-2');
  });
});
