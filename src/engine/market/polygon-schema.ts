import { STOCK_ROUND_LOT } from './polygon-events.ts';
import { z } from 'zod';
import { fromNumber, PRICE_DECIMALS, QTY_DECIMALS } from '../money.ts';
import { stockPrintEligibility } from './trade-conditions.ts';
import type { Bar, Quote, Trade } from './types.ts';

// zod schemas for the Polygon REST payloads paper-trader reads (PROTOCOL.md §3), and converters to
// engine types. REST is not a hot path, so zod's clear errors are worth its cost here.

/** How a REST call failed: the kind decides what the app does (stop, fall back, retry); the message is one line. */
export type PolygonErrorKind = 'auth' | 'plan' | 'not_found' | 'rate_limited' | 'bad_request' | 'network' | 'server';

export class PolygonError extends Error {
  override readonly name = 'PolygonError';
  constructor(
    /** HTTP status; 0 when no reply arrived (network). */
    readonly status: number,
    readonly kind: PolygonErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** A 200 body that does not look like what Polygon documents. The message is one line. */
export class PolygonDataError extends Error {
  override readonly name = 'PolygonDataError';
}

const num = z.number();

export const aggSchema = z.object({
  o: num,
  h: num,
  l: num,
  c: num,
  v: num,
  vw: num.optional(),
  t: num,
  n: num.optional(),
});

/** Aggregates and previous close share one envelope; `results` is absent or null on a quiet range. */
export const aggsSchema = z.object({
  ticker: z.string().optional(),
  resultsCount: num.optional(),
  results: z.array(aggSchema).nullish(),
  next_url: z.string().optional(),
});


export const lastTradeSchema = z.object({
  results: z.object({
    T: z.string().optional(),
    p: num,
    s: num,
    t: num,
    x: num.optional(),
    c: z.array(z.number().int().nonnegative()).nullish(),
  }),
});

export const lastNbboSchema = z.object({
  results: z.object({
    T: z.string().optional(),
    p: num,
    s: num,
    P: num,
    S: num,
    t: num,
  }),
});

export const tickerDetailsSchema = z.object({
  results: z.object({
    ticker: z.string(),
    name: z.string().optional(),
    market: z.string().optional(),
    active: z.boolean().optional(),
    currency_name: z.string().optional(),
  }),
});

export const marketStatusSchema = z.object({
  market: z.enum(['open', 'closed', 'extended-hours']),
  serverTime: z.string(),
  earlyHours: z.boolean().optional(),
  afterHours: z.boolean().optional(),
  currencies: z.object({ fx: z.string().optional(), crypto: z.string().optional() }).optional(),
});

export type TickerDetails = z.infer<typeof tickerDetailsSchema>['results'];
export interface PolygonMarketStatus {
  /** The US stock market's regular session; 'extended-hours' is pre- or after-market. */
  readonly market: 'open' | 'closed' | 'extended-hours';
  readonly serverTime: string;
  /** Absent when Polygon did not say. */
  readonly fx?: boolean;
  readonly crypto?: boolean;
}

export const NS_PER_MS = 1e6;

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  if (issue.code === 'invalid_type') {
    if (/received undefined/.test(issue.message)) return `${path} is missing`;
    const expected = issue.expected === 'object' || issue.expected === 'array' ? `an ${issue.expected}` : `a ${issue.expected}`;
    return `${path} must be ${expected}`;
  }
  if (issue.code === 'invalid_value') return `${path} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return `${path}: ${issue.message}`;
}

/** Validates `body` or throws a PolygonDataError naming the payload, the symbol and the first bad field. */
export function parsePolygon<S extends z.ZodType>(schema: S, body: unknown, what: string, symbol?: string): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw unexpectedPayload(what, symbol, first ? describeIssue(first) : 'invalid body');
}

/** The one line for a payload that is not what Polygon documents. */
export const unexpectedPayload = (what: string, symbol: string | undefined, detail: string): PolygonDataError =>
  new PolygonDataError(`Polygon sent an unexpected ${what}${symbol ? ` for ${symbol}` : ''}: ${detail}`);

export const price = (value: number): bigint => fromNumber(value, PRICE_DECIMALS);
export const qty = (value: number): bigint => fromNumber(value, QTY_DECIMALS);

/** Aggregates → bars covering [t, t + spanMs), delivered at their end. Order as received. */
/** Aggregates → bars; `endOf` gives a bar's end (and delivery time) from its start. */
export function barsFromAggs(symbol: string, body: unknown, endOf: (start: number) => number): Bar[] {
  const parsed = parsePolygon(aggsSchema, body, 'aggregates response', symbol);
  return (parsed.results ?? []).map((a) => ({
    kind: 'bar',
    symbol,
    open: price(a.o),
    high: price(a.h),
    low: price(a.l),
    close: price(a.c),
    volume: qty(a.v),
    start: a.t,
    end: endOf(a.t),
    time: endOf(a.t),
  }));
}

/** Last NBBO (v2) → Quote. Sizes are round lots (×100 shares); ns timestamps → ms. */
export function quoteFromNbbo(symbol: string, body: unknown): Quote {
  const { results: r } = parsePolygon(lastNbboSchema, body, 'last NBBO', symbol);
  return {
    kind: 'quote',
    symbol,
    bid: price(r.p),
    ask: price(r.P),
    bidSize: qty(r.s * STOCK_ROUND_LOT),
    askSize: qty(r.S * STOCK_ROUND_LOT),
    time: Math.floor(r.t / NS_PER_MS),
  };
}

/** Last trade (v2) → Trade, with what its sale conditions let it update. Size is in shares; ns timestamp → ms. */
export function tradeFromLast(symbol: string, body: unknown): Trade {
  const { results: r } = parsePolygon(lastTradeSchema, body, 'last trade', symbol);
  const trade: Trade = { kind: 'trade', symbol, price: price(r.p), size: qty(r.s), time: Math.floor(r.t / NS_PER_MS) };
  return r.c && r.c.length > 0 ? { ...trade, eligibility: stockPrintEligibility(r.c) } : trade;
}

export function tickerDetailsFrom(symbol: string, body: unknown): TickerDetails {
  return parsePolygon(tickerDetailsSchema, body, 'ticker details', symbol).results;
}

export function marketStatusFrom(body: unknown): PolygonMarketStatus {
  const parsed = parsePolygon(marketStatusSchema, body, 'market status');
  const open = (state: string | undefined): boolean | undefined => (state === undefined ? undefined : state === 'open');
  const fx = open(parsed.currencies?.fx);
  const crypto = open(parsed.currencies?.crypto);
  return {
    market: parsed.market,
    serverTime: parsed.serverTime,
    ...(fx === undefined ? {} : { fx }),
    ...(crypto === undefined ? {} : { crypto }),
  };
}

/** Upcoming market status (docs/polygon-plans.md §6): a bare array; open and close only on early-close days. */
const upcomingSchema = z.array(
  z.object({ exchange: z.string(), name: z.string(), date: z.string(), status: z.string(), open: z.string().optional(), close: z.string().optional() }),
);

/** The stock exchanges' holidays and early closes by New York date, from NYSE's and Nasdaq's entries. */
export function holidaysFrom(body: unknown): Map<string, { name: string; closed: boolean; closesAt?: number }> {
  const days = new Map<string, { name: string; closed: boolean; closesAt?: number }>();
  for (const entry of parsePolygon(upcomingSchema, body, 'upcoming market status')) {
    if (entry.exchange !== 'NYSE' && entry.exchange !== 'NASDAQ') continue;
    const close = entry.close === undefined ? NaN : Date.parse(entry.close);
    if (entry.status === 'closed') days.set(entry.date, { name: entry.name, closed: true });
    else if (entry.status === 'early-close' && Number.isFinite(close)) days.set(entry.date, { name: entry.name, closed: false, closesAt: close });
  }
  return days;
}

