// `paper-trader backtest --symbols AAPL MSFT --from 2025-01-02 --to 2025-06-30 --interval 1m
// --strategy sma-crossover --params '{…}'`: a strategy on Polygon's history (downloaded once into
// the data directory's history cache) or on a recorded session (--replay), through the paper
// engine, ending in the same report as `paper-trader report`.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { BacktestProgress, BacktestResult } from '../../engine/backtest/backtest.ts';
import { groupThousands, signedUsd, usd } from '../../ui/format.ts';
import { CommandError } from '../command-error.ts';
import { readConfig } from '../config-store.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { paramsFrom, type RawOptions } from '../options.ts';
import { resolvePolygonSettings } from '../polygon-settings.ts';
import { progressBar, type ProgressBar } from '../progress-bar.ts';
import { withRunDefaults } from '../run-settings.ts';
import { isStrategyFile } from '../strategy-file.ts';
import { strategyFolders } from '../strategy-folder.ts';
import type { Params } from '../sweep/grid.ts';
import type { BacktestJob } from '../sweep/job.ts';
import { runBacktestOnThread } from '../sweep/thread-pool.ts';
import { polygonFrom, unknownSymbol } from './polygon.ts';
import { reportText, riskFreeRateFrom } from './report.ts';
import { booksLine } from '../report.ts';
import type { TickData } from '../../engine/backtest/tick-history.ts';
import { isCryptoInput } from '../../engine/market/symbols.ts';

export interface BacktestFlags extends RawOptions {
  from?: string;
  to?: string;
  interval: string;
  data?: string;
  riskFreeRate: string;
  strategiesDir?: string;
}

/** The options a backtest and a sweep share. */
export function withBacktestOptions(command: Command): Command {
  return withDataDirOption(command)
    .option('--symbols <symbols...>', 'the symbols to trade, e.g. AAPL MSFT X:BTCUSD')
    .option('--from <date>', 'first New York day, YYYY-MM-DD')
    .option('--to <date>', 'last New York day, YYYY-MM-DD')
    .option('--interval <interval>', 'bar length: 1m, 5m, 1h, 1D', '1m')
    .option('--data <kind>', 'what of the history to play: bars (at --interval, the default); trades (Stocks Developer and up; crypto); quotes: every quote and trade (Stocks Advanced; forex quotes; crypto trades)')
    .option('--strategy <name|file>', 'the strategy: a name (see paper-trader --list-strategies) or a .ts file')
    .option('--params <json>', `its parameters as JSON, e.g. '{"shortWindow": 10, "longWindow": 30}'`)
    .option('--cash <amount>', 'starting cash (default 100000)')
    .option('--fees <spec>', 'commission: zero, per-share:0.005,min:1 or percent:0.1')
    .option('--slippage-bps <n>', 'slippage on market-style fills, in basis points')
    .option('--margin', 'a margin account (2x overnight, 4x intraday from $25,000; shorts allowed)')
    .option('--replay <file>', 'play a recorded session (JSONL, as paper-trader record writes) instead of history')
    .option('--strategies-dir <dir>', 'another folder of your strategies')
    .option('--risk-free-rate <fraction>', 'a yearly fraction taken off the daily returns for Sharpe and Sortino (0.04 is 4%)', '0');
}

/** What a backtest's flags resolve to, with the config's run settings filling those not given. */
export interface BacktestSettings {
  dir: string;
  raw: RawOptions;
  strategy: string;
  riskFreeRate: number;
  slippageBps: number | undefined;
  /** The folders the user's strategies are found in, worked out once for every run of a sweep. */
  strategyFolders: string[];
  /** The Polygon client, when there is a key and no --replay. */
  polygon: Awaited<ReturnType<typeof polygonFrom>> | undefined;
  /** Bars (undefined), or Polygon's trades, or its quotes and trades. */
  data: TickData | undefined;
}

