// @vitest-environment jsdom
/**
 * Issue 14, items 1, 3 and 27 on the UI side: Clear… deletes what the filters select (and says so),
 * clearing everything is its own choice; a failed send or re-send does not leave the previous answer
 * on screen; a re-send passes the picked credentials; demo keys are not sent past the embedded
 * endpoint without a question.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import HistorySidebar from '../../../src/renderer/components/HistorySidebar.vue';
import InspectorPanel from '../../../src/renderer/components/InspectorPanel.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { useSend } from '../../../src/renderer/composables/use-send.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import { useHistoryStore } from '../../../src/renderer/stores/history.ts';
import type { HeartbeatApi, HistorySendEntry, SendRequest, SendResult } from '../../../src/common/api.ts';

function entry(id: string, device: string, status: 'success' | 'error', targetKind: 'local' | 'url' = 'local'): HistorySendEntry {
  return {
    id,
    time: `2026-11-23T10:0${id.charCodeAt(0) - 96}:00Z`,
    operation: 'SendHeartbeat',
    deviceName: device,
    fleetName: 'fleet',
    status,
    httpStatus: status === 'success' ? 200 : 500,
    target: { kind: targetKind, url: targetKind === 'local' ? 'http://127.0.0.1:1' : 'https://edge.example.test', region: 'us-east-1' },
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:1/SendHeartbeat',
      headers: {},
      body: `{"DeviceName":"${device}","DeviceFleetName":"fleet","AgentVersion":"1.0"}`,
    },
    outcome: { kind: 'success', status: 200, requestId: `req-${id}`, headers: {}, body: '{}' },
    attempts: [],
  };
}

const ok = (request: { body: string }, requestId: string): SendResult => ({
  id: 'x',
  historyId: 'h',
  request: { method: 'POST', url: 'http://127.0.0.1:1/SendHeartbeat', headers: {}, body: request.body },
  outcome: { kind: 'success', status: 200, requestId, headers: {}, body: '{}' },
  attempts: [],
});

/** A host in memory: clear() applies the selection it is given, as the API says. */
function fakeHost(entries: HistorySendEntry[]) {
  const calls = { clear: [] as unknown[], replay: [] as unknown[][], send: [] as SendRequest[] };
  const offline = createOfflineApi();
  let failReplay = false;
  let failSend = false;
  const matches = (e: HistorySendEntry, q: { status?: string; text?: string }): boolean =>
    (!q.status || e.status === q.status) && (!q.text || (e.deviceName ?? '').includes(q.text));
  const api = {
    ...offline,
    history: {
      async query(q: { status?: string; text?: string }) {
        const found = entries.filter((e) => matches(e, q));
        return {
          entries: found.map(({ id, time, operation, deviceName, status, httpStatus }) => ({
            id,
            time,
            operation,
            deviceName,
            status,
            httpStatus,
          })),
          total: found.length,
        };
      },
      get: async (id: string) => entries.find((e) => e.id === id),
      export: offline.history.export,
      async clear(selection: { query: { status?: string } } | { all: true }) {
        calls.clear.push(selection);
        const keep = 'all' in selection ? [] : entries.filter((e) => !matches(e, selection.query));
        const removed = entries.length - keep.length;
        entries.splice(0, entries.length, ...keep);
        return { removed };
      },
    },
    async replay(id: string, overrides: unknown): Promise<SendResult> {
      calls.replay.push([id, overrides]);
      if (failReplay) throw new PlatformError('The host could not re-send: the entry is unreadable.', 'host');
      return ok(entries.find((e) => e.id === id)!.request, 'replayed-1');
    },
    async send(request: SendRequest): Promise<SendResult> {
      calls.send.push(request);
      if (failSend) throw new PlatformError('The host refused the send: no credentials.', 'host');
      return ok(request, 'sent-1');
    },
    endpoint: { ...offline.endpoint, info: async () => ({ url: 'http://127.0.0.1:4567' }) },
  } as unknown as HeartbeatApi;
  return {
    api,
    calls,
    entries,
    failReplay: (v: boolean) => (failReplay = v),
    failSend: (v: boolean) => (failSend = v),
  };
}

