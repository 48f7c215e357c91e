// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import EndpointPanel from '../../../src/renderer/components/EndpointPanel.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { COUNTS_REFRESH_MS } from '../../../src/renderer/composables/use-endpoint.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import type { Platform } from '../../../src/renderer/platform/index.ts';
import type { EndpointActivity, EndpointInfo, FaultSettings, HeartbeatApi, HostEvent } from '../../../src/common/api.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';

const NO_FAULTS: EndpointInfo['faults'] = {
  latencyMs: 0,
  latencyJitterMs: 0,
  errorRate: 0,
  failEveryNth: 0,
  errorType: 'InternalServiceException',
  retryAfterSeconds: 1,
};

function activity(n: number, extra: Partial<EndpointActivity> = {}): EndpointActivity {
  return {
    id: `a-${n}`,
    time: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(),
    operation: 'SendHeartbeat',
    status: 200,
    requestId: `r-${n}`,
    handlingMs: 2.5,
    deviceName: `device-${n}`,
    deviceFleetName: 'fleet-a',
    ...extra,
  };
}

/** A fake host: info() answers `state`; setFaults/reset are recorded; events are pushed with `emit`. */
function fakeHost(options: { rejectFaults?: string } = {}) {
  const offline = createOfflineApi();
  const state: EndpointInfo = {
    running: true,
    url: 'http://127.0.0.1:4567',
    region: 'us-east-1',
    anyRegion: true,
    accessKeyId: DEMO_CREDENTIALS.accessKeyId,
    counts: { received: 2, accepted: 2, rejected: 0, devices: 2 },
    faults: { ...NO_FAULTS },
    recent: [activity(1), activity(2)],
  };
  const calls = { info: 0, setFaults: [] as FaultSettings[], reset: 0 };
  let listener: ((event: HostEvent) => void) | undefined;
  const api: HeartbeatApi = {
    ...offline,
    endpoint: {
      ...offline.endpoint,
      info: async () => (calls.info++, structuredClone(state)),
      async setFaults(faults) {
        calls.setFaults.push(faults);
        if (options.rejectFaults) throw new PlatformError(options.rejectFaults, 'host');
        state.faults = { ...NO_FAULTS, ...faults };
        return structuredClone(state);
      },
      async reset() {
        calls.reset++;
        Object.assign(state, { counts: { received: 0, accepted: 0, rejected: 0, devices: 0 }, recent: [] });
        return structuredClone(state);
      },
    },
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
  };
  const emit = (a: EndpointActivity) => listener?.({ type: 'endpoint-activity', activities: [a], skipped: 0 });
  return { api, state, calls, emit, listening: () => listener !== undefined };
}

function mountPanel(pinia: Pinia, platform: Platform): VueWrapper {
  return mount(EndpointPanel, { global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: platform } }, attachTo: document.body });
}

const rows = (w: VueWrapper) => w.findAll('[data-testid="endpoint-activity"] li');
const counts = (w: VueWrapper) =>
  w
    .find('[data-testid="endpoint-counts"]')
    .findAll('dd')
    .map((d) => Number(d.text()));
const button = (w: VueWrapper, text: string) => w.findAll('button').find((b) => b.text() === text);

