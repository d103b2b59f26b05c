import { fromNumber, PRICE_DECIMALS, QTY_DECIMALS, QTY_SCALE } from '../money.ts';
import type { Price, Qty } from '../money.ts';
import { symbolFromPair } from './symbols.ts';
import { stockPrintEligibility } from './trade-conditions.ts';
import type { Bar, MarketEvent, PrintEligibility, Quote, Trade } from './types.ts';

// Parses Polygon WebSocket events (PROTOCOL.md §5.3). Hand-written checks, not zod: this sits on the
// live stream's hot path (measured: 6.4M Q/s here, zod 0.7M/s) and must never throw on bad input.

export type ParsedEvent =
  | { kind: 'event'; event: MarketEvent }
  | { kind: 'status'; status: string; message: string }
  | { kind: 'skip'; reason: string }
  | { kind: 'invalid'; error: string };

/** Polygon forex quotes carry no size: 10,000,000 units (an interbank-sized tier) so paper orders fill at the quote. */
export const FOREX_QUOTE_SIZE: Qty = 10_000_000n * QTY_SCALE;

/** Polygon stock quote sizes are round lots: "a bid size of 2 means 200 shares". */
export const STOCK_ROUND_LOT = 100;

const MINUTE_MS = 60_000;
const SECOND_MS = 1_000;

type Fields = Record<string, unknown>;

// Thrown only inside this module and caught in parsePolygonEvent: keeps the field readers one-liners.
class FieldError {
  constructor(readonly message: string) {}
}

export function parsePolygonEvent(raw: unknown): ParsedEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { kind: 'invalid', error: `event must be a JSON object, got ${describe(raw)}` };
  }
  const fields = raw as Fields;
  let ev: unknown;
  try {
    ev = fields['ev'];
    switch (ev) {
      case 'Q': return { kind: 'event', event: quote(fields, 'Q', stockSymbol(fields, 'Q'), ['bp', 'ap'], ['bs', 'as'], STOCK_LOT) };
      case 'T': return { kind: 'event', event: stockTrade(fields) };
      case 'XQ': return { kind: 'event', event: quote(fields, 'XQ', pairSymbol(fields, 'XQ', 'pair', 'crypto'), ['bp', 'ap'], ['bs', 'as']) };
      case 'XT': return { kind: 'event', event: trade(fields, 'XT', pairSymbol(fields, 'XT', 'pair', 'crypto')) };
      case 'C': return { kind: 'event', event: quote(fields, 'C', pairSymbol(fields, 'C', 'p', 'forex'), ['b', 'a'], FOREX_QUOTE_SIZE) };
      case 'AM': return { kind: 'event', event: bar(fields, 'AM', stockSymbol(fields, 'AM'), MINUTE_MS) };
      case 'A': return { kind: 'event', event: bar(fields, 'A', stockSymbol(fields, 'A'), SECOND_MS) };
      case 'XA': return { kind: 'event', event: bar(fields, 'XA', pairSymbol(fields, 'XA', 'pair', 'crypto'), MINUTE_MS) };
      case 'CA': return { kind: 'event', event: bar(fields, 'CA', pairSymbol(fields, 'CA', 'pair', 'forex'), MINUTE_MS) };
      case 'status': return statusEvent(fields);
      case undefined: return { kind: 'invalid', error: 'event has no "ev" field' };
      default:
        if (typeof ev !== 'string') return { kind: 'invalid', error: `event "ev" must be a string, got ${describe(ev)}` };
        return { kind: 'skip', reason: `unknown event type "${truncate(ev)}"` };
    }
  } catch (error) {
    if (error instanceof FieldError) return { kind: 'invalid', error: error.message };
    return { kind: 'invalid', error: `${typeof ev === 'string' ? ev : 'malformed'} event: ${describeError(error)}` };
  }
}

const STOCK_LOT = BigInt(STOCK_ROUND_LOT);

/**
 * A quote from the event's bid/ask keys; sizes from its size keys (times a lot), or one fixed size.
 * A side Polygon leaves out or sends as 0 has no price (a one-sided market); crossed and locked
 * quotes are real market states. quote-rules.ts says what each does.
 */
function quote(fields: Fields, ev: string, symbol: string, [bidKey, askKey]: readonly [string, string], sizes: readonly [string, string] | Qty, lot = 1n): Quote {
  const bid = sidePrice(fields, ev, bidKey);
  const ask = sidePrice(fields, ev, askKey);
  const fixed = typeof sizes === 'bigint';
  const bidSize = fixed ? sizes : sideSize(fields, ev, sizes[0]) * lot;
  const askSize = fixed ? sizes : sideSize(fields, ev, sizes[1]) * lot;
  return { kind: 'quote', symbol, bid, ask, bidSize, askSize, time: time(fields, ev, 't') };
}

/** A stock print carries its sale conditions ("c", omitted when none); they decide what it may update. */
function stockTrade(fields: Fields): Trade {
  const symbol = stockSymbol(fields, 'T');
  const codes = fields['c'];
  if (codes === undefined || codes === null) return trade(fields, 'T', symbol);
  if (!Array.isArray(codes)) throw new FieldError(missingOr('T', 'c', codes, 'a list of condition ids'));
  for (const code of codes) {
    if (!Number.isSafeInteger(code) || code < 0) throw new FieldError(missingOr('T', 'c', codes, 'a list of condition ids'));
  }
  return trade(fields, 'T', symbol, stockPrintEligibility(codes as number[]));
}