/** `progress` shows Polygon's rate-limit waits as lines of their own, above its bar. */
export async function backtestSettings(flags: BacktestFlags, command: Command, progress: ProgressBar): Promise<BacktestSettings> {
  const dir = dataDir(dataDirFlag(command));
  const config = readConfig(dir);
  const raw = withRunDefaults(flags, process.env, config);
  const riskFreeRate = riskFreeRateFrom(flags.riskFreeRate);
  if (!raw.strategy) throw new CommandError(`a ${command.name()} needs a strategy: --strategy sma-crossover (see paper-trader --list-strategies), or a .ts file of your own`);
  const slippage = raw.slippageBps?.trim();
  if (slippage !== undefined && !/^\d+(\.\d+)?$/.test(slippage)) throw new CommandError(`--slippage-bps must be a number of basis points >= 0, got "${raw.slippageBps}"`);
  const data = tickDataFrom(flags.data);
  if (data && command.getOptionValueSource('interval') === 'cli') throw new CommandError(`--interval is a bar length: --data ${data} plays every ${data === 'quotes' ? 'quote and trade' : 'trade'}; leave one of them out`);
  if (data === 'quotes' && flags.replay === undefined) noteCryptoWithoutQuotes(raw, progress);
  const settings = resolvePolygonSettings(process.env, config);
  const polygon = flags.replay === undefined && settings.apiKey ? await polygonFrom(settings, (line) => progress.say(line)) : undefined;
  const folders = strategyFolders(dir, flags.strategiesDir, process.env, config);
  return { dir, raw, strategy: raw.strategy, riskFreeRate, slippageBps: slippage === undefined ? undefined : Number(slippage), strategyFolders: folders, polygon, data };
}

/**
 * Polygon keeps no quotes of crypto: beside stocks or forex, a strategy reading quote mids (their
 * source) never hears of it. Said before the run, not found in an empty report after it.
 */
function noteCryptoWithoutQuotes(raw: RawOptions, progress: ProgressBar): void {
  const symbols = raw.symbols ?? [];
  const crypto = symbols.filter(isCryptoInput);
  const source = paramsFrom(raw.params)?.['source'];
  if (crypto.length === 0 || crypto.length === symbols.length || (source !== undefined && source !== 'quotes')) return;
  progress.say(`note: Polygon keeps no quotes of crypto, only trades: a strategy reading quote mids never trades ${crypto.join(' ')}; backtest crypto on its own or with --data trades\n`);
}

/** --data: bars (absent), trades or quotes. */
function tickDataFrom(data: string | undefined): TickData | undefined {
  if (data === undefined || data === 'bars') return undefined;
  if (data === 'trades' || data === 'quotes') return data;
  throw new CommandError(`--data must be bars, trades or quotes, got "${data}"`);
}

/** Throws the one-line "Unknown symbol" (with the closest ticker) for a ticker Polygon does not know. */
function symbolChecker(polygon: NonNullable<BacktestSettings['polygon']>): (symbol: string) => Promise<void> {
  // tickerExists already answers a ticker Polygon does not know with false.
  return async (symbol) => {
    if (!(await polygon.rest.tickerExists(symbol))) throw await unknownSymbol(polygon, symbol);
  };
}

/** What a backtest's history is, from the flags: the symbols, the days, the bar length, where it is kept and fetched from. */
export function historyOptions(flags: BacktestFlags, settings: BacktestSettings, progress: ProgressBar) {
  const { raw, dir, polygon } = settings;
  return {
    ...(raw.symbols ? { symbols: raw.symbols } : {}),
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    ...(flags.to !== undefined ? { to: flags.to } : {}),
    interval: flags.interval,
    ...(settings.data ? { data: settings.data } : {}),
    dataDir: dir,
    ...(polygon ? { rest: polygon.rest, checkSymbol: symbolChecker(polygon) } : {}),
    onProgress: (step: BacktestProgress) => progress.show(progressText(step), step.done / step.total),
  };
}

/** A backtest of `params` as a thread or a queue worker runs it: plain data, paths made absolute. */
export function backtestJob(flags: BacktestFlags, settings: BacktestSettings, params: Params, index = 0): BacktestJob {
  const { dir, raw } = settings;
  return {
    index,
    params,
    strategy: isStrategyFile(settings.strategy) ? resolve(settings.strategy) : settings.strategy,
    strategyFolders: settings.strategyFolders,
    ...(raw.symbols ? { symbols: raw.symbols } : {}),
    ...(flags.from !== undefined ? { from: flags.from } : {}),
    ...(flags.to !== undefined ? { to: flags.to } : {}),
    interval: flags.interval,
    ...(settings.data ? { data: settings.data } : {}),
    ...(flags.replay !== undefined ? { replayFile: resolve(flags.replay) } : {}),
    dataDir: dir,
    cash: raw.cash ?? '100000',
    ...(raw.fees !== undefined ? { fees: raw.fees } : {}),
    ...(settings.slippageBps !== undefined ? { slippageBps: settings.slippageBps } : {}),
    ...(flags.margin ? { margin: true } : {}),
    riskFreeRate: settings.riskFreeRate,
  };
}

