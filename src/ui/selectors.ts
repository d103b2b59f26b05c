import { isWorking, type OrderView, type PositionView, type QuoteView } from '../engine/index.ts';
import type { PaneId } from './layout.ts';
import { POSITION_SORT_KEYS, QUOTE_SORT_KEYS, sortRows, type SortState } from './sorting.ts';
import type { UiState } from './store.ts';

/** The watchlist in its order (or sorted by a column), with each symbol's quote if one has arrived. */
export function watchlistRows(state: UiState, sort?: SortState): readonly { symbol: string; quote: QuoteView | undefined }[] {
  const quotes = new Map(state.snapshot.quotes.map((quote) => [quote.symbol, quote]));
  return sortRows(state.snapshot.symbols.map((symbol) => ({ symbol, quote: quotes.get(symbol) })), QUOTE_SORT_KEYS, sort);
}

/** Working orders, newest first. */
export function workingOrders(state: UiState): OrderView[] {
  return state.snapshot.orders.filter(isWorking).reverse();
}

export function positions(state: UiState, sort?: SortState): readonly PositionView[] {
  return sortRows(state.snapshot.portfolio.positions, POSITION_SORT_KEYS, sort);
}

/** How many selectable rows a pane has (0 for panes without a selection). */
export function rowCount(state: UiState, pane: PaneId): number {
  switch (pane) {
    case 'quotes': return state.snapshot.symbols.length;
    case 'positions': return state.snapshot.portfolio.positions.length;
    case 'orders': return workingOrders(state).length;
    default: return 0;
  }
}
