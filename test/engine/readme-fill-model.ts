// A second, independent reading of the README's "How orders fill" for one stock symbol, written
// from the README's text alone (not from src/engine/execution or the market-data rules), so that
// readme-contract.property.test.ts can hold the engine to the README as a contract.
//
// Scope: one symbol on its finest data (quotes plus prints, prints only, or minute bars only);
// market, limit, stop, stop_limit and trailing_stop (price trail) orders, day or gtc; zero fees and slippage; cash never limits;
// whole shares; sells never exceed what is held. Prices are bigint micros, as in the engine.
//
// Where the README leaves a point open, this model reads it as follows:
// - A bar's event time (for market time, staleness and "after the order") is its end.
// - A late quote does not replace the standing quote; a stale one that is not late does, and marks.
// - "Newest by event time": a tie goes to the event delivered last.
// - "The market as last seen" that settles a limit is the standing quote's side (stale or not; a
//   crossed quote is no market), the last print that may set the last price, or the last bar's
//   close. "The first quote with its side, or the first print or bar that counts for it" (for a
//   limit nothing settled on arrival): a fresh, uncrossed quote with its side; a print as for
//   market orders; a bar that began at or after the order, by its open. The market that settles
//   a limit may fill it at once.
// - A limit fills on a quote only if the quote is fresh, not crossed and shows size on its side.
// - "The market it meets then": a quote-triggered stop-limit is settled by that quote, one a print
//   triggered on a quoted symbol by the current quote's side (stale or not, not crossed).
// - One print or bar is shared by buys and sells alike, oldest order first; a quote per side.
// - A market buy with neither an ask nor a mark is rejected (nothing to cost it at); a trailing
//   buy too.
// - A trailing stop's "market as last known" when placed: the standing quote's side if there is a
//   quote (none when crossed or the side is missing), else the last print, else the last bar's
//   close. On a later event, a stop that does not trigger follows it.

export type Tier = 'quoted' | 'trades' | 'bars';

/**
 * The part of a bar's path after the order: a bar that closed at or above its open went open, low,
 * high, close; one that closed below, open, high, low, close. All of it for a bar that began at or
 * after the order, the close of one under way, nothing of one that ended before it.
 */
function pathAfter(order: { createdAt: number }, e: { start: number; end: number; open: bigint; high: bigint; low: bigint; close: bigint }): bigint[] {
  if (e.end <= order.createdAt) return [];
  if (e.start < order.createdAt) return [e.close];
  return e.close >= e.open ? [e.open, e.low, e.high, e.close] : [e.open, e.high, e.low, e.close];
}
export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop' | 'stop_limit' | 'trailing_stop';
export type ModelStatus = 'accepted' | 'partially_filled' | 'filled' | 'canceled' | 'rejected';

/** A price of 0 stands for a missing quote side. Quote sizes are in shares (round lots × 100). */
export type ModelEvent =
  | { kind: 'quote'; t: number; bid: bigint; ask: bigint; bidShares: number; askShares: number }
  | { kind: 'trade'; t: number; price: bigint; size: number; conditions: readonly number[] }
  | { kind: 'bar'; start: number; end: number; open: bigint; high: bigint; low: bigint; close: bigint; volume: number };

export interface ModelOrderRequest {
  side: Side;
  type: OrderType;
  qty: number;
  limitPrice?: bigint;
  stopPrice?: bigint;
  /** A trailing stop's trail, as a price. */
  trailPrice?: bigint;
}

export interface ModelOrder extends ModelOrderRequest {
  /** A trailing stop's high-water mark: the best price its side has seen since it was placed. */
  hwm?: bigint;
  id: string;
  createdAt: number;
  status: ModelStatus;
  filledQty: number;
  /** Σ qty × price of its fills, in micros, for the average fill price. */
  filledNotional: bigint;
  triggered: boolean;
  /** A limit's settled kind: marketable (true), resting (false), or not settled yet. */
  marketable: boolean | undefined;
}

export interface ModelFill {
  orderId: string;
  qty: number;
  price: bigint;
}

