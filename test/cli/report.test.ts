// `paper-trader report`: an account's performance read from its store, without trading it.
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' });

describe('paper-trader report', () => {
  it("prints an account's equity ratios and trade statistics, per symbol and per owner, as text or JSON", async () => {
    // A simulated day of sma-crossover on the account "daytrader", saved.
    const run = await runCli(['--fast', '--duration', '2h', '--symbols', 'AAPL', 'MSFT', '--strategy', 'sma-crossover', '--params', '{"short_window": 3, "long_window": 8, "qty": "5"}', '--account', 'daytrader'], { env: env() });
    expect(run.code).toBe(0);
    const json = await runCli(['report', '--account', 'daytrader', '--json', '--risk-free-rate', '0.04'], { env: env() });
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout);
    expect(report.basis).toMatchObject({ returns: 'daily', tradingDaysAYear: 252, riskFreeRate: 0.04 });
    expect(report.equity.start).toBe('100000.00');
    expect(report.trades.trades).toBeGreaterThan(2);
    expect(report.byOwner).toMatchObject([{ owner: 'strategy:sma-crossover' }]);
    expect(report.bySymbol.map((s: { symbol: string }) => s.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    // The per-symbol trades add up to the account's.
    expect(report.bySymbol.reduce((sum: number, s: { trades: number }) => sum + s.trades, 0)).toBe(report.trades.trades);

    const text = (await runCli(['report', '--account', 'daytrader'], { env: env() })).stdout;
    expect(text).toMatch(/^account "daytrader", since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(daily returns, 252 days a year, risk-free 0\.00%\)$/m);
    expect(text).toMatch(/^equity \$100,000\.00 -> \$[\d,.]+ {2}return -?\d+\.\d{2}%/m);
    expect(text).toMatch(/^all +trades +\d+ +closed +\d+ +win +[\d.]+%/m);
    expect(text).toMatch(/^sma-crossover +trades /m);
  });

  it('--from and --to: the equity of those New York days, and the orders that finished in them', async () => {
    // 30 hours from Monday 2 November 2026, 09:30 New York: into Tuesday afternoon.
    const run = await runCli(['--fast', '--duration', '30h', '--symbols', 'AAPL', '--strategy', 'sma-crossover', '--params', '{"shortWindow": 3, "longWindow": 8, "qty": "5"}', '--account', 'twodays'], { env: env() });
    expect(run.code).toBe(0);
    const report = async (...range: string[]) => JSON.parse((await runCli(['report', '--account', 'twodays', '--json', ...range], { env: env() })).stdout);
    // One at a time: a report opens the account, which one process holds at once.
    const whole = await report();
    const monday = await report('--to', '2026-11-02');
    const tuesday = await report('--from', '2026-11-03');
    const later = await report('--from', '2026-11-04');
    expect(monday.trades.trades).toBeGreaterThan(0);
    expect(tuesday.trades.trades).toBeGreaterThan(0);
    expect(monday.trades.trades + tuesday.trades.trades).toBe(whole.trades.trades);
    // Monday's report starts with the account, Tuesday's with Tuesday's first point, which ends the whole report.
    expect(monday.equity.start).toBe('100000.00');
    expect(tuesday.equity.start).not.toBe('100000.00');
    expect(tuesday.equity.end).toBe(whole.equity.end);
    expect(new Date(tuesday.basis.since).toISOString() >= '2026-11-03T05:00:00.000Z').toBe(true);
    expect(later).toMatchObject({ equity: null, trades: { trades: 0 } });
    const text = (await runCli(['report', '--account', 'twodays', '--from', '2026-11-03', '--to', '2026-11-03'], { env: env() })).stdout;
    expect(text).toMatch(/^account "twodays" from 2026-11-03 to 2026-11-03, since 2026-11-03 /);
    expect((await runCli(['report', '--account', 'twodays', '--from', '2026-11-05', '--to', '2026-11-03'], { env: env() })).stderr).toBe(
      'paper-trader: --from 2026-11-05 is after --to 2026-11-03: e.g. --from 2026-10-01 --to 2026-11-01\n',
    );
  });

  it('names an account that does not exist and a rate that is not a fraction, in one line each', async () => {
    expect((await runCli(['report', '--account', 'nope'], { env: env() })).stderr).toBe(`paper-trader: there is no account "nope" in ${dir} (see paper-trader accounts)\n`);
    expect((await runCli(['report', '--risk-free-rate', '4'], { env: env() })).stderr).toBe('paper-trader: --risk-free-rate must be a yearly fraction from 0 to below 1, such as 0.04 for 4%, got "4"\n');
  });
});
