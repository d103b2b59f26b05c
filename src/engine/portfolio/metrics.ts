import type { Cents } from '../money.ts';
import { isWorking, type Order } from '../orders/order.ts';

export interface TradeMetrics {
  /** Orders that traded (filled at least partly). */
  totalTrades: number;
  /** Sell orders that traded: each closes (part of) a position. */
  closedTrades: number;
  winningTrades: number;
  losingTrades: number;
  /** winningTrades / closedTrades, 0 when nothing closed yet (rounded to 4 decimals). */
  winRate: number;
  totalFills: number;
}

/** A closing trade counts once its order is done, won if its realized PnL is above zero. */
export function tradeMetrics(orders: readonly Order[], totalFills: number): TradeMetrics {
  let totalTrades = 0;
  let closedTrades = 0;
  let winningTrades = 0;
  let losingTrades = 0;
  for (const order of orders) {
    if (order.filledQty === 0n) continue;
    totalTrades++;
    if (order.side !== 'sell' || isWorking(order)) continue;
    closedTrades++;
    if (order.realizedPnl > 0n) winningTrades++;
    else if (order.realizedPnl < 0n) losingTrades++;
  }
  const winRate = closedTrades === 0 ? 0 : Math.round((winningTrades / closedTrades) * 10_000) / 10_000;
  return { totalTrades, closedTrades, winningTrades, losingTrades, winRate, totalFills };
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
