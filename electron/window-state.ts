/**
 * The window's size and position between launches, in a small JSON file in userData. A saved position
 * that no longer lies on any display (a monitor was unplugged) is dropped, so the window is centred.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
export const MIN_SIZE = { width: 800, height: 560 };

const whole = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** At least a 100×50 corner of the window (its title bar) is on one of the displays. */
function reachable(x: number, y: number, width: number, workAreas: Rectangle[]): boolean {
  return workAreas.some((a) => x + width - 100 >= a.x && x + 100 <= a.x + a.width && y >= a.y && y + 50 <= a.y + a.height);
}

/** The saved state when it is sound, else the default; `workAreas` are the displays' work areas. */
export function readWindowState(file: string, workAreas: Rectangle[]): WindowState {
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (!saved || !whole(saved.width, MIN_SIZE.width, 20_000) || !whole(saved.height, MIN_SIZE.height, 20_000))
    return { ...DEFAULT_WINDOW_STATE };
  const state: WindowState = { width: saved.width, height: saved.height, maximized: saved.maximized === true };
  if (whole(saved.x, -100_000, 100_000) && whole(saved.y, -100_000, 100_000) && reachable(saved.x, saved.y, saved.width, workAreas)) {
    state.x = saved.x;
    state.y = saved.y;
  }
  return state;
}

/** What is remembered of a window when it closes. */
export interface TrackedWindow {
  once(event: 'close', listener: () => void): unknown;
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
}

/** Saves the window's normal bounds and maximized flag when it closes; a failed write is not fatal. */
export function rememberWindowState(window: TrackedWindow, file: string): void {
  window.once('close', () => {
    const { x, y, width, height } = window.getNormalBounds();
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify({ x, y, width, height, maximized: window.isMaximized() })}\n`);
    } catch {
      // The next launch starts with the default size.
    }
  });
}
