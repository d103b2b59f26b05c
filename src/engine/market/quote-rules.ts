import { divRound, type Price } from '../money.ts';
import type { Quote, Trade } from './types.ts';

// What an odd quote does. Every quote replaces the one before it, whatever its shape: the market
// moved on, and a good quote from minutes ago is not the market any more. Then:
//   two-sided (bid < ask)  marks at the mid; buys fill at the ask, sells at the bid.
//   locked (bid = ask)     a real market state: marks at that price, both sides fill.
//   one-sided (a side 0)   marks at the side shown; only that side fills or triggers stops.
//   crossed (bid > ask)    no side is a price anyone could trade at: no mark (the last one
//                          stays), no fills, no stop triggers, until a sane quote arrives.
//   a side of size 0       its price still marks and triggers; it fills nothing.

export const isCrossed = (quote: Quote): boolean => quote.bid > 0n && quote.ask > 0n && quote.bid > quote.ask;

/** The ask a buy could trade at now, or undefined (no ask, or the quote is crossed). */
export const tradableAsk = (quote: Quote): Price | undefined => (quote.ask > 0n && !isCrossed(quote) ? quote.ask : undefined);

/** The bid a sell could trade at now, or undefined (no bid, or the quote is crossed). */
export const tradableBid = (quote: Quote): Price | undefined => (quote.bid > 0n && !isCrossed(quote) ? quote.bid : undefined);

/** The price an order on `side` could trade at now: the ask for a buy, the bid for a sell. */
export const tradablePrice = (quote: Quote, side: 'buy' | 'sell'): Price | undefined => (side === 'buy' ? tradableAsk(quote) : tradableBid(quote));

/** Where a quote marks positions: its mid, the one side shown, or nothing (crossed or empty). */
export function quoteMark(quote: Quote): Price | undefined {
  if (isCrossed(quote)) return undefined;
  if (quote.bid > 0n && quote.ask > 0n) return divRound(quote.bid + quote.ask, 2n);
  if (quote.bid > 0n) return quote.bid;
  return quote.ask > 0n ? quote.ask : undefined;
}

/** Whether a print may move the last price (its sale conditions allow it); only such prints mark, trigger or fill. */
export const updatesLast = (trade: Trade): boolean => trade.eligibility?.last ?? true;
