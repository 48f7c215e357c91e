// @vitest-environment jsdom
/** Issue 14 item 21: a row list of the form is one tab stop; arrows, Home and End move inside it. */
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { defineComponent, h, nextTick } from 'vue';
import FormView from '../../../src/renderer/components/FormView.vue';
import { useDocumentStore } from '../../../src/renderer/stores/document.ts';
import { provideEditorBridge } from '../../../src/renderer/composables/editor-bridge.ts';

const metric = (n: number) => ({ Dimension: 'agent', MetricName: `metric-${n}`, Value: n, Timestamp: 1_700_000_000 });

describe('form row lists and the keyboard', () => {
  it('one tab stop per list; Up/Down/Home/End between rows, Left/Right along a row; Enter edits', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    useDocumentStore().setText(
      JSON.stringify({ AgentVersion: '1.0', DeviceName: 'd', DeviceFleetName: 'f', AgentMetrics: [1, 2, 3, 4].map(metric) }, null, 2),
    );
    const Host = defineComponent({ setup: () => (provideEditorBridge(), () => h(FormView)) });
    const w = mount(Host, { global: { plugins: [pinia] }, attachTo: document.body });
    const list = w.find('[role="list"][aria-label="AgentMetrics rows"]');
    const stops = () => list.findAll('[tabindex="0"]');
    expect(list.findAll('button').length).toBe(20);
    expect(stops().length).toBe(1);
    expect(stops()[0]!.attributes('aria-label')).toMatch(/^Edit AgentMetrics item 1/);
    const key = async (k: string) => {
      (document.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      await nextTick();
      await nextTick();
    };
    const focused = () => document.activeElement?.getAttribute('aria-label') ?? '';
    (stops()[0]!.element as HTMLElement).focus();
    await key('ArrowDown');
    expect(focused()).toMatch(/^Edit AgentMetrics item 2/);
    await key('End');
    expect(focused()).toMatch(/^Edit AgentMetrics item 4/);
    await key('ArrowRight');
    expect(focused()).toBe('Move AgentMetrics item 4 up');
    await key('ArrowRight'); // "down" is disabled on the last row: the edit button takes the focus
    expect(focused()).toMatch(/^Edit AgentMetrics item 4/);
    await key('Home');
    expect(focused()).toMatch(/^Edit AgentMetrics item 1/);
    await key('ArrowDown');
    expect(stops().length).toBe(1);
    (document.activeElement as HTMLElement).click();
    await nextTick();
    expect(w.find('[role="group"][aria-label="AgentMetrics item 2"]').exists()).toBe(true);
    w.unmount();
  });
});
