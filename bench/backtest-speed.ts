// Backtest speed, side by side: paper-trader's engine and grademark 0.3.0 (a bar-based peer,
// next-open fills, no fees or sizes) on the same 500,000 minute bars with the same SMA 10/30
// crossover, one process each, alternating; the floor under the engine (the replay delivering the
// bars to nobody); and a year of 1-minute history of ten symbols from the Parquet cache, as
// `paper-trader backtest` plays it, beside the floor of only reading that cache; and a week of every
// quote and trade of the same symbols (--data quotes), beside the floor of reading those.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { downloadHistory } from '../src/engine/backtest/backtest.ts';
import { PolygonRest } from '../src/engine/market/polygon-rest.ts';
import { HistoryCache } from '../src/engine/backtest/history-cache.ts';
import { TickCache } from '../src/engine/backtest/tick-cache.ts';
import { loadTickHistory } from '../src/engine/backtest/tick-history.ts';
import { monthsOf } from '../src/engine/backtest/bar-history.ts';
import { newYorkDayStart } from '../src/engine/market/trading-day.ts';
import { startFakePolygon, FULL_PLAN } from '../test/helpers/fake-polygon.ts';
import { percentile } from './common.ts';
import { runBacktestOnThread, YOUNG_GENERATION_MB } from '../src/cli/sweep/thread-pool.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./backtest-child.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
const ROUNDS = 3;
/** The year's symbols: ten the fake Polygon keeps history for. */
const YEAR_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GTE', 'AMPB', 'AMpB', 'A', 'AA'];
export const YEAR_TARGET_SECONDS = 2;

interface ChildResult {
  which: string;
  bars: number;
  barsPerSecond: number;
  trades: number;
}

async function child(which: 'engine' | 'grademark' | 'replay-floor', env: NodeJS.ProcessEnv = {}): Promise<ChildResult> {
  const { stdout } = await run(TSX, [CHILD, which], { maxBuffer: 1 << 20, env: { ...process.env, ...env } });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
}

const median = (values: number[]): number => percentile([...values].sort((a, b) => a - b), 0.5);

export interface BacktestBench {
  bars: number;
  rounds: number;
  engine: number;
  grademark: number;
  /** grademark given the young generation paper-trader's backtests run with. */
  grademarkTuned: number;
  youngGenerationMb: number;
  replayFloor: number;
  engineTrades: number;
  grademarkTrades: number;
  year: { bars: number; symbols: number; downloadSeconds: number; requests: number; readSeconds: number; runSeconds: number; readFloorPerSecond: number };
  ticks: { events: number; symbols: number; days: number; eventsPerSecond: number; readFloorPerSecond: number };
}

export async function backtestBenchmarks(): Promise<BacktestBench> {
  const engine: number[] = [];
  const grademark: number[] = [];
  const tuned: number[] = [];
  const floor: number[] = [];
  let engineRun: ChildResult | undefined;
  let grademarkRun: ChildResult | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which goes first, so neither always runs on a warmer or cooler machine.
    const order = round % 2 === 0 ? (['engine', 'grademark'] as const) : (['grademark', 'engine'] as const);
    for (const which of order) {
      const result = await child(which);
      (which === 'engine' ? engine : grademark).push(result.barsPerSecond);
      if (which === 'engine') engineRun = result;
      else grademarkRun = result;
    }
    floor.push((await child('replay-floor')).barsPerSecond);
    tuned.push((await child('grademark', { GRADEMARK_YOUNG_MB: String(YOUNG_GENERATION_MB) })).barsPerSecond);
  }
  return {
    bars: engineRun!.bars,
    rounds: ROUNDS,
    engine: median(engine),
    grademark: median(grademark),
    grademarkTuned: median(tuned),
    youngGenerationMb: YOUNG_GENERATION_MB,
    replayFloor: median(floor),
    engineTrades: engineRun!.trades,
    grademarkTrades: grademarkRun!.trades,
    year: await yearFromCache(),
    ticks: await ticksFromCache(),
  };
}

/** A year of minute bars of ten symbols: downloaded once from a fake Polygon into the cache, then backtested from it. */
async function yearFromCache(): Promise<BacktestBench['year']> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-history-'));
  const fake = await startFakePolygon({ keys: { demo: FULL_PLAN }, history: true });
  try {
    const rest = new PolygonRest({ apiKey: 'demo', baseUrl: fake.restUrl });
    const options = { symbols: YEAR_SYMBOLS, from: '2025-01-02', to: '2025-12-31', dataDir, strategy: 'sma-crossover', strategyParams: { shortWindow: 10, longWindow: 30, allocation: 0.05, source: 'bars' } };
    const started = performance.now();
    await downloadHistory({ ...options, rest });
    const downloadSeconds = (performance.now() - started) / 1000;
    const requests = fake.requests.filter((request) => request.path.startsWith('/v2/aggs/')).length;
    // From the cache, as paper-trader backtest runs it (on a thread of its own): what a second run costs.
    const result = await runBacktestOnThread(
      { index: 0, params: options.strategyParams, strategy: options.strategy, strategyFolders: [], symbols: options.symbols, from: options.from, to: options.to, interval: '1m', dataDir, cash: '100000', riskFreeRate: 0 },
      () => undefined,
    );
    // The floor: only reading the same bars from the cache.
    const cache = new HistoryCache(join(dataDir, 'history'));
    const readStarted = performance.now();
    const columns = await cache.read(YEAR_SYMBOLS, { multiplier: 1, timespan: 'minute' }, monthsOf(options.from, options.to), newYorkDayStart(options.from), newYorkDayStart('2026-01-01') - 1, (start) => start + 60_000);
    const readSeconds = (performance.now() - readStarted) / 1000;
    cache.close();
    return { bars: result.events, symbols: YEAR_SYMBOLS.length, downloadSeconds, requests, readSeconds: result.loadSeconds, runSeconds: result.runSeconds, readFloorPerSecond: columns.length / readSeconds };
  } finally {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A week of every quote and trade of ten symbols (--data quotes), from the cache, beside the floor of only reading them from it. */
async function ticksFromCache(): Promise<BacktestBench['ticks']> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-ticks-'));
  const fake = await startFakePolygon({ keys: { demo: FULL_PLAN }, history: true });
  const [from, to, days] = ['2025-06-02', '2025-06-06', 5];
  try {
    await downloadHistory({ symbols: YEAR_SYMBOLS, from, to, data: 'quotes', dataDir, rest: new PolygonRest({ apiKey: 'demo', baseUrl: fake.restUrl }) });
    const job = { index: 0, params: { shortWindow: 10, longWindow: 30, allocation: 0.05 }, strategy: 'sma-crossover', strategyFolders: [], symbols: YEAR_SYMBOLS, from, to, interval: '1m', data: 'quotes' as const, dataDir, cash: '100000', riskFreeRate: 0 };
    const rates: number[] = [];
    const floors: number[] = [];
    let events = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const result = await runBacktestOnThread(job, () => undefined);
      events = result.events;
      rates.push(result.events / result.runSeconds);
      const cache = new TickCache(join(dataDir, 'history'));
      const started = performance.now();
      const session = await loadTickHistory({ symbols: YEAR_SYMBOLS, from, to, data: 'quotes' }, { cache, now: Date.now() });
      let read = 0;
      for await (const batch of session.batches()) read += batch.length;
      floors.push(read / ((performance.now() - started) / 1000));
      cache.close();
    }
    return { events, symbols: YEAR_SYMBOLS.length, days, eventsPerSecond: median(rates), readFloorPerSecond: median(floors) };
  } finally {
    await fake.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
