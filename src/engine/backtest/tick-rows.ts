import { fromNumber, PRICE_DECIMALS, type Price } from '../money.ts';
import { PolygonDataError } from '../market/polygon-schema.ts';
import type { TickKind, TickRow } from '../market/polygon-rest.ts';
import { assetClassOf } from '../market/symbols.ts';

// A page of Polygon's trades or quotes (/v3/trades, /v3/quotes) checked and turned into the columns
// the history cache stores. Fields as Polygon's OpenAPI spec gives them (client-js v8.2.0
// src/openapi.json): a stock's rows are timed by the SIP (`sip_timestamp`, the time its WebSocket
// events carry), crypto's and forex's by the venue (`participant_timestamp`, all they have). Crypto
// and forex rows have no `sequence_number`: their place in the day stands in for it.

export interface QuoteColumns {
  readonly time: bigint[];
  readonly sequence: bigint[];
  /** Micros; 0 for a side with no price (a one-sided market). */
  readonly bid: Price[];
  readonly ask: Price[];
  /** As Polygon sends them (a stock's in round lots); null where it sends none (forex). */
  readonly bidSize: (number | null)[];
  readonly askSize: (number | null)[];
  readonly bidExchange: (number | null)[];
  readonly askExchange: (number | null)[];
}

export interface TradeColumns {
  readonly time: bigint[];
  readonly sequence: bigint[];
  readonly price: Price[];
  /** Shares, or units of the base coin. */
  readonly size: number[];
  readonly exchange: (number | null)[];
  /** Sale conditions by Polygon id; none for a regular sale. */
  readonly conditions: number[][];
}

/** Checks a page of rows and makes its columns; `before`: rows of the day already stored (a stand-in sequence goes on from them). */
export function tickColumns(kind: 'quotes', symbol: string, rows: readonly TickRow[], before: number): QuoteColumns;
export function tickColumns(kind: 'trades', symbol: string, rows: readonly TickRow[], before: number): TradeColumns;
export function tickColumns(kind: TickKind, symbol: string, rows: readonly TickRow[], before: number): QuoteColumns | TradeColumns;
export function tickColumns(kind: TickKind, symbol: string, rows: readonly TickRow[], before: number): QuoteColumns | TradeColumns {
  const timeField = assetClassOf(symbol) === 'stock' ? 'sip_timestamp' : 'participant_timestamp';
  const read = new RowReader(kind, symbol);
  const time: bigint[] = [];
  const sequence: bigint[] = [];
  /** Reads the fields every row has, and makes `read` read this row's others. */
  const begin = (row: TickRow, i: number): void => {
    read.row = row;
    time.push(read.nanos(timeField));
    sequence.push(row['sequence_number'] === undefined ? BigInt(before + i + 1) : BigInt(read.count('sequence_number')));
  };
  if (kind === 'quotes') {
    const quotes: QuoteColumns = { time, sequence, bid: [], ask: [], bidSize: [], askSize: [], bidExchange: [], askExchange: [] };
    rows.forEach((row, i) => {
      begin(row, i);
      quotes.bid.push(read.sidePrice('bid_price'));
      quotes.ask.push(read.sidePrice('ask_price'));
      quotes.bidSize.push(read.optionalCount('bid_size'));
      quotes.askSize.push(read.optionalCount('ask_size'));
      quotes.bidExchange.push(read.optionalCount('bid_exchange'));
      quotes.askExchange.push(read.optionalCount('ask_exchange'));
    });
    return quotes;
  }
  const trades: TradeColumns = { time, sequence, price: [], size: [], exchange: [], conditions: [] };
  rows.forEach((row, i) => {
    begin(row, i);
    trades.price.push(read.price('price'));
    trades.size.push(read.count('size'));
    trades.exchange.push(read.optionalCount('exchange'));
    trades.conditions.push(read.conditions());
  });
  return trades;
}

/** Reads one row's fields, or throws a PolygonDataError that names the field and what it held. */
class RowReader {
  row: TickRow = {};
  constructor(
    private readonly kind: TickKind,
    private readonly symbol: string,
  ) {}

  nanos(field: string): bigint {
    const value = this.row[field];
    if (typeof value === 'string' && /^\d{1,19}$/.test(value)) return BigInt(value);
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    throw this.wrong(field, 'a nanosecond timestamp');
  }

  price(field: string): Price {
    const value = this.row[field];
    if (typeof value === 'number' && value > 0 && Number.isFinite(value)) return fromNumber(value, PRICE_DECIMALS);
    throw this.wrong(field, 'a positive price');
  }

  /** A quote side Polygon leaves out or sends as 0 has no price. */
  sidePrice(field: string): Price {
    const value = this.row[field];
    return value === undefined || value === null || value === 0 ? 0n : this.price(field);
  }

  count(field: string): number {
    const value = this.row[field];
    if (typeof value === 'number' && value >= 0 && Number.isFinite(value)) return value;
    throw this.wrong(field, 'a number >= 0');
  }

  optionalCount(field: string): number | null {
    return this.row[field] === undefined || this.row[field] === null ? null : this.count(field);
  }

  conditions(): number[] {
    const value = this.row['conditions'];
    if (value === undefined || value === null) return [];
    if (Array.isArray(value) && value.every((code) => Number.isSafeInteger(code) && (code as number) >= 0)) return value as number[];
    throw this.wrong('conditions', 'a list of condition ids');
  }

  private wrong(field: string, expected: string): PolygonDataError {
    const value = this.row[field];
    const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 40);
    return new PolygonDataError(`Polygon sent ${this.symbol}'s ${this.kind} with "${field}" ${value === undefined ? 'missing' : `= ${shown}`} (expected ${expected}): the history was not stored; try again, or report it`);
  }
}