/** Downloads what the history cache lacks (nothing for a replay), with the progress bar. */
export async function downloadFirst(flags: BacktestFlags, settings: BacktestSettings, progress: ProgressBar): Promise<void> {
  try {
    if (flags.replay !== undefined) return;
    const { downloadHistory } = await import('../../engine/backtest/backtest.ts');
    await downloadHistory(historyOptions(flags, settings, progress));
  } finally {
    progress.end();
    settings.polygon?.rest.cancelWaits();
  }
}

export function registerBacktest(program: Command): void {
  withBacktestOptions(program.command('backtest'))
    .description('run a strategy on Polygon history (cached in the data directory) or a recorded session, as fast as it goes, and print its report')
    .option('--json', 'print the result as JSON: the report (as GET /api/paper/metrics), the timing, the final books and every fill')
    .action(async (flags: BacktestFlags, command: Command) => {
      const progress = progressBar(process.stderr);
      const settings = await backtestSettings(flags, command, progress);
      // The history comes down here (the key and the rate limit live here); the engine runs on a thread of its own.
      await downloadFirst(flags, settings, progress);
      const json = (flags as { json?: boolean }).json === true;
      // Every fill only for --json: the text needs the books and the report.
      const job = { ...backtestJob(flags, settings, paramsFrom(settings.raw.params) ?? {}), keepHistory: json };
      let result: BacktestResult;
      try {
        result = await runBacktestOnThread(job, (step) => progress.show(progressText(step), step.done / step.total));
      } finally {
        progress.end();
      }
      process.stdout.write(json ? `${JSON.stringify(jsonOf(result), null, 2)}\n` : backtestText(result, flags.replay !== undefined ? `the recorded session ${flags.replay}` : dataText(flags.interval, settings.data)));
    });
}


function progressText(step: BacktestProgress): string {
  if (step.phase === 'download') return `downloading ${step.symbol} ${step.piece} (${step.done}/${step.total} ${step.unit})`;
  return `running ${groupThousands(String(step.done))}/${groupThousands(String(step.total))} events`;
}

const seconds = (s: number): string => (s < 10 ? s.toFixed(2) : s.toFixed(1));

/** What a backtest played, as its first line says it. */
function dataText(interval: string, data: TickData | undefined): string {
  return data === undefined ? `${interval} bars` : data === 'quotes' ? 'quotes and trades' : 'trades';
}

/** `what`: what it played, e.g. "1m bars" or "the recorded session day.jsonl". */
export function backtestText(result: BacktestResult, what: string): string {
  const { snapshot, events, runSeconds, loadSeconds } = result;
  const rate = runSeconds > 0 ? ` (${groupThousands(String(Math.round(events / runSeconds)))} a second)` : '';
  const lines = [
    `backtest of ${snapshot.strategy?.name ?? 'no strategy'} on ${snapshot.symbols.join(' ')}, ${what}: ${groupThousands(String(events))} events in ${seconds(runSeconds)} s${rate}, read in ${seconds(loadSeconds)} s`,
    booksLine(snapshot.portfolio),
  ];
  for (const position of snapshot.portfolio.positions) {
    lines.push(`  ${position.symbol.padEnd(10)} ${position.qty.padStart(12)} @ ${position.avgPrice}  value ${usd(position.marketValue)}  unrealized ${signedUsd(position.unrealizedPnl)}`);
  }
  return `${lines.join('\n')}\n${reportText('backtest', result.performance)}`;
}

function jsonOf(result: BacktestResult) {
  const { snapshot } = result;
  return {
    events: result.events,
    loadSeconds: result.loadSeconds,
    runSeconds: result.runSeconds,
    strategy: snapshot.strategy,
    symbols: snapshot.symbols,
    portfolio: snapshot.portfolio,
    performance: result.performance,
    fills: snapshot.fills,
  };
}
