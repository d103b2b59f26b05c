// Sortable columns: the quotes and positions panes sort by a column (o cycles, a click on its
// header picks it), numbers largest first, text A to Z; the watchlist's own order otherwise.
import type { PositionView, QuoteView } from '../engine/index.ts';

export interface SortState {
  /** The column's header, as the pane shows it. */
  column: string;
  descending: boolean;
}

export type SortablePane = 'quotes' | 'positions';
export type PaneSorts = Partial<Record<SortablePane, SortState>>;

type Key<Row> = (row: Row) => number | string | null;

const num = (text: string | null | undefined): number | null => {
  if (text === null || text === undefined) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

const changeOf = (quote: QuoteView | undefined): number | null => {
  const from = num(quote?.previousClose ?? quote?.open);
  const to = num(quote?.mark);
  return from === null || to === null || from <= 0 ? null : (to - from) / from;
};

export const QUOTE_SORT_KEYS: Readonly<Record<string, Key<{ symbol: string; quote: QuoteView | undefined }>>> = {
  Symbol: (row) => row.symbol,
  'Chg%': (row) => changeOf(row.quote),
  Volume: (row) => num(row.quote?.volume),
  Last: (row) => num(row.quote?.last ?? row.quote?.mark),
  Bid: (row) => num(row.quote?.bid),
  Ask: (row) => num(row.quote?.ask),
};

export const POSITION_SORT_KEYS: Readonly<Record<string, Key<PositionView>>> = {
  Symbol: (row) => row.symbol,
  'Unreal PnL': (row) => num(row.unrealizedPnl),
  'Mkt value': (row) => num(row.marketValue),
  'Unreal%': (row) => {
    const basis = Math.abs(Number(row.costBasis));
    return basis > 0 ? Number(row.unrealizedPnl) / basis : null;
  },
  Qty: (row) => num(row.qty),
  'Avg cost': (row) => num(row.avgPrice),
  Last: (row) => num(row.lastPrice),
};

export const SORT_KEYS = { quotes: QUOTE_SORT_KEYS, positions: POSITION_SORT_KEYS } as const;

/** Rows sorted by the column (rows without a value last, ties in their own order); as they are without a sort. */
export function sortRows<Row>(rows: readonly Row[], keys: Readonly<Record<string, Key<Row>>>, sort: SortState | undefined): readonly Row[] {
  const key = sort ? keys[sort.column] : undefined;
  if (!sort || !key) return rows;
  const direction = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index, value: key(row) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order = typeof a.value === 'string' ? a.value.localeCompare(String(b.value)) : a.value - Number(b.value);
      return order * direction || a.index - b.index;
    })
    .map((entry) => entry.row);
}

/** Text A to Z, numbers largest first: what a trader sorting by a column wants to see first. */
const naturalDescending = (column: string): boolean => column !== 'Symbol';

/** The next sort of `o`: each sortable column in turn, then the watchlist's own order again. */
export function nextSort(pane: SortablePane, current: SortState | undefined): SortState | undefined {
  const columns = Object.keys(SORT_KEYS[pane]);
  const index = current ? columns.indexOf(current.column) + 1 : 0;
  const column = columns[index];
  return column === undefined ? undefined : { column, descending: naturalDescending(column) };
}

/** A click on a column's header: sort by it, or the other way when it is the sort already. */
export function sortByClick(pane: SortablePane, current: SortState | undefined, column: string): SortState | undefined {
  if (!(column in SORT_KEYS[pane])) return current;
  if (current?.column === column) return { column, descending: !current.descending };
  return { column, descending: naturalDescending(column) };
}

/** The header as shown: with an arrow when the pane is sorted by it. */
export const sortedHeader = (header: string, sort: SortState | undefined): string => (sort?.column === header ? `${header}${sort.descending ? '↓' : '↑'}` : header);
