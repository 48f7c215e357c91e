/** The remembered window bounds: kept when sound, dropped when damaged or off every display. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, readWindowState } from '../../electron/window-state.ts';

const DISPLAYS = [
  { x: 0, y: 0, width: 1920, height: 1040 },
  { x: 1920, y: 0, width: 1280, height: 1024 },
];

function saved(content: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'hb-window-')), 'window-state.json');
  writeFileSync(file, content);
  return readWindowState(file, DISPLAYS);
}

describe('window state', () => {
  it('restores a sound position and size on any display, and the maximized flag', () => {
    expect(saved('{"x":2000,"y":40,"width":1200,"height":800,"maximized":true}')).toEqual({
      x: 2000,
      y: 40,
      width: 1200,
      height: 800,
      maximized: true,
    });
    expect(saved('{"x":10,"y":10,"width":900,"height":600}')).toEqual({ x: 10, y: 10, width: 900, height: 600, maximized: false });
  });

  it('centres a window whose saved position is on no display any more', () => {
    expect(saved('{"x":5000,"y":40,"width":1200,"height":800}')).toEqual({ width: 1200, height: 800, maximized: false });
    expect(saved('{"x":100,"y":-500,"width":1200,"height":800}')).toEqual({ width: 1200, height: 800, maximized: false });
  });

  it('falls back to the default for a missing, damaged or absurd file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hb-window-')), 'none.json');
    expect(readWindowState(file, DISPLAYS)).toEqual(DEFAULT_WINDOW_STATE);
    for (const bad of [
      'not json',
      'null',
      '[]',
      '{"width":100,"height":100}',
      '{"width":"1200","height":800}',
      '{"width":1e9,"height":800}',
      '{"width":1200.5,"height":800}',
    ]) {
      expect(saved(bad), bad).toEqual(DEFAULT_WINDOW_STATE);
    }
  });
});
