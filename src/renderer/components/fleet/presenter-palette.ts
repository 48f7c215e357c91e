/**
 * Presenter mode's high-contrast palettes, light and dark (issue 18: a room full of people, a projector,
 * some of them colour-blind). Checked by test/unit/fleet/presenter-palette.test.ts: every text colour on
 * every background it is drawn on at least 7:1 (WCAG AAA), every state colour and chart stroke at least
 * 3:1 on its background (WCAG 1.4.11), and the grid's state colours and the charts' strokes apart from one
 * another for normal vision and simulated protanopia, deuteranopia and tritanopia. Colour is never the
 * only cue: a failed deployment is an ✕ on its cell, an offline device a hollow cell (DeviceGrid.vue).
 *
 * Applied as CSS variables on the fleet view's root in presenter mode (the same names the theme uses,
 * src/renderer/styles/theme.css, plus --state-* for the grid and --series-* for extra chart lines), so the
 * grid, the charts and the tiles take it without knowing about it.
 */
import type { DeviceStatus } from '../../../common/api.ts';

export interface PresenterPalette {
  /** The page behind the grid and the caption. */
  bg: string;
  /** Tiles and charts. */
  panel: string;
  panel2: string;
  /** Text. */
  fg: string;
  /** Secondary text: labels, axes. */
  muted: string;
  /** Panel outlines and chart grid lines. */
  border: string;
  focus: string;
  /** A device's cell by its state; `failed` is the corner of a device whose last deployment failed. */
  states: Record<DeviceStatus | 'failed', string>;
  /** Chart strokes: accent (heartbeats, p50), ok (accepted), warn (p99, an error type), danger, and two more error types. */
  chart: { accent: string; ok: string; warn: string; danger: string; series3: string; series4: string };
}

export const PRESENTER_PALETTES: Readonly<Record<'light' | 'dark', PresenterPalette>> = {
  dark: {
    bg: '#000000',
    panel: '#111111',
    panel2: '#1c1c1c',
    fg: '#ffffff',
    muted: '#d0d0d0',
    border: '#767676',
    focus: '#ffd60a',
    states: {
      healthy: '#5bf493',
      deploying: '#3295c8',
      unregistered: '#e33217',
      registering: '#e4bf06',
      offline: '#bfbfbf',
      starting: '#757575',
      failed: '#e33217',
    },
    chart: { accent: '#3295c8', ok: '#5bf493', warn: '#e4bf06', danger: '#e33217', series3: '#ff8fd6', series4: '#ffffff' },
  },
  light: {
    bg: '#ffffff',
    panel: '#f7f7f7',
    panel2: '#ececec',
    fg: '#000000',
    muted: '#333333',
    border: '#767676',
    focus: '#1462e7',
    states: {
      healthy: '#019451',
      deploying: '#1462e7',
      unregistered: '#802613',
      registering: '#ac730f',
      offline: '#474747',
      starting: '#888888',
      failed: '#802613',
    },
    chart: { accent: '#1462e7', ok: '#019451', warn: '#ac730f', danger: '#802613', series3: '#b4008c', series4: '#474747' },
  },
};

/** The CSS variables that put a palette on an element (and everything inside it). */
export function paletteVariables(p: PresenterPalette): Record<string, string> {
  return {
    '--bg': p.bg,
    '--panel': p.panel,
    '--panel-2': p.panel2,
    '--fg': p.fg,
    '--muted': p.muted,
    '--border': p.border,
    '--focus': p.focus,
    '--accent': p.chart.accent,
    '--ok': p.chart.ok,
    '--warn': p.chart.warn,
    '--danger': p.chart.danger,
    '--series-3': p.chart.series3,
    '--series-4': p.chart.series4,
    '--state-h': p.states.healthy,
    '--state-d': p.states.deploying,
    '--state-u': p.states.unregistered,
    '--state-r': p.states.registering,
    '--state-o': p.states.offline,
    '--state-s': p.states.starting,
    '--state-failed': p.states.failed,
  };
}
