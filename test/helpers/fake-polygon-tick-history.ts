// Trades and quotes for any past day, as Polygon keeps them behind /v3/trades and /v3/quotes: what a
// backtest on ticks downloads. Made from the fake's own minute bars, the way Polygon makes its bars
// from trades: each minute prints four trades along the bar's path (a rising bar open, low, high,
// close; a falling one open, high, low, close), so the aggregates of the trades are the bar. Each
// print comes just after a quote it trades against: at the ask on the way up, at the bid on the way
// down. Fields and units as Polygon's OpenAPI spec gives them (massive-com/client-js v8.2.0
// src/openapi.json; the recorded mocks of polygon-io/client-python test_rest/mocks/v3):
// - stock trades: conditions, exchange, id, participant_timestamp, price, sequence_number, sip_timestamp, size, tape
// - stock quotes: ask_exchange, ask_price, ask_size, bid_exchange, bid_price, bid_size, participant_timestamp,
//   sequence_number, sip_timestamp, tape (sizes in round lots, as v8.2's spec says)
// - crypto trades: conditions, exchange, id, participant_timestamp, price, size (no SIP time, no sequence)
// - forex quotes: ask_exchange, ask_price, bid_exchange, bid_price, participant_timestamp (no sizes)
// Times are Unix nanoseconds, past 2^53: bigints here, written as JSON integers by the server.
import { newYorkWallTime } from '../../src/engine/market/trading-day.ts';
import { syntheticMinuteBars } from './fake-polygon-history.ts';

export type TickKind = 'trades' | 'quotes';
/** A v3 result row; its times are bigints (ns). */
export type TickRow = Record<string, number | bigint | string | number[]>;

const MS = 1_000_000n;
const FORM_T = 12;
/** Crypto trade conditions: 1 a sell-side and 2 a buy-side taker (/v3/reference/conditions?asset_class=crypto). */
const CRYPTO_SELL = 1;
const CRYPTO_BUY = 2;

/** Whether the ticker has this kind of history at Polygon: stocks both, crypto trades only, forex quotes only. */
export function keepsTicks(ticker: string, kind: TickKind): boolean {
  if (ticker.startsWith('X:')) return kind === 'trades';
  if (ticker.startsWith('C:')) return kind === 'quotes';
  return true;
}

/** A number in [0, 1) from a minute and a slot: the same every time. */
function noise(minute: number, slot: number): number {
  let h = Math.imul(minute ^ 0x27d4eb2d, 0x9e3779b1) ^ Math.imul(slot + 1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return ((h ^ (h >>> 13)) >>> 0) / 4_294_967_296;
}

/** The minute's four prints: the bar's path, a size for each (their sum the bar's volume), buying or selling. */
function prints(bar: Record<string, number>, decimals: number): { price: number; size: number; up: boolean }[] {
  const { o, h, l, c, v } = bar as Record<'o' | 'h' | 'l' | 'c' | 'v', number>;
  const rising = c >= o;
  const path = rising ? [o, l, h, c] : [o, h, l, c];
  // Stocks print round lots or more (an odd lot would not set the bar's prices); crypto any fraction.
  const share = decimals === 2 ? Math.max(100, Math.floor(v / 4)) : v / 4;
  const sizes = [share, share, share, Math.max(decimals === 2 ? 100 : 0, v - 3 * share)];
  return path.map((price, i) => ({ price, size: Number(sizes[i]!.toFixed(decimals === 2 ? 0 : 8)), up: i === 0 ? rising : price >= path[i - 1]! }));
}

/**
 * The rows of [fromNs, toNs) in time order, sequence numbers from the day's first minute. Built
 * from the minute bars of the New York day(s) around the range, so a row is the same whichever
 * request asks for it.
 */
export function syntheticTicks(ticker: string, kind: TickKind, fromNs: bigint, toNs: bigint): TickRow[] {
  const fromMs = Number(fromNs / MS);
  const toMs = Number(toNs / MS);
  const dayStart = newYorkWallTime(fromMs, 0, 0);
  const crypto = ticker.startsWith('X:');
  const forex = ticker.startsWith('C:');
  const decimals = forex ? 5 : 2;
  const tick = forex ? 0.00002 : 0.01;
  const rows: TickRow[] = [];
  let sequence = 0;
  let day = dayStart;
  for (const bar of syntheticMinuteBars(ticker, dayStart, toMs)) {
    const t = bar['t']!;
    if (t >= newYorkWallTime(day, 1, 0)) {
      day = newYorkWallTime(t, 0, 0);
      sequence = 0;
    }
    const regular = t >= newYorkWallTime(t, 0, 9, 30) && t < newYorkWallTime(t, 0, 16);
    const minute = t / 60_000;
    prints(bar, crypto ? 8 : decimals).forEach((print, slot) => {
      // The print's time: somewhere in its quarter of the minute; its quote a few milliseconds before.
      const at = BigInt(t) * MS + BigInt(Math.floor((slot * 15 + 1 + noise(minute, slot) * 13) * 1e9));
      const quotedAt = at - BigInt(1 + Math.floor(noise(minute, slot + 4) * 5e6));
      const price = Number(print.price.toFixed(decimals));
      const other = Number((print.up ? price - tick : price + tick).toFixed(decimals));
      const [bid, ask] = print.up ? [other, price] : [price, other];
      if (kind === 'quotes' && !crypto && quotedAt >= fromNs && quotedAt < toNs) {
        if (forex) rows.push({ ask_exchange: 48, ask_price: ask, bid_exchange: 48, bid_price: bid, participant_timestamp: quotedAt });
        else {
          const lots = (n: number): number => 1 + Math.floor(noise(minute, slot + n) * 9);
          rows.push({
            ask_exchange: 11, ask_price: ask, ask_size: lots(8), bid_exchange: 12, bid_price: bid, bid_size: lots(12),
            participant_timestamp: quotedAt - 150_000n, sequence_number: ++sequence, sip_timestamp: quotedAt, tape: 3,
          });
        }
      } else if (kind === 'quotes' && !crypto) sequence++;
      const id = `${Math.floor(minute)}${slot}`;
      if (kind === 'trades' && !forex && at >= fromNs && at < toNs) {
        if (crypto) rows.push({ conditions: [print.up ? CRYPTO_BUY : CRYPTO_SELL], exchange: 1, id, participant_timestamp: at, price, size: print.size });
        else {
          const row: TickRow = { exchange: 4, id, participant_timestamp: at - 200_000n, price, sequence_number: ++sequence, sip_timestamp: at, size: print.size, tape: 3 };
          // Polygon leaves `conditions` out of a regular sale; a print outside the session is Form T.
          if (!regular) row['conditions'] = [FORM_T];
          rows.push(row);
        }
      } else if (kind === 'trades' && !forex) sequence++;
    });
  }
  return rows;
}
