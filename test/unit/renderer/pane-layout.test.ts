/** Issue 14 items 4 and 5: the workspace's columns keep usable widths, or one side pane becomes a rail, or they stack. */
import { describe, expect, it } from 'vitest';
import { PANE_LIMITS, layoutPanes } from '../../../src/renderer/composables/use-width.ts';
import { loadLayoutPreference, saveLayoutPreference } from '../../../src/renderer/platform/preferences.ts';

const OPEN = { historyCollapsed: false, inspectorCollapsed: false };
/** The workspace inside its 8 px padding, for a window `w` px wide. */
const inside = (w: number): number => w - 16;

describe('pane layout', () => {
  it('three columns from 1280 px, the composer wide enough for form and JSON side by side (640 px)', () => {
    for (const w of [1280, 1440, 1920]) {
      const l = layoutPanes(inside(w), OPEN);
      expect(l).toMatchObject({ mode: 'columns', historyCollapsed: false, inspectorCollapsed: false });
      expect(l.composer).toBeGreaterThanOrEqual(640);
      expect(l.history).toBeGreaterThanOrEqual(PANE_LIMITS.history.min);
      expect(l.inspector).toBeGreaterThanOrEqual(PANE_LIMITS.inspector.min);
    }
  });

  it('at 1000 px the history becomes a rail and the response keeps at least 340 px', () => {
    const l = layoutPanes(inside(1000), OPEN);
    expect(l).toMatchObject({ mode: 'columns', historyCollapsed: true, autoCollapsed: 'history' });
    expect(l.inspector).toBeGreaterThanOrEqual(340);
    expect(l.composer).toBeGreaterThanOrEqual(PANE_LIMITS.composer.min);
    // Asking for the history there gives it room, and the response becomes the rail.
    expect(layoutPanes(inside(1000), OPEN, 'history')).toMatchObject({
      historyCollapsed: false,
      inspectorCollapsed: true,
      autoCollapsed: 'inspector',
    });
  });

  it('stacks when even one column and a rail do not fit', () => {
    expect(layoutPanes(inside(900), OPEN).mode).toBe('stacked');
  });

  it("keeps the user's widths where they fit, shrinking them toward the minimums where not", () => {
    const wide = layoutPanes(inside(1920), { ...OPEN, history: 300, inspector: 600 });
    expect([wide.history, wide.inspector]).toEqual([300, 600]);
    const narrow = layoutPanes(inside(1280), { ...OPEN, history: 300, inspector: 600 });
    expect(narrow.composer).toBe(PANE_LIMITS.composer.min);
    expect(narrow.inspector).toBeGreaterThanOrEqual(PANE_LIMITS.inspector.min);
  });

  it('collapsed panes give their width to the composer; the preference survives a round trip', () => {
    const l = layoutPanes(inside(1440), { historyCollapsed: true, inspectorCollapsed: true });
    expect(l.composer).toBe(inside(1440) - 2 * PANE_LIMITS.rail - 2 * PANE_LIMITS.separator);
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    saveLayoutPreference({ history: 260, inspector: 420, historyCollapsed: true, inspectorCollapsed: false }, storage);
    expect(loadLayoutPreference(storage)).toEqual({ history: 260, inspector: 420, historyCollapsed: true, inspectorCollapsed: false });
    store.set('heartbeat.layout', '{"history":"wide","inspector":-4}');
    expect(loadLayoutPreference(storage)).toEqual(OPEN);
  });
});
