import type { Qty } from '../money.ts';
import { isWorking, ocoPartnerIdOf, ORDER_CLASSES, remainingQty, type Order, type OrderClass, type OrderRequest } from '../orders/order.ts';
import { MAX_CLIENT_ORDER_ID, readOrderFields, type ValidOrderRequest } from '../orders/validate-order.ts';
import { ownerOf } from '../portfolio/attribution.ts';
import { TradeTally, type TradeMetrics } from '../portfolio/metrics.ts';
import { seqOf } from '../history-page.ts';

export type OrderFields = Pick<ValidOrderRequest, 'clientOrderId' | 'symbol' | 'side' | 'type' | 'timeInForce' | 'qty' | 'limitPrice' | 'stopPrice' | 'trailPrice' | 'trailPercent' | 'orderClass' | 'extendedHours'> & {
  parentId?: string | undefined;
};

/**
 * The account's orders as the executor keeps its rules over them: the working ones by symbol,
 * the most recent ones, and their ids. Older finished orders leave memory once saved (forget());
 * `stored` finds them in the account's store. Client order ids belong to the first accepted
 * order that used them.
 */
export class OrderBook {
  /** The most recent orders in memory, oldest first (every order until forget() trims it). */
  readonly orders: Order[] = [];
  readonly #byId = new Map<string, Order>();
  readonly #byClientId = new Map<string, string>();
  readonly #working = new Map<string, Order[]>();
  /** Legs waiting for their entry to fill: open, but not working yet. */
  readonly #held = new Set<Order>();
  readonly #tally = new TradeTally();
  readonly #stored: (id: string) => Order | undefined;
  #seq = 0;

  constructor(stored: (id: string) => Order | undefined = () => undefined) {
    this.#stored = stored;
  }

  /** Orders ever placed: the highest id number. */
  get count(): number {
    return this.#seq;
  }

  /** Keeps only the last `keep` orders in memory, and the working ones; the rest are in the store. */
  forget(keep: number): void {
    const gone = this.orders.splice(0, Math.max(0, this.orders.length - keep));
    for (const order of gone) if (!isWorking(order)) this.#byId.delete(order.id);
  }

  /** The trade counts of every order, without walking the finished ones again. */
  metrics(totalFills: number): TradeMetrics {
    return this.#tally.metrics(this.working(), totalFills);
  }

  /** The finished orders' trade counts: the account's, per symbol, per owner. */
  tradeCounts(): ReturnType<TradeTally['counts']> {
    return this.#tally.counts();
  }

  /**
   * Working orders and the last `recent` orders, oldest first: what a screen shows, found without
   * walking the whole history.
   */
  recent(recent: number): Order[] {
    const tail = this.orders.slice(Math.max(0, this.orders.length - recent));
    const first = tail[0] === undefined ? Number.POSITIVE_INFINITY : seqOf(tail[0].id);
    const older = this.openOrders().filter((order) => seqOf(order.id) < first);
    return [...older.sort((a, b) => seqOf(a.id) - seqOf(b.id)), ...tail];
  }

  get(id: string): Order | undefined {
    return this.#byId.get(id) ?? (/^o-[1-9]\d*$/.test(id) && seqOf(id) <= this.#seq ? this.#stored(id) : undefined);
  }

  byClientId(clientOrderId: string): Order | undefined {
    const id = this.#byClientId.get(clientOrderId);
    return id === undefined ? undefined : this.get(id);
  }

  /** How many orders work in `symbol` (no copy: asked for every market event). */
  workingCount(symbol: string): number {
    return this.#working.get(symbol)?.length ?? 0;
  }