describe('Clear… and sending (issue 14)', () => {
  let pinia: Pinia;
  let w: VueWrapper | undefined;
  const three = () => [
    entry('c', 'cam-3', 'error'),
    entry('b', 'cam-2', 'success'),
    entry('a', 'cam-1', 'success'),
    entry('d', 'cam-4', 'success'),
  ];

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });
  afterEach(() => {
    w?.unmount();
    vi.restoreAllMocks();
  });

  let sender: ReturnType<typeof useSend>;
  function mountWith(api: HeartbeatApi) {
    useSessionStore().setPlatformKind('http');
    const Sender = defineComponent({
      setup() {
        sender = useSend();
        return () => h('span');
      },
    });
    const global = { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { DiffDialog: true } };
    w = mount(
      { components: { HistorySidebar, InspectorPanel, Sender }, template: '<div><HistorySidebar /><InspectorPanel /><Sender /></div>' },
      { global, attachTo: document.body },
    );
    return w;
  }
  const button = (text: string) => w!.findAll('button').find((b) => b.text() === text);

  it('with a filter set, Clear… asks about and deletes only the entries the filters select', async () => {
    const host = fakeHost(three());
    mountWith(host.api);
    await flushPromises();
    const store = useHistoryStore();
    store.setFilters({ status: 'error' });
    store.setPage(await host.api.history.query({ status: 'error' }), false);
    await flushPromises();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await button('Clear…')!.trigger('click');
    await flushPromises();
    expect(confirm.mock.calls[0]![0]).toMatch(/^Delete the 1 entry the filters select\?/);
    expect(host.calls.clear).toEqual([{ query: { status: 'error' } }]);
    expect(host.entries.map((e) => e.id)).toEqual(['b', 'a', 'd']);
    expect(w!.text()).toContain('Deleted 1 entry.');
    expect(w!.text()).not.toMatch(/Cleared 4/);
  });

  it('clearing everything is its own, explicit choice', async () => {
    const host = fakeHost(three());
    mountWith(host.api);
    await flushPromises();
    expect(button('Clear all…')).toBeUndefined();
    const store = useHistoryStore();
    store.setFilters({ text: 'cam-1' });
    store.setPage(await host.api.history.query({ text: 'cam-1' }), false);
    await flushPromises();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await button('Clear all…')!.trigger('click');
    await flushPromises();
    expect(host.calls.clear).toEqual([]);
    await button('Clear all…')!.trigger('click');
    await flushPromises();
    expect(confirm.mock.calls[1]![0]).toMatch(/whole history, including every entry the filters hide/);
    expect(host.calls.clear).toEqual([{ all: true }]);
    expect(host.entries).toEqual([]);
    // Without filters, Clear… is the whole history, and says how many.
    store.setFilters({ text: '' });
    host.entries.push(entry('a', 'cam-1', 'success'));
    store.setPage(await host.api.history.query({}), false);
    await flushPromises();
    confirm.mockReturnValueOnce(true);
    await button('Clear…')!.trigger('click');
    await flushPromises();
    expect(confirm.mock.calls[2]![0]).toMatch(/^Delete all 1 entry of the history\?/);
    expect(host.calls.clear.at(-1)).toEqual({ all: true });
  });

  it('a failed re-send replaces the previous answer with the error, and passes the picked credentials', async () => {
    const host = fakeHost(three());
    mountWith(host.api);
    await flushPromises();
    useSessionStore().setCredentials({ kind: 'profile', profile: 'dev' });
    const resend = () => w!.findAll('button').find((b) => (b.attributes('aria-label') ?? '').startsWith('Re-send cam-2'))!;
    await resend().trigger('click');
    await flushPromises();
    expect(w!.find('[data-testid="outcome"]').text()).toContain('200');
    expect(host.calls.replay[0]![1]).toMatchObject({ credentials: { kind: 'profile', profile: 'dev' } });
    expect(Object.keys(host.calls.replay[0]![1] as object).sort()).toEqual(['credentials', 'sendId']);

    host.failReplay(true);
    await resend().trigger('click');
    await flushPromises();
    const status = w!.find('[data-testid="inspector-status"]').text();
    expect(status).toContain('The host could not re-send');
    expect(w!.find('[data-testid="outcome"]').exists()).toBe(false);
    expect(status).not.toContain('replayed-1');
  });

  it('a re-send with the demo keys of an entry sent elsewhere asks first', async () => {
    const host = fakeHost([entry('e', 'cam-away', 'success', 'url'), entry('a', 'cam-1', 'success')]);
    mountWith(host.api);
    await flushPromises();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const resend = (device: string) =>
      w!.findAll('button').find((b) => (b.attributes('aria-label') ?? '').startsWith(`Re-send ${device}`))!;
    await resend('cam-1').trigger('click');
    await flushPromises();
    expect(confirm).not.toHaveBeenCalled();
    expect(host.calls.replay).toHaveLength(1);
    await resend('cam-away').trigger('click');
    await flushPromises();
    expect(confirm.mock.calls[0]![0]).toMatch(/^Send with the demo keys to https:\/\/edge\.example\.test\?/);
    expect(host.calls.replay).toHaveLength(1);
    await resend('cam-away').trigger('click');
    await flushPromises();
    expect(host.calls.replay).toHaveLength(2);
    expect(host.calls.replay[1]).toMatchObject(['e', { credentials: { kind: 'demo' } }]);
  });

  it('a failed send replaces the previous answer with the error', async () => {
    const host = fakeHost(three());
    mountWith(host.api);
    await flushPromises();
    await sender.send();
    await flushPromises();
    expect(w!.find('[data-testid="outcome"]').text()).toContain('sent-1');
    host.failSend(true);
    await sender.send();
    await flushPromises();
    expect(w!.find('[data-testid="inspector-status"]').text()).toContain('The host refused the send');
    expect(w!.find('[data-testid="outcome"]').exists()).toBe(false);
  });

  it('asks before sending the demo keys anywhere but the embedded endpoint', async () => {
    const host = fakeHost(three());
    mountWith(host.api);
    await flushPromises();
    const session = useSessionStore();
    useDocumentStore().setText('{"AgentVersion":"1.0","DeviceName":"d","DeviceFleetName":"f"}');
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(false);

    await sender.send();
    expect(confirm).not.toHaveBeenCalled();
    expect(host.calls.send).toHaveLength(1);

    session.setTarget({ kind: 'region', region: 'eu-west-1' });
    await sender.send();
    expect(confirm).toHaveBeenCalledOnce();
    expect(confirm.mock.calls[0]![0]).toMatch(/demo keys to the AWS region eu-west-1/);
    expect(host.calls.send).toHaveLength(1);
    expect(session.send.status).toBe('idle');

    confirm.mockReturnValueOnce(true);
    await sender.send();
    expect(host.calls.send).toHaveLength(2);

    // The embedded endpoint's own URL needs no question; another URL does; real keys never do.
    session.setTarget({ kind: 'url', url: 'http://127.0.0.1:4567/', region: 'us-east-1' });
    await sender.send();
    expect(confirm).toHaveBeenCalledTimes(2);
    expect(host.calls.send).toHaveLength(3);
    session.setTarget({ kind: 'url', url: 'https://edge.example.test', region: 'us-east-1' });
    await sender.send();
    expect(confirm).toHaveBeenCalledTimes(3);
    expect(host.calls.send).toHaveLength(3);
    session.setCredentials({ kind: 'default-chain' });
    await sender.send();
    expect(confirm).toHaveBeenCalledTimes(3);
    expect(host.calls.send).toHaveLength(4);
  });
});
