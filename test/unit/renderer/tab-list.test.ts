// @vitest-environment jsdom
/** The one tab strip (TabList.vue): ARIA tabs with one tab stop and arrow/Home/End keys. */
import { mount } from '@vue/test-utils';
import { defineComponent, ref } from 'vue';
import { expect, it } from 'vitest';
import TabList from '../../../src/renderer/components/TabList.vue';

it('selects with a click and with arrows, Home and End, keeping one tab stop on the selected tab', async () => {
  const Host = defineComponent({
    components: { TabList },
    setup: () => ({
      tab: ref('a'),
      tabs: [
        { id: 'a', label: 'Alpha' },
        { id: 'b', label: 'Beta' },
        { id: 'c', label: 'Gamma' },
      ],
    }),
    template:
      '<TabList v-model="tab" :tabs="tabs" label="Views" id-prefix="t-" panel-prefix="p-"><button class="extra">x</button></TabList><p class="now">{{ tab }}</p>',
  });
  const w = mount(Host, { attachTo: document.body });
  const tabs = () => w.findAll('[role="tab"]');
  expect(w.find('[role="tablist"]').attributes('aria-label')).toBe('Views');
  expect(tabs().map((t) => [t.attributes('aria-selected'), t.attributes('tabindex'), t.attributes('aria-controls')])).toEqual([
    ['true', '0', 'p-a'],
    ['false', '-1', 'p-b'],
    ['false', '-1', 'p-c'],
  ]);
  await tabs()[0]!.trigger('keydown', { key: 'ArrowLeft' });
  expect(w.find('.now').text()).toBe('c');
  expect(document.activeElement?.id).toBe('t-c');
  await tabs()[2]!.trigger('keydown', { key: 'Home' });
  expect(w.find('.now').text()).toBe('a');
  await tabs()[0]!.trigger('keydown', { key: 'End' });
  expect(w.find('.now').text()).toBe('c');
  await tabs()[1]!.trigger('click');
  expect(w.find('.now').text()).toBe('b');
  expect(w.find('.extra').exists()).toBe(true);
  w.unmount();
});
