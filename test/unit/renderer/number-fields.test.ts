// @vitest-environment jsdom
/**
 * Issue 14, item 18: number and timestamp fields keep what was typed. Text that is no number stays in
 * the field, the error shows at the field and the document is invalid; a timestamp field takes ISO
 * 8601 and writes epoch seconds.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import FormView from '../../../src/renderer/components/FormView.vue';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { provideEditorBridge } from '../../../src/renderer/composables/editor-bridge.ts';
import { fieldId } from '../../../src/renderer/form/fields.ts';
import { readNumberField } from '../../../src/renderer/form/values.ts';

const BASE = { AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet' };

function mountForm(pinia: Pinia): VueWrapper {
  const Host = defineComponent({
    setup() {
      provideEditorBridge();
      return () => h(FormView);
    },
  });
  return mount(Host, { global: { plugins: [pinia] }, attachTo: document.body });
}
const input = (w: VueWrapper, pointer: string) => w.find<HTMLInputElement>(`#${fieldId(pointer)}`);

/** Focus, type, then Tab away (blur), as a person does. */
async function typeAndLeave(w: VueWrapper, pointer: string, text: string): Promise<void> {
  const field = input(w, pointer);
  await field.trigger('focus');
  await field.setValue(text);
  await field.trigger('blur');
}

function errorOf(w: VueWrapper, pointer: string): string {
  const field = input(w, pointer);
  const errorId = (field.attributes('aria-describedby') ?? '').split(' ').find((id) => id.endsWith('-error'));
  return errorId ? w.find(`#${errorId}`).text() : '';
}

describe('number and timestamp fields (issue 14, item 18)', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    document.body.innerHTML = '';
  });

  const cases: [pointer: string, text: string][] = [
    ['/AgentMetrics/0/Value', 'abc'],
    ['/AgentMetrics/0/Value', '12,5'],
    ['/AgentMetrics/0/Timestamp', 'yesterday'],
    ['/Models/0/LatestInference', '30.11.2026 12:00'],
  ];
  for (const [pointer, text] of cases) {
    it(`keeps "${text}" in ${pointer}, shows the error there, and the document is invalid`, async () => {
      const store = useDocumentStore();
      store.setText(
        JSON.stringify(
          {
            ...BASE,
            AgentMetrics: [{ MetricName: 'cpu-usage', Value: 1, Timestamp: 1764460800 }],
            Models: [{ ModelName: 'model-a', ModelVersion: '1', LatestInference: 1764460800 }],
          },
          null,
          2,
        ),
      );
      expect(store.valid).toBe(true);
      const w = mountForm(pinia);
      await typeAndLeave(w, pointer, text);
      expect(input(w, pointer).element.value).toBe(text);
      expect(input(w, pointer).attributes('aria-invalid')).toBe('true');
      expect(errorOf(w, pointer)).toMatch(/must be a number, not a string/);
      expect(store.valid).toBe(false);
      const keys = pointer.split('/').slice(1);
      let at: unknown = JSON.parse(store.text);
      for (const k of keys) at = (at as Record<string, unknown>)[k];
      expect(at).toBe(text);
    });
  }

  it('a timestamp field takes ISO 8601 and writes epoch seconds', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, AgentMetrics: [{ MetricName: 'cpu-usage', Value: 1, Timestamp: 0 }] }, null, 2));
    const w = mountForm(pinia);
    await typeAndLeave(w, '/AgentMetrics/0/Timestamp', '2026-11-30T12:00:00Z');
    expect(JSON.parse(store.text).AgentMetrics[0].Timestamp).toBe(Date.UTC(2026, 10, 30, 12) / 1000);
    expect(input(w, '/AgentMetrics/0/Timestamp').element.value).toBe(String(Date.UTC(2026, 10, 30, 12) / 1000));
    expect(w.text()).toContain('2026-11-30T12:00:00Z');
    expect(store.valid).toBe(true);
    await typeAndLeave(w, '/AgentMetrics/0/Timestamp', '2026-11-30T13:30:00+01:00');
    expect(JSON.parse(store.text).AgentMetrics[0].Timestamp).toBe(Date.UTC(2026, 10, 30, 12, 30) / 1000);
  });

  it('a number left half typed ("2.") becomes the number; a fixed field is valid again', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, AgentMetrics: [{ MetricName: 'cpu-usage', Value: 1, Timestamp: 0 }] }, null, 2));
    const w = mountForm(pinia);
    await typeAndLeave(w, '/AgentMetrics/0/Value', '2.');
    expect(JSON.parse(store.text).AgentMetrics[0].Value).toBe(2);
    await typeAndLeave(w, '/AgentMetrics/0/Value', 'abc');
    expect(store.valid).toBe(false);
    await typeAndLeave(w, '/AgentMetrics/0/Value', '12.5');
    expect(JSON.parse(store.text).AgentMetrics[0].Value).toBe(12.5);
    expect(store.valid).toBe(true);
  });

  it('reads field text', () => {
    expect(readNumberField('12.5', false)).toEqual({ kind: 'number', value: 12.5 });
    expect(readNumberField('2.', false)).toEqual({ kind: 'unfinished' });
    expect(readNumberField('2.', false, true)).toEqual({ kind: 'number', value: 2 });
    expect(readNumberField('-', false, true)).toEqual({ kind: 'text', value: '-' });
    expect(readNumberField('', false)).toEqual({ kind: 'empty' });
    expect(readNumberField('"12"', false)).toEqual({ kind: 'text', value: '12' });
    expect(readNumberField('1970-01-01T00:01:00Z', true)).toEqual({ kind: 'number', value: 60 });
    expect(readNumberField('1970-01-01T00:01:00Z', false)).toEqual({ kind: 'text', value: '1970-01-01T00:01:00Z' });
  });
});
