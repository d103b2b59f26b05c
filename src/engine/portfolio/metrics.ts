import type { Cents } from '../money.ts';
import { isWorking, type Order } from '../orders/order.ts';
import { ownerOf } from './attribution.ts';

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

/** What the orders that traded add up to: counts, and the realized PnL of those that closed. */
export interface TradeCounts {
  traded: number;
  closed: number;
  won: number;
  lost: number;
  /** Σ realized PnL of the closing orders that made money, and of those that lost (negative). */
  grossProfit: Cents;
  grossLoss: Cents;
  /** Fees of every order that traded. */
  fees: Cents;
  /** Σ notional of every order that traded, buys and sells alike (turnover's numerator). */
  tradedValue: Cents;
}

const noTrades = (): TradeCounts => ({ traded: 0, closed: 0, won: 0, lost: 0, grossProfit: 0n, grossLoss: 0n, fees: 0n, tradedValue: 0n });

/**
 * The trade counts, kept as orders finish: a finished order never changes again, so each is
 * counted once, and a snapshot adds only the working orders (a few) instead of walking an
 * account's whole history. A closing trade counts once its order is done, won if its realized
 * PnL is above zero. Kept for the account, per symbol and per owner (the trader, each strategy).
 */
export class TradeTally {
  readonly #all = noTrades();
  readonly #bySymbol = new Map<string, TradeCounts>();
  readonly #byOwner = new Map<string, TradeCounts>();

  /** Counts an order that is done (filled, canceled, expired or rejected). */
  finished(order: Order): void {
    if (order.filledQty === 0n) return;
    for (const counts of [this.#all, entry(this.#bySymbol, order.symbol), entry(this.#byOwner, ownerOf(order.source))]) add(counts, order);
  }

  /** The metrics with the still-working orders added: those that traded count as trades, not yet as closed. */
  metrics(working: readonly Order[], totalFills: number): TradeMetrics {
    const tradedWorking = working.filter((order) => order.filledQty > 0n && isWorking(order)).length;
    const { closed, won, lost, traded } = this.#all;
    const winRate = closed === 0 ? 0 : Math.round((won / closed) * 10_000) / 10_000;
    return { totalTrades: traded + tradedWorking, closedTrades: closed, winningTrades: won, losingTrades: lost, winRate, totalFills };
  }

  /** The finished orders' counts: the account's, and per symbol and per owner. */
  counts(): { all: TradeCounts; bySymbol: ReadonlyMap<string, TradeCounts>; byOwner: ReadonlyMap<string, TradeCounts> } {
    return { all: this.#all, bySymbol: this.#bySymbol, byOwner: this.#byOwner };
  }
}

function entry(map: Map<string, TradeCounts>, key: string): TradeCounts {
  let counts = map.get(key);
  if (!counts) map.set(key, (counts = noTrades()));
  return counts;
}

function add(counts: TradeCounts, order: Order): void {
  counts.traded++;
  counts.fees += order.fees;
  counts.tradedValue += order.filledNotional < 0n ? -order.filledNotional : order.filledNotional;
  // An order that holds nothing only closes (a sell of what is held, a cover); one that holds buying power opens.
  if (order.reservePrice !== 0n) return;
  counts.closed++;
  if (order.realizedPnl > 0n) {
    counts.won++;
    counts.grossProfit += order.realizedPnl;
  } else if (order.realizedPnl < 0n) {
    counts.lost++;
    counts.grossLoss += order.realizedPnl;
  }
}

/** The points an equity series keeps before it halves its resolution. */
export const EQUITY_POINTS_KEPT = 10_000;

export interface EquityPoint {
  time: number;
  equity: Cents;
  /** Σ |position value| then (exposure); absent in points saved before schema 7. */
  gross?: Cents;
}

/**
 * Total equity over the session for charts. Bounded: when full, every other point is dropped
 * and the sampling interval doubles, so a long session keeps its whole shape.
 */
export class EquitySeries {
  readonly #points: EquityPoint[] = [];
  readonly #capacity: number;
  #interval: number;

  constructor(intervalMs = 1000, capacity = EQUITY_POINTS_KEPT) {
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
