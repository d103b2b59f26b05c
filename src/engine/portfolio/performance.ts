// Risk-adjusted performance from the equity series: the metrics nautilus_trader, Lean and
// freqtrade report beside win rate. Ratios are floats (they are statistics, not money); amounts
// stay exact cents. Stated conventions: returns are daily (the last equity of each New York
// day), 252 trading days a year, the risk-free rate a yearly fraction (0 unless given).
import type { Cents } from '../money.ts';
import { addDays, newYorkDate, newYorkDayStart } from '../market/trading-day.ts';
import type { EquityPoint, TradeCounts } from './metrics.ts';

export const TRADING_DAYS_A_YEAR = 252;
const YEAR_MS = 365.25 * 86_400_000;
/** Annualizing a shorter span misleads (a good hour is not a 10,000% year): CAGR is null under it. */
export const MIN_CAGR_SPAN_MS = 30 * 86_400_000;

export interface Drawdown {
  /** Peak to trough, in cents. */
  amount: Cents;
  /** amount / peak (0.1 is 10%). */
  percent: number;
  /** From the peak to when equity first got back to it, or to the last point if it has not yet. */
  durationMs: number;
  peakTime: number;
  troughTime: number;
  recovered: boolean;
}

export interface EquityStats {
  startEquity: Cents;
  endEquity: Cents;
  /** end / start − 1. */
  totalReturn: number;
  /** Daily returns counted (days with a close, less one). */
  days: number;
  sharpe: number | null;
  sortino: number | null;
  /** Compound yearly growth; null under 30 days. */
  cagr: number | null;
  maxDrawdown: Drawdown | null;
  /** Time-weighted Σ |position value| / equity (0.35: a third of the equity in the market on average); null when no point says what the positions were worth. */
  exposure: number | null;
  /** The share of the time any position was held. */
  timeInMarket: number | null;
  /** The mean of the daily closes: what turnover is measured against. */
  averageEquity: Cents;
}

/** The last equity of each New York day, in order. */
export function dailyCloses(points: readonly EquityPoint[]): EquityPoint[] {
  const tracker = new EquityTracker();
  for (const point of points) tracker.add(point);
  return tracker.closes();
}

export function equityStats(points: readonly EquityPoint[], riskFreeRate = 0): EquityStats | null {
  const tracker = new EquityTracker();
  for (const point of points) tracker.add(point);
  return tracker.stats(riskFreeRate);
}

/** The deepest fall from a peak (by amount), how long it lasted, and whether equity got back to the peak. */
export function maxDrawdown(points: readonly EquityPoint[]): Drawdown | null {
  const tracker = new EquityTracker();
  for (const point of points) tracker.add(point);
  return tracker.stats()?.maxDrawdown ?? null;
}

/**
 * The equity series' statistics, kept as it grows: each point costs a comparison or two, so a
 * backtest of a million bars and an account of years report at once, without reading the series
 * again. Keeps the daily closes (one point a New York day) and the drawdown so far.
 */
export class EquityTracker {
  #first: EquityPoint | undefined;
  #last: EquityPoint | undefined;
  #closes: EquityPoint[] = [];
  /** The New York day of the last close: [start, end) in Unix ms. */
  #dayStart = 0;
  #dayEnd = 0;
  #peak: EquityPoint | undefined;
  /** The fall under way from the last peak, if any. */
  #fall: { peak: EquityPoint; trough: EquityPoint } | undefined;
  #worst: Drawdown | null = null;
  /** The newest point, kept aside: a later one at the same instant replaces it, as in the equity series. */
  #pending: EquityPoint | undefined;
  /** Time (ms) covered by points that say what the positions were worth; of it, Σ Δt × gross/equity, and the time with a position. */
  #knownMs = 0;
  #exposureMs = 0;
  #inMarketMs = 0;

