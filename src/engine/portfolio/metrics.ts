import type { Cents } from '../money.ts';
import { isWorking, type Order } from '../orders/order.ts';

export interface TradeMetrics {
  /** Orders that traded (filled at least partly). */
  totalTrades: number;
  /** Closing orders that traded: a sell of a long, or a margin account's buy that covers a short. */
  closedTrades: number;
  winningTrades: number;
  losingTrades: number;
  /** winningTrades / closedTrades, 0 when nothing closed yet (rounded to 4 decimals). */
  winRate: number;
  totalFills: number;
}

/**
 * The trade counts, kept as orders finish: a finished order never changes again, so each is
 * counted once, and a snapshot adds only the working orders (a few) instead of walking an
 * account's whole history. A closing trade counts once its order is done, won if its realized
 * PnL is above zero.
 */
export class TradeTally {
  #traded = 0;
  #closed = 0;
  #won = 0;
  #lost = 0;

  /** Counts an order that is done (filled, canceled, expired or rejected). */
  finished(order: Order): void {
    if (order.filledQty === 0n) return;
    this.#traded++;
    // An order that holds nothing only closes (a sell of what is held, a cover); one that holds buying power opens.
    if (order.reservePrice !== 0n) return;
    this.#closed++;
    if (order.realizedPnl > 0n) this.#won++;
    else if (order.realizedPnl < 0n) this.#lost++;
  }

  /** The metrics with the still-working orders added: those that traded count as trades, not yet as closed. */
  metrics(working: readonly Order[], totalFills: number): TradeMetrics {
    const tradedWorking = working.filter((order) => order.filledQty > 0n && isWorking(order)).length;
    const closedTrades = this.#closed;
    const winRate = closedTrades === 0 ? 0 : Math.round((this.#won / closedTrades) * 10_000) / 10_000;
    return { totalTrades: this.#traded + tradedWorking, closedTrades, winningTrades: this.#won, losingTrades: this.#lost, winRate, totalFills };
  }
}

export interface EquityPoint {
  time: number;
  equity: Cents;
}

/**
 * Total equity over the session for charts. Bounded: when full, every other point is dropped
 * and the sampling interval doubles, so a long session keeps its whole shape.
 */
export class EquitySeries {
  readonly #points: EquityPoint[] = [];
  readonly #capacity: number;
  #interval: number;

  constructor(intervalMs = 1000, capacity = 10_000) {
    this.#interval = intervalMs;
    this.#capacity = capacity;
  }

  /** Whether a point at `time` is due (so callers value the portfolio only when needed). */
  due(time: number): boolean {
    const last = this.#points.at(-1);
    return !last || time - last.time >= this.#interval;
  }

  add(time: number, equity: Cents): void {
    const last = this.#points.at(-1);
    if (last && last.time === time) {
      last.equity = equity;
      return;
    }
    this.#points.push({ time, equity });
    if (this.#points.length > this.#capacity) {
      const kept = this.#points.filter((_, index) => index % 2 === 0 || index === this.#points.length - 1);
      this.#points.splice(0, this.#points.length, ...kept);
      this.#interval *= 2;
    }
  }

  points(): readonly EquityPoint[] {
    return this.#points;
  }
}
