// The settings a user expects: the config holds what the seed's config.py held (starting cash,
// commission, slippage, the watchlist, the strategy and its params), flags override it and the
// environment overrides the file; `config list` says where each comes from. Also --version,
// an unknown subcommand named as such, --log-level warn, and --headless --json printing JSON only.
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '', ...extra });
const FAST = ['--fast', '--duration', '60s', '--json'];
const set = (key: string, value: string) => runCli(['config', 'set', key, value], { env: env() });

describe('run settings in the config', () => {
  it('starts a run with the config\'s cash, fees, slippage, watchlist, strategy and params; flags and the environment override them', async () => {
    for (const [key, value] of [['cash', '25000'], ['fees', 'per-share:0.005,min:1'], ['slippageBps', '2'], ['symbols', 'AAPL, MSFT'], ['strategy', 'buy-and-hold'], ['params', '{"allocation": 0.5}']]) {
      expect((await set(key!, value!)).code).toBe(0);
    }
    const fromConfig = JSON.parse((await runCli(FAST, { env: env() })).stdout);
    expect(fromConfig).toMatchObject({ symbols: ['AAPL', 'MSFT'], strategy: { name: 'buy-and-hold', params: { allocation: 0.5 } }, portfolio: { startingCash: '25000.00' } });
    expect(fromConfig.fills[0].fee).toBe('1.00');

    const overridden = JSON.parse((await runCli([...FAST, '--cash', '5000', '--symbols', 'NVDA', '--strategy', 'sma-crossover', '--params', '{}', '--fees', 'zero'], { env: env({ PAPER_TRADER_CASH: '7000' }) })).stdout);
    expect(overridden).toMatchObject({ symbols: ['NVDA'], strategy: { name: 'sma-crossover' }, portfolio: { startingCash: '5000.00' } });
    const fromEnv = JSON.parse((await runCli(FAST, { env: env({ PAPER_TRADER_CASH: '7000' }) })).stdout);
    expect(fromEnv.portfolio.startingCash).toBe('7000.00');

    const listed = (await runCli(['config', 'list'], { env: env({ PAPER_TRADER_SLIPPAGE_BPS: '3' }) })).stdout;
    expect(listed).toContain('cash is 25000 (from the config file; PAPER_TRADER_CASH overrides it)\n');
    expect(listed).toContain('slippageBps is 3 (from PAPER_TRADER_SLIPPAGE_BPS, which overrides the config file\'s 2)\n');
    expect(listed).toContain('apiKey is not set\n');
    expect(listed).toContain('logMaxSize is not set (default: 10MB)\n');
  });

  it('refuses a bad value when it is set, and names where a bad one came from when a run reads it', async () => {
    expect((await set('fees', '7')).stderr).toBe('paper-trader: fees "7" must be zero, per-share:0.005,min:1 or percent:0.1\n');
    expect((await set('symbols', 'AAPL ???')).stderr).toBe('paper-trader: symbols "AAPL ???" must be tickers separated by spaces or commas, e.g. "AAPL MSFT X:BTCUSD"\n');
    expect((await set('params', '[1]')).stderr).toBe('paper-trader: params "[1]" must be a JSON object, e.g. {"shortWindow": 10}\n');
    const bad = await runCli(FAST, { env: env({ PAPER_TRADER_SLIPPAGE_BPS: '-1' }) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('paper-trader: PAPER_TRADER_SLIPPAGE_BPS "-1" must be a number of basis points, 0 or more, e.g. 2\n');
  });
});

describe('the command line', () => {
  it('prints its version, names an unknown subcommand (with the closest one), and takes --log-level warn or PAPER_TRADER_LOG_LEVEL', async () => {
    const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
    expect((await runCli(['--version'])).stdout).toBe(`${version}\n`);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("paper-trader: unknown command 'frobnicate': the commands are quote, record, strategy, report, backtest, sweep, worker, history, config, api-keys, accounts, reset, backup, restore; options start with --\n");
    expect((await runCli(['acounts'])).stderr).toMatch(/^paper-trader: unknown command 'acounts' \(did you mean accounts\?\)/);
    expect((await runCli([...FAST, '--log-level', 'warn'], { env: env() })).code).toBe(0);
    const badEnv = await runCli(FAST, { env: env({ PAPER_TRADER_LOG_LEVEL: 'loud' }) });
    expect(badEnv.stderr).toBe('paper-trader: PAPER_TRADER_LOG_LEVEL must be debug, info, warn, not "loud"\n');
  });

  it('--headless --json prints JSON lines only: logs, fills and a status a second, then the final snapshot', async () => {
    const run = startCli(['--headless', '--json', '--symbols', 'AAPL', '--strategy', 'buy-and-hold'], { env: env() });
    await run.waitForStdout(/"type":"status"/);
    const { stdout } = await run.stop();
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
    expect(new Set(lines.map((line) => line.type))).toEqual(new Set(['log', 'fill', 'status', 'snapshot']));
    expect(lines.at(-1)).toMatchObject({ type: 'snapshot', strategy: { name: 'buy-and-hold' } });
    expect(lines.find((line) => line.type === 'status')).toMatchObject({ market: { source: 'simulated' }, strategy: 'buy-and-hold', positions: 1 });
  });
});
