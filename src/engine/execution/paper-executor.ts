import type { Clock, Timer } from '../clock/clock.ts';
import { affordableQty, type Cents, formatPercent, formatPrice, formatQty, formatUsd, maxBigint, minBigint, notional, type Price, type Qty } from '../money.ts';
import { AFTER_HOURS_MS, isExtendedSession, type MarketHours } from '../market/market-hours.ts';
import type { QuoteCache } from '../market/quote-cache.ts';
import { assetClassOf } from '../market/symbols.ts';
import { dayOrderExpiry, describeExpiry, newYorkDayStart, newYorkWallTime } from '../market/trading-day.ts';
import { tradablePrice } from '../market/quote-rules.ts';
import { arrivalOf, type MarketEvent, type Quote, type Trade } from '../market/types.ts';
import { isWorking, legIdsOf, ocoPartnerIdOf, releasesLegs, remainingQty, type Order, type OrderChanges, type OrderRequest } from '../orders/order.ts';
import type { TradeMetrics } from '../portfolio/metrics.ts';
import { seqOf } from '../history-page.ts';
import { readOrderFields, validateOrderRequest, type ValidOrderRequest } from '../orders/validate-order.ts';
import { followMarket, trailingStopAt } from '../orders/trailing-stop.ts';
import { auctionDeadline, auctionOf, auctionWindowProblem, isAuctionOrder, isAuctionTif, isItsAuction, noAuctionPrint, type AuctionTif } from '../orders/auction.ts';
import { escapeControls } from '../printable.ts';
import { ownerOf, PositionAttribution, strategyNameOf, USER_OWNER, type Lot } from '../portfolio/attribution.ts';
import { chargeBorrowFee, payDividend, splitPosition, type Ledger } from '../portfolio/ledger.ts';
import { borrowFee, formatBorrowRate, type BorrowRate } from '../portfolio/borrow-fees.ts';
import { dividendAmount, splitQty, type ActionRecord, type DividendEvent, type SplitEvent } from '../portfolio/corporate-actions.ts';
import { preTradeCheck, type AccountView } from '../risk/pre-trade-check.ts';
import { isMarginable, marginStatus, type MarginStatus } from '../risk/margin.ts';
import { brokerageFor, type BrokerageModel, type BrokerageModels } from './brokerage-model.ts';
import { isStopMarket, reaches, type EventContext, type FillOpportunity } from './fill-model.ts';
import { looseFields, OrderBook, type OrderFields } from './order-book.ts';

export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: Order['side'];
  readonly qty: Qty;
  readonly price: Price;
  readonly notional: Cents;
  readonly fee: Cents;
  readonly realizedPnl: Cents;
  readonly time: number;
  readonly source: string;
  /** A sell's lots: whose units it took (see PositionAttribution). */
  readonly lotsTaken?: readonly Lot[] | undefined;
  /** Filled against a delayed feed's market, this old when it arrived (Polygon's delayed plans: 15 minutes). */
  readonly marketDelayMs?: number | undefined;
  /** What its order had filled with it (Alpaca's cum_qty); absent on fills saved before it was kept. */
  readonly orderFilledQty?: Qty | undefined;
}

export interface ExecutorListener {
  order(order: Order): void;
  fill(fill: Fill, order: Order): void;
}

export interface PaperExecutorOptions {
  clock: Clock;
  ledger: Ledger;
  cache: QuoteCache;
  brokerage: BrokerageModels;
  knownSymbols: ReadonlySet<string>;
  /** A quote older than this is stale: market orders wait for a fresh one. */
  maxQuoteAgeMs: number;
  /** Orders of a closed market wait (ioc and fok are canceled) until it opens. */
  hours: MarketHours;
  /** The market data carries the official opening and closing prints (Polygon's, live or recorded): opg and cls orders can fill. */
  auctions?: boolean;
  /** What a rejected request keeps of its input (it came from outside) and its reason become as shown: controls escaped, secrets out. */
  shown?: (text: string) => string;
  /**
   * The account's risk limits, asked after the cash and share checks: why the order (or a
   * replaced one's new form) is refused, or undefined. reservePrice: what a buy holds cash at.
   */
  risk?: (request: ValidOrderRequest, reservePrice: Price, replacing?: Order) => string | undefined;
  /** The account's store: finished orders and fills that left memory (forget()) are read back from it. */
  stored?: StoredHistory;
  /**
   * A margin account: it buys stocks with its buying power (margin.ts), and the trader may sell
   * them short. Its hours say when the regular session (4x intraday) is open, whatever `hours` lets fill.
   */
  margin?: { hours: MarketHours } | undefined;
  listener: ExecutorListener;
}

export interface StoredHistory {
  order(id: string): Order | undefined;
  fill(id: string): Fill | undefined;
}

export type CancelResult = { ok: true; order: Order } | { ok: false; error: string };

/** Size still on offer at a symbol's current quote: fills take from it until the next quote. */
interface QuoteLiquidity {
  quote: Quote;
  bidLeft: Qty;
  askLeft: Qty;
}

/**
 * Fills orders the way the market would have: at the bid or ask, never more than the size
 * shown, resting limits at their price. Market data and commands arrive one at a time, so the
 * same sequence always gives the same fills.
 */
export class PaperExecutor {
  /** The most recent fills in memory, oldest first (every fill until forget() trims it). */
  readonly fills: Fill[] = [];
  /** Who holds each position's units: a view over the fills (strategies trade only their own). */
  readonly attribution = new PositionAttribution();
  readonly #book: OrderBook;
  readonly #liquidity = new Map<string, QuoteLiquidity>();
  readonly #expiryTimers = new Map<Order, Timer>();
  #actionSeq = 0;
  /** Σ order.reserved over working orders that open positions, kept as orders change. */
  #reservedTotal = 0n;
  readonly #options: PaperExecutorOptions;
  #fillSeq = 0;

  constructor(options: PaperExecutorOptions) {
    this.#options = options;
    this.#book = new OrderBook((id) => options.stored?.order(id));
  }

  /** Orders and fills ever made (their highest id numbers). */
  get orderCount(): number {
    return this.#book.count;
  }

  get fillCount(): number {
    return this.#fillSeq;
  }

