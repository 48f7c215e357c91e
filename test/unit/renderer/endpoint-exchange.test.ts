// @vitest-environment jsdom
/**
 * Issue 18 item 4: a row of the Endpoint tab's live list opens that request in the inspector (the
 * verdict, the request with its signature redacted, the answer); the rows are buttons with a name that
 * says what they open, one tab stop moved by the arrow keys; "Back" returns to the row; a request the
 * endpoint no longer keeps, or a failed fetch, says so in one sentence. The other views keep working.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import SidePanel from '../../../src/renderer/components/SidePanel.vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { PlatformError } from '../../../src/renderer/platform/errors.ts';
import { exchangeOfResult, useInspectorStore } from '../../../src/renderer/stores/inspector.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import type { EndpointActivity, EndpointExchange, EndpointInfo, HeartbeatApi, HostEvent } from '../../../src/common/api.ts';
import { DEMO_CREDENTIALS } from '../../../src/common/demo.ts';

const clock = (iso: string) => new Date(iso).toLocaleTimeString([], { hour12: false });

function activity(n: number, extra: Partial<EndpointActivity> = {}): EndpointActivity {
  return {
    id: `a-${n}`,
    time: new Date(Date.UTC(2025, 0, 1, 12, 0, n)).toISOString(),
    operation: 'SendHeartbeat',
    status: 200,
    requestId: `a-${n}`,
    handlingMs: 2.5,
    deviceName: `cam-00${n}`,
    deviceFleetName: 'fleet-a',
    ...extra,
  };
}

function exchangeOf(a: EndpointActivity): EndpointExchange {
  return {
    id: a.id,
    time: a.time,
    operation: a.operation,
    deviceName: a.deviceName,
    deviceFleetName: a.deviceFleetName,
    request: {
      method: 'POST',
      path: '/SendHeartbeat',
      headers: {
        host: '127.0.0.1:4567',
        'content-type': 'application/json',
        authorization: `AWS4-HMAC-SHA256 Credential=${DEMO_CREDENTIALS.accessKeyId}/20250101/us-east-1/sagemaker/aws4_request, SignedHeaders=host;x-amz-date, Signature=REDACTED`,
      },
      body: `{"DeviceName":"${a.deviceName}","DeviceFleetName":"fleet-a","AgentVersion":"1.0"}`,
      bodyBytes: 70,
    },
    response: {
      status: a.status,
      headers: {
        'x-amzn-requestid': a.requestId,
        'content-type': 'application/json',
        ...(a.errorType ? { 'x-amzn-errortype': a.errorType } : {}),
      },
      body: a.message ? JSON.stringify({ message: a.message }) : '',
    },
    verdict: {
      status: a.status,
      requestId: a.requestId,
      handlingMs: a.handlingMs,
      ...(a.errorType ? { errorType: a.errorType } : {}),
      ...(a.message ? { message: a.message } : {}),
      ...(a.injected ? { injected: true } : {}),
    },
  };
}

/** A host whose endpoint lists `recent` (newest last) and keeps the exchanges of `kept` ids. */
function fakeHost(recent: EndpointActivity[], kept: Set<string>, options: { fail?: () => string | undefined } = {}) {
  const offline = createOfflineApi();
  const asked: string[] = [];
  let listener: ((event: HostEvent) => void) | undefined;
  const info: EndpointInfo = {
    running: true,
    url: 'http://127.0.0.1:4567',
    region: 'us-east-1',
    anyRegion: true,
    accessKeyId: DEMO_CREDENTIALS.accessKeyId,
    counts: { received: recent.length, accepted: recent.length, rejected: 0, devices: 2 },
    faults: {
      latencyMs: 0,
      latencyJitterMs: 0,
      errorRate: 0,
      failEveryNth: 0,
      errorType: 'InternalServiceException',
      retryAfterSeconds: 1,
    },
    recent,
  };
  const api: HeartbeatApi = {
    ...offline,
    endpoint: {
      ...offline.endpoint,
      info: async () => structuredClone(info),
      async exchange(id) {
        asked.push(id);
        const failure = options.fail?.();
        if (failure) throw new PlatformError(failure, 'host');
        const a = recent.find((r) => r.id === id);
        return a && kept.has(id) ? exchangeOf(a) : undefined;
      },
    },
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
  };
  return { api, asked, emit: (a: EndpointActivity) => listener?.({ type: 'endpoint-activity', activities: [a], skipped: 0 }) };
}