/** "A print that may not set the last price": the codes the README lists (anything else restricts nothing). */
export const BLOCKING_CONDITIONS: ReadonlySet<number> = new Set([37, 2, 7, 10, 12, 13, 15, 16, 20, 21, 22, 29, 32, 33, 52, 53]);
/** Codes the README names as allowed to set the last price. */
export const ALLOWED_CONDITIONS: readonly number[] = [14, 41];

export const DEFAULT_MAX_AGE_MS = 10_000;

type QuoteEvent = Extract<ModelEvent, { kind: 'quote' }>;
type TradeEvent = Extract<ModelEvent, { kind: 'trade' }>;
type BarEvent = Extract<ModelEvent, { kind: 'bar' }>;

interface StandingQuote {
  t: number;
  bid: bigint;
  ask: bigint;
  /** Shares still offered on each side: orders on the same quote share it. */
  bidLeft: number;
  askLeft: number;
}

const isOpen = (order: ModelOrder): boolean => order.status === 'accepted' || order.status === 'partially_filled';
const remaining = (order: ModelOrder): number => order.qty - order.filledQty;
/** A stop or a trailing stop: a market order once triggered. */
const stopMarket = (order: ModelOrder): boolean => order.type === 'stop' || order.type === 'trailing_stop';
const isUntriggeredStop = (order: ModelOrder): boolean => (stopMarket(order) || order.type === 'stop_limit') && !order.triggered;
/** A triggered stop is a market order, a triggered stop-limit a limit order. */
const actsAsMarket = (order: ModelOrder): boolean => order.type === 'market' || (stopMarket(order) && order.triggered);
const actsAsLimit = (order: ModelOrder): boolean => order.type === 'limit' || (order.type === 'stop_limit' && order.triggered);

/** price is strictly through the limit: below it for a buy, above it for a sell. */
const strictlyThrough = (side: Side, price: bigint, limit: bigint): boolean => (side === 'buy' ? price < limit : price > limit);
/** The limit reaches price: price is at or better than the limit. */
const atOrBetter = (side: Side, price: bigint, limit: bigint): boolean => (side === 'buy' ? price <= limit : price >= limit);
/** The market has reached the stop: from below for a buy stop, from above for a sell stop (a trailing stop with no mark yet has none). */
const reachesStop = (side: Side, price: bigint, stop: bigint | undefined): boolean => stop !== undefined && (side === 'buy' ? price >= stop : price <= stop);

/** A trailing stop's mark moves to price when that is the best yet, and its stop with it: the trail behind. */
function follow(order: ModelOrder, price: bigint | undefined): void {
  if (order.type !== 'trailing_stop' || price === undefined) return;
  if (order.hwm !== undefined && (order.side === 'sell' ? price <= order.hwm : price >= order.hwm)) return;
  order.hwm = price;
  order.stopPrice = order.side === 'sell' ? price - order.trailPrice! : price + order.trailPrice!;
}
/** The worse of two prices for this side (the higher for a buy). */
const worse = (side: Side, a: bigint, b: bigint): bigint => (side === 'buy' ? (a > b ? a : b) : a < b ? a : b);

/** Bid above ask, both shown: no market at all. */
export const crossed = (q: Pick<StandingQuote, 'bid' | 'ask'>): boolean => q.bid > 0n && q.ask > 0n && q.bid > q.ask;
/** The side an order trades against: the ask for a buy, the bid for a sell (0: missing). */
const sidePrice = (q: StandingQuote, side: Side): bigint => (side === 'buy' ? q.ask : q.bid);

/** The quote table's mark: mid (half up), the locked price, the side shown; none when crossed or empty. */
export function quoteMark(q: Pick<StandingQuote, 'bid' | 'ask'>): bigint | undefined {
  if (crossed(q)) return undefined;
  if (q.bid > 0n && q.ask > 0n) return divRound(q.bid + q.ask, 2n);
  if (q.bid > 0n) return q.bid;
  if (q.ask > 0n) return q.ask;
  return undefined;
}

/** Half away from zero (all values here are positive). */
const divRound = (numerator: bigint, denominator: bigint): bigint => (2n * numerator + denominator) / (2n * denominator);

export const averagePrice = (order: ModelOrder): bigint | null =>
  order.filledQty === 0 ? null : divRound(order.filledNotional, BigInt(order.filledQty));

