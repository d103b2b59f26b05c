import { minBigint, type Qty } from '../money.ts';
import type { Side } from '../orders/order.ts';

/** Who holds units of a position: the trader ('user': the screen, the HTTP API, a program) or one strategy ('strategy:NAME'). */
export const USER_OWNER = 'user';
const STRATEGY_PREFIX = 'strategy:';

/** The source (and owner) of a strategy's orders and fills. */
export const strategySource = (name: string): string => `${STRATEGY_PREFIX}${name}`;

export const ownerOf = (source: string): string => (source.startsWith(STRATEGY_PREFIX) ? source : USER_OWNER);

/** The strategy's name of a 'strategy:NAME' owner (or source). */
export const strategyNameOf = (owner: string): string => owner.slice(STRATEGY_PREFIX.length);

/** Units a sell took from one owner's lot. */
export interface Lot {
  readonly owner: string;
  readonly qty: Qty;
}

export interface AttributedFill {
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly source: string;
  /** For a sell: the lots it took (saved with the fill). Fills saved before lots existed have none: the default rule applies. */
  readonly lotsTaken?: readonly Lot[] | undefined;
}

/**
 * Each position's quantity by owner, as lots: a view over the fills, rebuilt by replaying them,
 * never part of the books' arithmetic (cash, cost basis and PnL stay the account's). A buy adds to
 * its owner's lot. A sell takes from its owner's lot first; what is left of it (a trader selling
 * what a strategy bought) comes from the other lots, oldest first, units no working sell holds
 * before units one does. Each sell keeps the lots it took, so the rebuild needs no orders. So
 * the lots of a symbol always add up to its position. A sell past every long lot (a margin
 * account's short, the trader's only) leaves its owner's lot negative; buys cover it.
 */
export class PositionAttribution {
  /** symbol → owner → qty, lots in the order they were opened. */
  readonly #lots = new Map<string, Map<string, Qty>>();

  /**
   * The lots a sell of `qty` by `owner` takes. `held(owner)` is what the working sells of that
   * owner hold: a trader's sell takes another owner's free units before ones its own sell waits for.
   */
  takes(symbol: string, owner: string, qty: Qty, held: (owner: string) => Qty): Lot[] {
    const lots = this.#lots.get(symbol) ?? new Map<string, Qty>();
    const taken = new Map<string, Qty>();
    let left = qty;
    const take = (from: string, most: Qty): void => {
      const amount = minBigint(left, minBigint(most, (lots.get(from) ?? 0n) - (taken.get(from) ?? 0n)));
      if (amount <= 0n) return;
      taken.set(from, (taken.get(from) ?? 0n) + amount);
      left -= amount;
    };
    take(owner, left);
    for (const other of lots.keys()) if (other !== owner) take(other, (lots.get(other) ?? 0n) - held(other));
    for (const other of lots.keys()) take(other, left);
    // What no lot held is sold short: it is the seller's own.
    if (left > 0n) taken.set(owner, (taken.get(owner) ?? 0n) + left);
    return [...taken].map(([from, amount]) => ({ owner: from, qty: amount }));
  }

  apply(fill: AttributedFill): void {
    let lots = this.#lots.get(fill.symbol);
    if (!lots) this.#lots.set(fill.symbol, (lots = new Map()));
    const owner = ownerOf(fill.source);
    if (fill.side === 'buy') {
      this.#add(lots, owner, fill.qty);
      if (lots.size === 0) this.#lots.delete(fill.symbol);
      return;
    }
    // A sell saved before lots existed takes its owner's lot first, then the oldest.
    let left = fill.qty;
    if (fill.lotsTaken) for (const lot of fill.lotsTaken) left -= lot.qty - this.#take(lots, lot.owner, lot.qty);
    else left = this.#take(lots, owner, left);
    // What the saved lots did not cover (a hand-edited record) still leaves the position whole.
    for (const other of lots.keys()) {
      if (left === 0n) break;
      left = this.#take(lots, other, left);
    }
    // Past every long lot: a short, the seller's.
    if (left > 0n) this.#add(lots, owner, -left);
    if (lots.size === 0) this.#lots.delete(fill.symbol);
  }

  /**
   * A split took the position from `before` to `after`: each lot goes by the same ratio, rounded
   * down to the nano, and the oldest lot takes what rounding left, so the lots still add up.
   */
  resize(symbol: string, before: Qty, after: Qty): void {
    const lots = this.#lots.get(symbol);
    if (!lots || before === 0n) return;
    let left = after;
    for (const [owner, qty] of lots) {
      const scaled = (qty * after) / before;
      lots.set(owner, scaled);
      left -= scaled;
    }
    const oldest = lots.keys().next().value;
    if (oldest !== undefined && left !== 0n) lots.set(oldest, lots.get(oldest)! + left);
  }

  /** Sets a symbol's lots outright (a split met late, whose lots were worked out one by one). */
  setLots(symbol: string, lots: readonly Lot[]): void {
    const kept = lots.filter((lot) => lot.qty > 0n);
    if (kept.length === 0) this.#lots.delete(symbol);
    else this.#lots.set(symbol, new Map(kept.map((lot) => [lot.owner, lot.qty])));
  }

  /** What `owner` holds of `symbol`. */
  held(symbol: string, owner: string): Qty {
    return this.#lots.get(symbol)?.get(owner) ?? 0n;
  }

  /** The lots of a symbol, oldest first. */
  lots(symbol: string): Lot[] {
    return [...(this.#lots.get(symbol) ?? [])].map(([owner, qty]) => ({ owner, qty }));
  }

  /** Adds to one owner's lot (a negative qty is a short); a lot that comes to nothing goes. */
  #add(lots: Map<string, Qty>, owner: string, qty: Qty): void {
    const next = (lots.get(owner) ?? 0n) + qty;
    if (next === 0n) lots.delete(owner);
    else lots.set(owner, next);
  }

  /** Takes up to `qty` from one owner's long lot; returns what it could not take. */
  #take(lots: Map<string, Qty>, owner: string, qty: Qty): Qty {
    const held = lots.get(owner) ?? 0n;
    if (held <= 0n) return qty;
    const taken = minBigint(held, qty);
    if (held - taken === 0n) lots.delete(owner);
    else lots.set(owner, held - taken);
    return qty - taken;
  }
}
