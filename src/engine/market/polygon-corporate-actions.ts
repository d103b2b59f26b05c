// Polygon's reference splits and dividends (/v3/reference/splits, /v3/reference/dividends; the
// shapes are client-js 8.2's ListStockSplits200Response and ListDividends200Response), as the
// announced actions the engine meets. Ratios may be decimals (a 1.5-for-1 split): they become
// whole numbers by the same scale, reduced.
import { z } from 'zod';
import { fromNumber, PRICE_DECIMALS } from '../money.ts';
import type { DividendEvent, SplitEvent } from '../portfolio/corporate-actions.ts';
import { parsePolygon } from './polygon-schema.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

const splitsSchema = z.object({
  results: z
    .array(z.object({ id: z.string(), ticker: z.string(), execution_date: z.string().regex(DATE), split_from: z.number().positive(), split_to: z.number().positive() }))
    .nullish(),
});

const dividendsSchema = z.object({
  results: z
    .array(
      z.object({
        id: z.string(),
        ticker: z.string(),
        cash_amount: z.number().nonnegative(),
        currency: z.string().optional(),
        ex_dividend_date: z.string().regex(DATE),
        pay_date: z.string().regex(DATE).optional(),
      }),
    )
    .nullish(),
});

const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));

export function splitsFrom(symbol: string, body: unknown): SplitEvent[] {
  return (parsePolygon(splitsSchema, body, 'splits').results ?? [])
    .filter((split) => split.ticker === symbol)
    .map((split) => {
      const from = fromNumber(split.split_from, PRICE_DECIMALS);
      const to = fromNumber(split.split_to, PRICE_DECIMALS);
      const divisor = gcd(from, to);
      return { id: split.id, symbol, date: split.execution_date, from: from / divisor, to: to / divisor };
    })
    .filter((split) => split.from > 0n && split.to > 0n && split.from !== split.to);
}

/** Cash dividends in US dollars with a pay date (one without is not paid yet: it comes again once it has one). */
export function dividendsFrom(symbol: string, body: unknown): DividendEvent[] {
  return (parsePolygon(dividendsSchema, body, 'dividends').results ?? []).flatMap((dividend) =>
    dividend.ticker === symbol && dividend.pay_date !== undefined && (dividend.currency ?? 'USD') === 'USD' && dividend.cash_amount > 0
      ? [{ id: dividend.id, symbol, exDate: dividend.ex_dividend_date, payDate: dividend.pay_date, perShare: fromNumber(dividend.cash_amount, PRICE_DECIMALS) }]
      : [],
  );
}
