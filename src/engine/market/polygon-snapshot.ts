import { z } from 'zod';
import type { Price } from '../money.ts';
import { FOREX_QUOTE_SIZE, STOCK_ROUND_LOT } from './polygon-events.ts';
import { NS_PER_MS, parsePolygon, price, qty } from './polygon-schema.ts';
import { assetClassOf } from './symbols.ts';
import { stockPrintEligibility } from './trade-conditions.ts';
import type { Quote, Trade } from './types.ts';

// A ticker's snapshot (PROTOCOL.md §3.5): what seeds a symbol at start, on every plan that has
// snapshots. Stocks give a last trade from Stocks Developer up and a last quote on Advanced only;
// crypto a last trade; forex a last quote; all of them the previous day's close.

const num = z.number();
const snapshotSchema = z.object({
  status: z.string().optional(),
  ticker: z.object({
    prevDay: z.object({ c: num }).partial().optional(),
    lastTrade: z.object({ p: num, s: num, t: num, c: z.array(z.number().int().nonnegative()).nullish() }).nullish(),
    lastQuote: z.object({ p: num.optional(), P: num.optional(), s: num.optional(), S: num.optional(), a: num.optional(), b: num.optional(), t: num }).nullish(),
  }),
});

export interface SymbolSnapshot {
  quote?: Quote;
  trade?: Trade;
  /** The previous session's close, for the day's change. */
  previousClose?: Price;
  /** Polygon marks a delayed plan's body "DELAYED" (docs/polygon-plans.md §1.3). */
  delayed: boolean;
}

/** Stock snapshot times are ns; crypto and forex ms (PROTOCOL.md §3.5). */
const msOf = (symbol: string, t: number): number => (assetClassOf(symbol) === 'stock' ? Math.floor(t / NS_PER_MS) : t);

export function snapshotFrom(symbol: string, body: unknown): SymbolSnapshot {
  const parsed = parsePolygon(snapshotSchema, body, 'snapshot', symbol);
  const { prevDay, lastTrade, lastQuote } = parsed.ticker;
  const out: SymbolSnapshot = { delayed: parsed.status === 'DELAYED' };
  if (prevDay?.c) out.previousClose = price(prevDay.c);
  if (lastTrade && lastTrade.p > 0) {
    const trade: Trade = { kind: 'trade', symbol, price: price(lastTrade.p), size: qty(lastTrade.s), time: msOf(symbol, lastTrade.t) };
    out.trade = lastTrade.c && lastTrade.c.length > 0 && assetClassOf(symbol) === 'stock' ? { ...trade, eligibility: stockPrintEligibility(lastTrade.c) } : trade;
  }
  if (lastQuote) {
    const forex = assetClassOf(symbol) === 'forex';
    const bid = forex ? lastQuote.b : lastQuote.p;
    const ask = forex ? lastQuote.a : lastQuote.P;
    if (bid !== undefined && ask !== undefined) {
      // Stock sizes are round lots, as in the last NBBO; forex has none (polygon-events' FOREX_QUOTE_SIZE).
      const size = (lots: number | undefined) => (forex ? FOREX_QUOTE_SIZE : qty((lots ?? 0) * STOCK_ROUND_LOT));
      out.quote = { kind: 'quote', symbol, bid: price(bid), ask: price(ask), bidSize: size(lastQuote.s), askSize: size(lastQuote.S), time: msOf(symbol, lastQuote.t) };
    }
  }
  return out;
}
