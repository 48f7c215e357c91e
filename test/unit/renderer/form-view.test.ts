// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { defineComponent, h } from 'vue';
import FormView from '../../../src/renderer/components/FormView.vue';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { provideEditorBridge } from '../../../src/renderer/composables/editor-bridge.ts';
import { fieldId } from '../../../src/renderer/form/fields.ts';

const BASE = { AgentVersion: '1.0', DeviceName: 'dev-1', DeviceFleetName: 'fleet' };
const calls: string[] = [];

/** FormView under a parent that provides the editor bridge, as ComposerPane does. */
function mountForm(pinia: Pinia): VueWrapper {
  const Host = defineComponent({
    setup() {
      const bridge = provideEditorBridge();
      Object.assign(bridge, { ready: true, undo: () => calls.push('undo'), redo: () => calls.push('redo') });
      return () => h(FormView);
    },
  });
  return mount(Host, { global: { plugins: [pinia] }, attachTo: document.body });
}

const input = (w: VueWrapper, pointer: string) => w.find<HTMLInputElement>(`#${fieldId(pointer)}`);
const button = (w: VueWrapper, label: string) => {
  const found = w.findAll('button').find((b) => b.attributes('aria-label') === label || b.text() === label);
  if (!found) throw new Error(`no button "${label}"`);
  return found;
};

describe('FormView', () => {
  let pinia: Pinia;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    calls.length = 0;
    document.body.innerHTML = '';
  });

  it('labels every control and writes typed values into the JSON text', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, Extra: 1 }, null, 2));
    const w = mountForm(pinia);
    const field = input(w, '/DeviceName');
    expect(w.find(`label[for="${field.attributes('id')}"]`).text()).toBe('DeviceName');
    for (const control of w.findAll('input, select')) {
      const id = control.attributes('id');
      const named = control.attributes('aria-label') || (id && w.find(`label[for="${id}"]`).exists());
      expect(named, control.html()).toBeTruthy();
    }
    await field.setValue('dev-2');
    expect(store.text).toBe(JSON.stringify({ ...BASE, Extra: 1 }, null, 2).replace('"dev-1"', '"dev-2"'));
  });

  it('shows a validation error at the field, accessibly', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, DeviceName: 'bad name' }));
    const w = mountForm(pinia);
    const field = input(w, '/DeviceName');
    expect(field.attributes('aria-invalid')).toBe('true');
    const errorId = field
      .attributes('aria-describedby')!
      .split(' ')
      .find((id) => id.endsWith('-error'))!;
    expect(w.find(`#${errorId}`).text()).toContain('does not match the pattern');
    store.setText(JSON.stringify(BASE));
    await w.vm.$nextTick();
    expect(input(w, '/DeviceName').attributes('aria-invalid')).toBeUndefined();
  });

  it('keeps the last good values through a syntax error, read-only, saying where the error is', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify(BASE, null, 2));
    const w = mountForm(pinia);
    store.setText('{\n  "DeviceName": "half');
    await w.vm.$nextTick();
    expect(w.find('[role="alert"]').text()).toContain('line 2');
    expect(input(w, '/DeviceName').element.value).toBe('dev-1');
    expect(w.find('fieldset').attributes('disabled')).toBeDefined();
  });

  it('does not overwrite a number while it is being typed', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, AgentMetrics: [{ Value: 1 }] }, null, 2));
    const w = mountForm(pinia);
    const value = input(w, '/AgentMetrics/0/Value');
    await value.trigger('focus');
    await value.setValue('2.');
    expect(value.element.value).toBe('2.');
    expect(JSON.parse(store.text).AgentMetrics[0].Value).toBe(1);
    await value.setValue('2.5');
    expect(JSON.parse(store.text).AgentMetrics[0].Value).toBe(2.5);
  });

  it('adds, duplicates, moves and removes rows', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, Models: [{ ModelName: 'first' }, { ModelName: 'second' }] }, null, 2));
    const w = mountForm(pinia);
    const names = () => (JSON.parse(store.text).Models as { ModelName?: string }[]).map((m) => m.ModelName ?? '?');
    await button(w, 'Duplicate Models item 1').trigger('click');
    expect(names()).toEqual(['first', 'first', 'second']);
    await button(w, 'Move Models item 3 up').trigger('click');
    expect(names()).toEqual(['first', 'second', 'first']);
    await button(w, 'Remove Models item 1').trigger('click');
    expect(names()).toEqual(['second', 'first']);
    await button(w, 'Add a row to Models').trigger('click');
    expect(names()).toEqual(['second', 'first', '?']);
    await w.vm.$nextTick();
    // The new row is selected: its fields are the ones shown.
    expect(input(w, '/Models/2/ModelName').exists()).toBe(true);
    expect(button(w, 'Move Models item 1 up').attributes('disabled')).toBeDefined();
  });

  it('edits nested lists and enums, creating missing parents', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify(BASE, null, 2));
    const w = mountForm(pinia);
    await button(w, 'Add a row to DeploymentModels').trigger('click');
    await w.vm.$nextTick();
    const select = w.find<HTMLSelectElement>(`#${fieldId('/DeploymentResult/DeploymentModels/0/Status')}`);
    expect(select.findAll('option').map((o) => o.text())).toEqual(['(not set)', 'SUCCESS', 'FAIL']);
    await select.setValue('FAIL');
    expect(JSON.parse(store.text).DeploymentResult.DeploymentModels[0].Status).toBe('FAIL');
    await select.setValue('');
    expect(JSON.parse(store.text).DeploymentResult.DeploymentModels[0].Status).toBeUndefined();
  });

  it('sets a timestamp to now and shows its ISO time', async () => {
    const store = useDocumentStore();
    store.setText(JSON.stringify({ ...BASE, AgentMetrics: [{ Timestamp: 0 }] }, null, 2));
    const w = mountForm(pinia);
    expect(w.text()).toContain('1970-01-01T00:00:00Z');
    const before = Math.floor(Date.now() / 1000);
    await button(w, 'Set Timestamp to now').trigger('click');
    const ts = JSON.parse(store.text).AgentMetrics[0].Timestamp as number;
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(before + 2);
  });

  it('renders only a window of a 1,000-model list', async () => {
    const store = useDocumentStore();
    const models = Array.from({ length: 1000 }, (_, i) => ({ ModelName: `model-${i}`, ModelVersion: '1' }));
    store.setText(JSON.stringify({ ...BASE, Models: models }, null, 2));
    const w = mountForm(pinia);
    const rows = w.findAll('[aria-label="Models rows"] [role="listitem"]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(30);
    expect(rows[0].attributes('aria-setsize')).toBe('1000');
  });

  it('sends Ctrl+Z and Ctrl+Shift+Z to the shared undo history', async () => {
    useDocumentStore().setText(JSON.stringify(BASE));
    const w = mountForm(pinia);
    await input(w, '/DeviceName').trigger('keydown', { key: 'z', ctrlKey: true });
    await input(w, '/DeviceName').trigger('keydown', { key: 'Z', ctrlKey: true, shiftKey: true });
    await input(w, '/DeviceName').trigger('keydown', { key: 'y', metaKey: true });
    expect(calls).toEqual(['undo', 'redo', 'redo']);
  });
});
