import { minBigint, type Qty } from '../money.ts';
import type { Side } from '../orders/order.ts';

/** Who holds units of a position: the trader ('user': the screen, the HTTP API, a program) or one strategy ('strategy:NAME'). */
export const USER_OWNER = 'user';

export const ownerOf = (source: string): string => (source.startsWith('strategy:') ? source : USER_OWNER);

export interface AttributedFill {
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Qty;
  readonly source: string;
}

export interface Lot {
  readonly owner: string;
  readonly qty: Qty;
}

/**
 * Each position's quantity by owner, as lots: a view over the fills, rebuilt by replaying them,
 * never part of the books' arithmetic (cash, cost basis and PnL stay the account's). A buy adds to
 * its owner's lot. A sell takes from its owner's lot first; what is left of it (a trader selling
 * what a strategy bought, or history from before attribution) comes from the other lots, oldest
 * first. So the lots of a symbol always add up to its position.
 */
export class PositionAttribution {
  /** symbol → owner → qty, lots in the order they were opened. */
  readonly #lots = new Map<string, Map<string, Qty>>();

  apply(fill: AttributedFill): void {
    let lots = this.#lots.get(fill.symbol);
    if (!lots) this.#lots.set(fill.symbol, (lots = new Map()));
    const owner = ownerOf(fill.source);
    if (fill.side === 'buy') {
      lots.set(owner, (lots.get(owner) ?? 0n) + fill.qty);
      return;
    }
    let left = this.#take(lots, owner, fill.qty);
    for (const other of lots.keys()) {
      if (left === 0n) break;
      left = this.#take(lots, other, left);
    }
    if (lots.size === 0) this.#lots.delete(fill.symbol);
  }

  /** What `owner` holds of `symbol`. */
  held(symbol: string, owner: string): Qty {
    return this.#lots.get(symbol)?.get(owner) ?? 0n;
  }

  /** The lots of a symbol, oldest first. */
  lots(symbol: string): Lot[] {
    return [...(this.#lots.get(symbol) ?? [])].map(([owner, qty]) => ({ owner, qty }));
  }

  /** Takes up to `qty` from one owner's lot; returns what it could not take. */
  #take(lots: Map<string, Qty>, owner: string, qty: Qty): Qty {
    const held = lots.get(owner) ?? 0n;
    const taken = minBigint(held, qty);
    if (held - taken === 0n) lots.delete(owner);
    else lots.set(owner, held - taken);
    return qty - taken;
  }
}