export class ReadmeFillModel {
  readonly orders: ModelOrder[] = [];
  readonly fills: ModelFill[] = [];
  position = 0;
  /** Market time: the newest event time delivered (a bar's time is its end), never backwards. */
  private clock: number;
  private quote: StandingQuote | undefined;
  private lastPrint: { t: number; price: bigint } | undefined;
  private lastBar: { start: number; close: bigint } | undefined;
  private markAt: { t: number; price: bigint } | undefined;

  constructor(
    readonly tier: Tier,
    firstEventTime: number,
    private readonly maxAgeMs = DEFAULT_MAX_AGE_MS,
  ) {
    this.clock = firstEventTime;
  }

  /** The position's mark: the newest, by event time, of quote mark, print and bar close. */
  get mark(): bigint | undefined {
    return this.markAt?.price;
  }

  /** Shares the trader may still sell: the position less what open sells hold. */
  get sellable(): number {
    const held = this.orders.filter((o) => isOpen(o) && o.side === 'sell').reduce((sum, o) => sum + remaining(o), 0);
    return this.position - held;
  }

  openOrders(): ModelOrder[] {
    return this.orders.filter(isOpen);
  }

  place(id: string, request: ModelOrderRequest): ModelOrder {
    const order: ModelOrder = { ...request, id, createdAt: this.clock, status: 'accepted', filledQty: 0, filledNotional: 0n, triggered: false, marketable: undefined };
    this.orders.push(order);
    // A market buy is costed at the ask, or the mark; with neither there is nothing to cost it at.
    if (order.side === 'buy' && (order.type === 'market' || order.type === 'trailing_stop') && this.referencePrice() === undefined) {
      order.status = 'rejected';
      return order;
    }
    if (order.type === 'limit') this.settleOnArrival(order);
    if (order.type === 'trailing_stop') follow(order, this.quote ? this.quoteSide(order.side) : (this.lastPrint?.price ?? this.lastBar?.close));
    // Only a quoted symbol has a market standing when the order arrives; prints and bars fill later.
    const q = this.quote;
    if (this.tier !== 'quoted' || !q) return order;
    if (isUntriggeredStop(order)) {
      if (this.fresh(q.t) && !crossed(q) && this.quoteReachesStop(order, q)) this.triggerOnQuote(order, q);
    } else {
      this.fillAtQuote(order, q);
    }
    return order;
  }

  cancel(id: string): boolean {
    const order = this.orders.find((o) => o.id === id);
    if (!order || !isOpen(order)) return false;
    order.status = 'canceled';
    return true;
  }

  onEvent(event: ModelEvent): void {
    if (event.kind === 'quote') this.onQuote(event);
    else if (event.kind === 'trade') this.onTrade(event);
    else this.onBar(event);
  }

  private referencePrice(): bigint | undefined {
    const q = this.quote;
    if (q && !crossed(q) && q.ask > 0n) return q.ask;
    return this.mark;
  }

  private fresh(t: number): boolean {
    return this.clock - t <= this.maxAgeMs;
  }

  private advanceClock(t: number): void {
    if (t > this.clock) this.clock = t;
  }

  private setMark(t: number, price: bigint): void {
    if (!this.markAt || t >= this.markAt.t) this.markAt = { t, price };
  }

  /** Marketable when the limit reaches the market it meets; else resting, for good. */
  private settle(order: ModelOrder, market: bigint): void {
    if (order.marketable === undefined) order.marketable = atOrBetter(order.side, market, order.limitPrice!);
  }

  /** By the market as last seen: the quote's side, the last print, the last bar's close. */
  private settleOnArrival(order: ModelOrder): void {
    if (this.tier === 'quoted') {
      const price = this.quoteSide(order.side);
      if (price !== undefined) this.settle(order, price);
    } else if (this.tier === 'trades') {
      if (this.lastPrint) this.settle(order, this.lastPrint.price);
    } else if (this.lastBar) {
      this.settle(order, this.lastBar.close);
    }
  }

