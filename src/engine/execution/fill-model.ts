import type { Price, Qty } from '../money.ts';
import { tradablePrice, updatesLast } from '../market/quote-rules.ts';
import { arrivalOf, type Bar, type MarketEvent, type Quote, type Trade } from '../market/types.ts';
import type { Order } from '../orders/order.ts';

/** Where a working order can fill now, and how much the market shows there. */
export interface FillOpportunity {
  price: Price;
  liquidity: Qty;
}

/** How a market event stands, worked out once by the executor for every order it meets. */
export interface EventContext {
  /** Older than one of its kind already seen for the symbol (delivered late), or a bar sent again. */
  readonly late: boolean;
  /** Arrived more than maxQuoteAgeMs after the feed meant it to (arrivalOf). */
  readonly stale: boolean;
  /**
   * The symbol has finer data than this event: quotes, for a trade; quotes or trades, for a bar.
   * Fills then go by the finer data, and a bar, which only summarises it, triggers nothing.
   */
  readonly finerData: boolean;
}

/** Decides when and where orders fill; the executor enforces sizes, cash and time in force. */
export interface FillModel {
  /**
   * Whether an event reaches an untriggered stop. The executor asks for every event after the
   * order was placed and, when it arrives, for the quote standing then (which is the market now).
   */
  stopTriggered(order: Order, event: MarketEvent, context: EventContext): boolean;
  /**
   * The price a trailing stop's high-water mark follows on this event, if it counts: the side the
   * stop triggers on (a sell's bid, a buy's ask), a print's price, a bar's high (for a sell) or low.
   */
  trailMark(order: Order, event: MarketEvent, context: EventContext): Price | undefined;
  /**
   * The price a working limit meets the market at on this event, if the event counts for it: the
   * quote's side, a print's price, a bar's open (its close, for the bar that triggered a
   * stop-limit). The first such meeting settles whether the limit is marketable (Order.marketable).
   */
  meetsAt(order: Order, event: MarketEvent, context: EventContext, triggering: boolean): Price | undefined;
  /** A quote meets a working order (a limit's marketable is settled first: see meetsAt). */
  onQuote(order: Order, quote: Quote): FillOpportunity | undefined;
  /**
   * For symbols without finer data (trades-only or bars-only feeds). triggering: this very print
   * triggered the order's stop.
   */
  onPrint(order: Order, print: Trade | Bar, context: EventContext, triggering: boolean): FillOpportunity | undefined;
}

/** A stop that becomes a market order when triggered: a stop, or a trailing stop. */
export const isStopMarket = (order: Order): boolean => order.type === 'stop' || order.type === 'trailing_stop';

/** Behaves as a market order (market, or a triggered stop) or as a limit order. */
const actsAsMarket = (order: Order): boolean => order.type === 'market' || isStopMarket(order);

/**
 * Whether a limit's price reaches the market's: the market is at or through it. When a limit
 * first meets a market (a fresh quote with its side, or a print), this decides for good whether
 * it is marketable (it takes the market's price, as it would sweep the offers) or rests in the
 * book at its limit (Order.marketable).
 */
export const reaches = (order: Order, price: Price): boolean => (order.side === 'buy' ? price <= order.limitPrice! : price >= order.limitPrice!);

/** The worse of two prices for the order's side: the higher for a buy, the lower for a sell. */
const worse = (order: Order, a: Price, b: Price): Price => (order.side === 'buy' ? (a > b ? a : b) : a < b ? a : b);

/**
 * Only the market at or after an order counts for it. A quote is a state: the one standing when
 * the order arrives, or any newer one. A print is a moment: one from before the order is history,
 * even if it is the last trade. A bar counts only on a symbol with nothing finer, and only the
 * part of its path after the order (barPath). Nothing late, nothing stale, and no print whose
 * sale conditions keep it from the last price counts at all.
 */
function tradeCounts(order: Order, trade: Trade, context: EventContext): boolean {
  return !context.late && !context.stale && updatesLast(trade) && arrivalOf(trade) >= order.createdAt;
}

/**
 * The prices a bar went through that an order may meet, in order. A bar becomes its open, high,
 * low and close in the order its direction implies: a bar that closed at or above its open is
 * taken to have dipped first (open, low, high, close), one that closed below to have risen first
 * (open, high, low, close); between two points the price moved through every price in between.
 * An order that arrived during the bar meets only its close (the rest may be from before it); one
 * that arrived after it, nothing.
 */
function barPath(order: Order, bar: Bar, context: EventContext): readonly Price[] {
  if (context.late || context.stale || context.finerData || arrivalOf(bar, bar.end) <= order.createdAt) return [];
  if (arrivalOf(bar, bar.start) < order.createdAt) return [bar.close];
  return bar.close >= bar.open ? [bar.open, bar.low, bar.high, bar.close] : [bar.open, bar.high, bar.low, bar.close];
}

/** Whether a price reaches a stop: at or above a buy's, at or below a sell's. */
const crossesStop = (order: Order, price: Price): boolean => (order.side === 'buy' ? price >= order.stopPrice! : price <= order.stopPrice!);

