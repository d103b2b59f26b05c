// `paper-trader report [--account NAME] [--json]`: an account's performance (Sharpe, Sortino, CAGR,
// drawdown; trade statistics per symbol and per owner), read from its store without trading it.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { createEngine, EngineInputError, type PerformanceView, type TradeStatsView } from '../../engine/index.ts';
import { CommandError } from '../command-error.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { signedUsd, usd } from '../../ui/format.ts';
import { accountExists } from '../../engine/persistence/account-backup.ts';
import { DEFAULT_ACCOUNT } from './accounts.ts';
import { parseDate } from './history.ts';
import { addDays, newYorkDayStart } from '../../engine/market/trading-day.ts';

export function registerReport(program: Command): void {
  withDataDirOption(program.command('report'))
    .description("an account's performance: Sharpe, Sortino, CAGR, max drawdown; win rate, profit factor, expectancy; per symbol and per owner")
    .option('--account <name>', 'the account', DEFAULT_ACCOUNT)
    .option('--json', 'print it as JSON (the same as GET /api/paper/metrics, in camelCase)')
    .option('--risk-free-rate <fraction>', 'a yearly fraction taken off the daily returns for Sharpe and Sortino (0.04 is 4%)', '0')
    .option('--from <date>', 'only the days from this New York day on, YYYY-MM-DD: the equity in them, and the orders that finished in them')
    .option('--to <date>', 'only the days up to this New York day, YYYY-MM-DD')
    .option('--sweep <file>', "a sweep's results instead (the Parquet file paper-trader sweep wrote), ranked again by --metric")
    .option('--metric <name>', 'with --sweep: what ranks the runs (sharpe, sortino, return, cagr, profit-factor, win-rate, expectancy, max-drawdown, trades)', 'sharpe')
    .action(async (options: { account: string; json?: boolean; riskFreeRate: string; sweep?: string; metric: string; from?: string; to?: string }, command: Command) => {
      if (options.sweep !== undefined) {
        process.stdout.write(await sweepReport(options.sweep, options.metric, options.json === true));
        return;
      }
      const dir = dataDir(dataDirFlag(command));
      const riskFreeRate = riskFreeRateFrom(options.riskFreeRate);
      const from = options.from === undefined ? undefined : parseDate('--from', options.from);
      const to = options.to === undefined ? undefined : parseDate('--to', options.to);
      if (from !== undefined && to !== undefined && from > to) throw new CommandError(`--from ${from} is after --to ${to}: e.g. --from 2026-10-01 --to 2026-11-01`);
      const range = {
        ...(from === undefined ? {} : { from: newYorkDayStart(from) }),
        ...(to === undefined ? {} : { to: newYorkDayStart(addDays(to, 1)) - 1 }),
      };
      if (!accountExists(dir, options.account)) throw new CommandError(`there is no account "${options.account}" in ${dir} (see paper-trader accounts)`);
      let performance: PerformanceView;
      try {
        // Opened, never started: the books, the orders and the equity series as saved; nothing trades.
        const engine = await createEngine({ account: options.account, dataDir: dir, market: { kind: 'simulated' } });
        performance = engine.performance({ riskFreeRate, ...range });
        await engine.close();
      } catch (error) {
        if (error instanceof EngineInputError) throw new CommandError(error.message);
        throw error;
      }
      const title = `account "${options.account}"${from || to ? ` from ${from ?? 'its start'} to ${to ?? 'now'}` : ''}`;
      process.stdout.write(options.json ? `${JSON.stringify(performance, null, 2)}\n` : reportText(title, performance));
    });
}

/** A sweep's results, ranked by `metric`: the table, or the rows as JSON. */
async function sweepReport(file: string, metricText: string, json: boolean): Promise<string> {
  const { metricFrom, ranked, readSweepResults, sweepTable } = await import('../sweep/results.ts');
  const metric = metricFrom(metricText);
  if (!existsSync(file)) throw new CommandError(`sweep results "${file}" not found (paper-trader sweep prints where it wrote them)`);
  const { rows, gridNames } = await readSweepResults(file);
  return json ? `${JSON.stringify(ranked(rows, metric), null, 2)}\n` : `sweep of ${rows.length} runs, ranked by ${metric}:\n${sweepTable(rows, metric, gridNames)}`;
}

/** --risk-free-rate: a yearly fraction, or one line saying what it must be. */
export function riskFreeRateFrom(text: string): number {
  const rate = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || rate >= 1) throw new CommandError(`--risk-free-rate must be a yearly fraction from 0 to below 1, such as 0.04 for 4%, got "${text}"`);
  return rate;
}

/** "26 s", "14 min", "5.5 h", "12 days". */
function duration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${Math.round(ms / 86_400_000)} days`;
}

const percent = (value: number | null | undefined): string => (value === null || value === undefined ? '-' : `${(value * 100).toFixed(2)}%`);
const ratio = (value: number | null): string => (value === null ? '-' : value.toFixed(2));
const money = (value: string | null): string => (value === null ? '-' : signedUsd(value));

function tradeLine(label: string, t: TradeStatsView): string {
  return (
    `${label.padEnd(24)} trades ${String(t.trades).padStart(5)}  closed ${String(t.closedTrades).padStart(5)}  win ${percent(t.winRate).padStart(7)}  ` +
    `PF ${ratio(t.profitFactor).padStart(6)}  expectancy ${money(t.expectancy).padStart(10)}  avg win ${money(t.averageWin).padStart(10)}  avg loss ${money(t.averageLoss).padStart(10)}  fees ${usd(t.fees)}`
  );
}

/** The report as a person reads it: the equity's ratios, then the trades, per symbol and per owner. */
export function reportText(title: string, p: PerformanceView): string {
  const e = p.equity;
  const since = p.basis.since === null ? 'no equity saved yet' : `since ${new Date(p.basis.since).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const lines = [`${title}, ${since} (daily returns, ${p.basis.tradingDaysAYear} days a year, risk-free ${percent(p.basis.riskFreeRate)})`];
  if (e) {
    const d = e.maxDrawdown;
    lines.push(
      `equity ${usd(e.start)} -> ${usd(e.end)}  return ${percent(e.totalReturn)}  CAGR ${percent(e.cagr)}  Sharpe ${ratio(e.sharpe)}  Sortino ${ratio(e.sortino)}  (${e.days} daily returns)`,
      d ? `max drawdown ${usd(d.amount)} (${percent(d.percent)}) over ${duration(d.durationMs)}, ${d.recovered ? 'recovered' : 'not recovered yet'}` : 'max drawdown none',
      `exposure ${percent(e.exposure)} of equity on average, in the market ${percent(e.timeInMarket)} of the time; turnover ${ratio(p.trades.turnover)}x the average equity (${usd(p.trades.tradedValue)} traded)`,
    );
  }
  lines.push(tradeLine('all', p.trades));
  for (const s of p.bySymbol) lines.push(tradeLine(s.symbol, s));
  for (const o of p.byOwner) lines.push(tradeLine(o.owner === 'user' ? 'you' : o.owner.replace(/^strategy:/, ''), o));
  return `${lines.join('\n')}\n`;
}
