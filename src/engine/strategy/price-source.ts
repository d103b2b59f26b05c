import { z } from 'zod';
import { priceToNumber } from '../money.ts';
import type { Bar, Quote, Trade } from '../market/types.ts';

/** Which events feed a strategy's indicators: quote mids, trade prices, or bar closes. */
export const priceSourceParam = z.enum(['quotes', 'trades', 'bars']).default('quotes');
export type PriceSource = z.infer<typeof priceSourceParam>;

/** An indicator input (a float: signals only, never money) from the event, if it is of the chosen source. */
export function indicatorPrice(source: PriceSource, event: Quote | Trade | Bar): number | undefined {
  if (event.kind === 'quote') return source === 'quotes' ? priceToNumber(event.bid + event.ask) / 2 : undefined;
  if (event.kind === 'trade') return source === 'trades' ? priceToNumber(event.price) : undefined;
  return source === 'bars' ? priceToNumber(event.close) : undefined;
}

/**
 * The same input exactly, in half-micros (twice the price in micros), so a quote mid needs no
 * rounding: for indicators whose decisions must not hinge on float noise, like comparing two averages.
 */
export function indicatorHalfMicros(source: PriceSource, event: Quote | Trade | Bar): bigint | undefined {
  if (event.kind === 'quote') return source === 'quotes' ? event.bid + event.ask : undefined;
  if (event.kind === 'trade') return source === 'trades' ? 2n * event.price : undefined;
  return source === 'bars' ? 2n * event.close : undefined;
}

/** Share of equity one entry may use, 0 < allocation <= 1. */
export const allocationParam = (fallback: number) => z.number().gt(0).max(1).default(fallback);
