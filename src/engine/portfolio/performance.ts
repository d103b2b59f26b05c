// Risk-adjusted performance from the equity series: the metrics nautilus_trader, Lean and
// freqtrade report beside win rate. Ratios are floats (they are statistics, not money); amounts
// stay exact cents. Stated conventions: returns are daily (the last equity of each New York
// day), 252 trading days a year, the risk-free rate a yearly fraction (0 unless given).
import type { Cents } from '../money.ts';
import { newYorkDate } from '../market/trading-day.ts';
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
}

/** The last equity of each New York day, in order. */
export function dailyCloses(points: readonly EquityPoint[]): EquityPoint[] {
  const closes: EquityPoint[] = [];
  let date = '';
  for (const point of points) {
    const day = newYorkDate(point.time);
    if (day === date) closes[closes.length - 1] = point;
    else closes.push(point);
    date = day;
  }
  return closes;
}

export function equityStats(points: readonly EquityPoint[], riskFreeRate = 0): EquityStats | null {
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || first.equity <= 0n) return null;
  const closes = dailyCloses(points);
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
    maxDrawdown: maxDrawdown(points),
  };
}

/** The deepest fall from a peak (by amount), how long it lasted, and whether equity got back to the peak. */
export function maxDrawdown(points: readonly EquityPoint[]): Drawdown | null {
  let peak = points[0];
  let worst: Drawdown | null = null;
  let current: { peak: EquityPoint; trough: EquityPoint } | undefined;
  const close = (end: EquityPoint, recovered: boolean): void => {
    if (!current) return;
    const amount = current.peak.equity - current.trough.equity;
    if (amount > 0n && (!worst || amount > worst.amount)) {
      worst = {
        amount,
        percent: Number(amount) / Number(current.peak.equity),
        durationMs: end.time - current.peak.time,
        peakTime: current.peak.time,
        troughTime: current.trough.time,
        recovered,
      };
    }
    current = undefined;
  };
  for (const point of points) {
    if (!peak) break;
    if (point.equity >= peak.equity) {
      close(point, true);
      peak = point;
    } else if (!current || point.equity < current.trough.equity) {
      current = { peak, trough: point };
    }
  }
  const last = points.at(-1);
  if (last) close(last, false);
  return worst;
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
