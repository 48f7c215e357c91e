/** Element widths (ResizeObserver), and the workspace's three-pane layout built on them. */
import { computed, onBeforeUnmount, onMounted, ref, shallowRef, type ComputedRef, type Ref } from 'vue';
import { loadLayoutPreference, saveLayoutPreference, type LayoutPreference } from '../platform/preferences.ts';

/** Tracks an element's width (ResizeObserver); `fallback` where there is none, as in jsdom. */
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

/** The smallest widths at which each pane is still usable, CSS px. */
export const PANE_LIMITS = {
  history: { min: 200, max: 480 },
  inspector: { min: 340, max: 900 },
  composer: { min: 520 },
  /** A collapsed side pane: a narrow rail with the button that brings it back. */
  rail: 36,
  /** A separator between two panes. */
  separator: 8,
} as const;

export type SidePane = 'history' | 'inspector';

export interface PaneLayout {
  /** 'columns' side by side; 'stacked' one below the other (too narrow for the minimums). */
  mode: 'columns' | 'stacked';
  history: number;
  inspector: number;
  composer: number;
  /** Shown as a rail: collapsed by the user, or because the window is too narrow for three columns. */
  historyCollapsed: boolean;
  inspectorCollapsed: boolean;
  /** The pane that is a rail only because of the window's width (not the user's choice). */
  autoCollapsed?: SidePane;
}

/** Default side pane widths for a workspace `width` px wide (before the user resizes anything). */
export function defaultWidths(width: number): { history: number; inspector: number } {
  return { history: width >= 1700 ? 260 : 230, inspector: Math.round(Math.min(520, Math.max(360, width * 0.26))) };
}

/**
 * Where the panes go in a workspace `width` px wide (inside its padding). The side panes keep the
 * user's widths when they fit, else shrink toward their minimums; then one side pane becomes a rail
 * (the history, unless `favour` asks for it: then the inspector); then the panes stack.
 */
export function layoutPanes(width: number, pref: LayoutPreference, favour: SidePane = 'inspector'): PaneLayout {
  const L = PANE_LIMITS;
  const defaults = defaultWidths(width);
  const clamp = (v: number, min: number, max: number): number => Math.min(max, Math.max(min, v));
  let history = clamp(pref.history ?? defaults.history, L.history.min, L.history.max);
  let inspector = clamp(pref.inspector ?? defaults.inspector, L.inspector.min, L.inspector.max);
  const collapsed = { history: pref.historyCollapsed, inspector: pref.inspectorCollapsed };
  let autoCollapsed: SidePane | undefined;
  const side = (): number => (collapsed.history ? L.rail : history) + (collapsed.inspector ? L.rail : inspector) + 2 * L.separator;
  // Shrink the side panes (the inspector first) until the composer has its minimum.
  let excess = side() + L.composer.min - width;
  if (excess > 0 && !collapsed.inspector) {
    const give = Math.min(excess, inspector - L.inspector.min);
    inspector -= give;
    excess -= give;
  }
  if (excess > 0 && !collapsed.history) {
    const give = Math.min(excess, history - L.history.min);
    history -= give;
    excess -= give;
  }
  if (excess > 0 && !collapsed.history && !collapsed.inspector) {
    autoCollapsed = favour === 'history' ? 'inspector' : 'history';
    collapsed[autoCollapsed] = true;
    excess = side() + L.composer.min - width;
  }
  if (excess > 0) return { mode: 'stacked', history, inspector, composer: width, historyCollapsed: false, inspectorCollapsed: false };
  return {
    mode: 'columns',
    history,
    inspector,
    composer: width - side(),
    historyCollapsed: collapsed.history,
    inspectorCollapsed: collapsed.inspector,
    ...(autoCollapsed ? { autoCollapsed } : {}),
  };
}

export interface PaneLayoutControl {
  layout: ComputedRef<PaneLayout>;
  /** Sets a side pane's width (clamped to what fits), kept in the preferences. */
  resize: (pane: SidePane, width: number) => void;
  /** Collapses or restores a side pane, kept in the preferences. */
  toggle: (pane: SidePane, collapsed?: boolean) => void;
  /** The largest width `pane` can have now (the composer keeps its minimum). */
  maxWidth: (pane: SidePane) => number;
}

/** The workspace layout for `workspace` (its content box), with the user's sizes from the preferences. */
export function usePaneLayout(workspace: Ref<HTMLElement | null>, fallbackWidth = 1424): PaneLayoutControl {
  const width = ref(fallbackWidth);
  const pref = shallowRef<LayoutPreference>(loadLayoutPreference());
  let observer: ResizeObserver | undefined;
  const measure = (el: HTMLElement): number => {
    const style = getComputedStyle(el);
    return el.clientWidth - (parseFloat(style.paddingLeft) || 0) - (parseFloat(style.paddingRight) || 0);
  };
  onMounted(() => {
    const el = workspace.value;
    if (!el || typeof ResizeObserver === 'undefined') return;
    width.value = measure(el) || fallbackWidth;
    observer = new ResizeObserver(() => (width.value = measure(el) || width.value));
    observer.observe(el);
  });
  onBeforeUnmount(() => observer?.disconnect());

  /** The side pane the user opened last: at a width too narrow for three columns, it stays open. */
  const favour = shallowRef<SidePane>('inspector');
  const layout = computed(() => layoutPanes(width.value, pref.value, favour.value));
  const save = (next: LayoutPreference): void => {
    pref.value = next;
    saveLayoutPreference(next);
  };
  const maxWidth = (pane: SidePane): number => {
    const l = layout.value;
    const other =
      pane === 'history' ? (l.inspectorCollapsed ? PANE_LIMITS.rail : l.inspector) : l.historyCollapsed ? PANE_LIMITS.rail : l.history;
    return Math.max(
      PANE_LIMITS[pane].min,
      Math.min(PANE_LIMITS[pane].max, width.value - other - 2 * PANE_LIMITS.separator - PANE_LIMITS.composer.min),
    );
  };
  return {
    layout,
    maxWidth,
    resize(pane, next) {
      const clamped = Math.round(Math.min(maxWidth(pane), Math.max(PANE_LIMITS[pane].min, next)));
      save({ ...pref.value, [pane]: clamped, [`${pane}Collapsed`]: false });
    },
    toggle(pane, collapsed) {
      const key = `${pane}Collapsed` as const;
      const isCollapsed = pane === 'history' ? layout.value.historyCollapsed : layout.value.inspectorCollapsed;
      const next = collapsed ?? !isCollapsed;
      if (!next) favour.value = pane;
      else if (favour.value === pane) favour.value = pane === 'history' ? 'inspector' : 'history';
      // Collapsing a pane the window's width already made a rail changes nothing the user chose.
      if (next && layout.value.autoCollapsed === pane) return;
      if (pref.value[key] !== next) save({ ...pref.value, [key]: next });
    },
  };
}