describe('EndpointPanel', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });
  afterEach(() => vi.useRealTimers());

  it('is a labelled region showing the URL, region, demo keys and counts, and names every control', async () => {
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    const section = w.find('section');
    expect(document.getElementById(section.attributes('aria-labelledby')!)?.textContent).toBe('Embedded endpoint');
    expect(w.find('[data-testid="endpoint-url"]').text()).toBe('http://127.0.0.1:4567');
    expect(w.text()).toContain('any (signed for us-east-1)');
    expect(w.find('[data-testid="endpoint-access-key"]').text()).toBe(DEMO_CREDENTIALS.accessKeyId);
    expect(w.find('[data-testid="endpoint-secret"]').text()).toBe(DEMO_CREDENTIALS.secretAccessKey);
    expect(w.find('button[aria-label="Copy access key id"]').exists()).toBe(true);
    expect(w.find('button[aria-label="Copy secret access key"]').exists()).toBe(true);
    expect(counts(w)).toEqual([2, 2, 0, 2]);
    for (const b of w.findAll('button')) expect(b.attributes('aria-label') || b.text().trim(), b.html()).toBeTruthy();
    for (const control of w.findAll('input, select')) {
      const id = control.attributes('id');
      expect(control.attributes('aria-label') || (id && w.find(`label[for="${id}"]`).exists()), control.html()).toBeTruthy();
    }
    w.unmount();
  });

  it('copies the demo secret', async () => {
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const w = mountPanel(pinia, { kind: 'http', api: fakeHost().api });
    await flushPromises();
    await w.find('button[aria-label="Copy secret access key"]').trigger('click');
    await flushPromises();
    expect(writeText).toHaveBeenCalledWith(DEMO_CREDENTIALS.secretAccessKey);
    expect(w.find('[role="status"]').text()).toBe('Copied the secret access key.');
    w.unmount();
  });

  it('lists the recent requests newest first, then live activity on top, counted at once', async () => {
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    expect(rows(w).map((r) => r.find('.who').text())).toEqual(['device-2 / fleet-a', 'device-1 / fleet-a']);
    host.emit(activity(3, { status: 429, errorType: 'ThrottlingException', injected: true, handlingMs: 153 }));
    await flushPromises();
    const first = rows(w)[0];
    expect(first.find('.who').text()).toBe('device-3 / fleet-a');
    expect(first.find('.status').text()).toBe('429');
    expect(first.find('.error-type').text()).toBe('ThrottlingException');
    expect(first.find('.injected').text()).toBe('injected');
    expect(first.find('.ms').text()).toBe('153 ms');
    expect(first.find('time').attributes('datetime')).toBe(activity(3).time);
    expect(rows(w)[1].find('.injected').exists()).toBe(false);
    expect(counts(w)).toEqual([3, 2, 1, 2]);
    w.unmount();
    expect(host.listening()).toBe(false);
  });

  it('keeps the latest 50', async () => {
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    for (let n = 3; n <= 60; n++) host.emit(activity(n));
    await flushPromises();
    expect(rows(w)).toHaveLength(50);
    expect(rows(w)[0].find('.who').text()).toBe('device-60 / fleet-a');
    expect(rows(w)[49].find('.who').text()).toBe('device-11 / fleet-a');
    w.unmount();
  });

  it("re-reads the host's counts (devices) once while activity flows", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    expect(host.calls.info).toBe(1);
    host.state.counts = { received: 5, accepted: 4, rejected: 1, devices: 4 };
    host.emit(activity(3));
    host.emit(activity(4));
    host.emit(activity(5));
    await flushPromises();
    expect(counts(w)).toEqual([5, 5, 0, 2]);
    vi.advanceTimersByTime(COUNTS_REFRESH_MS);
    await flushPromises();
    expect(host.calls.info).toBe(2);
    expect(counts(w)).toEqual([5, 4, 1, 4]);
    expect(rows(w)).toHaveLength(5);
    w.unmount();
  });

  it('sends the fault settings exactly as typed, and "No faults" turns them all off', async () => {
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    await w.find('#fault-latency').setValue('200');
    await w.find('#fault-jitter').setValue('50');
    await w.find('#fault-rate').setValue('12.5');
    await w.find('#fault-nth').setValue('3');
    await w.find('#fault-type').setValue('ThrottlingException');
    await w.find('#fault-retry-after').setValue('2');
    await w.find('form.faults').trigger('submit');
    await flushPromises();
    expect(host.calls.setFaults).toEqual([
      { latencyMs: 200, latencyJitterMs: 50, errorRate: 0.125, failEveryNth: 3, errorType: 'ThrottlingException', retryAfterSeconds: 2 },
    ]);
    expect(w.find('[data-testid="faults-now"]').text()).toBe(
      'Now: 200±50 ms latency, 12.5% ThrottlingException, 1 request in 3 fails with ThrottlingException',
    );
    await button(w, 'No faults')!.trigger('click');
    await flushPromises();
    expect(host.calls.setFaults[1]).toEqual({});
    expect(w.find('[data-testid="faults-now"]').text()).toBe('Now: none');
    expect((w.find('#fault-latency').element as HTMLInputElement).value).toBe('0');
    w.unmount();
  });

  it("shows the host's sentence when it refuses the faults", async () => {
    const host = fakeHost({ rejectFaults: 'latencyJitterMs must not be larger than latencyMs.' });
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    await w.find('#fault-jitter').setValue('50');
    await button(w, 'Apply')!.trigger('click');
    await flushPromises();
    expect(host.calls.setFaults.at(-1)).toMatchObject({ latencyMs: 0, latencyJitterMs: 50 });
    expect(w.find('[data-testid="faults-error"]').text()).toBe('latencyJitterMs must not be larger than latencyMs.');
    expect(w.find('[data-testid="faults-error"]').attributes('role')).toBe('alert');
    // A reset brings the endpoint's own settings back into the form; the old refusal goes.
    await button(w, 'Reset…')!.trigger('click');
    await button(w, 'Reset now')!.trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="faults-error"]').exists()).toBe(false);
    expect((w.find('#fault-jitter').element as HTMLInputElement).value).toBe('0');
    w.unmount();
  });

  it('resets only after confirmation', async () => {
    const host = fakeHost();
    const w = mountPanel(pinia, { kind: 'http', api: host.api });
    await flushPromises();
    await button(w, 'Reset…')!.trigger('click');
    expect(host.calls.reset).toBe(0);
    expect(document.activeElement?.textContent).toBe('Reset now');
    await button(w, 'Keep')!.trigger('click');
    expect(host.calls.reset).toBe(0);
    expect(rows(w)).toHaveLength(2);
    expect(document.activeElement?.textContent).toBe('Reset…');
    await button(w, 'Reset…')!.trigger('click');
    await button(w, 'Reset now')!.trigger('click');
    await flushPromises();
    expect(host.calls.reset).toBe(1);
    expect(rows(w)).toHaveLength(0);
    expect(counts(w)).toEqual([0, 0, 0, 0]);
    w.unmount();
  });

  it('says in one sentence that the endpoint needs the host when offline', async () => {
    const w = mountPanel(pinia, { kind: 'offline', api: createOfflineApi() });
    await flushPromises();
    expect(w.find('[data-testid="endpoint-offline"]').text()).toBe(
      'The embedded endpoint runs inside the app host: start the app with "npm start" (or "heartbeat ui") to see it here.',
    );
    expect(w.findAll('input, select, button')).toHaveLength(0);
    w.unmount();
  });
});
