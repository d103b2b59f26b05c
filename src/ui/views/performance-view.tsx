import { Box, Text } from 'ink';
import { useMemo } from 'react';
import type { Engine, PerformanceView as Performance, TradeStatsView } from '../../engine/index.ts';
import { formatCents, parseDecimal } from '../../engine/money.ts';
import { Table, type Column } from '../components/table.tsx';
import { fit, ownerLabel, signedPercent, signedUsd, usd } from '../format.ts';
import { ChartRow, chartLines, dayChange } from '../panes/chart-pane.tsx';
import type { UiState } from '../store.ts';
import { signColor, type Theme } from '../theme.ts';

export interface PerformanceViewProps {
  engine: Engine;
  state: UiState;
  width: number;
  height: number;
  theme: Theme;
}

const ratio = (value: number | null): string => (value === null ? '-' : value.toFixed(2));
const percent = (fraction: number | null): string => (fraction === null ? '-' : `${(fraction * 100).toFixed(2)}%`);
const optionalUsd = (amount: string | null): string => (amount === null ? '-' : usd(amount));

/** Each point's fall from the highest equity before it, in percent (0 at a new high). */
export function drawdownSeries(equity: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((value) => {
    peak = Math.max(peak, value);
    return peak > 0 ? ((value - peak) / peak) * 100 : 0;
  });
}

/** The metrics as label and value, in reading order. */
export function metricPairs(performance: Performance): [string, string][] {
  const equity = performance.equity;
  const trades = performance.trades;
  const drawdown = equity?.maxDrawdown;
  return [
    ['Total return', equity ? signedPercent(equity.totalReturn * 100) : '-'],
    ['CAGR', percent(equity?.cagr ?? null)],
    ['Sharpe', ratio(equity?.sharpe ?? null)],
    ['Sortino', ratio(equity?.sortino ?? null)],
    ['Max drawdown', drawdown ? `${usd(drawdown.amount)} (${(drawdown.percent * 100).toFixed(2)}%)` : '-'],
    ['Exposure', percent(equity?.exposure ?? null)],
    ['Time in market', percent(equity?.timeInMarket ?? null)],
    ['Days', equity ? String(equity.days) : '-'],
    ['Trades', `${trades.trades} (${trades.closedTrades} closed)`],
    ['Win rate', trades.closedTrades === 0 ? '-' : percent(trades.winRate)],
    ['Profit factor', ratio(trades.profitFactor)],
    ['Expectancy', optionalUsd(trades.expectancy)],
    ['Average win', optionalUsd(trades.averageWin)],
    ['Average loss', optionalUsd(trades.averageLoss)],
    ['Fees', usd(trades.fees)],
    ['Turnover', trades.turnover === null ? '-' : `${trades.turnover.toFixed(2)}x`],
  ];
}

type Breakdown = TradeStatsView & { name: string };
/** Gross profit + gross loss (negative) − fees, exactly. */
function net(row: TradeStatsView): string {
  const cents = (text: string): bigint => {
    const parsed = parseDecimal(text, 2);
    return parsed.ok ? parsed.value : 0n;
  };
  return formatCents(cents(row.grossProfit) + cents(row.grossLoss) - cents(row.fees));
}

const BREAKDOWN_COLUMNS: readonly Column<Breakdown>[] = [
  { header: 'Name', width: 14, value: (row) => row.name },
  { header: 'Trades', width: 6, align: 'right', value: (row) => String(row.trades) },
  { header: 'Win%', width: 7, align: 'right', value: (row) => (row.closedTrades === 0 ? '-' : percent(row.winRate)) },
  { header: 'Net', width: 12, align: 'right', value: (row) => signedUsd(net(row)) },
  { header: 'PF', width: 5, align: 'right', value: (row) => ratio(row.profitFactor) },
  { header: 'Expect.', width: 9, align: 'right', value: (row) => optionalUsd(row.expectancy) },
  { header: 'Fees', width: 9, align: 'right', value: (row) => usd(row.fees) },
];

/**
 * The account's performance on the whole screen (p): the equity and its drawdown over time, the
 * metrics (the API's /metrics), and the trades per strategy and per symbol.
 */
