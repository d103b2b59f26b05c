import { memo } from 'react';
import type { PositionView } from '../../engine/index.ts';
import { PaneFrame } from '../components/pane-frame.tsx';
import { Table, tableWidth, type Column } from '../components/table.tsx';
import { heldByText, signedPercent, signedUsd, symbolPrice, usd } from '../format.ts';
import { keysFor } from '../keymap.ts';
import { positions } from '../selectors.ts';
import { sortedHeader } from '../sorting.ts';
import type { Theme } from '../theme.ts';
import { signColor } from '../theme.ts';
import type { PaneProps } from './pane-props.ts';

const BUY_KEY = keysFor('buy') ?? 'b';

/** unrealizedPnl / costBasis as "+15.00%" (display only); "-" without a cost basis. */
export function unrealizedPercent(position: PositionView): string {
  const basis = Math.abs(Number(position.costBasis));
  if (!(basis > 0)) return '-';
  return signedPercent((Number(position.unrealizedPnl) / basis) * 100);
}

/** The narrowest "Held by" column: enough for "you" or the start of a strategy's name. */
const MIN_HELD_BY = 10;
/** "Held by" keeps this much before a wide pane adds columns: "you 10, sma-crossover 20". */
const WIDE_HELD_BY = 24;

const EXTRA: readonly Column<PositionView>[] = [
  { header: 'Cost basis', width: 13, align: 'right', value: (p) => usd(p.costBasis) },
  { header: 'Realized', width: 12, align: 'right', value: (p) => signedUsd(p.realizedPnl) },
];

/**
 * Where the pane is too narrow for every column, the least useful go first: the last price (the
 * quotes show it beside), the percent, the average cost, the market value. Symbol, qty and the
 * unrealized PnL always stay; "Held by" takes what is left when that is enough for it.
 */
const DROP_FIRST = ['Last', 'Unreal%', 'Avg cost', 'Mkt value'];

/** Widths for "X:BTCUSD", "0.12345678", "$1,234,567.89", "+$123,456.78", "-100.00%": 78 columns, then who holds it. */
export const positionColumns = (theme: Theme, width: number): Column<PositionView>[] => {
  let shown = FIXED(theme);
  for (const header of DROP_FIRST) {
    if (tableWidth(shown) + 1 + MIN_HELD_BY <= width) break;
    shown = shown.filter((column) => column.header !== header);
  }
  // A wide pane shows the cost basis and what the symbol realized, while "Held by" keeps room to read.
  const dropped = shown.length < FIXED(theme).length;
  for (const column of EXTRA) if (!dropped && width - tableWidth([...shown, column]) - 1 >= WIDE_HELD_BY) shown = [...shown, column];
  const left = width - tableWidth(shown) - 1;
  return left >= MIN_HELD_BY ? [...shown, { header: 'Held by', width: left, value: heldByText }] : shown;
};

const FIXED = (theme: Theme): Column<PositionView>[] => [
  { header: 'Symbol', width: 9, value: (p) => p.symbol },
  { header: 'Qty', width: 10, align: 'right', value: (p) => p.qty },
  { header: 'Avg cost', width: 10, align: 'right', value: (p) => symbolPrice(p.symbol, p.avgPrice) },
  { header: 'Last', width: 10, align: 'right', value: (p) => symbolPrice(p.symbol, p.lastPrice) },
  { header: 'Mkt value', width: 13, align: 'right', value: (p) => usd(p.marketValue) },
  { header: 'Unreal PnL', width: 12, align: 'right', value: (p) => signedUsd(p.unrealizedPnl), color: (p) => signColor(theme, p.unrealizedPnl) },
  { header: 'Unreal%', width: 8, align: 'right', value: unrealizedPercent, color: (p) => signColor(theme, p.unrealizedPnl) },
];

/** Open positions with their marks and unrealized PnL; realized and unrealized totals in the title. */
export const PositionsPane = memo(function PositionsPane({ state, width, height, focused, selected, theme, sort }: PaneProps) {
  const { portfolio } = state.snapshot;
  return (
    <PaneFrame
      title="Positions"
      info={`realized ${signedUsd(portfolio.realizedPnl)}  unrealized ${signedUsd(portfolio.unrealizedPnl)}`}
      width={width}
      height={height}
      focused={focused}
      theme={theme}
    >
      <Table
        columns={positionColumns(theme, width).map((column) => ({ ...column, header: sortedHeader(column.header, sort) }))}
        rows={positions(state, sort)}
        height={height - 1}
        width={width}
        theme={theme}
        selected={selected}
        empty={`no positions — press ${BUY_KEY} to buy the selected symbol`}
      />
    </PaneFrame>
  );
});
