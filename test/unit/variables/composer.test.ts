// @vitest-environment jsdom
/**
 * Variables in the page (docs/variables.md): the document store checks its text with the chosen
 * environment, useSend resolves just before api.send (the document keeps its placeholders) or refuses
 * with a sentence naming the unknown one, the inspector lists what was substituted, and the picker reads
 * the host's file and remembers the choice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import { PLATFORM_KEY } from '../../../src/renderer/composables/platform.ts';
import { useSend } from '../../../src/renderer/composables/use-send.ts';
import { createOfflineApi } from '../../../src/renderer/platform/offline.ts';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';
import { useInspectorStore } from '../../../src/renderer/stores/inspector.ts';
import { useVariablesStore } from '../../../src/renderer/stores/variables.ts';
import EnvironmentPicker from '../../../src/renderer/components/variables/EnvironmentPicker.vue';
import ExchangeView from '../../../src/renderer/components/inspector/ExchangeView.vue';
import { parseEnvironments } from '../../../src/common/variables/environments.ts';
import type { HeartbeatApi, SendRequest, SendResult } from '../../../src/common/api.ts';
import type { EnvironmentsFile } from '../../../src/common/variables/types.ts';

const FILE_TEXT = 'environments:\n  demo:\n    device: sim-001\n    fleet: demo-fleet\n  other:\n    device: o-1\n';
const file = (text: string): EnvironmentsFile => ({ path: '/cfg/environments.yaml', text, ...parseEnvironments(text) });
const TEMPLATE = JSON.stringify({
  AgentVersion: '1.0',
  DeviceName: '{{device}}',
  DeviceFleetName: '{{fleet}}',
  AgentMetrics: [{ Dimension: 'd', MetricName: 'temp', Value: 1, Timestamp: '{{now}}' }],
});

function fakeApi() {
  const sent: SendRequest[] = [];
  let stored = file(FILE_TEXT);
  const api = {
    ...createOfflineApi(),
    environments: {
      get: async () => stored,
      save: async (text: string) => (stored = file(text)),
    },
    send: async (request: SendRequest): Promise<SendResult> => {
      sent.push(request);
      return {
        id: request.id,
        historyId: 'h-1',
        request: { method: 'POST', url: 'http://127.0.0.1:1/SendHeartbeat', headers: {}, body: request.body },
        outcome: { kind: 'success', status: 200, requestId: 'r-1', headers: {}, body: '' },
        attempts: [],
      };
    },
  } as unknown as HeartbeatApi;
  return { api, sent };
}

describe('variables in the composer', () => {
  let pinia: Pinia;
  let w: VueWrapper | undefined;
  beforeEach(() => {
    localStorage.clear();
    pinia = createPinia();
    setActivePinia(pinia);
  });
  afterEach(() => w?.unmount());

  function mountPicker(api: HeartbeatApi): { send: ReturnType<typeof useSend>['send'] } {
    let send!: ReturnType<typeof useSend>['send'];
    const Host = defineComponent({
      setup() {
        send = useSend({ now: () => 1_764_000_000_000 }).send;
        return () => h(EnvironmentPicker);
      },
    });
    w = mount(Host, {
      global: { plugins: [pinia], provide: { [PLATFORM_KEY as symbol]: { kind: 'http', api } } },
      attachTo: document.body,
    });
    return { send };
  }

  it('the picker reads the file, checks the document with the chosen environment, and remembers the choice', async () => {
    const { api } = fakeApi();
    const doc = useDocumentStore();
    doc.setText(TEMPLATE, 'load');
    mountPicker(api);
    await flushPromises();
    const select = w!.get<HTMLSelectElement>('#environment-picker');
    expect(w!.get('label[for="environment-picker"]').text()).toBe('Environment');
    expect(select.findAll('option').map((o) => o.text())).toEqual(['No environment', 'demo', 'other']);
    // Two environments and none named default: none until one is chosen; {{now}} is no type error, {{fleet}} and {{device}} are unknown.
    expect(select.element.value).toBe('');
    expect(doc.problems.map((p) => [p.keyword, p.path])).toEqual([
      ['variable', '/DeviceName'],
      ['variable', '/DeviceFleetName'],
    ]);
    await select.setValue('demo');
    expect(doc.problems).toEqual([]);
    expect(localStorage.getItem('heartbeat.environment')).toBe('demo');
    await select.setValue('other');
    expect(doc.problemsByPath.get('/DeviceFleetName')?.[0]?.message).toMatch(
      /^\{\{fleet\}\} is not defined: the environment "other" has device;/,
    );
  });

  it('Send resolves just before the host call; the document keeps its placeholders; the inspector lists the substitutions', async () => {
    localStorage.setItem('heartbeat.environment', 'demo');
    const { api, sent } = fakeApi();
    const doc = useDocumentStore();
    doc.setText(TEMPLATE, 'load');
    const { send } = mountPicker(api);
    await flushPromises();
    expect(doc.valid).toBe(true);
    await send();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toBe(
      '{"AgentVersion":"1.0","DeviceName":"sim-001","DeviceFleetName":"demo-fleet","AgentMetrics":[{"Dimension":"d","MetricName":"temp","Value":1,"Timestamp":1764000000}]}',
    );
    expect(doc.text).toBe(TEMPLATE);
    const exchange = useInspectorStore().exchange!;
    const view = mount(ExchangeView, { props: { exchange } });
    expect(view.findAll('[data-testid="substitutions"] li').map((li) => li.text())).toEqual([
      '{{device}} = sim-001',
      '{{fleet}} = demo-fleet',
      '{{now}} = 1764000000',
    ]);
    view.unmount();
  });

  it('an unknown variable: nothing is sent, "Send anyway" neither, and the sentence names it', async () => {
    const { api, sent } = fakeApi();
    const doc = useDocumentStore();
    doc.setText(TEMPLATE.replace('{{fleet}}', '{{region}}'), 'load');
    useVariablesStore().setPreference('demo');
    const { send } = mountPicker(api);
    await flushPromises();
    await send();
    await send({ anyway: true });
    expect(sent).toHaveLength(0);
    const state = useSessionStore().send;
    expect(state.status === 'invalid' && state.message).toMatch(
      /^Not sent: \{\{region\}\} is not defined: the environment "demo" has device, fleet;/,
    );
  });
});