  /** The standing quote's price on this side, if it shows one and is not crossed (stale or not). */
  private quoteSide(side: Side): bigint | undefined {
    const q = this.quote;
    return q && !crossed(q) && sidePrice(q, side) > 0n ? sidePrice(q, side) : undefined;
  }

  private quoteReachesStop(order: ModelOrder, q: StandingQuote): boolean {
    const price = sidePrice(q, order.side);
    return price > 0n && reachesStop(order.side, price, order.stopPrice!);
  }

  /** A stop triggered by a quote: a stop-limit arrives and is settled by it; both fill at it. */
  private triggerOnQuote(order: ModelOrder, q: StandingQuote): void {
    order.triggered = true;
    if (order.type === 'stop_limit') this.settle(order, sidePrice(q, order.side));
    this.fillAtQuote(order, q);
  }

  /**
   * Fills what a fresh, uncrossed quote shows on the order's side: a market order at the quote,
   * a marketable limit at the quote (never past its limit), a resting limit at its own price.
   */
  private fillAtQuote(order: ModelOrder, q: StandingQuote): void {
    if (!isOpen(order) || !this.fresh(q.t) || crossed(q)) return;
    const buy = order.side === 'buy';
    const price = sidePrice(q, order.side);
    const left = buy ? q.askLeft : q.bidLeft;
    if (price === 0n || left <= 0) return;
    let at: bigint;
    if (actsAsMarket(order)) at = price;
    else if (actsAsLimit(order) && order.marketable !== undefined) {
      if (!atOrBetter(order.side, price, order.limitPrice!)) return;
      at = order.marketable ? price : order.limitPrice!;
    } else return;
    const qty = Math.min(remaining(order), left);
    if (buy) q.askLeft -= qty;
    else q.bidLeft -= qty;
    this.fill(order, qty, at);
  }

  private onQuote(e: QuoteEvent): void {
    // Late: older than the newest quote; it does not replace it and does nothing.
    if (this.quote && e.t < this.quote.t) return;
    this.advanceClock(e.t);
    const q: StandingQuote = { t: e.t, bid: e.bid, ask: e.ask, bidLeft: e.bid > 0n ? e.bidShares : 0, askLeft: e.ask > 0n ? e.askShares : 0 };
    this.quote = q;
    const mark = quoteMark(q);
    if (mark !== undefined) this.setMark(q.t, mark);
    const canTrigger = this.fresh(q.t) && !crossed(q);
    for (const order of this.openOrders()) {
      if (isUntriggeredStop(order)) {
        if (canTrigger && this.quoteReachesStop(order, q)) this.triggerOnQuote(order, q);
        else if (canTrigger && sidePrice(q, order.side) > 0n) follow(order, sidePrice(q, order.side));
        continue;
      }
      // The first quote with its side that counts (fresh) settles a limit nothing had settled yet.
      const side = this.quoteSide(order.side);
      if (actsAsLimit(order) && side !== undefined && this.fresh(q.t)) this.settle(order, side);
      this.fillAtQuote(order, q);
    }
  }

  private onTrade(e: TradeEvent): void {
    // Every event moves market time, even a print that may not set the last price.
    this.advanceClock(e.t);
    if (e.conditions.some((c) => BLOCKING_CONDITIONS.has(c))) return;
    // Late: older than the newest print that may set the last price.
    if (this.lastPrint && e.t < this.lastPrint.t) return;
    this.lastPrint = { t: e.t, price: e.price };
    this.setMark(e.t, e.price);
    // A stale print still marks, but triggers and fills nothing.
    if (!this.fresh(e.t)) return;
    if (this.tier === 'quoted') this.tradeOnQuotedSymbol(e);
    else if (this.tier === 'trades') this.tradeOnTradesOnlySymbol(e);
  }

  /** On a quoted symbol a print only triggers stops; the triggered order takes the current quote. */
  private tradeOnQuotedSymbol(e: TradeEvent): void {
    for (const order of this.openOrders()) {
      if (!isUntriggeredStop(order) || e.t < order.createdAt) continue;
      if (!reachesStop(order.side, e.price, order.stopPrice)) {
        follow(order, e.price);
        continue;
      }
      order.triggered = true;
      if (order.type === 'stop_limit') {
        // "On a symbol with quotes that a print triggered, the current quote" settles it.
        const side = this.quoteSide(order.side);
        if (side !== undefined) this.settle(order, side);
      }
      if (this.quote) this.fillAtQuote(order, this.quote);
    }
  }

