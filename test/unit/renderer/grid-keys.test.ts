/** Roving-focus moves shared by the history list and the form's row lists. */
import { expect, it } from 'vitest';
import { gridMove } from '../../../src/renderer/composables/grid-keys.ts';

it('moves between rows and a row’s controls, within bounds, and ignores other keys', () => {
  const at = { row: 2, col: 1 };
  expect(gridMove('ArrowDown', at, 5, 3)).toEqual({ row: 3, col: 1 });
  expect(gridMove('ArrowDown', { row: 4, col: 1 }, 5, 3)).toEqual({ row: 4, col: 1 });
  expect(gridMove('ArrowUp', { row: 0, col: 0 }, 5, 3)).toEqual({ row: 0, col: 0 });
  expect(gridMove('Home', at, 5, 3)).toEqual({ row: 0, col: 1 });
  expect(gridMove('End', at, 5, 3)).toEqual({ row: 4, col: 1 });
  expect(gridMove('ArrowRight', { row: 2, col: 3 }, 5, 3)).toEqual({ row: 2, col: 3 });
  expect(gridMove('ArrowLeft', { row: 2, col: 0 }, 5, 3)).toEqual({ row: 2, col: 0 });
  expect(gridMove('Enter', at, 5, 3)).toBeUndefined();
});