function trade(fields: Fields, ev: string, symbol: string, eligibility?: PrintEligibility): Trade {
  const p = price(fields, ev, 'p');
  const size = qty(fields, ev, 's');
  const t = time(fields, ev, 't');
  return eligibility ? { kind: 'trade', symbol, price: p, size, time: t, eligibility } : { kind: 'trade', symbol, price: p, size, time: t };
}

function bar(fields: Fields, ev: string, symbol: string, durationMs: number): Bar {
  const open = price(fields, ev, 'o');
  const high = price(fields, ev, 'h');
  const low = price(fields, ev, 'l');
  const close = price(fields, ev, 'c');
  if (high < low) throw new FieldError(`${ev} event: "h" ${describe(fields['h'])} is below "l" ${describe(fields['l'])}`);
  const volume = qty(fields, ev, 'v');
  const start = time(fields, ev, 's');
  // The spec's CA example omits "e"; every bar type has a fixed length, so the end is implied.
  const end = fields['e'] === undefined ? start + durationMs : time(fields, ev, 'e');
  if (end <= start) throw new FieldError(`${ev} event: "e" ${end} must be after "s" ${start}`);
  return { kind: 'bar', symbol, open, high, low, close, volume, start, end, time: end };
}

function statusEvent(fields: Fields): ParsedEvent {
  const status = fields['status'];
  const message = fields['message'];
  if (typeof status !== 'string') {
    return { kind: 'invalid', error: `status event: "status" must be a string, got ${describe(status)}` };
  }
  return { kind: 'status', status, message: typeof message === 'string' ? message : '' };
}

function stockSymbol(fields: Fields, ev: string): string {
  const sym = fields['sym'];
  if (typeof sym === 'string' && sym.length > 0) return sym;
  throw new FieldError(missingOr(ev, 'sym', sym, 'a non-empty ticker'));
}

// WebSocket pairs (BTC-USD, EUR/USD) → REST tickers; cached because a stream repeats a few pairs endlessly.
const pairCache = new Map<string, string>();
const PAIR_CACHE_LIMIT = 10_000;
const PAIR_SHAPE = { crypto: /^[A-Za-z0-9]{1,12}-[A-Za-z0-9]{1,12}$/, forex: /^[A-Za-z]{3}\/[A-Za-z]{3}$/ } as const;
const PAIR_EXAMPLE = { crypto: 'BTC-USD', forex: 'EUR/USD' } as const;

function pairSymbol(fields: Fields, ev: string, key: string, assetClass: 'crypto' | 'forex'): string {
  const pair = fields[key];
  if (typeof pair === 'string') {
    const cacheKey = assetClass === 'crypto' ? pair : `/${pair}`;
    const cached = pairCache.get(cacheKey);
    if (cached !== undefined) return cached;
    if (PAIR_SHAPE[assetClass].test(pair)) {
      const symbol = symbolFromPair(pair, assetClass);
      if (pairCache.size >= PAIR_CACHE_LIMIT) pairCache.clear();
      pairCache.set(cacheKey, symbol);
      return symbol;
    }
  }
  throw new FieldError(missingOr(ev, key, pair, `a pair like ${PAIR_EXAMPLE[assetClass]}`));
}

function price(fields: Fields, ev: string, key: string): Price {
  const value = fields[key];
  if (typeof value === 'number' && value > 0 && value < Number.POSITIVE_INFINITY) return fromNumber(value, PRICE_DECIMALS);
  throw new FieldError(missingOr(ev, key, value, 'a positive number'));
}

function qty(fields: Fields, ev: string, key: string): Qty {
  const value = fields[key];
  if (typeof value === 'number' && value >= 0 && value < Number.POSITIVE_INFINITY) return fromNumber(value, QTY_DECIMALS);
  throw new FieldError(missingOr(ev, key, value, 'a number >= 0'));
}

/** A quote side's price: 0 when Polygon leaves it out or sends 0 (no bid, or no offer). */
function sidePrice(fields: Fields, ev: string, key: string): Price {
  const value = fields[key];
  if (value === undefined || value === 0) return 0n;
  return price(fields, ev, key);
}

/** A quote side's size: 0 when left out. */
function sideSize(fields: Fields, ev: string, key: string): Qty {
  return fields[key] === undefined ? 0n : qty(fields, ev, key);
}

function time(fields: Fields, ev: string, key: string): number {
  const value = fields[key];
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new FieldError(missingOr(ev, key, value, 'a Unix ms timestamp'));
}

function missingOr(ev: string, key: string, value: unknown, expected: string): string {
  if (value === undefined) return `${ev} event: "${key}" is missing (expected ${expected})`;
  return `${ev} event: "${key}" must be ${expected}, got ${describe(value)}`;
}

// Even String(error) can throw (a Proxy or an object without toString), so nothing here may be trusted.
function describeError(error: unknown): string {
  return error instanceof Error ? truncate(error.message) : 'unreadable field';
}

/** A value as it appears in an error message: short and on one line. */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string': return JSON.stringify(truncate(value));
    case 'number': case 'boolean': case 'bigint': return String(value);
    case 'undefined': return 'nothing';
    case 'object': return value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object';
    default: return `a ${typeof value}`;
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
