/**
 * Presenter mode's high-contrast palettes (src/renderer/components/fleet/presenter-palette.ts), light and
 * dark: WCAG contrast ratios of text on its backgrounds (≥ 7:1, AAA) and of the grid's state colours and
 * the charts' strokes on theirs (≥ 3:1, WCAG 1.4.11 for graphics); and the state colours and chart
 * strokes kept apart (CIE76 ΔE in CIELAB) for normal vision and for protanopia, deuteranopia and
 * tritanopia as simulated by Machado, Oliveira and Fernandes (2009) at full severity.
 */
import { describe, expect, it } from 'vitest';
import { PRESENTER_PALETTES, paletteVariables } from '../../../src/renderer/components/fleet/presenter-palette.ts';

type Rgb = [number, number, number];

function rgbOf(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** sRGB 0–255 to linear 0–1 (WCAG 2's relative luminance formula). */
const linear = (c: number): number => {
  const v = c / 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const luminance = ([r, g, b]: Rgb): number => 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);

/** The WCAG 2 contrast ratio of two colours, 1 to 21. */
function contrast(a: string, b: string): number {
  const la = luminance(rgbOf(a));
  const lb = luminance(rgbOf(b));
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Machado et al. (2009), severity 1.0, on linear RGB. */
const VISION = {
  normal: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
  protanopia: [
    [0.152286, 1.052583, -0.204868],
    [0.114503, 0.786281, 0.099216],
    [-0.003882, -0.048116, 1.051998],
  ],
  deuteranopia: [
    [0.367322, 0.860646, -0.227968],
    [0.280085, 0.672501, 0.047413],
    [-0.01182, 0.04294, 0.968881],
  ],
  tritanopia: [
    [1.255528, -0.076749, -0.178779],
    [-0.078411, 0.930809, 0.147602],
    [0.004733, 0.691367, 0.3039],
  ],
} as const;

/** CIELAB (D65) of a colour as seen with `vision`. */
function labAs(hex: string, vision: keyof typeof VISION): [number, number, number] {
  const v = rgbOf(hex).map(linear);
  const m = VISION[vision];
  const [r, g, b] = m.map((row) => Math.min(1, Math.max(0, row[0] * v[0]! + row[1] * v[1]! + row[2] * v[2]!))) as Rgb;
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const deltaE = (a: string, b: string, vision: keyof typeof VISION): number => {
  const p = labAs(a, vision);
  const q = labAs(b, vision);
  return Math.hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
};

/** Every pair of `colours` closer than `min` for some vision, as "vision: a/b ΔE". */
function tooClose(colours: Record<string, string>, min: number): string[] {
  const names = Object.keys(colours);
  const out: string[] = [];
  for (const vision of Object.keys(VISION) as Array<keyof typeof VISION>)
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++) {
        const d = deltaE(colours[names[i]!]!, colours[names[j]!]!, vision);
        if (d < min) out.push(`${vision}: ${names[i]}/${names[j]} ΔE ${d.toFixed(1)}`);
      }
  return out;
}

describe('the contrast ratio', () => {
  it("is WCAG's: 21 for black on white, 1 for a colour on itself, the known 4.54 for #767676 on white", () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#1462e7', '#1462e7')).toBe(1);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
  });
});

describe.each(['light', 'dark'] as const)("presenter mode's %s palette", (theme) => {
  const p = PRESENTER_PALETTES[theme];

  it('text on every background it is drawn on: at least 7:1', () => {
    for (const text of [p.fg, p.muted])
      for (const background of [p.bg, p.panel, p.panel2])
        expect(contrast(text, background), `${text} on ${background}`).toBeGreaterThanOrEqual(7);
  });

  it('grid cells, chart strokes, outlines and the focus ring: at least 3:1 on their backgrounds', () => {
    for (const [state, colour] of Object.entries(p.states))
      expect(contrast(colour, p.bg), `${state} ${colour} on ${p.bg}`).toBeGreaterThanOrEqual(3);
    for (const [line, colour] of Object.entries(p.chart))
      expect(contrast(colour, p.panel), `${line} ${colour} on ${p.panel}`).toBeGreaterThanOrEqual(3);
    expect(contrast(p.border, p.bg)).toBeGreaterThanOrEqual(3);
    expect(contrast(p.border, p.panel)).toBeGreaterThanOrEqual(3);
    expect(contrast(p.focus, p.bg)).toBeGreaterThanOrEqual(3);
    // The ✕ of a failed deployment is drawn in the background's colour over a filled cell of any state.
    for (const [state, colour] of Object.entries(p.states))
      if (state !== 'failed' && state !== 'offline') expect(contrast(p.bg, colour), `✕ on ${state}`).toBeGreaterThanOrEqual(3);
  });

  it('the states apart for normal and colour-blind vision (ΔE ≥ 20 for every pair, every vision)', () => {
    const { failed: _failed, ...states } = p.states;
    expect(tooClose(states, 20)).toEqual([]);
  });

  it("the lines of a chart apart likewise: accepted and the error types (ΔE ≥ 15), latency's p50 and p99", () => {
    const { ok, warn, danger, series3, series4 } = p.chart;
    expect(tooClose({ ok, warn, danger, series3, series4 }, 15)).toEqual([]);
    expect(tooClose({ accent: p.chart.accent, warn }, 15)).toEqual([]);
  });

  it('becomes the CSS variables the grid, the charts and the tiles read', () => {
    const vars = paletteVariables(p);
    expect(vars['--bg']).toBe(p.bg);
    expect(vars['--fg']).toBe(p.fg);
    expect(vars['--state-h']).toBe(p.states.healthy);
    expect(vars['--state-failed']).toBe(p.states.failed);
    expect(Object.values(vars).every((v) => /^#[0-9a-f]{6}$/.test(v))).toBe(true);
  });
});
