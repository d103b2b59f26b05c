// `opg` and `cls`: a stock order that trades in the opening or the closing auction, at the
// exchange's official opening or closing print (Polygon's trade conditions 16, Market Center
// Official Open, and 15, Market Center Official Close), or not at all. As at Alpaca, an opg order
// is taken from 19:00 to 9:28 New York time and a cls order from 19:00 to 15:50, each for the next
// auction; one the auction does not fill is canceled, saying why.
import { newYorkWallTime, nextWallTime } from '../market/trading-day.ts';
import { isRegularSession } from '../market/market-hours.ts';
import type { Trade } from '../market/types.ts';
import type { Order, TimeInForce } from './order.ts';

export type AuctionTif = 'opg' | 'cls';

/** The sale condition of the official print each auction ends in. */
const OFFICIAL_PRINT: Record<AuctionTif, number> = { opg: 16, cls: 15 };
/** How long after the open (close) an auction order waits for its official print: a delayed plan's prints come 15 minutes late. */
const GRACE_MINUTES = 30;

export const isAuctionTif = (tif: TimeInForce): tif is AuctionTif => tif === 'opg' || tif === 'cls';
export const isAuctionOrder = (order: Pick<Order, 'timeInForce'>): boolean => isAuctionTif(order.timeInForce);

/** Which auction a print is the official result of, if any. */
export function auctionOf(trade: Trade): AuctionTif | undefined {
  const conditions = trade.eligibility?.conditions;
  if (!conditions) return undefined;
  if (conditions.includes(OFFICIAL_PRINT.opg)) return 'opg';
  if (conditions.includes(OFFICIAL_PRINT.cls)) return 'cls';
  return undefined;
}

/** New York minutes of the day. */
const minuteOf = (now: number): number => {
  const midnight = newYorkWallTime(now, 0, 0);
  return Math.floor((now - midnight) / 60_000);
};

/** Why an auction order placed at `now` is refused (outside Alpaca's windows), or undefined. */
export function auctionWindowProblem(tif: AuctionTif, now: number): string | undefined {
  const minute = minuteOf(now);
  if (tif === 'opg' && minute >= 9 * 60 + 28 && minute < 19 * 60) {
    return 'opg orders are taken from 19:00 to 9:28 New York time, for the next opening auction; use a day order now';
  }
  if (tif === 'cls' && minute >= 15 * 60 + 50 && minute < 19 * 60) {
    return 'cls orders are taken from 19:00 to 15:50 New York time, for the next closing auction; use a day order now';
  }
  return undefined;
}

/** The auction an order placed at `createdAt` trades in: the next open (close) after it. */
export function auctionTime(tif: AuctionTif, createdAt: number): number {
  const weekday = (ms: number): boolean => isRegularSession(ms - (tif === 'cls' ? 60_000 : 0));
  const at = tif === 'opg' ? nextWallTime(createdAt, 9, 30, weekday, 8) : nextWallTime(createdAt, 16, 0, weekday, 8);
  return at ?? createdAt;
}

/** When an auction order gives up on its official print: its auction, plus a grace. */
export const auctionDeadline = (tif: AuctionTif, createdAt: number): number => auctionTime(tif, createdAt) + GRACE_MINUTES * 60_000;

/** Whether a print is the result of the auction this order waits for (not an earlier day's). */
export const isItsAuction = (order: Pick<Order, 'createdAt'>, tif: AuctionTif, print: Trade): boolean => print.time >= auctionTime(tif, order.createdAt) - 60_000;

/** What a missing print cancels an auction order with. */
export const noAuctionPrint = (tif: AuctionTif, symbol: string): string =>
  `${tif}: no official ${tif === 'opg' ? 'opening' : 'closing'} print for ${symbol} came (the auction did not happen, or the feed has none); the order was canceled`;
