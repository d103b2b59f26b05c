// The symbol view's text apart from the chart, as pure functions: its quote line, the position
// and who holds it, its orders, fills and alerts, and the prefilled ticket.
import type { AlertView, FillView, OrderView, PositionView, QuoteView, Side } from '../../engine/index.ts';
import { describeAlert } from '../../engine/alerts/alert-book.ts';
import type { TicketFields } from '../dialogs/order-ticket-state.ts';
import { clockTime, compact, heldByText, orderTerms, percentChange, signedUsd, symbolPrice, usd } from '../format.ts';

/** "last 190.12  +0.65% today  bid 190.10 × 300  ask 190.14 × 500  spread 0.04  vol 1.2M". */
export function quoteLine(symbol: string, quote: QuoteView | undefined): string {
  if (!quote) return 'waiting for the first quote…';
  const p = (text: string | null) => symbolPrice(symbol, text);
  const change = quote.previousClose === null ? '' : `  ${percentChange(quote.previousClose, quote.mark)} today`;
  const size = (text: string | null) => (text === null ? '' : ` × ${compact(text)}`);
  const spread = quote.bid !== null && quote.ask !== null ? `  spread ${p((Number(quote.ask) - Number(quote.bid)).toFixed(6))}` : '';
  const crossed = quote.crossed ? '  CROSSED: nothing fills until a sane quote' : '';
  return `last ${p(quote.last ?? quote.mark)}${change}  bid ${p(quote.bid)}${size(quote.bidSize)}  ask ${p(quote.ask)}${size(quote.askSize)}${spread}  vol ${compact(quote.volume)}${crossed}`;
}

/** "10 @ 185.00  value $1,901.20  unrealized +$51.20  realized +$0.00  held by you" or "none". */
export function positionLine(symbol: string, position: PositionView | undefined): string {
  if (!position) return 'none';
  return `${position.qty} @ ${symbolPrice(symbol, position.avgPrice)}  value ${usd(position.marketValue)}  unrealized ${signedUsd(position.unrealizedPnl)}  realized ${signedUsd(position.realizedPnl)}  held by ${heldByText(position)}`;
}

/** "o-2 sell 10 limit 235.00 day accepted (bracket)". */
export const orderLine = (symbol: string, order: OrderView): string =>
  `${order.id} ${order.side} ${order.qty} ${orderTerms(order, (text) => symbolPrice(symbol, text))} ${order.timeInForce} ${order.status.replace('_', ' ')}${order.orderClass === 'simple' ? '' : ` (${order.orderClass})`}`;

export const fillLine = (symbol: string, fill: FillView): string => `${clockTime(fill.time)} ${fill.side} ${fill.qty} @ ${symbolPrice(symbol, fill.price)}${fill.side === 'sell' ? ` realized ${signedUsd(fill.realizedPnl)}` : ''}`;

export const alertsLine = (alerts: readonly AlertView[]): string => (alerts.length === 0 ? 'none: A sets one' : alerts.map((alert) => describeAlert(alert).replace(`${alert.symbol} `, '')).join(' · '));

/**
 * The ticket the symbol view opens: a limit at the price the side trades at (a buy at the ask, a
 * sell at the bid), for the qty that closes the position when one is held against the side (a
 * sell of a long, a buy of a short), else the quick-order qty.
 */
export function prefilledTicket(side: Side, quote: QuoteView | undefined, position: PositionView | undefined, quickQty: string): Partial<TicketFields> {
  const held = position ? Number(position.qty) : 0;
  const closes = (side === 'sell' && held > 0) || (side === 'buy' && held < 0);
  const qty = closes ? position!.qty.replace(/^-/, '') : quickQty;
  const price = side === 'buy' ? quote?.ask : quote?.bid;
  return price ? { qty, type: 'limit', limitPrice: price } : { qty };
}
