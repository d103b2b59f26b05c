// `paper-trader sweep --strategy sma-crossover --grid '{"shortWindow":[5,10,20],"longWindow":[30,60]}'
// --symbols AAPL --from … --to …`: every combination backtested, on every core (worker threads) or
// on workers over Redis (--queue), ranked by a metric, and kept as Parquet for DuckDB and
// `paper-trader report --sweep FILE`.
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { CommandError } from '../command-error.ts';
import { paramsFrom } from '../options.ts';
import { progressBar } from '../progress-bar.ts';
import { combinations, parseGrid } from '../sweep/grid.ts';
import type { BacktestJob, SweepRow } from '../sweep/job.ts';
import { metricFrom, sweepTable, writeSweepResults } from '../sweep/results.ts';
import { defaultThreads, runOnThreads } from '../sweep/thread-pool.ts';
import { redisAddress, runOnQueue } from '../sweep/queue.ts';
import { backtestJob, backtestSettings, downloadFirst, withBacktestOptions, type BacktestFlags } from './backtest.ts';

interface SweepFlags extends BacktestFlags {
  grid?: string;
  metric: string;
  threads?: string;
  queue?: string;
  out?: string;
}

export function registerSweep(program: Command): void {
  withBacktestOptions(program.command('sweep'))
    .description('backtest every combination of a grid of strategy parameters on every core (or on workers over Redis), ranked by a metric')
    .option('--grid <json>', `the parameters to try, e.g. '{"shortWindow":[5,10,20],"longWindow":[30,60]}' (over --params)`)
    .option('--metric <name>', 'what ranks the runs: sharpe, sortino, return, cagr, profit-factor, win-rate, expectancy, max-drawdown, trades', 'sharpe')
    .option('--threads <n>', 'runs at once on this machine (default: one a core)')
    .option('--queue <redis-url>', 'put the runs on Redis (BullMQ) for paper-trader worker --queue on any machine, e.g. redis://127.0.0.1:6379')
    .option('--out <file>', 'where the results go, as Parquet (default: the data directory\'s sweeps folder)')
    .action(async (flags: SweepFlags, command: Command) => {
      if (!flags.grid) throw new CommandError(`a sweep needs --grid, e.g. --grid '{"shortWindow":[5,10,20],"longWindow":[30,60]}'`);
      const grid = parseGrid(flags.grid);
      const metric = metricFrom(flags.metric);
      const threads = flags.threads === undefined ? defaultThreads() : Number(flags.threads);
      if (!Number.isInteger(threads) || threads < 1) throw new CommandError(`--threads must be a whole number of at least 1, got "${flags.threads}"`);
      const queue = flags.queue === undefined ? undefined : redisAddress(flags.queue);
      const progress = progressBar(process.stderr);
      const settings = await backtestSettings(flags, command, progress);
      // The history comes down once, here; every run reads it from the cache.
      await downloadFirst(flags, settings, progress);
      const jobs: BacktestJob[] = combinations(grid, paramsFrom(settings.raw.params) ?? {}).map((params, index) => backtestJob(flags, settings, params, index));
      if (queue && process.stderr.isTTY) process.stderr.write(`${jobs.length} runs queued on ${queue.url}: start workers with paper-trader worker --queue ${queue.url}\n`);
      let done = 0;
      const onRow = (_row: SweepRow): void => progress.show(`${++done}/${jobs.length} runs`, done / jobs.length);
      const started = performance.now();
      let rows: SweepRow[];
      try {
        rows = queue ? await runOnQueue(queue, jobs, onRow) : await runOnThreads(jobs, threads, onRow);
      } finally {
        progress.end();
      }
      const seconds = (performance.now() - started) / 1000;
      const out = resolve(flags.out ?? join(settings.dir, 'sweeps', `${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}-${jobs.length}-runs.parquet`));
      await writeSweepResults(out, rows, Object.keys(grid));
      const where = queue ? `on workers over ${queue.url}` : `on ${Math.min(threads, jobs.length)} thread${Math.min(threads, jobs.length) === 1 ? '' : 's'}`;
      process.stdout.write(`sweep of ${jobs.length} runs ${where} in ${seconds.toFixed(1)} s, ranked by ${metric}:\n${sweepTable(rows, metric, Object.keys(grid))}results: ${out}\n`);
    });
}
