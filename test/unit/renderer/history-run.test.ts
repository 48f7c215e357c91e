// @vitest-environment jsdom
/**
 * Issue 17: a fleet run's summary is one history entry. Its row says what the run was (and so does its
 * accessible name), has no pick box or re-send, and opens its summary in the inspector, never the composer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import HistorySidebar from '../../../src/renderer/components/HistorySidebar.vue';
import InspectorPanel from '../../../src/renderer/components/InspectorPanel.vue';
import RunView from '../../../src/renderer/components/inspector/RunView.vue';
import { runDuration, runFactsLine } from '../../../src/renderer/components/history/run-format.ts';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import type { HeartbeatApi, HistoryEntry, HistoryRunEntry, HistorySendEntry, HistorySummary } from '../../../src/common/api.ts';
import type { FleetRunSummary } from '../../../src/common/fleet/summary.ts';
import { fleetRunSummary } from '../node/history-lines.ts';

const RUN_TIME = '2026-11-23T10:10:00Z';

function runEntry(): HistoryRunEntry {
  const summary = fleetRunSummary();
  return {
    id: 'run-1',
    time: RUN_TIME,
    kind: 'run',
    operation: 'fleet-run',
    status: 'error',
    durationMs: 62_000,
    run: { scenario: 'warehouse-demo', devices: 50, sent: 12_340, failed: 3, elapsedMs: 62_000, stopped: false },
    summary,
    tags: ['ci'],
  };
}

function sendEntry(): HistorySendEntry {
  return {
    id: 'a',
    time: '2026-11-23T10:00:00Z',
    operation: 'SendHeartbeat',
    deviceName: 'cam-1',
    status: 'success',
    httpStatus: 200,
    target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
    request: { method: 'POST', url: 'http://127.0.0.1:1/SendHeartbeat', headers: {}, body: '{"DeviceName":"cam-1"}' },
    outcome: { kind: 'success', status: 200, headers: {}, body: '{}' },
    attempts: [],
  };
}

const summaryOf = (e: HistoryEntry): HistorySummary => {
  const { id, time, kind, operation, deviceName, status, httpStatus, durationMs, run } = e;
  return { id, time, ...(kind ? { kind } : {}), operation, ...(deviceName ? { deviceName } : {}), status, httpStatus, durationMs, run };
};

function fakeApi(entries: HistoryEntry[], calls: { replay: string[]; get: string[] }): HeartbeatApi {
  const offline = createOfflineApi();
  return {
    ...offline,
    history: {
      ...offline.history,
      query: async () => ({ entries: entries.map(summaryOf), total: entries.length }),
      get: async (id) => (calls.get.push(id), entries.find((e) => e.id === id)),
    },
    async replay(id) {
      calls.replay.push(id);
      throw new Error('not here');
    },
    subscribe: () => () => undefined,
  };
}

describe('a fleet run in the history list and the inspector', () => {
  let pinia: Pinia;
  let w: VueWrapper | undefined;

  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });
  afterEach(() => w?.unmount());

  function mountWith(api: HeartbeatApi): VueWrapper {
    useSessionStore().setPlatformKind('http');
    const global = { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { DiffDialog: true } };
    w = mount(
      { components: { HistorySidebar, InspectorPanel }, template: '<div><HistorySidebar /><InspectorPanel /></div>' },
      { global, attachTo: document.body },
    );
    return w;
  }

  it('words a run: counts grouped, lengths in m and s', () => {
    expect(runDuration(850)).toBe('850 ms');
    expect(runDuration(42_400)).toBe('42s');
    expect(runDuration(62_000)).toBe('1m 02s');
    expect(runDuration(3_900_000)).toBe('1h 05m 00s');
    expect(runFactsLine(runEntry().run)).toBe('50 devices · 12,340 sent · 3 failed · 1m 02s');
    expect(runFactsLine({ ...runEntry().run, devices: 1, stopped: true })).toBe('1 device · 12,340 sent · 3 failed · 1m 02s · stopped');
  });

  it('shows the run as a row of its own with an accessible name, no pick box and no re-send', async () => {
    const calls = { replay: [] as string[], get: [] as string[] };
    const w = mountWith(fakeApi([runEntry(), sendEntry()], calls));
    await flushPromises();
    const rows = w.findAll('[data-testid="history-entry"]');
    expect(rows).toHaveLength(2);
    const [run, send] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(run.classes()).toEqual(expect.arrayContaining(['run', 'error']));
    expect(run.find('.device').text()).toBe('warehouse-demo');
    expect(run.find('.kind').text()).toBe('Fleet run');
    expect(run.find('.badge').text()).toBe('50 devices · 12,340 sent · 3 failed · 1m 02s');
    const open = run.get('button.open');
    expect(open.attributes('aria-label')).toMatch(
      /^Show the summary of fleet run warehouse-demo at .+: 50 devices · 12,340 sent · 3 failed · 1m 02s$/,
    );
    expect(run.findAll('button')).toHaveLength(1);
    expect(run.find('input[type="checkbox"]').exists()).toBe(false);
    expect(run.find('[aria-label^="Re-send"]').exists()).toBe(false);
    // The send's row is as before.
    expect(send.find('input[type="checkbox"]').exists()).toBe(true);
    expect(send.find('button[aria-label^="Re-send cam-1"]').exists()).toBe(true);
    // The list's one tab stop is the run's open button (the first row).
    expect(w.findAll('[data-testid="history-entry"] [tabindex="0"]').map((e) => e.element)).toEqual([open.element]);
  });

  it('opens the summary in the inspector and leaves the composer as it was', async () => {
    const calls = { replay: [] as string[], get: [] as string[] };
    const w = mountWith(fakeApi([runEntry(), sendEntry()], calls));
    await flushPromises();
    const before = useDocumentStore().text;
    await w.get('button[aria-label^="Show the summary of fleet run"]').trigger('click');
    await flushPromises();
    expect(calls.get).toEqual(['run-1']);
    expect(useDocumentStore().text).toBe(before);
    expect(calls.replay).toEqual([]);
    expect(w.get('[data-testid="inspector-origin"]').text()).toMatch(/^From history · /);
    const view = w.get('[data-testid="run-summary"]');
    expect(view.get('h3').text()).toBe('Fleet run warehouse-demo');
    expect(view.get('[data-testid="run-totals"]').text()).toBe('12,340 sent · 12,337 OK · 3 failed');
    expect(view.get('[data-testid="run-log"]').text()).toBe('/tmp/history/fleet-runs/warehouse-demo-20240501T000820Z.ndjson');
    const rows = view.findAll('[data-testid="run-operations"] tbody tr').map((tr) => tr.findAll('th, td').map((c) => c.text()));
    expect(rows).toEqual([
      ['SendHeartbeat', '12,000', '11,997', '3', '3.2', '41'],
      ['GetDeviceRegistration', '100', '100', '0', '2.1', '9.5'],
      ['GetDeployments', '240', '240', '0', '2.4', '12'],
    ]);
    expect(view.get('[data-testid="run-operations"] caption').text()).toBe('Requests by operation (latency in ms)');
    expect(view.get('[data-testid="run-failures"]').text()).toBe('SendHeartbeat: ThrottlingException 2, transport:refused 1');
    expect(view.get('[data-testid="run-lag"]').text()).toBe('p50 0.8 ms · p99 14 ms · max 120 ms');
    expect(view.get('[data-testid="run-deployments"]').text()).toBe('4 applied · 3 succeeded · 1 failed');
    expect(view.text()).toContain('heartbeat replay /tmp/history/fleet-runs/warehouse-demo-20240501T000820Z.ndjson');
    expect(w.text()).not.toContain('Open in composer');
    // No exchange view: no request, response or signature sections.
    expect(w.find('[data-testid="outcome"]').exists()).toBe(false);
    // Opening a send afterwards shows its exchange instead (and loads the composer).
    await w.get('button[aria-label^="Open cam-1"]').trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="run-summary"]').exists()).toBe(false);
    expect(w.find('[data-testid="outcome"]').exists()).toBe(true);
    expect(useDocumentStore().text).toBe('{"DeviceName":"cam-1"}');
  });

  it('a run without a run log, stopped early, without failures', () => {
    const entry = runEntry();
    const { runLog: _runLog, ...rest } = entry.summary;
    const summary = {
      ...rest,
      stopped: true,
      totals: { sent: 5, ok: 5, failed: 0 },
      operations: { SendHeartbeat: { sent: 5, ok: 5, failed: 0, failedByType: {} } } as FleetRunSummary['operations'],
      lag: {},
    };
    const view = mount(RunView, { props: { entry: { ...entry, summary } } });
    expect(view.text()).toContain('None was written.');
    expect(view.text()).toContain('1m 02s, stopped before its duration');
    expect(view.find('[data-testid="run-failures"]').exists()).toBe(false);
    expect(view.get('[data-testid="run-lag"]').text()).toBe('p50 — · p99 — · max —');
    expect(view.findAll('tbody tr').map((tr) => tr.findAll('td').map((c) => c.text()))).toEqual([['5', '5', '0', '—', '—']]);
    expect(view.text()).not.toContain('heartbeat replay');
  });
});
