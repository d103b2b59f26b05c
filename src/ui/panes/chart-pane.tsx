import asciichart from 'asciichart';
import { Text } from 'ink';
import { memo } from 'react';
import { formatCents, parseDecimal } from '../../engine/money.ts';
import { PaneFrame } from '../components/pane-frame.tsx';
import { compact, fit, signedUsd, usd } from '../format.ts';
import { signColor, type Theme } from '../theme.ts';
import type { PaneProps } from './pane-props.ts';

/** The y axis labels' width: "$100,000.25" and "-$9,999.99" fit; bigger amounts go compact ("$1.23M"). */
export const LABEL_WIDTH = 11;

const WAITING = 'waiting for the first prices…';

/** equity − starting cash, exactly, as a cents string; null if either amount is not a decimal. */
export function dayChange(totalEquity: string, startingCash: string): string | null {
  const equity = parseDecimal(totalEquity, 2);
  const start = parseDecimal(startingCash, 2);
  return equity.ok && start.ok ? formatCents(equity.value - start.value) : null;
}

/** Resamples to exactly `count` points: evenly spaced picks when shrinking (first and last kept), straight lines when stretching. */
export function resample(values: readonly number[], count: number): number[] {
  if (count <= 0 || values.length === 0) return [];
  if (values.length === 1 || count === 1) return Array.from({ length: count }, () => values.at(-1)!);
  const step = (values.length - 1) / (count - 1);
  return Array.from({ length: count }, (_, i) => {
    const at = i * step;
    const low = Math.floor(at);
    const high = Math.min(values.length - 1, Math.ceil(at));
    const a = values[low]!;
    const b = values[high]!;
    return values.length > count ? values[Math.round(at)]! : a + (b - a) * (at - low);
  });
}

/** A fixed-width y label; cents when a row spans less than a dollar. A percent axis ('%') has two decimals always. */
function labelFormat(decimals: number, unit: '$' | '%'): (value: number) => string {
  return (value) => {
    const sign = value < 0 ? '-' : '';
    const abs = Math.abs(value);
    if (unit === '%') {
      const text = abs.toFixed(decimals);
      // A value that rounds to nothing is 0, never -0.00%.
      return fit(`${/^0\.?0*$/.test(text) ? '' : sign}${text}%`, LABEL_WIDTH, 'right');
    }
    let text = `${sign}$${abs.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })}`;
    if (text.length > LABEL_WIDTH) text = `${sign}$${compact(String(abs))}`;
    return fit(text, LABEL_WIDTH, 'right');
  };
}

/**
 * The chart's lines: at most `lines` lines of at most `width` characters. asciichart draws
 * height + 1 rows, but it rounds min and max separately, so a float error could add one: then it
 * is drawn again one row lower.
 */
export function chartLines(values: readonly number[], width: number, lines: number, unit: '$' | '%' = '$'): string[] {
  const columns = width - LABEL_WIDTH;
  // One line is no chart: asciichart at height 0 labels its only row "$0".
  if (lines < 2 || columns < 2 || values.length < 2) return [];
  const series = resample(values, columns);
  let min = Math.min(...series);
  let max = Math.max(...series);
  // A flat line sits mid-chart, with a dollar either side, rather than alone on the top row.
  if (max - min < 0.005) {
    min -= 1;
    max += 1;
  }
  for (let height = lines - 1; ; height--) {
    const step = (max - min) / height;
    // Dollars: cents when a row spans less than one. Percents: enough decimals that rows differ.
    const decimals = unit === '$' ? (step < 1 ? 2 : 0) : Math.min(4, Math.max(0, Math.ceil(-Math.log10(step))));
    const format = labelFormat(decimals, unit);
    const rows = asciichart.plot(series, { height, min, max, offset: 2, format }).split('\n');
    if (rows.length <= lines || height <= 1) return rows.slice(0, lines).map((row) => row.slice(0, width).trimEnd());
  }
}

/**
 * The account's equity over time, with cash, equity, the day's change (from the previous
 * close) and the total change (from the starting cash) in the title.
 */
export const ChartPane = memo(function ChartPane({ state, width, height, focused, theme }: PaneProps) {
  const { portfolio, equity } = state.snapshot;
  const change = dayChange(portfolio.totalEquity, portfolio.startingCash);
  const day = dayChange(portfolio.totalEquity, portfolio.previousCloseEquity ?? portfolio.startingCash);
  // A margin account's buying power is not its cash: it is shown beside it.
  const power = portfolio.margin ? `  buying power ${usd(portfolio.buyingPower)}` : '';
  const signed = (amount: string | null): string => (amount === null ? '-' : signedUsd(amount));
  const info = `cash ${usd(portfolio.cash)}  equity ${usd(portfolio.totalEquity)}${power}  day ${signed(day)}  total ${signed(change)}`;
  const body = Math.max(0, height - 1);
  const values = equity.map((point) => Number(point.equity)).filter(Number.isFinite);
  const rows = chartLines(values, width, body);
  return (
    <PaneFrame title="Equity" info={info} width={width} height={height} focused={focused} theme={theme}>
      {rows.length === 0 && body > 0 ? (
        <Text color={theme.muted} wrap="truncate">
          {fit(values.length < 2 ? WAITING : usd(portfolio.totalEquity), width)}
        </Text>
      ) : (
        rows.map((row, index) => <ChartRow key={index} row={row} theme={theme} color={signColor(theme, change) ?? theme.accent} />)
      )}
    </PaneFrame>
  );
});

/** Label and axis muted, the line in the colour of the day's change. */
export function ChartRow({ row, theme, color }: { row: string; theme: Theme; color: string | undefined }) {
  const split = LABEL_WIDTH + 1;
  return (
    <Text wrap="truncate">
      <Text color={theme.muted}>{row.slice(0, split)}</Text>
      <Text color={color}>{row.slice(split)}</Text>
    </Text>
  );
}