export function PerformanceView({ engine, state, width, height, theme }: PerformanceViewProps) {
  const { snapshot } = state;
  // Worked out again when a fill or an equity point is added, not on every price.
  const key = `${snapshot.fills.at(-1)?.id ?? ''} ${snapshot.equity.at(-1)?.time ?? 0}`;
  const performance = useMemo(() => engine.performance(), [engine, key]);
  const { portfolio } = snapshot;
  const total = dayChange(portfolio.totalEquity, portfolio.startingCash);
  const equity = snapshot.equity.map((point) => Number(point.equity)).filter(Number.isFinite);
  const drawdown = drawdownSeries(equity);
  const since = performance.basis.since === null ? '' : ` since ${new Date(performance.basis.since).toISOString().slice(0, 10)}`;
  const info = `equity ${usd(portfolio.totalEquity)}  total ${total === null ? '-' : signedUsd(total)}${since}`;

  const pairs = metricPairs(performance);
  const cell = 30;
  const perRow = Math.max(1, Math.floor((width + 2) / (cell + 2)));
  const metricRows = Math.ceil(pairs.length / perRow);
  const owners: Breakdown[] = performance.byOwner.map((row) => ({ ...row, name: ownerLabel(row.owner) }));
  const symbols: Breakdown[] = performance.bySymbol.map((row) => ({ ...row, name: row.symbol }));
  const side = width >= 100;
  const body = height - 1;
  const tableLines = Math.max(side ? 4 : 6, Math.min(side ? 8 : 10, Math.max(owners.length, symbols.length) + 2));
  const chartsHeight = Math.max(0, body - metricRows - 1 - tableLines);
  const chartWidth = side ? Math.floor((width - 2) / 2) : width;
  const equityHeight = side ? chartsHeight : Math.ceil(chartsHeight * 0.6);
  const drawdownHeight = side ? chartsHeight : chartsHeight - equityHeight;
  const chart = (title: string, values: number[], w: number, h: number, unit: '$' | '%', color: string | undefined) => (
    <Box flexDirection="column" width={w} height={h}>
      <Text color={theme.accent} wrap="truncate">{fit(title, w)}</Text>
      {chartLines(values, w, h - 1, unit).map((row, index) => (
        <ChartRow key={index} row={row} theme={theme} color={color} />
      ))}
    </Box>
  );
  const tableWidth = side ? Math.floor((width - 2) / 2) : width;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <Text bold inverse>{' Performance '}</Text>
        <Text color={theme.muted}>{fit(` ${info}`, Math.max(0, width - 13), 'right')}</Text>
      </Text>
      {chartsHeight >= 3 ? (
        <Box flexDirection={side ? 'row' : 'column'} columnGap={side ? 2 : 0} height={chartsHeight}>
          {chart('Equity', equity, chartWidth, equityHeight, '$', signColor(theme, total) ?? theme.accent)}
          {chart('Drawdown', drawdown, chartWidth, drawdownHeight, '%', theme.down)}
        </Box>
      ) : null}
      {Array.from({ length: metricRows }, (_, row) => (
        <Text key={`m${row}`} wrap="truncate">
          {pairs.slice(row * perRow, row * perRow + perRow).map(([label, value], i) => (
            <Text key={label}>
              {i > 0 ? '  ' : ''}
              <Text color={theme.muted}>{fit(label, 15)}</Text>
              {fit(value, cell - 15, 'right')}
            </Text>
          ))}
        </Text>
      ))}
      <Text> </Text>
      <Box flexDirection={side ? 'row' : 'column'} columnGap={side ? 2 : 0} height={tableLines}>
        <Box flexDirection="column" width={tableWidth} height={side ? tableLines : Math.ceil(tableLines / 2)}>
          <Table columns={BREAKDOWN_COLUMNS.map((c, i) => (i === 0 ? { ...c, header: 'By strategy' } : c))} rows={owners} height={side ? tableLines : Math.ceil(tableLines / 2)} width={tableWidth} theme={theme} empty="no trades yet" />
        </Box>
        <Box flexDirection="column" width={tableWidth} height={side ? tableLines : Math.floor(tableLines / 2)}>
          <Table columns={BREAKDOWN_COLUMNS.map((c, i) => (i === 0 ? { ...c, header: 'By symbol' } : c))} rows={symbols} height={side ? tableLines : Math.floor(tableLines / 2)} width={tableWidth} theme={theme} empty="no trades yet" />
        </Box>
      </Box>
    </Box>
  );
}