  /** The order at `index` of the account's history (o-1 is 0), from memory or the store. */
  orderAt(index: number): Order | undefined {
    return this.#book.get(`o-${index + 1}`);
  }

  /** The fill at `index` of the account's history (f-1 is 0), from memory or the store. */
  fillAt(index: number): Fill | undefined {
    const inMemory = index - (this.#fillSeq - this.fills.length);
    return inMemory >= 0 ? this.fills[inMemory] : this.#options.stored?.fill(`f-${index + 1}`);
  }

  /** Orders and fills held in memory (working orders aside). */
  get inMemory(): number {
    return this.#book.orders.length + this.fills.length;
  }

  /**
   * Lets all but the last `keep` orders and fills go from memory, once they are saved: an
   * account's memory stays the same however long it trades. The working orders stay.
   */
  forget(keep: number): void {
    this.#book.forget(keep);
    this.fills.splice(0, Math.max(0, this.fills.length - keep));
  }

  order(id: string): Order | undefined {
    return this.#book.get(id);
  }

  /** Working orders plus the last `count` orders, oldest first. */
  recentOrders(count: number): Order[] {
    return this.#book.recent(count);
  }

  get metrics(): TradeMetrics {
    return this.#book.metrics(this.#fillSeq);
  }

  /** The finished orders' trade counts: the account's, per symbol, per owner. */
  tradeCounts(): ReturnType<OrderBook['tradeCounts']> {
    return this.#book.tradeCounts();
  }

  /** Working orders, oldest first within each symbol. */
  workingOrders(symbol?: string): Order[] {
    return this.#book.working(symbol);
  }

  /** Open orders: the working ones and the legs held until their entry fills. */
  openOrders(): Order[] {
    return this.#book.openOrders();
  }

  /**
   * What the account can still open positions with, less what working orders hold (`except`'s
   * hold counted as free): a cash account's cash; a margin account's buying power for stocks.
   */
  buyingPower(except?: Order, symbol?: string): Cents {
    const status = this.#options.margin && (symbol === undefined || isMarginable(symbol)) ? this.marginStatus() : undefined;
    return (status?.buyingPower ?? this.#options.ledger.cash) - this.#reservedTotal + (except?.reserved ?? 0n);
  }

  /** A margin account's equity, maintenance margin and buying power before holds; undefined for a cash account. */
  marginStatus(): MarginStatus | undefined {
    const { margin, ledger, cache, clock } = this.#options;
    return margin ? marginStatus(ledger, cache.markOf, margin.hours.isOpen('stock', clock.now())) : undefined;
  }

  /** What a buy may cover of a short in `symbol`: the short, less what working covers (orders that hold nothing) already take. */
  coverableQty(symbol: string): Qty {
    let qty = -this.#options.ledger.positionQty(symbol);
    for (const order of this.#book.working(symbol)) if (order.side === 'buy' && order.reservePrice === 0n) qty -= remainingQty(order);
    return qty > 0n ? qty : 0n;
  }

  /**
   * What `source` may still sell of `symbol`: the trader, the whole position; a strategy, only its
   * own lot. Either way less what working sells already hold.
   */
  sellableQty(symbol: string, source: string): Qty {
    const owner = ownerOf(source);
    const held = this.#book.sellsHeld(symbol, owner);
    const free = this.#options.ledger.positionQty(symbol) - held.all;
    return minBigint(free, this.#ownQty(symbol, owner) - held.owners);
  }

  /**
   * Puts back the orders and fills of a recovered account (the ledger is rebuilt from the fills
   * beforehand). Working orders work again; a day order whose close passed while paper-trader
   * was not running expires now, saying so.
   */
  restore(orders: readonly Order[], fills: readonly Fill[], actions: readonly ActionRecord[] = []): void {
    const now = this.#options.clock.now();
    let next = 0;
    // A split changes the lots too: it goes back in its place among the fills.
    const splitsUpTo = (count: number): void => {
      for (; next < actions.length && actions[next]!.afterFills <= count; next++) {
        const action = actions[next]!;
        this.#actionSeq = Math.max(this.#actionSeq, seqOf(action.id));
        if (action.kind === 'split' && action.lots) this.attribution.setLots(action.symbol, action.lots);
        else if (action.kind === 'split') this.attribution.resize(action.symbol, action.qtyBefore, action.qtyAfter);
      }
    };
    for (const [index, fill] of fills.entries()) {
      splitsUpTo(index);
      this.fills.push(fill);
      this.attribution.apply(fill);
      this.#fillSeq = Math.max(this.#fillSeq, seqOf(fill.id));
    }
    splitsUpTo(Number.POSITIVE_INFINITY);
    for (const order of orders) {
      order.reserved = 0n;
      this.#book.restore(order);
    }
    // Every order is back before any ends: an entry that expired meanwhile settles its legs, which come after it.
    for (const order of orders) {
      if (!isWorking(order)) continue;
      this.#hold(order);
      if (isAuctionOrder(order) && auctionDeadline(order.timeInForce as AuctionTif, order.createdAt) <= now) {
        this.#finish(order, 'canceled', `${noAuctionPrint(order.timeInForce as AuctionTif, order.symbol)} while paper-trader was not running`);
        continue;
      }
      if (order.timeInForce === 'day' && order.expiresAt !== undefined && order.expiresAt <= now) {
        this.#finish(order, 'expired', `day order expired at ${describeExpiry(assetClassOf(order.symbol))} while paper-trader was not running`);
      } else {
        this.#scheduleEnd(order);
      }
    }
  }

  /**
   * A resumed session's current quote: the size it offers, less what the recovered fills at or
   * after it already took, exactly as if the run had never stopped.
   */
  resumeQuote(quote: Quote): void {
    const book = { quote, bidLeft: quote.bidSize, askLeft: quote.askSize };
    for (let i = this.fills.length - 1; i >= 0; i--) {
      const fill = this.fills[i]!;
      if (fill.time < arrivalOf(quote)) break;
      if (fill.symbol !== quote.symbol) continue;
      if (fill.side === 'buy') book.askLeft = book.askLeft > fill.qty ? book.askLeft - fill.qty : 0n;
      else book.bidLeft = book.bidLeft > fill.qty ? book.bidLeft - fill.qty : 0n;
    }
    this.#liquidity.set(quote.symbol, book);
  }

  /**
   * A split at the start of its date: the shares held then (and each owner's lot) go by the
   * ratio, the cost basis stays; shares bought after it started (met late) were bought split.
   * Orders placed before it are canceled: their prices and sizes were for the shares before.
   * Undefined when nothing was held at its start.
   */
  split(event: SplitEvent): ActionRecord | undefined {
    const { ledger } = this.#options;
    const start = newYorkDayStart(event.date);
    const reason = `canceled: ${event.symbol} split ${event.to}-for-${event.from} on ${event.date}, so its prices no longer hold`;
    for (const order of this.#book.openOrders()) {
      if (order.symbol === event.symbol && order.createdAt < start && isWorking(order)) this.#finish(order, 'canceled', reason, reason);
    }
    const qtyBefore = ledger.positionQty(event.symbol);
    const since = this.#netSince(event.symbol, start);
    const held = qtyBefore - since.total;
    if (held === 0n) return undefined;
    // Closed (at the new shares' price) before the split reached the books: they cannot be told apart any more.
    if (qtyBefore === 0n || qtyBefore > 0n !== held > 0n) throw new RangeError(`it came after the ${event.symbol} position it split was closed`);
    // A short splits as a long does: it owes the split shares back.
    const split = maxBigint(1n, splitQty(held > 0n ? held : -held, event.from, event.to));
    const qtyAfter = (held > 0n ? split : -split) + since.total;
    splitPosition(ledger, event.symbol, qtyAfter);
    const lots = since.total === 0n && since.byOwner.size === 0 ? undefined : this.#lotsAfterSplit(event, since.byOwner, qtyAfter);
    if (lots) this.attribution.setLots(event.symbol, lots);
    else this.attribution.resize(event.symbol, qtyBefore, qtyAfter);
    const { id, symbol, date, from, to } = event;
    return { id: this.#nextActionId(), kind: 'split', source: id, symbol, date, from, to, qtyBefore, qtyAfter, time: this.#options.clock.now(), afterFills: this.#fillSeq, ...(lots ? { lots } : {}) };
  }

  /** Each owner's lot after a split met late: what it held at the split's start goes by the ratio, what it traded since stays; the oldest takes the rounding. */
  #lotsAfterSplit(event: SplitEvent, sinceByOwner: ReadonlyMap<string, Qty>, total: Qty): Lot[] {
    const lots = this.attribution.lots(event.symbol).map((lot) => {
      const since = sinceByOwner.get(lot.owner) ?? 0n;
      const held = lot.qty - since;
      const split = held > 0n ? splitQty(held, event.from, event.to) : -splitQty(-held, event.from, event.to);
      return { owner: lot.owner, qty: split + since };
    });
    const left = total - lots.reduce((sum, lot) => sum + lot.qty, 0n);
    if (lots[0] && left !== 0n) lots[0] = { owner: lots[0].owner, qty: lots[0].qty + left };
    return lots;
  }

  /**
   * A dividend's ex-date: what it owes on the shares held at the start of that day; a short owes
   * it to the lender (a negative amount). Undefined when none were held.
   */
  owe(event: DividendEvent): ActionRecord | undefined {
    const qty = this.#options.ledger.positionQty(event.symbol) - this.#netSince(event.symbol, newYorkDayStart(event.exDate)).total;
    const amount = qty > 0n ? dividendAmount(event.perShare, qty) : -dividendAmount(event.perShare, -qty);
    if (amount === 0n) return undefined;
    const { id, symbol, exDate, payDate, perShare } = event;
    return { id: this.#nextActionId(), kind: 'dividend', source: id, symbol, exDate, payDate, perShare, qty, amount, time: this.#options.clock.now(), afterFills: this.#fillSeq };
  }

  /** What the fills of `symbol` at or after `since` added to its position (buys less sells), in all and by owner. */
  #netSince(symbol: string, since: number): { total: Qty; byOwner: Map<string, Qty> } {
    let total = 0n;
    const byOwner = new Map<string, Qty>();
    const add = (owner: string, qty: Qty): void => void byOwner.set(owner, (byOwner.get(owner) ?? 0n) + qty);
    for (let i = this.fills.length - 1; i >= 0 && this.fills[i]!.time >= since; i--) {
      const fill = this.fills[i]!;
      if (fill.symbol !== symbol) continue;
      total += fill.side === 'buy' ? fill.qty : -fill.qty;
      if (fill.side === 'buy') add(ownerOf(fill.source), fill.qty);
      else if (fill.lotsTaken) for (const lot of fill.lotsTaken) add(lot.owner, -lot.qty);
      else add(ownerOf(fill.source), -fill.qty);
    }
    return { total, byOwner };
  }

  /** A dividend's pay date: what it owed comes into cash. */
  pay(owed: Extract<ActionRecord, { kind: 'dividend' }>): ActionRecord {
    payDividend(this.#options.ledger, owed.symbol, owed.amount);
    return { id: this.#nextActionId(), kind: 'payment', source: owed.id, symbol: owed.symbol, amount: owed.amount, time: this.#options.clock.now(), afterFills: this.#fillSeq };
  }

  /**
   * A short's borrow fee for the `days` nights to `date`, on its value at `price` (the last known),
   * charged at `time`: cash out, a realized cost. Undefined when it comes to less than a cent.
   */
  chargeBorrow(symbol: string, date: string, days: number, price: Price, rate: BorrowRate, time: number): ActionRecord | undefined {
    const qty = this.#options.ledger.positionQty(symbol);
    const amount = -borrowFee(notional(price, -qty), rate, days);
    if (qty >= 0n || amount === 0n) return undefined;
    chargeBorrowFee(this.#options.ledger, symbol, amount);
    const common = { id: this.#nextActionId(), kind: 'borrow_fee', symbol, date, days, qty, price, rate: formatBorrowRate(rate), amount } as const;
    return { ...common, time, afterFills: this.#fillSeq };
  }

  #nextActionId(): string {
    return `a-${++this.#actionSeq}`;
  }

  /** Cancels the day-order expiry timers (the engine closed, or can no longer save what they would do). */
  cancelTimers(): void {
    for (const timer of this.#expiryTimers.values()) timer.cancel();
    this.#expiryTimers.clear();
  }

  /** Records a request the engine refuses before any check (e.g. it is not running). */
  reject(request: OrderRequest, source: string, reason: string): Order {
    return this.#reject(this.#looseOrder(request, source), reason);
  }

  /** The accepted order placed with this client order id, if any (they are unique per account). */
  orderByClientId(clientOrderId: string): Order | undefined {
    return this.#book.byClientId(clientOrderId);
  }

  submit(request: OrderRequest, source: string): Order {
    const valid = validateOrderRequest(request);
    if (!valid.ok) return this.#reject(this.#looseOrder(request, source), valid.error);
    // A retry with the same client order id gets the first order back, as at Alpaca: never two orders.
    // Only its placer gets it back: a strategy never sees the trader's order (nor another strategy's).
    const first = valid.value.clientOrderId === undefined ? undefined : this.#book.byClientId(valid.value.clientOrderId);
    if (first && ownerOf(first.source) === ownerOf(source)) return first;
    if (first) return this.#reject(this.#looseOrder(request, source), `client order id "${valid.value.clientOrderId}" is already used by another order: give each order its own`);

    const order = this.#newOrder(valid.value, source);
    const auction = this.#auctionProblem(valid.value.timeInForce);
    if (auction) return this.#reject(order, auction);
    const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
    const check = preTradeCheck(valid.value, brokerage, this.#accountView(source), source);
    if (!check.ok) return this.#reject(order, check.error);
    const refused = this.#options.risk?.(valid.value, check.reservePrice);
    if (refused) return this.#reject(order, refused);

    order.reservePrice = check.reservePrice;
    this.#book.accept(order);
    this.#hold(order);
    this.#scheduleEnd(order);
    this.#options.listener.order(order);
    const legs = this.#openLegs(order, valid.value);
    this.#arrive(order);
    // An oco's stop-loss works from the start, beside its take-profit.
    for (const leg of legs) if (leg.status === 'accepted') this.#arrive(leg);
    return order;
  }

  /**
   * The legs of a bracket, oco or oto, placed right after their parent (so their ids follow its
   * id). An entry's legs are held until it fills; an oco's stop-loss works at once.
   */
  #openLegs(parent: Order, request: ValidOrderRequest): Order[] {
    if (request.orderClass === 'simple') return [];
    const side = request.orderClass === 'oco' ? parent.side : parent.side === 'buy' ? 'sell' : 'buy';
    const common = { symbol: parent.symbol, side, timeInForce: parent.timeInForce, qty: parent.qty, trailPrice: undefined, trailPercent: undefined, clientOrderId: undefined, orderClass: request.orderClass, parentId: parent.id, extendedHours: false } as const;
    const legs: Order[] = [];
    if (request.takeProfit && request.orderClass !== 'oco') {
      legs.push(this.#newOrder({ ...common, type: 'limit', limitPrice: request.takeProfit.limitPrice, stopPrice: undefined }, parent.source));
    }
    if (request.stopLoss) {
      const { stopPrice, limitPrice } = request.stopLoss;
      legs.push(this.#newOrder({ ...common, type: limitPrice === undefined ? 'stop' : 'stop_limit', limitPrice, stopPrice }, parent.source));
    }
    for (const leg of legs) {
      if (request.orderClass === 'oco') this.#book.accept(leg);
      else this.#book.hold(leg);
      this.#scheduleEnd(leg);
      this.#options.listener.order(leg);
    }
    return legs;
  }

  cancel(id: string, reason = 'canceled by user'): CancelResult {
    const order = this.#book.get(id);
    if (!order) return { ok: false, error: `no order with id "${id}"` };
    if (!isWorking(order)) return { ok: false, error: `order ${id} is already ${order.status}` };
    this.#finish(order, 'canceled', reason);
    return { ok: true, order };
  }

  /**
   * Changes a working order's qty (its new whole qty, above what has filled), limit, stop or trail,
   * checked by the one order schema and for the cash or shares the rest needs. The order keeps its
   * id, its fills and its place; a new price is a new arrival: a limit meets the market again.
   */
  replace(id: string, changes: OrderChanges): CancelResult {
    const order = this.#book.get(id);
    if (!order) return { ok: false, error: `no order with id "${id}"` };
    if (!isWorking(order)) return { ok: false, error: `order ${id} is already ${order.status}: only a working order can be replaced` };
    const read = readOrderFields(changes);
    if (!read.ok) return read;
    const { symbol, side, type, timeInForce, clientOrderId, orderClass, takeProfit, stopLoss, ...changed } = read.fields;
    if ([symbol, side, type, timeInForce, clientOrderId, orderClass, takeProfit, stopLoss].some((field) => field !== undefined)) {
      return { ok: false, error: 'a replace changes qty, limit price, stop price or trail; cancel the order and place a new one to change anything else' };
    }
    const linkedQty = order.parentId !== undefined || order.orderClass === 'oco';
    if (linkedQty && changed.qty !== undefined && String(changed.qty) !== formatQty(order.qty)) {
      const follows = order.orderClass === 'oco' ? 'an oco order: its qty is its partner\'s' : `a leg of ${order.parentId}: its qty follows its entry's fills`;
      return { ok: false, error: `order ${id} is ${follows}; replace its price, or cancel it` };
    }
    if (Object.keys(changed).length === 0) return { ok: false, error: 'nothing to replace: give a new qty, limit price, stop price or trail' };
    const newTrail = changed.trailPrice !== undefined || changed.trailPercent !== undefined;
    const text = (value: bigint | undefined, format: (v: bigint) => string): string | undefined => (value === undefined ? undefined : format(value));
    const valid = validateOrderRequest({
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      timeInForce: order.timeInForce,
      qty: (changed.qty as string | number | undefined) ?? formatQty(order.qty),
      limitPrice: (changed.limitPrice as string | number | undefined) ?? text(order.limitPrice, formatPrice),
      // A trailing stop's stop is its own (the schema refuses one given).
      stopPrice: (changed.stopPrice as string | number | undefined) ?? (order.type === 'trailing_stop' ? undefined : text(order.stopPrice, formatPrice)),
      trailPrice: newTrail ? (changed.trailPrice as string | number | undefined) : text(order.trailPrice, formatPrice),
      trailPercent: newTrail ? (changed.trailPercent as string | number | undefined) : text(order.trailPercent, formatPercent),
    });
    if (!valid.ok) return valid;
    const next = valid.value;
    // The same stop sent again (a ticket sends every field) is no change.
    if (order.triggered && next.stopPrice !== order.stopPrice) return { ok: false, error: `order ${id}'s stop has already triggered: its stop can no longer change` };
    if (next.qty <= order.filledQty) return { ok: false, error: `qty ${formatQty(next.qty)} must be above the ${formatQty(order.filledQty)} already filled` };
    const rest = next.qty - order.filledQty;
    const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
    // The rest is checked as an order of its own, with the cash and shares this order holds now
    // counted as free. A held leg holds nothing yet: its entry's fills will bring what it sells.
    const check = order.status === 'held' ? ({ ok: true, reservePrice: order.reservePrice } as const) : preTradeCheck({ ...next, qty: rest }, brokerage, this.#accountView(order.source, order), order.source);
    if (!check.ok) return check;
    const refused = this.#options.risk?.({ ...next, orderClass: order.orderClass }, check.reservePrice, order);
    if (refused) return { ok: false, error: refused };
    const repriced = next.limitPrice !== order.limitPrice;
    order.qty = next.qty;
    order.limitPrice = next.limitPrice;
    if (order.type !== 'trailing_stop') order.stopPrice = next.stopPrice;
    order.trailPrice = next.trailPrice;
    order.trailPercent = next.trailPercent;
    if (order.type === 'trailing_stop' && order.hwm !== undefined) order.stopPrice = trailingStopAt(order, order.hwm, brokerage.tickSize);
    if (repriced) order.marketable = undefined;
    order.reservePrice = check.reservePrice;
    order.updatedAt = this.#options.clock.now();
    this.#hold(order);
    this.#options.listener.order(order);
    // Held legs exit what their entry will buy: its new qty.
    for (const leg of this.#legsOf(order)) {
      if (leg.status !== 'held' || leg.qty === order.qty) continue;
      leg.qty = order.qty;
      leg.updatedAt = order.updatedAt;
      this.#options.listener.order(leg);
    }
    if (order.status !== 'held') this.#arrive(order);
    return { ok: true, order };
  }

  onMarketEvent(event: MarketEvent): void {
    const { cache } = this.#options;
    const latest = cache.isLatest(event);
    // A late quote offers no size: the cache keeps only the newest.
    if (event.kind === 'quote' && latest) {
      this.#liquidity.set(event.symbol, { quote: event, bidLeft: event.bidSize, askLeft: event.askSize });
    }
    if (this.#book.workingCount(event.symbol) === 0) return;
    // An official print ends its auction, open or closed as the regular session may be at that instant.
    if (event.kind === 'trade') {
      const auction = auctionOf(event);
      if (auction) this.#auction(auction, event);
    }
    const open = this.isOpen(event.symbol);
    if (!open && !this.#extendedOpen(event.symbol)) return;
    const list = this.#book.working(event.symbol);
    const market = cache.get(event.symbol);
    const finerData = event.kind === 'trade' ? market?.quote !== undefined : event.kind === 'bar' && (market?.quote !== undefined || market?.trade !== undefined);
    const context: EventContext = { late: !latest, stale: !this.#isFresh(event), finerData };
    const print = { left: event.kind === 'trade' ? event.size : event.kind === 'bar' ? event.volume : 0n };
    for (const order of list) {
      // A leg with nothing left to exit (its partner exited it all so far) neither triggers nor fills.
      if (!isWorking(order) || isAuctionOrder(order) || (!open && !order.extendedHours) || remainingQty(order) === 0n) continue;
      const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
      let triggering = false;
      if (isUntriggeredStop(order)) {
        if (!brokerage.fill.stopTriggered(order, event, context)) {
          // The market did not come back to a trailing stop: it may have moved on, taking the stop along.
          if (order.type === 'trailing_stop') this.#follow(order, brokerage, brokerage.fill.trailMark(order, event, context));
          continue;
        }
        this.#trigger(order);
        triggering = true;
      }
      if (event.kind === 'quote') {
        if (!context.late && !context.stale) this.#fillAtQuote(order, brokerage, event);
      } else if (!finerData) {
        this.#meet(order, brokerage.fill.meetsAt(order, event, context, triggering));
        this.#tryFill(order, brokerage, brokerage.fill.onPrint(order, event, context, triggering), print, event);
      } else if (triggering) {
        // A stop a print triggered arrives as a market (or limit) order: it takes the current quote, if fresh.
        this.#arrive(order);
      }
      if (triggering) this.#enforceImmediate(order);
    }
  }

  /** Whether the market of `symbol` is open now, so its orders may trigger and fill. */
  isOpen(symbol: string): boolean {
    return this.#options.hours.isOpen(assetClassOf(symbol), this.#options.clock.now());
  }

  /** Whether this order may trade now: its market is open, or it is an extended-hours order in the pre-market or after hours. */
  mayTrade(order: Order): boolean {
    return this.isOpen(order.symbol) || (order.extendedHours && this.#extendedOpen(order.symbol));
  }

  #extendedOpen(symbol: string): boolean {
    return assetClassOf(symbol) === 'stock' && (this.#options.hours.isExtendedOpen?.(this.#options.clock.now()) ?? false);
  }

  #arrive(order: Order): void {
    // An auction order waits for its auction's official print, whatever the market does before it.
    if (isAuctionOrder(order) || remainingQty(order) === 0n) return;
    if (!this.mayTrade(order)) {
      this.#enforceImmediate(order, `the ${assetClassOf(order.symbol)} market is closed`);
      return;
    }
    const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
    const quote = this.#options.cache.get(order.symbol)?.quote;
    const fresh = quote !== undefined && this.#isFresh(quote);
    if (isUntriggeredStop(order)) {
      // A trailing stop starts from the market as last known: its stop is set from there.
      if (order.type === 'trailing_stop' && order.hwm === undefined) this.#follow(order, brokerage, this.#lastKnownPrice(order));
      // The quote standing now is the market when the order arrives; earlier prints are history.
      if (!fresh || !brokerage.fill.stopTriggered(order, quote, STANDING)) return;
      this.#trigger(order);
    }
    // A limit meets the market as last known, stale or not: it says which side of it the order is on.
    this.#meet(order, this.#lastKnownPrice(order));
    if (fresh) this.#fillAtQuote(order, brokerage, quote);
    this.#enforceImmediate(order, fresh ? undefined : `no fresh quote for ${order.symbol} to fill against`);
  }

  #fillAtQuote(order: Order, brokerage: BrokerageModel, quote: Quote): void {
    const book = this.#liquidity.get(quote.symbol);
    if (!book || book.quote !== quote) return;
    this.#meet(order, brokerage.fill.meetsAt(order, quote, STANDING, false));
    const side = order.side === 'buy' ? 'askLeft' : 'bidLeft';
    const pool = { left: book[side] };
    this.#tryFill(order, brokerage, brokerage.fill.onQuote(order, quote), pool, quote);
    book[side] = pool.left;
  }

  /** The first market a limit meets settles for good whether it is marketable or rests at its price. */
  #meet(order: Order, price: Price | undefined): void {
    if (price === undefined || order.marketable !== undefined || !isLimitLike(order)) return;
    order.marketable = reaches(order, price);
  }

  /** The symbol's market as last seen: its quote's side (none when crossed), else its last print or bar close. */
  #lastKnownPrice(order: Order): Price | undefined {
    const market = this.#options.cache.get(order.symbol);
    if (market?.quote) return tradablePrice(market.quote, order.side);
    return market?.trade?.price ?? market?.bar?.close;
  }

  /** ioc keeps what filled at once and cancels the rest; fok fills whole at once or not at all. */
  #enforceImmediate(order: Order, why?: string): void {
    if (!isWorking(order) || (order.timeInForce !== 'ioc' && order.timeInForce !== 'fok')) return;
    if (isUntriggeredStop(order)) return;
    const unfilled = remainingQty(order);
    const ioc = order.filledQty === 0n ? 'nothing could fill at once' : 'only part filled at once';
    const detail = why ?? (order.timeInForce === 'fok' ? 'the whole order could not fill at once' : ioc);
    this.#finish(order, 'canceled', `${order.timeInForce}: ${detail}; the unfilled ${formatQty(unfilled)} was canceled`);
  }

  /** What `owner` may sell at all: the trader, the whole position; a strategy, only its own lot. */
  #ownQty(symbol: string, owner: string): Qty {
    return owner === USER_OWNER ? this.#options.ledger.positionQty(symbol) : this.attribution.held(symbol, owner);
  }

  /**
   * The account as the pre-trade check sees it for an order from `source`; a replaced order's own
   * hold and qty counted as free.
   */
  #accountView(source: string, replacing?: Order): AccountView {
    const { knownSymbols, cache, margin } = this.#options;
    // A replaced order that only closes (it holds nothing) frees its own qty to itself.
    const freed = (symbol: string, side: Order['side']): Qty =>
      replacing?.reservePrice === 0n && replacing.side === side && replacing.symbol === symbol ? remainingQty(replacing) : 0n;
    const view: AccountView = {
      knownSymbols,
      market: (symbol) => cache.get(symbol),
      buyingPower: (symbol) => this.buyingPower(replacing, symbol),
      sellableQty: (symbol) => this.sellableQty(symbol, source) + freed(symbol, 'sell'),
    };
    if (margin) {
      view.coverableQty = (symbol) => this.coverableQty(symbol) + freed(symbol, 'buy');
      view.equity = () => this.marginStatus()!.equity;
    }
    return view;
  }

  #tryFill(order: Order, brokerage: BrokerageModel, opportunity: FillOpportunity | undefined, pool: { left: Qty }, market: MarketEvent): void {
    if (!opportunity || !isWorking(order)) return;
    const remaining = remainingQty(order);
    const lot = brokerage.lotSize(order);
    let qty = minBigint(remaining, minBigint(pool.left, opportunity.liquidity));
    qty -= qty % lot;
    if (order.timeInForce === 'fok' && qty < remaining) return;
    if (qty <= 0n) return;

    // An auction fills at its official price, exactly: no slippage on it.
    const marketStyle = (order.type === 'market' && !isAuctionOrder(order)) || isStopMarket(order);
    const price = marketStyle ? brokerage.slippage.apply(opportunity.price, order.side) : opportunity.price;
    if (price <= 0n) return;
    let cutShort: string | undefined;
    const held = this.#options.ledger.positionQty(order.symbol);
    if (order.reservePrice > 0n) {
      // An order that opens a position: the part that closes one (a margin account's) is free.
      const closing = order.side === 'buy' ? (held < 0n ? -held : 0n) : held > 0n ? held : 0n;
      const available = this.buyingPower(order, order.symbol);
      const affordable = this.#affordable(order, brokerage, price, qty, lot, available, closing);
      // The price moved past what was held for this order: the rest cannot be paid for, so it ends here.
      const what = this.#options.margin && isMarginable(order.symbol) ? 'buying power' : 'cash';
      if (affordable < qty) cutShort = `not enough ${what} to fill the rest at ${formatPrice(price)}: ${formatUsd(available)} was available`;
      qty = affordable;
    } else if (order.side === 'buy') {
      // A cover holds nothing: it buys back the short, never past it.
      const short = held < 0n ? -held : 0n;
      if (short < remaining && qty >= short) cutShort = `${order.symbol} has no more short position to cover (the rest would open a long, which this order held no buying power for)`;
      qty = minBigint(qty, short);
    } else {
      // A strategy sells only its own lot (an account from before attribution may hold a strategy's sell of the trader's shares).
      const owner = ownerOf(order.source);
      const own = this.#ownQty(order.symbol, owner);
      if (own < remaining && qty >= own) cutShort = `${strategyNameOf(owner)} has no more ${order.symbol} of its own to sell (a strategy trades only what it bought)`;
      qty = minBigint(qty, own);
    }
    if (qty < remaining && order.timeInForce === 'fok') return;
    if (qty > 0n) {
      this.#execute(order, brokerage, qty, price, market.delayMs);
      pool.left -= qty;
    }
    if (cutShort && isWorking(order)) this.#finish(order, 'canceled', cutShort);
  }

  /** The largest lot-sized qty up to `wanted` whose cost and fee fit in `available` cents, the first `closing` of it free. */
  #affordable(order: Order, brokerage: BrokerageModel, price: Price, wanted: Qty, lot: Qty, available: Cents, closing: Qty): Qty {
    const fits = (qty: Qty): boolean => {
      const value = notional(price, qty);
      const opening = qty > closing ? notional(price, qty - closing) : 0n;
      return opening + brokerage.fee.cumulativeFee(order.filledQty + qty, order.filledNotional + value) - order.fees <= available;
    };
    if (fits(wanted)) return wanted;
    // Cost grows with qty, so binary search over whole lots (a nano lot makes stepping too slow).
    let low = 0n;
    let high = minBigint(wanted, closing + affordableQty(available, price, lot)) / lot;
    while (low < high) {
      const middle = (low + high + 1n) / 2n;
      if (fits(middle * lot)) low = middle;
      else high = middle - 1n;
    }
    return low * lot;
  }

  #execute(order: Order, brokerage: BrokerageModel, qty: Qty, price: Price, marketDelayMs: number | undefined): void {
    const { ledger, clock, listener } = this.#options;
    const value = notional(price, qty);
    const fee = brokerage.fee.cumulativeFee(order.filledQty + qty, order.filledNotional + value) - order.fees;
    const accounting = ledger.apply({ symbol: order.symbol, side: order.side, qty, price, fee });
    const lotsTaken = order.side === 'sell' ? this.attribution.takes(order.symbol, ownerOf(order.source), qty, (owner) => this.#book.sellsHeld(order.symbol, owner, order).owners) : undefined;
    const now = clock.now();
    order.filledQty += qty;
    order.filledNotional += accounting.notional;
    order.filledValue += price * qty;
    order.fees += fee;
    order.realizedPnl += accounting.realizedPnl;
    order.updatedAt = now;
    // A leg's qty grows with its entry's fills: it is not done while the entry may fill more.
    order.status = order.filledQty === order.qty && !this.#entryWorks(order) ? 'filled' : 'partially_filled';
    if (order.status === 'filled') this.#removeWorking(order);
    this.#hold(order);
    const fill: Fill = {
      id: `f-${++this.#fillSeq}`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      qty,
      price,
      notional: accounting.notional,
      fee,
      realizedPnl: accounting.realizedPnl,
      time: now,
      source: order.source,
      ...(lotsTaken ? { lotsTaken } : {}),
      ...(marketDelayMs ? { marketDelayMs } : {}),
      orderFilledQty: order.filledQty,
    };
    this.attribution.apply(fill);
    this.fills.push(fill);
    listener.fill(fill, order);
    listener.order(order);
    if (releasesLegs(order)) this.#releaseLegs(order, qty);
    else this.#shrinkPartner(order, qty);
  }

  /** An entry filled `qty`: its legs exit that much more (a held leg starts working). */
  #releaseLegs(entry: Order, qty: Qty): void {
    const released: Order[] = [];
    for (const leg of this.#legsOf(entry)) {
      if (!isWorking(leg)) continue;
      if (leg.status === 'held') {
        leg.qty = qty;
        this.#book.release(leg);
      } else {
        leg.qty += qty;
      }
      leg.updatedAt = entry.updatedAt;
      this.#options.listener.order(leg);
      released.push(leg);
    }
    if (!isWorking(entry)) this.#settleLegs(entry);
    // The market the entry filled in may already reach an exit.
    for (const leg of released) if (isWorking(leg)) this.#arrive(leg);
  }

  /** An oco order filled `qty`: its partner has that much less to do, and nothing once this one is done. */
  #shrinkPartner(order: Order, qty: Qty): void {
    const partner = this.#partnerOf(order);
    if (!partner) return;
    if (order.status === 'filled') {
      this.#finish(partner, 'canceled', `oco: ${order.id} filled`);
      return;
    }
    partner.qty -= qty;
    partner.updatedAt = order.updatedAt;
    this.#options.listener.order(partner);
  }

  /**
   * An entry stopped working. Its legs exit what it filled: nothing filled, they are canceled;
   * a leg (and its partner) with nothing left to exit is done.
   */
  #settleLegs(entry: Order): void {
    for (const leg of this.#legsOf(entry)) {
      if (!isWorking(leg)) continue;
      if (entry.filledQty === 0n) {
        const reason = `its entry ${entry.id} ${entry.status} with nothing filled`;
        this.#finish(leg, 'canceled', reason, reason);
      } else if (remainingQty(leg) === 0n && leg.filledQty > 0n) {
        leg.status = 'filled';
        leg.updatedAt = entry.updatedAt;
        this.#removeWorking(leg);
        this.#options.listener.order(leg);
      }
    }
    // A leg with nothing filled and nothing left: its partner exited everything.
    for (const leg of this.#legsOf(entry)) {
      const partner = this.#partnerOf(leg, true);
      if (isWorking(leg) && remainingQty(leg) === 0n && partner) this.#finish(leg, 'canceled', `oco: ${partner.id} filled`);
    }
  }

  /** Whether this order is a leg whose entry still works, so more may come for it to exit. */
  #entryWorks(order: Order): boolean {
    if (order.parentId === undefined || order.orderClass === 'oco') return false;
    const entry = this.#book.get(order.parentId);
    return entry !== undefined && isWorking(entry);
  }

  #legsOf(entry: Order): Order[] {
    return legIdsOf(entry).flatMap((id) => this.#book.get(id) ?? []);
  }

  /** The order's oco partner while it works (or, with `anyStatus`, however it ended). */
  #partnerOf(order: Order, anyStatus = false): Order | undefined {
    const id = ocoPartnerIdOf(order);
    const partner = id === undefined ? undefined : this.#book.get(id);
    return partner && (anyStatus || isWorking(partner)) ? partner : undefined;
  }

  /**
   * An official opening or closing print: the working orders of its auction fill at its price,
   * up to its size (a limit only if the price reaches it); what it leaves is canceled.
   */
  #auction(auction: AuctionTif, print: Trade): void {
    const pool = { left: print.size };
    for (const order of this.#book.working(print.symbol)) {
      if (order.timeInForce !== auction || !isWorking(order) || !isItsAuction(order, auction, print)) continue;
      const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
      const name = auction === 'opg' ? 'opening' : 'closing';
      if (order.type === 'limit' && !reaches(order, print.price)) {
        this.#finish(order, 'canceled', `${auction}: the official ${name} price ${formatPrice(print.price)} did not reach the limit ${formatPrice(order.limitPrice!)}`);
        continue;
      }
      this.#tryFill(order, brokerage, { price: print.price, liquidity: pool.left }, pool, print);
      if (isWorking(order)) this.#finish(order, 'canceled', `${auction}: the ${name} auction filled ${formatQty(order.filledQty)} of ${formatQty(order.qty)}; the rest was canceled`);
    }
  }

  /** Why an opg or cls order cannot be taken now, or undefined (every other order). */
  #auctionProblem(tif: Order['timeInForce']): string | undefined {
    if (!isAuctionTif(tif)) return undefined;
    if (!this.#options.auctions) return `${tif} orders fill at the official ${tif === 'opg' ? 'opening' : 'closing'} print, which only Polygon's data (live or recorded) carries; this market has none`;
    return auctionWindowProblem(tif, this.#options.clock.now());
  }

  /** A trailing stop's mark follows the market to `price` when that is the best yet (saved and shown as an order change). */
  #follow(order: Order, brokerage: BrokerageModel, price: Price | undefined): void {
    if (price === undefined || !followMarket(order, price, brokerage.tickSize)) return;
    order.updatedAt = this.#options.clock.now();
    this.#options.listener.order(order);
  }

  #trigger(order: Order): void {
    order.triggered = true;
    // A stop-limit is a limit that arrives now: the market it meets next settles whether it is marketable.
    order.marketable = undefined;
    order.updatedAt = this.#options.clock.now();
    this.#options.listener.order(order);
  }