function mountSide(pinia: Pinia, api: HeartbeatApi): VueWrapper {
  return mount(SidePanel, {
    global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } } },
    attachTo: document.body,
  });
}

const rowButtons = (w: VueWrapper) => w.findAll('[data-testid="endpoint-activity"] li button');
const tab = (w: VueWrapper, name: string) => w.findAll('[role="tab"]').find((t) => t.text() === name)!;
const shown = (w: VueWrapper, id: string) => (w.find(`#${id}`).element as HTMLElement).style.display !== 'none';

describe('Endpoint tab → inspector', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });
  afterEach(() => (document.body.innerHTML = ''));

  it('rows are buttons named for what they open; a click shows the exchange in the inspector, focused', async () => {
    const throttled = activity(2, {
      status: 429,
      errorType: 'ThrottlingException',
      message: 'Rate exceeded',
      injected: true,
      handlingMs: 153,
    });
    const host = fakeHost([activity(1), throttled], new Set(['a-1', 'a-2']));
    const w = mountSide(pinia, host.api);
    await tab(w, 'Endpoint').trigger('click');
    await flushPromises();
    const rows = rowButtons(w);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.element.tagName).toBe('BUTTON');
    expect(rows[1]!.attributes('type')).toBe('button');
    expect(rows[1]!.attributes('aria-label')).toBe(`Open request ${clock(activity(1).time)} SendHeartbeat cam-001 200 in the inspector`);
    expect(rows[0]!.attributes('aria-label')).toBe(
      `Open request ${clock(throttled.time)} SendHeartbeat cam-002 429 ThrottlingException (injected) in the inspector`,
    );

    await rows[1]!.trigger('click');
    await flushPromises();
    expect(host.asked).toEqual(['a-1']);
    expect(tab(w, 'Response').attributes('aria-selected')).toBe('true');
    expect(shown(w, 'side-response')).toBe(true);
    expect(shown(w, 'side-endpoint')).toBe(false);
    const view = w.find('[data-testid="endpoint-request"]');
    expect(w.find('[data-testid="inspector-origin"]').text()).toBe('Received by the embedded endpoint');
    expect(view.find('h3').text()).toBe('SendHeartbeat · cam-001');
    expect(document.activeElement).toBe(view.find('h3').element);
    const verdict = w.find('[data-testid="endpoint-verdict"]');
    expect(verdict.text()).toContain('200 OK');
    expect(verdict.text()).toContain('a-1');
    expect(verdict.text()).toContain('2.50 ms');
    expect(verdict.find('time').attributes('datetime')).toBe(activity(1).time);
    const request = w.find('[data-testid="endpoint-request-request"]');
    expect(request.text()).toContain('POST /SendHeartbeat');
    expect(request.find('table').text()).toContain('Signature=REDACTED');
    expect(request.find('pre[aria-label="Request body"]').text()).toBe(exchangeOf(activity(1)).request.body);
    const answer = w.find('[data-testid="endpoint-request-answer"]');
    expect(answer.text()).toContain('x-amzn-requestid');
    expect(answer.text()).toContain('Empty body.');
    // The row shown is marked in the list.
    expect(rowButtons(w)[1]!.attributes('aria-current')).toBe('true');
    expect(rowButtons(w)[0]!.attributes('aria-current')).toBeUndefined();

    // An error answer: its type, message, injected fault; the answer body pretty-printed.
    await tab(w, 'Endpoint').trigger('click');
    await rowButtons(w)[0]!.trigger('click');
    await flushPromises();
    const facts = w.find('[data-testid="endpoint-verdict"]').text();
    expect(facts).toContain('429');
    expect(facts).toContain('ThrottlingException');
    expect(facts).toContain('Rate exceeded');
    expect(facts).toContain('153 ms');
    expect(facts).toContain('Injected fault');
    expect(w.find('pre[aria-label="Answer body"]').text()).toBe('{\n  "message": "Rate exceeded"\n}');
    w.unmount();
  });

  it('is one tab stop: arrows, Home and End move between rows; Back returns to the row opened', async () => {
    const host = fakeHost([activity(1), activity(2), activity(3)], new Set(['a-1', 'a-2', 'a-3']));
    const w = mountSide(pinia, host.api);
    await tab(w, 'Endpoint').trigger('click');
    await flushPromises();
    const ids = () => rowButtons(w).map((b) => b.attributes('tabindex'));
    expect(ids()).toEqual(['0', '-1', '-1']);
    (rowButtons(w)[0]!.element as HTMLElement).focus();
    await rowButtons(w)[0]!.trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();
    expect(document.activeElement).toBe(rowButtons(w)[1]!.element);
    expect(ids()).toEqual(['-1', '0', '-1']);
    await rowButtons(w)[1]!.trigger('keydown', { key: 'End' });
    await flushPromises();
    expect(document.activeElement).toBe(rowButtons(w)[2]!.element);
    await rowButtons(w)[2]!.trigger('keydown', { key: 'Home' });
    await flushPromises();
    expect(document.activeElement).toBe(rowButtons(w)[0]!.element);
    await rowButtons(w)[0]!.trigger('keydown', { key: 'ArrowUp' });
    expect(document.activeElement).toBe(rowButtons(w)[0]!.element);
    await rowButtons(w)[0]!.trigger('keydown', { key: 'ArrowDown' });
    await flushPromises();

    // Enter and Space are the button's own (a native <button type="button">): its click opens.
    await rowButtons(w)[1]!.trigger('click');
    await flushPromises();
    expect(host.asked).toEqual(['a-2']);
    const back = w.findAll('button').find((b) => b.text() === 'Back to the latest requests')!;
    await back.trigger('click');
    await flushPromises();
    expect(tab(w, 'Endpoint').attributes('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(rowButtons(w)[1]!.element);
    // New requests arriving on top keep the tab stop on the same row.
    host.emit(activity(4));
    await flushPromises();
    expect(rowButtons(w)[2]!.attributes('tabindex')).toBe('0');
    w.unmount();
  });

  it('says so when the endpoint no longer keeps the request, still showing what the row knew', async () => {
    const host = fakeHost([activity(1)], new Set());
    const w = mountSide(pinia, host.api);
    await tab(w, 'Endpoint').trigger('click');
    await flushPromises();
    await rowButtons(w)[0]!.trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="endpoint-request-gone"]').text()).toBe(
      'This request is no longer kept by the endpoint: it keeps the latest 200.',
    );
    expect(w.find('[data-testid="endpoint-verdict"]').text()).toContain('200 OK');
    expect(w.find('[data-testid="endpoint-request-request"]').exists()).toBe(false);
    w.unmount();
  });

  it('shows a failed fetch in one sentence, and tries again', async () => {
    let failure: string | undefined = 'The host did not answer; check that the app is still running.';
    const host = fakeHost([activity(1)], new Set(['a-1']), { fail: () => failure });
    const w = mountSide(pinia, host.api);
    await tab(w, 'Endpoint').trigger('click');
    await flushPromises();
    await rowButtons(w)[0]!.trigger('click');
    await flushPromises();
    expect(w.find('[data-testid="endpoint-request"] [role="alert"]').text()).toContain('The host did not answer');
    failure = undefined;
    await w
      .findAll('button')
      .find((b) => b.text() === 'Try again')!
      .trigger('click');
    await flushPromises();
    expect(host.asked).toEqual(['a-1', 'a-1']);
    expect(w.find('[data-testid="endpoint-request-request"]').exists()).toBe(true);
    w.unmount();
  });

  it('a send (or a later open) replaces it; a late answer does not come back over it', async () => {
    const host = fakeHost([activity(1), activity(2)], new Set(['a-1', 'a-2']));
    const w = mountSide(pinia, host.api);
    const inspector = useInspectorStore();
    await tab(w, 'Endpoint').trigger('click');
    await flushPromises();
    await rowButtons(w)[1]!.trigger('click');
    // Before the host answers, a send's result arrives: it wins.
    const session = useSessionStore();
    const result = {
      id: 's',
      historyId: 'h',
      request: { method: 'POST', url: 'http://127.0.0.1:4567/SendHeartbeat', headers: {}, body: '{}' },
      outcome: { kind: 'success' as const, status: 200, headers: {}, body: '' },
      attempts: [{ attempt: 1, startedAt: '2025-01-01T12:00:00Z', durationMs: 3 }],
    };
    inspector.show(exchangeOfResult(result, 'send'));
    session.setSendState({ status: 'done', result });
    await flushPromises();
    expect(inspector.endpointRequest).toBeUndefined();
    expect(w.find('[data-testid="endpoint-request"]').exists()).toBe(false);
    expect(w.find('[data-testid="outcome"]').text()).toContain('200');
    expect(w.find('[data-testid="inspector-origin"]').text()).toMatch(/^Last send/);
    w.unmount();
  });
});
