/**
 * Keyboard moves in a list whose rows hold several controls, kept as one tab stop (roving tabindex,
 * WAI-ARIA grid pattern): Up/Down and Home/End between rows, Left/Right between a row's controls.
 * Used by the history list and the form's row lists.
 */
export interface GridCell {
  row: number;
  col: number;
}

/** Where `key` moves from `at` in a grid of `rows` rows and columns 0..`lastCol`; undefined for any other key. */
export function gridMove(key: string, at: GridCell, rows: number, lastCol: number): GridCell | undefined {
  const { row, col } = at;
  switch (key) {
    case 'ArrowDown':
      return { row: Math.min(rows - 1, row + 1), col };
    case 'ArrowUp':
      return { row: Math.max(0, row - 1), col };
    case 'Home':
      return { row: 0, col };
    case 'End':
      return { row: rows - 1, col };
    case 'ArrowRight':
      return { row, col: Math.min(lastCol, col + 1) };
    case 'ArrowLeft':
      return { row, col: Math.max(0, col - 1) };
    default:
      return undefined;
  }
}

/** The control (`[data-col]`) an event came from, and its row element (`[rowAttribute]`). */
export function cellOf(event: Event, rowAttribute: string): { control: HTMLElement; row: HTMLElement } | undefined {
  const control = (event.target as HTMLElement).closest<HTMLElement>('[data-col]');
  const row = control?.closest<HTMLElement>(`[${rowAttribute}]`);
  return control && row ? { control, row } : undefined;
}
