// The account's performance as the API shows it: JSON-safe, money as exact decimal strings,
// ratios as numbers (statistics), times as Unix ms.
import { formatCents, type Cents } from './money.ts';
import type { TradeCounts } from './portfolio/metrics.ts';
import { TRADING_DAYS_A_YEAR, tradeStats, type EquityStats } from './portfolio/performance.ts';

export interface TradeStatsView {
  trades: number;
  closedTrades: number;
  winningTrades: number;
  losingTrades: number;
  winRate: number;
  grossProfit: string;
  grossLoss: string;
  profitFactor: number | null;
  expectancy: string | null;
  averageWin: string | null;
  averageLoss: string | null;
  fees: string;
  /** Σ notional traded, buys and sells alike. */
  tradedValue: string;
  /** tradedValue / the average equity (the mean of the daily closes): how many times the account's equity changed hands; null without equity. */
  turnover: number | null;
}

export interface PerformanceView {
  /** How the ratios are worked out: daily returns, 252 trading days a year, this risk-free rate a year. */
  basis: { returns: 'daily'; tradingDaysAYear: number; riskFreeRate: number; since: number | null };
  equity: {
    start: string;
    end: string;
    totalReturn: number;
    days: number;
    sharpe: number | null;
    sortino: number | null;
    cagr: number | null;
    maxDrawdown: { amount: string; percent: number; durationMs: number; peakTime: number; troughTime: number; recovered: boolean } | null;
    /** Time-weighted Σ |position value| / equity: 0.35 is 35% of the equity in the market on average. */
    exposure: number | null;
    /** The share of the time any position was held. */
    timeInMarket: number | null;
    averageEquity: string;
  } | null;
  trades: TradeStatsView;
  bySymbol: (TradeStatsView & { symbol: string })[];
  /** "user" (the trader) or "strategy:NAME". */
  byOwner: (TradeStatsView & { owner: string })[];
}

const money = (value: Cents | null): string | null => (value === null ? null : formatCents(value));

export function tradeStatsView(counts: TradeCounts, averageEquity?: Cents): TradeStatsView {
  const s = tradeStats(counts);
  return {
    trades: s.trades,
    closedTrades: s.closedTrades,
    winningTrades: s.winningTrades,
    losingTrades: s.losingTrades,
    winRate: Math.round(s.winRate * 10_000) / 10_000,
    grossProfit: formatCents(s.grossProfit),
    grossLoss: formatCents(s.grossLoss),
    profitFactor: s.profitFactor,
    expectancy: money(s.expectancy),
    averageWin: money(s.averageWin),
    averageLoss: money(s.averageLoss),
    fees: formatCents(s.fees),
    tradedValue: formatCents(counts.tradedValue),
    turnover: averageEquity === undefined || averageEquity <= 0n ? null : Math.round((Number(counts.tradedValue) / Number(averageEquity)) * 10_000) / 10_000,
  };
}

export function performanceView(
  stats: EquityStats | null,
  counts: { all: TradeCounts; bySymbol: ReadonlyMap<string, TradeCounts>; byOwner: ReadonlyMap<string, TradeCounts> },
  basis: { riskFreeRate: number; since: number | null },
): PerformanceView {
  const drawdown = stats?.maxDrawdown;
  return {
    basis: { returns: 'daily', tradingDaysAYear: TRADING_DAYS_A_YEAR, ...basis },
    equity: stats && {
      start: formatCents(stats.startEquity),
      end: formatCents(stats.endEquity),
      totalReturn: stats.totalReturn,
      days: stats.days,
      sharpe: stats.sharpe,
      sortino: stats.sortino,
      cagr: stats.cagr,
      maxDrawdown: drawdown ? { ...drawdown, amount: formatCents(drawdown.amount) } : null,
      exposure: stats.exposure,
      timeInMarket: stats.timeInMarket,
      averageEquity: formatCents(stats.averageEquity),
    },
    trades: tradeStatsView(counts.all, stats?.averageEquity),
    bySymbol: [...counts.bySymbol].map(([symbol, c]) => ({ symbol, ...tradeStatsView(c, stats?.averageEquity) })),
    byOwner: [...counts.byOwner].map(([owner, c]) => ({ owner, ...tradeStatsView(c, stats?.averageEquity) })),
  };
}
