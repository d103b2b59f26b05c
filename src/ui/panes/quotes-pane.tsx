import { memo } from 'react';
import type { QuoteView } from '../../engine/index.ts';
import { PaneFrame } from '../components/pane-frame.tsx';
import { sparkline } from '../components/sparkline.tsx';
import { Table, tableWidth, type Column } from '../components/table.tsx';
import { compact, percentChange, shortenNumber, symbolPrice } from '../format.ts';
import { keysFor } from '../keymap.ts';
import { watchlistRows } from '../selectors.ts';
import { sortedHeader } from '../sorting.ts';
import type { Theme } from '../theme.ts';
import { signColor } from '../theme.ts';
import type { PaneProps } from './pane-props.ts';

interface QuoteRow {
  symbol: string;
  quote: QuoteView | undefined;
  spark: readonly number[];
}

/** Sized for "X:BTCUSD", "97125.5000", "-12.34%", "987.65M": 60 columns with separators. */
const FIXED: readonly Column<QuoteRow>[] = [
  { header: 'Symbol', width: 9, value: (row) => row.symbol },
  { header: 'Bid', width: 10, align: 'right', value: (row) => symbolPrice(row.symbol, row.quote?.bid ?? null) },
  { header: 'Ask', width: 10, align: 'right', value: (row) => symbolPrice(row.symbol, row.quote?.ask ?? null) },
  { header: 'Last', width: 10, align: 'right', value: (row) => lastText(row.symbol, row.quote, 10) },
  { header: 'Chg%', width: 8, align: 'right', value: (row) => change(row.quote) },
  { header: 'Volume', width: 8, align: 'right', value: (row) => (row.quote ? compact(row.quote.volume) : '-') },
];

export const QUOTE_COLUMNS_WIDTH = tableWidth(FIXED);

/** A wide pane shows these too, in this order, while the sparkline keeps at least SPARK_KEPT columns. */
const EXTRA: readonly Column<QuoteRow>[] = [
  { header: 'Bid sz', width: 7, align: 'right', value: (row) => (row.quote?.bidSize ? compact(row.quote.bidSize) : '-') },
  { header: 'Ask sz', width: 7, align: 'right', value: (row) => (row.quote?.askSize ? compact(row.quote.askSize) : '-') },
  { header: 'Spread', width: 8, align: 'right', value: (row) => spreadText(row.symbol, row.quote) },
  { header: 'Prev close', width: 10, align: 'right', value: (row) => symbolPrice(row.symbol, row.quote?.previousClose ?? null) },
  { header: 'Open', width: 10, align: 'right', value: (row) => symbolPrice(row.symbol, row.quote?.open ?? null) },
];
const SPARK_KEPT = 40;

/** Ask − bid in the symbol's decimals, or "-" without both. */
function spreadText(symbol: string, quote: QuoteView | undefined): string {
  if (!quote?.bid || !quote.ask) return '-';
  return symbolPrice(symbol, (Number(quote.ask) - Number(quote.bid)).toFixed(6));
}

const ADD_KEY = keysFor('addSymbol') ?? 'a';

/**
 * The regular last, or an extended-hours print (pre-market, after hours) marked "e" while it is
 * newer: it is what traded, but not the regular last a chart or a stop uses.
 */
export function lastText(symbol: string, quote: QuoteView | undefined, width: number): string {
  if (quote?.extendedLast) return `${shortenNumber(symbolPrice(symbol, quote.extendedLast), width - 1)}e`;
  return symbolPrice(symbol, quote?.last ?? null);
}

/** ", 15-min delayed" when any price shown comes from a delayed feed; ", end-of-day prices" on a plan that has only closes. */
export function delayText(rows: readonly { quote: QuoteView | undefined }[]): string {
  const delayMs = Math.max(0, ...rows.map((row) => row.quote?.delayMs ?? 0));
  if (delayMs === 0) return '';
  return delayMs >= 3_600_000 ? ', end-of-day prices' : `, ${Math.round(delayMs / 60_000)}-min delayed`;
}

/** The day's change: from the previous close when the provider gave it, else from the first price seen. */
const change = (quote: QuoteView | undefined): string => percentChange(quote?.previousClose ?? quote?.open ?? null, quote?.mark ?? null);

/** The colour of the change as shown: "+0.00%" and "-0.00%" stay uncoloured. */
const changeColor = (theme: Theme, quote: QuoteView | undefined): string | undefined => {
  const text = change(quote);
  return text === '-' ? undefined : signColor(theme, text.replace(/^\+/, '').replace(/%$/, ''));
};

/** The quotes' columns at `width`: the fixed ones, then a sparkline in what is left. */
export function quoteColumns(theme: Theme, width: number): Column<QuoteRow>[] {
  // A wide pane spends its width on sizes, spread and the day's prices before a longer sparkline.
  const extras: Column<QuoteRow>[] = [];
  for (const column of EXTRA) {
    if (width - tableWidth([...FIXED, ...extras, column]) - 1 < SPARK_KEPT) break;
    extras.push(column);
  }
  const sparkWidth = width - tableWidth([...FIXED, ...extras]) - 1;
  const colors: Record<string, (row: QuoteRow) => string | undefined> = {
    'Chg%': (row) => changeColor(theme, row.quote),
    Bid: (row) => (row.quote?.crossed ? theme.warning : undefined),
    Ask: (row) => (row.quote?.crossed ? theme.warning : undefined),
    Last: (row) => (row.quote?.extendedLast ? theme.warning : undefined),
  };
  const columns: Column<QuoteRow>[] = [...FIXED, ...extras].map((column) => (colors[column.header] ? { ...column, color: colors[column.header] } : column));
  if (sparkWidth > 0) columns.push({ header: 'Trend', width: sparkWidth, value: (row) => sparkline(row.spark, sparkWidth), color: () => theme.accent });
  return columns;
}

/** The watchlist: one row per symbol, a sparkline of recent marks in whatever width is left. */
export const QuotesPane = memo(function QuotesPane({ state, width, height, focused, selected, theme, sort }: PaneProps) {
  const rows: QuoteRow[] = watchlistRows(state, sort).map(({ symbol, quote }) => ({
    symbol,
    quote,
    spark: state.sparklines.get(symbol) ?? [],
  }));
  const columns = quoteColumns(theme, width).map((column) => ({ ...column, header: sortedHeader(column.header, sort) }));
  const count = rows.length;
  const delay = delayText(rows);
  return (
    <PaneFrame title="Quotes" info={`${count} symbol${count === 1 ? '' : 's'}${delay}`} width={width} height={height} focused={focused} theme={theme}>
      <Table
        columns={columns}
        rows={rows}
        height={height - 1}
        width={width}
        theme={theme}
        selected={selected}
        empty={`no symbols — press ${ADD_KEY} to add one`}
      />
    </PaneFrame>
  );
});
