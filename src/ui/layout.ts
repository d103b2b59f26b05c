// Terminal size → where each pane goes. Pure, so every size can be tested.

export type PaneId = 'quotes' | 'positions' | 'orders' | 'chart' | 'log';

export interface PaneBox {
  id: PaneId;
  /** Outer size, title line included. */
  width: number;
  height: number;
}

export interface Layout {
  /** The root's height: one less than the terminal, or Ink 6 clears the screen on every frame. */
  height: number;
  width: number;
  /** Columns of panes, left to right; each column's panes top to bottom. */
  columns: PaneBox[][];
  /** Blank columns between two columns of panes, so their text never touches. */
  gap: number;
  statusBarHeight: 1;
}

/** At this width the panes go side by side. */
const WIDE = 120;
/** Between the two columns: one blank cell left a table's last column touching the chart's axis. */
const GAP = 2;

/** Focus order for Tab. */
export const PANE_ORDER: readonly PaneId[] = ['quotes', 'positions', 'orders', 'chart', 'log'];

export function computeLayout(columns: number, rows: number): Layout {
  const width = Math.max(1, columns);
  const height = Math.max(1, rows - 1);
  const body = Math.max(0, height - 1);
  if (width < WIDE) {
    // One column. The log and chart get what the tables leave.
    const [quotes, positions, orders, chart, log] = split(body, [
      { min: 4, weight: 3 },
      { min: 3, weight: 2 },
      { min: 3, weight: 2 },
      { min: 4, weight: 2 },
      { min: 3, weight: 1 },
    ]);
    return {
      height,
      width,
      statusBarHeight: 1,
      gap: 0,
      columns: [
        [
          { id: 'quotes', width, height: quotes! },
          { id: 'positions', width, height: positions! },
          { id: 'orders', width, height: orders! },
          { id: 'chart', width, height: chart! },
          { id: 'log', width, height: log! },
        ],
      ],
    };
  }
  const left = Math.floor((width - GAP) * 0.55);
  const right = width - GAP - left;
  const [quotes, positions, orders] = split(body, [
    { min: 4, weight: 3 },
    { min: 3, weight: 2 },
    { min: 3, weight: 2 },
  ]);
  const [chart, log] = split(body, [
    { min: 6, weight: 3 },
    { min: 4, weight: 2 },
  ]);
  return {
    height,
    width,
    statusBarHeight: 1,
    gap: GAP,
    columns: [
      [
        { id: 'quotes', width: left, height: quotes! },
        { id: 'positions', width: left, height: positions! },
        { id: 'orders', width: left, height: orders! },
      ],
      [
        { id: 'chart', width: right, height: chart! },
        { id: 'log', width: right, height: log! },
      ],
    ],
  };
}

/** Splits `total` lines: each part gets its minimum, the rest goes by weight; the sum is exactly total. */
export function split(total: number, parts: readonly { min: number; weight: number }[]): number[] {
  const minimum = parts.reduce((sum, part) => sum + part.min, 0);
  if (total <= minimum) {
    // Too small: shrink from the last part up, never below zero.
    const sizes = parts.map((part) => part.min);
    let excess = minimum - total;
    for (let i = sizes.length - 1; i >= 0 && excess > 0; i--) {
      const cut = Math.min(sizes[i]!, excess);
      sizes[i]! -= cut;
      excess -= cut;
    }
    return sizes;
  }
  const spare = total - minimum;
  const weights = parts.reduce((sum, part) => sum + part.weight, 0);
  const sizes = parts.map((part) => part.min + Math.floor((spare * part.weight) / weights));
  let left = total - sizes.reduce((sum, size) => sum + size, 0);
  for (let i = 0; left > 0; i = (i + 1) % sizes.length, left--) sizes[i]! += 1;
  return sizes;
}

/** The pane under a cell (0-based) and where it starts, or undefined (the status bar, a gap). */
export function paneAt(layout: Layout, x: number, y: number): { box: PaneBox; left: number; top: number } | undefined {
  let left = 0;
  for (const column of layout.columns) {
    const width = column[0]?.width ?? 0;
    if (x >= left && x < left + width) {
      let top = 0;
      for (const box of column) {
        if (y >= top && y < top + box.height) return { box, left, top };
        top += box.height;
      }
      return undefined;
    }
    left += width + layout.gap;
  }
  return undefined;
}
