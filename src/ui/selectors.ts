import { isWorking, type OrderView, type PositionView, type QuoteView } from '../engine/index.ts';
import type { PaneId } from './layout.ts';
import type { UiState } from './store.ts';

/** The watchlist in order, with each symbol's quote if one has arrived. */
export function watchlistRows(state: UiState): { symbol: string; quote: QuoteView | undefined }[] {
  const quotes = new Map(state.snapshot.quotes.map((quote) => [quote.symbol, quote]));
  return state.snapshot.symbols.map((symbol) => ({ symbol, quote: quotes.get(symbol) }));
}

/** Working orders, newest first. */
export function workingOrders(state: UiState): OrderView[] {
  return state.snapshot.orders.filter(isWorking).reverse();
}

export function positions(state: UiState): readonly PositionView[] {
  return state.snapshot.portfolio.positions;
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
