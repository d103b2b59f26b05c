import { afterEach, describe, expect, it } from 'vitest';


import { cleanup, render } from 'ink-testing-library';
import type { PortfolioView } from '../../src/engine/index.ts';
import { ChartPane, LABEL_WIDTH, resample } from '../../src/ui/panes/chart-pane.tsx';
import { THEMES, type Theme } from '../../src/ui/theme.ts';
import { stripAnsi } from '../helpers/render-screen.tsx';
import { uiState, UI_T0 } from '../helpers/ui-state.ts';

afterEach(cleanup);

const points = (values: readonly number[]) => values.map((value, i) => ({ time: UI_T0 + i * 1000, equity: value.toFixed(2) }));
const rising = (count: number) => points(Array.from({ length: count }, (_, i) => 100_000 + i));

interface Options {
  equity?: { time: number; equity: string }[];
  portfolio?: Partial<PortfolioView>;
  width?: number;
  height?: number;
  theme?: Theme;
}

function renderChart({ equity = rising(500), portfolio, width = 80, height = 8, theme = THEMES.mono }: Options = {}) {
  const state = uiState({ snapshot: { equity, ...(portfolio ? { portfolio } : {}) } });
  const { lastFrame } = render(<ChartPane state={state} width={width} height={height} focused={false} selected={-1} theme={theme} />);
  const raw = lastFrame() ?? '';
  return { raw, lines: stripAnsi(raw).split('\n') };
}

describe('ChartPane', () => {
  it('titles the chart with cash, equity, the day\'s change from the previous close and the exact total change since the start', () => {
    // 1000.30 − 1000.10 in floats is 0.19999999999993179: a float subtraction would show +$0.19.
    const { lines } = renderChart({ width: 100, portfolio: { startingCash: '1000.10', cash: '12.00', totalEquity: '1000.30' } });
    expect(lines[0]).toMatch(/^ Equity +cash \$12\.00  equity \$1,000\.30  day \+\$0\.20  total \+\$0\.20$/);
    const loss = renderChart({ width: 100, portfolio: { startingCash: '100000.00', cash: '50000.00', totalEquity: '99999.99', previousCloseEquity: '100100.00' } }).lines;
    expect(loss[0]).toMatch(/ cash \$50,000\.00  equity \$99,999\.99  day -\$100\.01  total -\$0\.01$/);
  });

  it('shows a margin account\'s buying power beside its cash, which may be negative', () => {
    const margin = { multiplier: 4, longMarketValue: '300030.00', shortMarketValue: '0.00', maintenanceMargin: '75007.50', marginCall: false, dayTrades: 0, patternDayTrader: true };
    const { lines } = renderChart({ width: 120, portfolio: { startingCash: '100000.00', cash: '-200060.00', totalEquity: '99970.00', buyingPower: '99850.00', accountKind: 'margin', margin } });
    expect(lines[0]).toMatch(/ cash -\$200,060\.00  equity \$99,970\.00  buying power \$99,850\.00  day -\$30\.00  total -\$30\.00$/);
  });

  it.each([0, 1])('says it is waiting for prices with %i equity points', (count) => {
    const { lines } = renderChart({ equity: rising(count), height: 6 });
    expect(lines).toEqual([lines[0], 'waiting for the first prices…', '', '', '', '']);
  });

  it('draws two points as a line from the first value to the last, labelled at both ends', () => {
    const { lines } = renderChart({ equity: points([100_000, 101_000]), width: 80, height: 5 });
    expect(lines.slice(1)).toEqual([
      '   $101,000┤                                                        ╭───────────',
      '   $100,667┤                                 ╭──────────────────────╯',
      '   $100,333┤           ╭─────────────────────╯',
      '   $100,000┼───────────╯',
    ]);
  });

  it('resamples 500 points to the width: the newest value reaches the last column', () => {
    const { lines } = renderChart({ equity: rising(500), width: 80, height: 8 });
    const body = lines.slice(1);
    expect(body).toHaveLength(7);
    expect(body.map((line) => line.slice(0, LABEL_WIDTH))).toEqual(
      ['   $100,499', '   $100,416', '   $100,333', '   $100,250', '   $100,166', '   $100,083', '   $100,000']);
    // The top row (the maximum, the last point) runs to the right edge; the bottom starts on the axis.
    expect(body[0]).toHaveLength(80);
    expect(body[0]?.endsWith('─')).toBe(true);
    expect(body[6]?.slice(LABEL_WIDTH, LABEL_WIDTH + 2)).toBe('┼─');
  });

  it('draws a flat equity line mid-chart, with cents in the labels', () => {
    const { lines } = renderChart({ equity: points(Array(500).fill(100_000)), height: 8 });
    expect(lines[4]).toBe(`$100,000.00┼${'─'.repeat(68)}`);
    expect(lines[1]).toBe('$100,001.00┤');
    expect(lines[7]).toBe(' $99,999.00┤');
  });

  it('shows the equity as text when the pane has room for one body line only', () => {
    const { lines } = renderChart({ height: 2, portfolio: { startingCash: '100000.00', cash: '1.00', totalEquity: '100250.00' } });
    expect(lines[1]).toBe('$100,250.00');
  });

  it('colours the line by the change since the start and mutes the labels (dark theme)', () => {
    const up = renderChart({ theme: THEMES.dark, portfolio: { startingCash: '100000.00', cash: '1.00', totalEquity: '100499.00' } }).raw;
    expect(up).toMatch(/\u001b\[90m {3}\$100,499┤\u001b\[32m +╭─+\u001b\[39m/);
    const down = renderChart({ theme: THEMES.dark, portfolio: { startingCash: '100000.00', cash: '1.00', totalEquity: '99000.00' } }).raw;
    expect(down).toMatch(/ {3}\$100,499┤\u001b\[31m +╭─+\u001b\[39m/);
    expect(down).not.toContain('\u001b[32m');
  });

  it.each([80, 100, 160, 20, 12])('never exceeds its box at width %i, for 0, 1, 2 and 500 points', (width) => {
    const series = [rising(0), rising(1), points([100_000, 99_000.5]), points(Array.from({ length: 500 }, (_, i) => 1_000_000 * Math.sin(i / 30)))];
    for (const equity of series) {
      for (const height of [1, 2, 3, 5, 12, 24]) {
        const { lines } = renderChart({ equity, width, height });
        expect(lines, `${equity.length} points, height ${height}`).toHaveLength(height);
        for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(width);
      }
    }
  });
});

describe('resample', () => {
  it('keeps the first and last points when shrinking and interpolates when stretching', () => {
    expect(resample([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)).toEqual([1, 5, 9]);
    expect(resample([0, 10], 6).map((value) => Number(value.toFixed(9)))).toEqual([0, 2, 4, 6, 8, 10]);
    expect(resample([7], 3)).toEqual([7, 7, 7]);
    expect(resample([1, 2, 3], 3)).toEqual([1, 2, 3]);
  });
});
