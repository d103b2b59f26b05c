// A backtest as a thread or a queue worker gets it (a sweep's run, or paper-trader backtest's one): everything it needs, as plain
// data, and the row of results it gives back (one line for a run that could not run).
import { backtest, type BacktestProgress, type BacktestResult } from '../../engine/index.ts';
import { messageOf } from '../../engine/errors.ts';
import type { PolygonRest } from '../../engine/market/polygon-rest.ts';
import { builtInStrategies } from '../../../strategies/index.ts';
import type { StrategyDefinition } from '../../engine/strategy/strategy.ts';
import { feesFrom } from '../options.ts';
import { isStrategyFile as isFile, loadStrategyFile } from '../strategy-file.ts';
import { loadStrategyFolders } from '../strategy-folder.ts';
import type { Params } from './grid.ts';
import type { TickData } from '../../engine/backtest/tick-history.ts';

export interface BacktestJob {
  /** Its place in the grid, from 0. */
  index: number;
  params: Params;
  strategy: string;
  /** Folders of the user's strategies, or the strategy's file (a path), as the sweep found them. */
  strategyFolders: string[];
  symbols?: string[];
  from?: string;
  to?: string;
  interval: string;
  /** Bars (absent), or Polygon's trades, or its quotes and trades. */
  data?: TickData;
  replayFile?: string;
  dataDir: string;
  cash: string;
  fees?: string;
  slippageBps?: number;
  margin?: boolean;
  riskFreeRate: number;
  /** The result holds every order and fill (for --json); a sweep's row needs none. */
  keepHistory?: boolean;
}

/** A run's results: ratios as numbers, money as exact decimal strings. */
export interface SweepRow {
  index: number;
  params: Params;
  error: string | null;
  events: number;
  trades: number;
  closedTrades: number;
  winRate: number | null;
  totalReturn: number | null;
  cagr: number | null;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdownPercent: number | null;
  profitFactor: number | null;
  expectancy: string | null;
  fees: string;
  endEquity: string | null;
  runSeconds: number;
}


/** The user's strategies this job may need (the file, or those of the folders), loaded once per worker. */
const loaded = new Map<string, Promise<StrategyDefinition<any>[]>>();
function strategiesFor(job: BacktestJob): Promise<StrategyDefinition<any>[]> {
  const key = isFile(job.strategy) ? job.strategy : job.strategyFolders.join('\n');
  let found = loaded.get(key);
  if (!found) {
    found = isFile(job.strategy)
      ? loadStrategyFile(job.strategy).then((definition) => [definition])
      : loadStrategyFolders(job.strategyFolders, builtInStrategies).then((folders) => folders.strategies.map((s) => s.definition));
    loaded.set(key, found);
  }
  return found;
}

/** A job's backtest, whole: what `paper-trader backtest` prints. */
export async function runBacktestJob(job: BacktestJob, rest?: PolygonRest, onProgress?: (progress: BacktestProgress) => void): Promise<BacktestResult> {
  const strategies = await strategiesFor(job);
  return backtest({
    ...(job.symbols ? { symbols: job.symbols } : {}),
    ...(job.from !== undefined ? { from: job.from } : {}),
    ...(job.to !== undefined ? { to: job.to } : {}),
    interval: job.interval,
    ...(job.data !== undefined ? { data: job.data } : {}),
    ...(job.replayFile !== undefined ? { replayFile: job.replayFile } : {}),
    dataDir: job.dataDir,
    ...(rest ? { rest } : {}),
    strategies,
    strategy: isFile(job.strategy) ? strategies[0]!.name : job.strategy,
    strategyParams: job.params,
    startingCash: job.cash,
    ...(job.fees !== undefined ? { fees: feesFrom(job.fees) } : {}),
    ...(job.slippageBps !== undefined ? { slippageBps: job.slippageBps } : {}),
    ...(job.margin ? { margin: true } : {}),
    riskFreeRate: job.riskFreeRate,
    keepHistory: job.keepHistory === true,
    ...(onProgress ? { onProgress } : {}),
  });
}

export async function runSweepJob(job: BacktestJob, rest?: PolygonRest): Promise<SweepRow> {
  const empty: SweepRow = {
    index: job.index, params: job.params, error: null, events: 0, trades: 0, closedTrades: 0, winRate: null, totalReturn: null, cagr: null, sharpe: null, sortino: null,
    maxDrawdownPercent: null, profitFactor: null, expectancy: null, fees: '0.00', endEquity: null, runSeconds: 0,
  };
  try {
    const result = await runBacktestJob(job, rest);
    const { equity, trades } = result.performance;
    return {
      ...empty,
      events: result.events,
      trades: trades.trades,
      closedTrades: trades.closedTrades,
      winRate: trades.closedTrades > 0 ? trades.winRate : null,
      totalReturn: equity?.totalReturn ?? null,
      cagr: equity?.cagr ?? null,
      sharpe: equity?.sharpe ?? null,
      sortino: equity?.sortino ?? null,
      maxDrawdownPercent: equity?.maxDrawdown?.percent ?? (equity ? 0 : null),
      profitFactor: trades.profitFactor,
      expectancy: trades.expectancy,
      fees: trades.fees,
      endEquity: result.snapshot.portfolio.totalEquity,
      runSeconds: result.runSeconds,
    };
  } catch (error) {
    return { ...empty, error: messageOf(error) };
  }
}
