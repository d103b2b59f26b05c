import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLayout, PANE_ORDER, split } from '../../src/ui/layout.ts';

describe('layout', () => {
  it('keeps the root one line shorter than the terminal, or Ink 6 clears the screen every frame', () => {
    for (const [columns, rows] of [[80, 24], [100, 30], [160, 48], [240, 70]] as const) {
      expect(computeLayout(columns, rows).height).toBe(rows - 1);
    }
  });

  it('fills the body exactly, every pane placed once, for every terminal from 80x24 to 240x70', () => {
    fc.assert(
      fc.property(fc.integer({ min: 80, max: 240 }), fc.integer({ min: 24, max: 70 }), (columns, rows) => {
        const layout = computeLayout(columns, rows);
        const body = layout.height - layout.statusBarHeight;
        // The columns and the gaps between them fill the width exactly; side by side, they never touch.
        expect(layout.columns.reduce((sum, column) => sum + column[0]!.width, 0) + layout.gap * (layout.columns.length - 1)).toBe(columns);
        if (layout.columns.length > 1) expect(layout.gap).toBeGreaterThanOrEqual(1);
        for (const column of layout.columns) {
          expect(column.reduce((sum, pane) => sum + pane.height, 0)).toBe(body);
          for (const pane of column) expect(pane.height).toBeGreaterThanOrEqual(3);
        }
        expect(layout.columns.flat().map((pane) => pane.id).sort()).toEqual([...PANE_ORDER].sort());
      }),
    );
  });

  it('stacks the panes in one column below 120 columns and goes side by side from 120', () => {
    expect(computeLayout(100, 30).columns).toHaveLength(1);
    expect(computeLayout(160, 48).columns.map((column) => column.map((pane) => pane.id))).toEqual([
      ['quotes', 'positions', 'orders'],
      ['chart', 'log'],
    ]);
  });

  it('gives the quotes the most room', () => {
    const [quotes, positions, orders, chart, log] = computeLayout(80, 24).columns[0]!.map((pane) => pane.height);
    expect(quotes).toBeGreaterThanOrEqual(Math.max(positions!, orders!, chart!, log!));
  });

  it('splits exactly, shrinking from the last part when there is too little room', () => {
    expect(split(10, [{ min: 2, weight: 1 }, { min: 2, weight: 1 }])).toEqual([5, 5]);
    expect(split(11, [{ min: 2, weight: 2 }, { min: 2, weight: 1 }])).toEqual([7, 4]);
    expect(split(3, [{ min: 2, weight: 1 }, { min: 2, weight: 1 }])).toEqual([2, 1]);
    expect(split(0, [{ min: 2, weight: 1 }])).toEqual([0]);
  });
});