  private tradeOnTradesOnlySymbol(e: TradeEvent): void {
    let left = e.size;
    for (const order of this.openOrders()) {
      // Only a print at or after the order counts.
      if (e.t < order.createdAt) continue;
      if (isUntriggeredStop(order)) {
        if (!reachesStop(order.side, e.price, order.stopPrice)) {
          follow(order, e.price);
          continue;
        }
        order.triggered = true;
        // The triggering print fills a stop no better than the stop; a stop-limit it settles, and
        // fills as it would any limit it settles.
        if (stopMarket(order)) {
          left -= this.fillUpTo(order, left, worse(order.side, e.price, order.stopPrice!));
          continue;
        }
      }
      if (actsAsMarket(order)) {
        left -= this.fillUpTo(order, left, e.price);
        continue;
      }
      if (!actsAsLimit(order)) continue;
      const limit = order.limitPrice!;
      this.settle(order, e.price);
      if (order.marketable) {
        if (atOrBetter(order.side, e.price, limit)) left -= this.fillUpTo(order, left, e.price);
      } else if (strictlyThrough(order.side, e.price, limit)) {
        left -= this.fillUpTo(order, left, limit);
      }
    }
  }

  private onBar(e: BarEvent): void {
    // Late: a bar that does not begin after the last bar.
    if (this.lastBar && e.start <= this.lastBar.start) return;
    this.advanceClock(e.end);
    this.lastBar = { start: e.start, close: e.close };
    this.setMark(e.end, e.close);
    if (this.tier !== 'bars') return;
    let left = e.volume;
    for (const order of this.openOrders()) {
      const path = pathAfter(order, e);
      if (path.length === 0) continue;
      if (isUntriggeredStop(order)) {
        const stop = order.stopPrice;
        const at = stop === undefined ? -1 : path.findIndex((price) => reachesStop(order.side, price, stop));
        if (at < 0) {
          follow(order, path.reduce((a, b) => (order.side === 'sell' ? (b > a ? b : a) : b < a ? b : a)));
          continue;
        }
        order.triggered = true;
        // The first point when the path opened through the stop (a gap), else the stop it passed.
        const triggerPrice = at === 0 ? path[0]! : stop!;
        if (stopMarket(order)) left -= this.fillUpTo(order, left, triggerPrice);
        else left -= this.limitOnPath(order, [triggerPrice, ...path.slice(at)], left);
        continue;
      }
      if (actsAsMarket(order)) left -= this.fillUpTo(order, left, path[0]!);
      else if (actsAsLimit(order)) left -= this.limitOnPath(order, path, left);
    }
  }

  /** A limit meets a path's first point (which settles it if nothing has), then fills there or where the path went strictly through it. */
  private limitOnPath(order: ModelOrder, path: readonly bigint[], left: number): number {
    const limit = order.limitPrice!;
    this.settle(order, path[0]!);
    if (order.marketable && atOrBetter(order.side, path[0]!, limit)) return this.fillUpTo(order, left, path[0]!);
    const extreme = path.reduce((a, b) => (order.side === 'buy' ? (b < a ? b : a) : b > a ? b : a));
    return strictlyThrough(order.side, extreme, limit) ? this.fillUpTo(order, left, limit) : 0;
  }

  /** Fills up to `available` shares at `price`; returns how many filled. */
  private fillUpTo(order: ModelOrder, available: number, price: bigint): number {
    const qty = Math.min(remaining(order), Math.max(available, 0));
    if (qty > 0) this.fill(order, qty, price);
    return qty;
  }

  private fill(order: ModelOrder, qty: number, price: bigint): void {
    order.filledQty += qty;
    order.filledNotional += BigInt(qty) * price;
    order.status = order.filledQty === order.qty ? 'filled' : 'partially_filled';
    this.position += order.side === 'buy' ? qty : -qty;
    this.fills.push({ orderId: order.id, qty, price });
  }
}