  /**
   * Ends a working order. An entry's legs then exit what it filled (#settleLegs); a leg that ends
   * unfilled takes its oco partner with it: the two were one exit.
   */
  #finish(order: Order, status: 'canceled' | 'expired', reason: string, partnerReason = `oco: ${status} with ${order.id}`): void {
    order.status = status;
    order.reason = reason;
    order.updatedAt = this.#options.clock.now();
    this.#removeWorking(order);
    this.#hold(order);
    this.#options.listener.order(order);
    if (releasesLegs(order)) this.#settleLegs(order);
    const partner = this.#partnerOf(order);
    if (partner) this.#finish(partner, status, partnerReason);
  }

  #reject(order: Order, reason: string): Order {
    order.status = 'rejected';
    order.reason = this.#options.shown?.(reason) ?? escapeControls(reason);
    this.#options.listener.order(order);
    return order;
  }

  /** A day order expires at the close; an auction order is canceled once its auction passed without its print. */
  #scheduleEnd(order: Order): void {
    if (order.timeInForce === 'day') this.#scheduleExpiry(order);
    if (!isAuctionTif(order.timeInForce)) return;
    const tif = order.timeInForce;
    const timer = this.#options.clock.setTimer(auctionDeadline(tif, order.createdAt), () => {
      if (isWorking(order)) this.#finish(order, 'canceled', noAuctionPrint(tif, order.symbol));
    });
    this.#expiryTimers.set(order, timer);
  }

  #scheduleExpiry(order: Order): void {
    const assetClass = assetClassOf(order.symbol);
    const { hours } = this.#options;
    // The hours may know an early close or a holiday the plain calendar does not.
    const close = hours.dayOrderExpiry?.(assetClass, order.createdAt) ?? { at: dayOrderExpiry(order.createdAt, assetClass) };
    // An extended-hours day order lasts through the after-hours session of its day.
    const expiry = order.extendedHours ? { at: afterHoursEnd(order.createdAt, close.at), why: 'the end of after hours' } : close;
    order.expiresAt ??= expiry.at;
    const timer = this.#options.clock.setTimer(order.expiresAt, () => {
      if (isWorking(order)) this.#finish(order, 'expired', `day order expired at ${expiry.at === order.expiresAt && expiry.why ? expiry.why : describeExpiry(assetClass)}`);
    });
    this.#expiryTimers.set(order, timer);
  }

  #isFresh(event: MarketEvent): boolean {
    return this.#options.clock.now() - arrivalOf(event) <= this.#options.maxQuoteAgeMs;
  }

  /** Sets what a working order that opens a position holds: its remaining qty at its reserve price, plus the fee still to come. */
  #hold(order: Order): void {
    let held = 0n;
    if (order.reservePrice > 0n && isWorking(order)) {
      const value = notional(order.reservePrice, remainingQty(order));
      const brokerage = brokerageFor(this.#options.brokerage, order.symbol);
      held = value + brokerage.fee.cumulativeFee(order.qty, order.filledNotional + value) - order.fees;
    }
    this.#reservedTotal += held - order.reserved;
    order.reserved = held;
  }

  #removeWorking(order: Order): void {
    this.#expiryTimers.get(order)?.cancel();
    this.#expiryTimers.delete(order);
    this.#book.retire(order);
  }

  /** The order a rejected request makes: what it asked for, however wrong, as it may be shown. */
  #looseOrder(request: OrderRequest, source: string): Order {
    const fields = looseFields(request);
    const shown = this.#options.shown ?? escapeControls;
    return this.#newOrder({ ...fields, symbol: shown(fields.symbol), ...(fields.clientOrderId === undefined ? {} : { clientOrderId: shown(fields.clientOrderId) }) }, source);
  }

  #newOrder(fields: OrderFields, source: string): Order {
    return this.#book.open(fields, source, this.#options.clock.now());
  }
}

/**
 * When an extended-hours day order ends: four hours after its session's close (20:00 ET, 17:00
 * after an early close), tonight's when placed in the after hours. (Worked out only for those
 * orders: New York wall times cost microseconds.)
 */
function afterHoursEnd(createdAt: number, close: number): number {
  const inAfterHours = isExtendedSession(createdAt) && createdAt >= newYorkWallTime(createdAt, 0, 16);
  return inAfterHours ? newYorkWallTime(createdAt, 0, 20) : close + AFTER_HOURS_MS;
}

/** The context of the quote standing when an order arrives: the newest, fresh, the finest data. */
const STANDING: EventContext = { late: false, stale: false, finerData: false };

/** A limit, or a stop-limit whose stop was reached: it has a limit price to fill at or through. */
const isLimitLike = (order: Order): boolean => order.type === 'limit' || (order.type === 'stop_limit' && order.triggered);

const isUntriggeredStop = (order: Order): boolean => (isStopMarket(order) || order.type === 'stop_limit') && !order.triggered;
