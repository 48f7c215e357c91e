/** Tracks an element's width (ResizeObserver); `fallback` where there is none, as in jsdom. */
import { onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

export function useElementWidth(element: Ref<HTMLElement | null>, fallback: number): Ref<number> {
  const width = ref(fallback);
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    if (!element.value || typeof ResizeObserver === 'undefined') return;
    width.value = element.value.getBoundingClientRect().width || fallback;
    observer = new ResizeObserver((entries) => {
      for (const entry of entries) width.value = entry.contentRect.width;
    });
    observer.observe(element.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return width;
}