  add(point: EquityPoint): void {
    if (this.#pending && this.#pending.time !== point.time) this.#commit(this.#pending);
    this.#pending = point;
  }

  #commit(point: EquityPoint): void {
    // The positions of the point before held until this one.
    const before = this.#last;
    if (before?.gross !== undefined && before.equity > 0n && point.time > before.time) {
      const span = point.time - before.time;
      this.#knownMs += span;
      this.#exposureMs += span * (Number(before.gross) / Number(before.equity));
      if (before.gross > 0n) this.#inMarketMs += span;
    }
    this.#first ??= point;
    this.#last = point;
    if (point.time >= this.#dayStart && point.time < this.#dayEnd) this.#closes[this.#closes.length - 1] = point;
    else {
      const date = newYorkDate(point.time);
      this.#dayStart = newYorkDayStart(date);
      this.#dayEnd = newYorkDayStart(addDays(date, 1));
      this.#closes.push(point);
    }
    if (!this.#peak || point.equity >= this.#peak.equity) {
      this.#worst = this.#deeper(point, true);
      this.#fall = undefined;
      this.#peak = point;
    } else if (!this.#fall || point.equity < this.#fall.trough.equity) {
      this.#fall = { peak: this.#peak, trough: point };
    }
  }

  /** The first point's time; undefined before any. */
  get firstTime(): number | undefined {
    return (this.#first ?? this.#pending)?.time;
  }

  /** The last point of each New York day so far. */
  closes(): EquityPoint[] {
    return this.#settled().#closes;
  }

  /** The statistics of the series so far, and with `now` as its last point when given (it is not kept). */
  stats(riskFreeRate = 0, now?: EquityPoint): EquityStats | null {
    return this.#settled(now).#statsOfCommitted(riskFreeRate);
  }

  /** A copy with every point committed (and `now` after them). */
  #settled(now?: EquityPoint): EquityTracker {
    const copy = this.#copy();
    if (now) copy.add(now);
    if (copy.#pending) copy.#commit(copy.#pending);
    copy.#pending = undefined;
    return copy;
  }

  #statsOfCommitted(riskFreeRate: number): EquityStats | null {
    const first = this.#first;
    const last = this.#last;
    if (!first || !last || first.equity <= 0n) return null;
    const closes = this.#closes;
    const returns = closes.slice(1).map((close, i) => Number(close.equity) / Number(closes[i]!.equity) - 1);
    const riskFreeDaily = riskFreeRate / TRADING_DAYS_A_YEAR;
    const excess = returns.map((r) => r - riskFreeDaily);
    const mean = average(excess);
    const deviation = sampleDeviation(excess);
    const downside = excess.length === 0 ? 0 : Math.sqrt(excess.reduce((sum, r) => sum + Math.min(0, r) ** 2, 0) / excess.length);
    const annual = Math.sqrt(TRADING_DAYS_A_YEAR);
    const span = last.time - first.time;
    const growth = Number(last.equity) / Number(first.equity);
    return {
      startEquity: first.equity,
      endEquity: last.equity,
      totalReturn: growth - 1,
      days: returns.length,
      sharpe: returns.length >= 2 && deviation > 0 ? (mean / deviation) * annual : null,
      sortino: returns.length >= 2 && downside > 0 ? (mean / downside) * annual : null,
      cagr: span >= MIN_CAGR_SPAN_MS && growth > 0 ? growth ** (YEAR_MS / span) - 1 : null,
      // The fall under way counts too, ending at the last point, not recovered.
      maxDrawdown: this.#deeper(last, false),
      exposure: this.#knownMs > 0 ? this.#exposureMs / this.#knownMs : null,
      timeInMarket: this.#knownMs > 0 ? this.#inMarketMs / this.#knownMs : null,
      averageEquity: closes.reduce((sum, close) => sum + close.equity, 0n) / BigInt(closes.length),
    };
  }

  /** The worst drawdown so far, or the fall under way if it is deeper (ending at `end`). */
  #deeper(end: EquityPoint, recovered: boolean): Drawdown | null {
    const fall = this.#fall;
    if (!fall) return this.#worst;
    const amount = fall.peak.equity - fall.trough.equity;
    if (amount <= 0n || (this.#worst && amount <= this.#worst.amount)) return this.#worst;
    return {
      amount,
      percent: Number(amount) / Number(fall.peak.equity),
      durationMs: end.time - fall.peak.time,
      peakTime: fall.peak.time,
      troughTime: fall.trough.time,
      recovered,
    };
  }

  #copy(): EquityTracker {
    const copy = new EquityTracker();
    copy.#first = this.#first;
    copy.#last = this.#last;
    copy.#closes = [...this.#closes];
    copy.#dayStart = this.#dayStart;
    copy.#dayEnd = this.#dayEnd;
    copy.#peak = this.#peak;
    copy.#fall = this.#fall;
    copy.#worst = this.#worst;
    copy.#pending = this.#pending;
    copy.#knownMs = this.#knownMs;
    copy.#exposureMs = this.#exposureMs;
    copy.#inMarketMs = this.#inMarketMs;
    return copy;
  }
}

const average = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length);

function sampleDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = average(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1));
}

export interface TradeStats {
  trades: number;
  closedTrades: number;
  winningTrades: number;
  losingTrades: number;
  winRate: number;
  grossProfit: Cents;
  grossLoss: Cents;
  /** grossProfit / −grossLoss; null with no losing trade. */
  profitFactor: number | null;
  /** The average realized PnL of a closed trade (cents, rounded toward zero); null with none. */
  expectancy: Cents | null;
  averageWin: Cents | null;
  averageLoss: Cents | null;
  fees: Cents;
}

/** What the finished orders' counts say: win rate, profit factor, expectancy, average win and loss. */
export function tradeStats(counts: TradeCounts): TradeStats {
  const { traded, closed, won, lost, grossProfit, grossLoss, fees } = counts;
  return {
    trades: traded,
    closedTrades: closed,
    winningTrades: won,
    losingTrades: lost,
    winRate: closed === 0 ? 0 : won / closed,
    grossProfit,
    grossLoss,
    profitFactor: grossLoss === 0n ? null : Number(grossProfit) / -Number(grossLoss),
    expectancy: closed === 0 ? null : (grossProfit + grossLoss) / BigInt(closed),
    averageWin: won === 0 ? null : grossProfit / BigInt(won),
    averageLoss: lost === 0 ? null : grossLoss / BigInt(lost),
    fees,
  };
}