  /** Working orders, oldest first within each symbol (a copy: the caller may change them). */
  working(symbol?: string): Order[] {
    if (symbol !== undefined) return [...(this.#working.get(symbol) ?? [])];
    return [...this.#working.values()].flat();
  }

  /** Open orders: the working ones and the held legs, oldest first. */
  openOrders(): Order[] {
    return [...this.working(), ...this.#held].sort((a, b) => seqOf(a.id) - seqOf(b.id));
  }

  /**
   * What the working sells in `symbol` hold: of everyone, and of one owner (an order left out).
   * The two orders of an oco pair hold the same units, which only one of them will sell: they
   * count once (and not at all when one of them is left out).
   */
  sellsHeld(symbol: string, owner: string, except?: Order): { all: Qty; owners: Qty } {
    let all = 0n;
    let owners = 0n;
    for (const order of this.#working.get(symbol) ?? []) {
      if (order.side !== 'sell' || order === except || this.#countedWithPartner(order, except)) continue;
      all += remainingQty(order);
      if (ownerOf(order.source) === owner) owners += remainingQty(order);
    }
    return { all, owners };
  }

  /** Whether an oco pair's units are already counted with (or left out along with) this order's partner. */
  #countedWithPartner(order: Order, except: Order | undefined): boolean {
    const partnerId = ocoPartnerIdOf(order);
    const partner = partnerId === undefined ? undefined : this.#byId.get(partnerId);
    if (!partner || partner.status === 'held' || !isWorking(partner)) return false;
    return partner === except || seqOf(partner.id) < seqOf(order.id);
  }

  /** A new order, status `new`, as `source` asked for it at `now`. */
  open(fields: OrderFields, source: string, now: number): Order {
    const order: Order = {
      id: `o-${++this.#seq}`,
      ...fields,
      parentId: fields.parentId,
      source,
      createdAt: now,
      updatedAt: now,
      status: 'new',
      reason: undefined,
      filledQty: 0n,
      filledNotional: 0n,
      filledValue: 0n,
      fees: 0n,
      realizedPnl: 0n,
      triggered: false,
      hwm: undefined,
      marketable: undefined,
      reservePrice: 0n,
      reserved: 0n,
      expiresAt: undefined,
    };
    this.orders.push(order);
    this.#byId.set(order.id, order);
    return order;
  }

  /** An order the rules accepted: it works, and its client order id is taken. */
  accept(order: Order): void {
    order.status = 'accepted';
    if (order.clientOrderId !== undefined) this.#byClientId.set(order.clientOrderId, order.id);
    this.#list(order.symbol).push(order);
  }

  /** A leg that waits for its entry to fill: it neither works nor is finished (status `held`). */
  hold(order: Order): void {
    order.status = 'held';
    this.#held.add(order);
  }

  /** A held leg its entry's first fill released: it works now. */
  release(order: Order): void {
    order.status = 'accepted';
    this.#held.delete(order);
    this.#list(order.symbol).push(order);
  }

  /** An order of a recovered account, as it was saved. */
  restore(order: Order): void {
    this.orders.push(order);
    this.#byId.set(order.id, order);
    this.#seq = Math.max(this.#seq, seqOf(order.id));
    // The first accepted order with an id keeps it (an account saved before ids were unique may hold more).
    if (order.clientOrderId !== undefined && order.status !== 'rejected' && !this.#byClientId.has(order.clientOrderId)) this.#byClientId.set(order.clientOrderId, order.id);
    if (!isWorking(order)) this.#tally.finished(order);
    else if (order.status === 'held') this.#held.add(order);
    else this.#list(order.symbol).push(order);
  }

  /** The order no longer works (filled or finished; a held leg was never in the working list). */
  retire(order: Order): void {
    const list = this.#working.get(order.symbol);
    const index = list?.indexOf(order) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
    this.#held.delete(order);
    this.#tally.finished(order);
  }

  #list(symbol: string): Order[] {
    let list = this.#working.get(symbol);
    if (!list) this.#working.set(symbol, (list = []));
    return list;
  }
}

/** A rejected request is still recorded, showing what was asked for as far as it can be read. */
export function looseFields(request: OrderRequest): OrderFields {
  const read = readOrderFields(request);
  const fields: Record<string, unknown> = read.ok ? read.fields : {};
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' && value !== '' ? value.slice(0, 32) : fallback);
  return {
    clientOrderId: typeof fields['clientOrderId'] === 'string' ? fields['clientOrderId'].slice(0, MAX_CLIENT_ORDER_ID) : undefined,
    symbol: text(fields['symbol'], '?').toUpperCase(),
    side: text(fields['side'], '?') as Order['side'],
    type: text(fields['type'], 'market') as Order['type'],
    timeInForce: text(fields['timeInForce'], 'day') as Order['timeInForce'],
    qty: 0n,
    limitPrice: undefined,
    stopPrice: undefined,
    trailPrice: undefined,
    trailPercent: undefined,
    orderClass: ORDER_CLASSES.includes(fields['orderClass'] as OrderClass) ? (fields['orderClass'] as OrderClass) : 'simple',
    extendedHours: fields['extendedHours'] === true,
  };
}
