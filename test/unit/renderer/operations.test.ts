// @vitest-environment jsdom
/**
 * Issue 19 item 4: the three operations in the composer — the picker, the conversion of the document
 * on a switch (and its undo), validation at the field for each input, Send with the chosen operation,
 * the answers read as results in the inspector, and history entries that show and restore their
 * operation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { h } from 'vue';
import ComposerPane from '../../../src/renderer/components/ComposerPane.vue';
import FormView from '../../../src/renderer/components/FormView.vue';
import HistorySidebar from '../../../src/renderer/components/HistorySidebar.vue';
import InspectorPanel from '../../../src/renderer/components/InspectorPanel.vue';
import ExchangeView from '../../../src/renderer/components/inspector/ExchangeView.vue';
import { cacheWords, durationWords, readAnswer } from '../../../src/renderer/components/inspector/answer-format.ts';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { provideEditorBridge } from '../../../src/renderer/composables/editor-bridge.ts';
import { useSend } from '../../../src/renderer/composables/use-send.ts';
import { fieldId } from '../../../src/renderer/form/fields.ts';
import { importForComposer } from '../../../src/renderer/io/import.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { inferOperation, membersToDrop, useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import { exchangeOfResult, operationOfUrl, useInspectorStore, type Exchange } from '../../../src/renderer/stores/inspector.ts';
import type { EndpointInfo, HeartbeatApi, HistorySendEntry, Outcome, SendRequest, SendResult } from '../../../src/common/api.ts';

const HEARTBEAT = `{
  "AgentVersion": "1.0",
  "DeviceName": "cam-1",
  "DeviceFleetName": "fleet-a",
  "Models": [
    { "ModelName": "resnet", "ModelVersion": "1.0" }
  ]
}
`;
const ASK = (device = 'cam-1'): string => `{\n  "DeviceName": "${device}",\n  "DeviceFleetName": "fleet-a"\n}\n`;

const REGISTRATION = '{"DeviceRegistration":"REGISTERED","CacheTTL":"3600"}';
const DEPLOYMENTS = JSON.stringify({
  Deployments: [
    {
      DeploymentName: 'resnet-rollout',
      Type: 'Model',
      FailureHandlingPolicy: 'ROLLBACK_ON_FAILURE',
      Definitions: [
        {
          ModelHandle: 'resnet50-v2',
          S3Url: 's3://models/resnet50/v2.tar.gz',
          Checksum: { Type: 'SHA1', Sum: '3f786850e387550fdab836ed7e6dc881de23001b' },
          State: 'DEPLOY',
        },
      ],
    },
    { DeploymentName: 'cleanup', Type: 'Model', FailureHandlingPolicy: 'DO_NOTHING', Definitions: [] },
  ],
});
const success = (body: string): Outcome => ({ kind: 'success', status: 200, requestId: 'req-1', headers: {}, body });

describe('the document store across operations', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('switching converts: DeviceName and DeviceFleetName stay, members the other operation lacks go, in one sentence', () => {
    const store = useDocumentStore();
    store.setText(HEARTBEAT, 'json');
    store.setOperation('GetDeployments');
    expect(store.operation).toBe('GetDeployments');
    expect(JSON.parse(store.text)).toEqual({ DeviceName: 'cam-1', DeviceFleetName: 'fleet-a' });
    expect(store.valid).toBe(true);
    expect(store.operationNotice.text).toBe(
      'Now GetDeployments: kept DeviceName and DeviceFleetName; dropped AgentVersion and Models, which GetDeployments does not have (Ctrl+Z brings them back).',
    );
    // Between the two Get operations nothing changes but the operation.
    const text = store.text;
    store.setOperation('GetDeviceRegistration');
    expect(store.text).toBe(text);
    expect(store.operationNotice.text).toBe('Now GetDeviceRegistration: kept DeviceName and DeviceFleetName.');
    // Back to SendHeartbeat: AgentVersion is required, and the check says so at the member.
    store.setOperation('SendHeartbeat');
    expect(store.valid).toBe(false);
    expect(store.problemsByPath.get('/AgentVersion')?.[0]?.keyword).toBe('required');
    expect(store.operationNotice.text).toContain('SendHeartbeat also needs AgentVersion: the form marks it');
  });

  it('an undo of the conversion in the JSON view brings the operation back with the text, and a redo takes it again', () => {
    const store = useDocumentStore();
    store.setText(HEARTBEAT, 'json');
    store.setOperation('GetDeployments');
    const converted = store.text;
    expect(store.editSource).toMatch(/^operation-/); // its own undo step in the editor
    store.setText(HEARTBEAT, 'json'); // what Monaco's undo hands back
    expect(store.operation).toBe('SendHeartbeat');
    expect(store.valid).toBe(true);
    store.setText(converted, 'json'); // redo
    expect(store.operation).toBe('GetDeployments');
    expect(store.valid).toBe(true);
    // An ordinary edit does not touch the operation.
    store.setText(ASK('cam-2'), 'json');
    expect(store.operation).toBe('GetDeployments');
  });

  it('the latest switch that showed a text decides, even one that left the text as it was', () => {
    const store = useDocumentStore();
    store.load(ASK(), 'GetDeployments');
    store.setOperation('GetDeviceRegistration'); // same text
    store.setText(ASK('cam-9'), 'json');
    store.setText(ASK(), 'json'); // undo back to the text both switches showed
    expect(store.operation).toBe('GetDeviceRegistration');
  });

  it('a document with a syntax error switches without a conversion, and says why', () => {
    const store = useDocumentStore();
    store.setText('{ "AgentVersion": "1.0", "DeviceName": ', 'json');
    store.setOperation('GetDeviceRegistration');
    expect(store.text).toBe('{ "AgentVersion": "1.0", "DeviceName": ');
    expect(store.operationNotice.text).toMatch(/syntax error, so nothing was converted/);
  });

  it('a load that names no operation takes the one the document is plainly for', () => {
    const store = useDocumentStore();
    store.load(ASK(), 'GetDeployments');
    store.setText(HEARTBEAT, 'load'); // e.g. a heartbeat from the fleet view
    expect(store.operation).toBe('SendHeartbeat');
    expect(store.valid).toBe(true);
    expect(store.operationNotice.text).toBe(
      'It is a SendHeartbeat request (it has AgentVersion and Models): the operation is now SendHeartbeat.',
    );
    // A document that fits the current operation keeps it.
    store.setOperation('GetDeviceRegistration');
    store.setText(ASK('cam-3'), 'load');
    expect(store.operation).toBe('GetDeviceRegistration');
    expect(inferOperation({ DeviceName: 'x', Typo: 1 }, 'GetDeployments')).toBeUndefined();
    expect(membersToDrop({ DeviceName: 'x', AgentVersion: '1', Typo: 1 }, 'SendHeartbeat', 'GetDeployments')).toEqual(['AgentVersion']);
  });

  it('validates each operation against its own input', () => {
    const store = useDocumentStore();
    store.load(`{ "DeviceName": "bad name", "DeviceFleetName": "f" }`, 'GetDeviceRegistration');
    expect(store.problemsByPath.get('/DeviceName')?.[0]?.keyword).toBe('pattern');
    store.load(`{ "DeviceName": "cam", "AgentVersion": "1" }`, 'GetDeployments');
    expect(store.problemsByPath.get('/DeviceFleetName')?.[0]?.keyword).toBe('required');
    expect(store.problemsByPath.get('/AgentVersion')?.[0]?.message).toMatch(/AgentVersion is not a member of the request/);
  });
});

const api: HeartbeatApi = {
  ...createOfflineApi(),
  endpoint: { ...createOfflineApi().endpoint, info: async () => ({ url: 'http://127.0.0.1:4567' }) as EndpointInfo },
};

describe('the operation picker', () => {
  let pinia: Pinia;
  let w: VueWrapper;
  const mountPane = (): VueWrapper =>
    mount(ComposerPane, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } }, stubs: { JsonEditor: true } },
      attachTo: document.body,
    });

  beforeEach(() => {
    localStorage.clear();
    sessionStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
    w = mountPane();
  });
  afterEach(() => w.unmount());

  it('is a labelled select of the three operations; picking one converts the form, the status and says so', async () => {
    const picker = w.get<HTMLSelectElement>('#operation-picker');
    expect(w.get('label[for="operation-picker"]').text()).toBe('Operation');
    expect(picker.findAll('option').map((o) => o.text())).toEqual(['SendHeartbeat', 'GetDeviceRegistration', 'GetDeployments']);
    expect(w.find('#' + fieldId('/AgentVersion')).exists()).toBe(true);
    await picker.setValue('GetDeviceRegistration');
    expect(useDocumentStore().operation).toBe('GetDeviceRegistration');
    expect(w.get('[data-testid="document-status"]').text()).toBe('Valid GetDeviceRegistration request');
    expect(w.get('[data-testid="operation-notice"]').text()).toMatch(
      /^Now GetDeviceRegistration: kept DeviceName and DeviceFleetName; dropped/,
    );
    // The form is the new input's: the two names, nothing of the heartbeat.
    expect(w.find('#' + fieldId('/AgentVersion')).exists()).toBe(false);
    expect(w.find('#' + fieldId('/DeviceName')).exists()).toBe(true);
    expect(w.get('form').attributes('aria-label')).toBe('GetDeviceRegistration form');
    expect(w.get('h2').text()).toBe('GetDeviceRegistration request');
    // The notice goes when dismissed; the live region stays.
    await w.get('button[aria-label="Dismiss the operation notice"]').trigger('click');
    expect(w.get('[data-testid="operation-notice"]').text()).toBe('');
  });

  it('is kept with the draft: a reload with a draft comes back to it', async () => {
    await w.get('#operation-picker').setValue('GetDeployments');
    expect(sessionStorage.getItem('heartbeat.draft.operation')).toBe('GetDeployments');
    w.unmount();
    sessionStorage.setItem('heartbeat.draft', ASK());
    pinia = createPinia();
    setActivePinia(pinia);
    useDocumentStore().setText(ASK(), 'load'); // as App does with the draft, before the composer mounts
    w = mountPane();
    expect(useDocumentStore().operation).toBe('GetDeployments');
    expect(w.get<HTMLSelectElement>('#operation-picker').element.value).toBe('GetDeployments');
  });

  it('the examples include a request of each operation, loaded for it', async () => {
    const examples = w.findAll('button[aria-haspopup="menu"]').find((b) => b.text().startsWith('Examples'))!;
    await examples.trigger('click');
    await w
      .findAll('[role="menuitem"]')
      .find((b) => b.text() === 'GetDeployments of the demo device')!
      .trigger('click');
    expect(useDocumentStore().operation).toBe('GetDeployments');
    expect(useDocumentStore().valid).toBe(true);
    expect(w.get('[data-testid="io-notice"]').text()).toMatch(
      /^Loaded the example "GetDeployments of the demo device" for GetDeployments\./,
    );
  });

  it('copies as the chosen operation: an aws get-deployments command', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await w.get('#operation-picker').setValue('GetDeployments');
    await w.find('button[aria-haspopup="menu"]').trigger('click');
    await w
      .findAll('[role="menuitem"]')
      .find((b) => b.text() === 'AWS CLI command')!
      .trigger('click');
    await flushPromises();
    expect(writeText.mock.calls[0]![0]).toMatch(/^aws sagemaker-edge get-deployments/);
  });

  it('a pasted aws command line brings its operation', () => {
    const result = importForComposer('aws sagemaker-edge get-device-registration --device-name a --device-fleet-name f', 'auto');
    expect(result.operation).toBe('GetDeviceRegistration');
    expect(importForComposer(ASK(), 'auto').operation).toBeUndefined();
  });
});

describe('the form for each operation', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    document.body.innerHTML = '';
  });

  it('shows a validation error at the field of a GetDeployments request', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const store = useDocumentStore();
    store.load('{ "DeviceName": "bad name", "DeviceFleetName": "f" }', 'GetDeployments');
    const Host = {
      setup() {
        provideEditorBridge();
        return () => h(FormView);
      },
    };
    const w = mount(Host, { global: { plugins: [pinia] }, attachTo: document.body });
    const field = w.get(`#${fieldId('/DeviceName')}`);
    expect(field.attributes('aria-invalid')).toBe('true');
    expect(w.findAll('input').length).toBe(2);
    // A new member typed in the form goes where the model puts it.
    await w.get(`#${fieldId('/DeviceName')}`).setValue('cam-ok');
    expect(store.valid).toBe(true);
    w.unmount();
  });
});

describe('Send with the chosen operation', () => {
  it('sends the operation picked, and the inspector reads the answer as its result', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const sent: SendRequest[] = [];
    const host: HeartbeatApi = {
      ...createOfflineApi(),
      async send(request) {
        sent.push(request);
        return {
          id: request.id,
          historyId: 'h-1',
          request: { method: 'POST', url: `http://127.0.0.1:1/${request.operation}`, headers: {}, body: request.body },
          outcome: success(REGISTRATION),
          attempts: [],
        };
      },
    };
    let send: () => Promise<void> = async () => undefined;
    const Host = {
      setup() {
        send = useSend().send;
        return () => h(InspectorPanel);
      },
    };
    const w = mount(Host, { global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api: host } } } });
    const store = useDocumentStore();
    store.setOperation('GetDeviceRegistration');
    await send();
    await flushPromises();
    expect(sent.map((r) => [r.operation, JSON.parse(r.body)])).toEqual([
      ['GetDeviceRegistration', { DeviceName: 'demo-device-01', DeviceFleetName: 'demo-fleet' }],
    ]);
    expect(useInspectorStore().exchange?.operation).toBe('GetDeviceRegistration');
    expect(w.get('[data-testid="answer-summary"]').text()).toBe('REGISTERED, cache for 1 h');
    expect(w.get('[data-testid="exchange-operation"]').text()).toBe('GetDeviceRegistration');
    w.unmount();
  });
});

describe('answers read as results', () => {
  it('CacheTTL in words', () => {
    expect([3600, 5400, 90, 45, 86_400, 0].map(durationWords)).toEqual(['1 h', '1 h 30 min', '1 min 30 s', '45 s', '1 d', '0 s']);
    expect(cacheWords('3600')).toBe('cache for 1 h');
    expect(cacheWords('0')).toBe('do not cache');
    expect(cacheWords('soon')).toBe('cache for "soon" (not a number of seconds)');
    expect(cacheWords(undefined)).toBe('no CacheTTL');
  });

  it('GetDeviceRegistration: the registration and its CacheTTL', () => {
    expect(readAnswer('GetDeviceRegistration', success(REGISTRATION))).toEqual({
      kind: 'registration',
      registration: 'REGISTERED',
      cacheTtl: '3600',
      cacheWords: 'cache for 1 h',
      summary: 'REGISTERED, cache for 1 h',
      problems: [],
    });
    const unregistered = readAnswer('GetDeviceRegistration', success('{"DeviceRegistration":"NOT_REGISTERED","CacheTTL":"90"}'));
    expect(unregistered).toMatchObject({ summary: 'NOT_REGISTERED, cache for 1 min 30 s' });
  });

  it('nothing to read for SendHeartbeat, an error or no answer; a sentence for a body that is no result', () => {
    expect(readAnswer('SendHeartbeat', success(''))).toBeUndefined();
    expect(readAnswer('GetDeployments', { kind: 'cancelled', message: 'x' })).toBeUndefined();
    expect(readAnswer(undefined, success(DEPLOYMENTS))).toBeUndefined();
    expect(readAnswer('GetDeployments', success('<html>'))).toMatchObject({
      kind: 'unreadable',
      message: expect.stringMatching(/not JSON/),
    });
    expect(readAnswer('GetDeployments', success('[]'))).toMatchObject({ kind: 'unreadable' });
    expect(readAnswer('GetDeployments', success('{"Deployments":[{"Type":"Bundle"}],"Extra":1}'))).toMatchObject({
      kind: 'deployments',
      problems: [expect.stringMatching(/Extra is not a member of the answer/), expect.stringMatching(/Type "Bundle" is not one of Model/)],
    });
  });

  const exchange = (operation: Exchange['operation'], body: string): Exchange => ({
    origin: 'send',
    historyId: 'h',
    ...(operation ? { operation } : {}),
    request: { method: 'POST', url: `http://127.0.0.1:1/${operation}`, headers: {}, body: '{}' },
    outcome: { kind: 'success', status: 200, requestId: 'r', headers: { 'x-amzn-requestid': 'r' }, body },
    attempts: [],
  });

  it('GetDeployments: each deployment as a list, with its definitions; the raw body still there', () => {
    const w = mount(ExchangeView, { props: { exchange: exchange('GetDeployments', DEPLOYMENTS) } });
    expect(w.get('[data-testid="answer"] h3').text()).toBe('Deployments (2)');
    const items = w.findAll('[data-testid="deployment"]');
    expect(items.map((i) => i.get('.name').text())).toEqual(['resnet-rollout', 'cleanup']);
    expect(items[0]!.text()).toContain('ROLLBACK_ON_FAILURE');
    const definition = items[0]!.get('[data-testid="definition"]').text();
    for (const part of ['resnet50-v2', 's3://models/resnet50/v2.tar.gz', 'SHA1 3f786850e387550fdab836ed7e6dc881de23001b', 'DEPLOY'])
      expect(definition).toContain(part);
    expect(w.get('pre[aria-label="Response body"]').text()).toContain('"DeploymentName": "resnet-rollout"');
    // The list stands in for the raw body, which stays one click away.
    expect(w.get('details').attributes('open')).toBeUndefined();
  });

  it('GetDeployments with none: says so', () => {
    const w = mount(ExchangeView, { props: { exchange: exchange('GetDeployments', '{"Deployments":[]}') } });
    expect(w.get('[data-testid="answer-summary"]').text()).toBe('No deployments for this device.');
  });

  it('SendHeartbeat as before: no answer section, the response open', () => {
    const w = mount(ExchangeView, { props: { exchange: exchange('SendHeartbeat', '') } });
    expect(w.find('[data-testid="answer"]').exists()).toBe(false);
    expect(w.get('details').attributes('open')).toBeDefined();
  });

  it('the operation of a re-send comes from its URL', () => {
    expect(operationOfUrl('http://127.0.0.1:8787/GetDeployments')).toBe('GetDeployments');
    expect(operationOfUrl('https://edge.example/SendHeartbeat/')).toBe('SendHeartbeat');
    expect(operationOfUrl('https://edge.example/other')).toBeUndefined();
    const result: SendResult = {
      id: 'x',
      historyId: 'h',
      request: { method: 'POST', url: 'http://127.0.0.1:1/GetDeviceRegistration', headers: {}, body: '{}' },
      outcome: success(REGISTRATION),
      attempts: [],
    };
    expect(exchangeOfResult(result, 'replay').operation).toBe('GetDeviceRegistration');
  });
});

describe('history entries of each operation', () => {
  const entry = (id: string, operation: string, device: string, body: string, answer: string): HistorySendEntry => ({
    id,
    time: '2026-11-23T10:00:00Z',
    operation,
    deviceName: device,
    fleetName: 'fleet-a',
    status: 'success',
    httpStatus: 200,
    target: { kind: 'local', url: 'http://127.0.0.1:1', region: 'us-east-1' },
    request: { method: 'POST', url: `http://127.0.0.1:1/${operation}`, headers: {}, body },
    outcome: success(answer),
    attempts: [],
  });
  const entries = [
    entry('a', 'GetDeployments', 'cam-d', ASK('cam-d'), DEPLOYMENTS),
    entry('b', 'GetDeviceRegistration', 'cam-r', ASK('cam-r'), REGISTRATION),
    entry('c', 'SendHeartbeat', 'cam-h', HEARTBEAT, ''),
  ];
  const host: HeartbeatApi = {
    ...createOfflineApi(),
    history: {
      ...createOfflineApi().history,
      query: async () => ({
        entries: entries.map(({ id, time, operation, deviceName, status, httpStatus }) => ({
          id,
          time,
          operation,
          deviceName,
          status,
          httpStatus,
        })),
        total: entries.length,
      }),
      get: async (id: string) => entries.find((e) => e.id === id),
    },
    replay: async (id) => {
      const e = entries.find((x) => x.id === id)!;
      return { id: 'r', historyId: 'new', request: e.request, outcome: e.outcome!, attempts: [] } as SendResult;
    },
  };
  let w: VueWrapper;
  beforeEach(async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useSessionStore().setPlatformKind('http');
    const Both = { setup: () => () => [h(HistorySidebar), h(InspectorPanel)] };
    w = mount(Both, { global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api: host } } } });
    await flushPromises();
  });
  afterEach(() => w.unmount());

  it('show their operation', () => {
    expect(w.findAll('[data-testid="history-operation"]').map((o) => o.text())).toEqual([
      'GetDeployments',
      'GetDeviceRegistration',
      'SendHeartbeat',
    ]);
    expect(w.find('button[aria-label^="Open cam-d GetDeployments at"]').exists()).toBe(true);
  });

  it('opening one restores its operation in the composer, and its answer is read', async () => {
    await w.get('button[aria-label^="Open cam-d"]').trigger('click');
    await flushPromises();
    const store = useDocumentStore();
    expect([store.operation, store.text, store.valid]).toEqual(['GetDeployments', ASK('cam-d'), true]);
    expect(w.findAll('[data-testid="deployment"]').length).toBe(2);
    await w.get('button[aria-label^="Open cam-h"]').trigger('click');
    await flushPromises();
    expect([store.operation, store.valid]).toEqual(['SendHeartbeat', true]);
  });

  it('re-sending one shows the new answer read as its result', async () => {
    await w.get('button[aria-label^="Re-send cam-r"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="inspector-origin"]').text()).toMatch(/^Re-send/);
    expect(w.get('[data-testid="answer-summary"]').text()).toBe('REGISTERED, cache for 1 h');
  });
});