/**
 * Where on a bar's path a stop triggered, and the path from there: at the first point when the bar
 * opened through it (a gap: the open), else at the stop itself, which the price moved through.
 */
function stopOnPath(order: Order, path: readonly Price[]): { price: Price; after: readonly Price[] } | undefined {
  const index = path.findIndex((price) => crossesStop(order, price));
  if (index < 0) return undefined;
  return { price: index === 0 ? path[0]! : order.stopPrice!, after: path.slice(index) };
}

export const defaultFillModel: FillModel = {
  stopTriggered(order, event, context) {
    // A trailing stop that has seen no price yet has no stop.
    const stop = order.stopPrice;
    if (stop === undefined) return false;
    const buy = order.side === 'buy';
    if (event.kind === 'quote') {
      if (context.late || context.stale) return false;
      const price = tradablePrice(event, order.side);
      return price !== undefined && (buy ? price >= stop : price <= stop);
    }
    if (event.kind === 'trade') return tradeCounts(order, event, context) && (buy ? event.price >= stop : event.price <= stop);
    return barPath(order, event, context).some((price) => crossesStop(order, price));
  },

  trailMark(order, event, context) {
    if (event.kind === 'quote') return context.late || context.stale ? undefined : tradablePrice(event, order.side);
    if (event.kind === 'trade') return tradeCounts(order, event, context) ? event.price : undefined;
    const path = barPath(order, event, context);
    if (path.length === 0) return undefined;
    return path.reduce((mark, price) => (order.side === 'sell' ? (price > mark ? price : mark) : price < mark ? price : mark));
  },

  meetsAt(order, event, context, triggering) {
    if (event.kind === 'quote') return context.late || context.stale ? undefined : tradablePrice(event, order.side);
    if (event.kind === 'trade') return tradeCounts(order, event, context) ? event.price : undefined;
    const path = barPath(order, event, context);
    return triggering ? stopOnPath(order, path)?.price : path[0];
  },

  onQuote(order, quote) {
    const buy = order.side === 'buy';
    const price = tradablePrice(quote, order.side);
    const liquidity = buy ? quote.askSize : quote.bidSize;
    if (price === undefined || liquidity <= 0n) return undefined;
    if (actsAsMarket(order)) return { price, liquidity };
    if (!reaches(order, price)) return undefined;
    // Marketable: takes the quote, now and for its rest later (the offers behind the one shown).
    // Resting: it was in the book at its limit, so the opposite side reaching or crossing it trades there.
    return { price: order.marketable === false ? order.limitPrice! : price, liquidity };
  },

  onPrint(order, print, context, triggering) {
    if (print.kind === 'trade') {
      if (!tradeCounts(order, print, context)) return undefined;
      const liquidity = print.size;
      // A stop that this print triggered cannot fill better than its stop (Lean's stop-market fill);
      // once triggered it is a market order and takes the next prints as they come.
      if (actsAsMarket(order)) return { price: triggering ? worse(order, print.price, order.stopPrice!) : print.price, liquidity };
      return limitOnPrint(order, print.price, print.price, print.price, liquidity);
    }
    // A bar arrives when it closes, and is walked as the path it went (barPath): a market order
    // takes its first point, a stop fills where the path reached it, a limit where the path
    // traded through it. Its volume is all the bar can fill.
    let path = barPath(order, print, context);
    if (path.length === 0) return undefined;
    const liquidity = print.volume;
    if (triggering) {
      const stop = stopOnPath(order, path);
      if (stop === undefined) return undefined;
      if (actsAsMarket(order)) return { price: stop.price, liquidity };
      // A stop-limit is a limit from the moment it triggered: it meets the stop's price first.
      path = [stop.price, ...stop.after];
    } else if (actsAsMarket(order)) {
      return { price: path[0]!, liquidity };
    }
    let lowest = path[0]!;
    let highest = path[0]!;
    for (const price of path) {
      if (price < lowest) lowest = price;
      if (price > highest) highest = price;
    }
    return limitOnPrint(order, path[0]!, lowest, highest, liquidity);
  },
};

/**
 * A limit order on a print-only symbol. A marketable one takes the first price it meets (a trade,
 * or a bar's open) when that reaches its limit, as a marketable limit takes the quote: a buy limit
 * typed at 5000 on a $500 stock fills near 500, not at 5000. A resting one fills at its own price
 * once a print trades through it.
 */
function limitOnPrint(order: Order, first: Price, lowest: Price, highest: Price, liquidity: Qty): FillOpportunity | undefined {
  if (order.marketable !== false && reaches(order, first)) return { price: first, liquidity };
  return through(order, lowest, highest) ? { price: order.limitPrice!, liquidity } : undefined;
}

/** A resting limit fills at its price only when the market traded through it, not merely at it. */
function through(order: Order, lowest: Price, highest: Price): boolean {
  return order.side === 'buy' ? lowest < order.limitPrice! : highest > order.limitPrice!;
}
