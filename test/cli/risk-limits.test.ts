// Risk limits from the command line (saved on the account) and as defaults from the config and the
// environment, through the real binary.
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDataDirs } from '../helpers/run-cli.ts';

const { fresh: freshDir, cleanup } = tempDataDirs();
afterAll(cleanup);

const inDir = (dir: string, env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ POLYGON_API_KEY: '', PAPER_TRADER_DATA_DIR: dir, ...env });
/** A one-minute simulated session on account "a", its final snapshot's risk settings. */
const run = async (dir: string, flags: string[] = [], env: NodeJS.ProcessEnv = {}) => {
  const result = await runCli(['--market', 'simulated', '--fast', '--duration', '1m', '--account', 'a', '--json', ...flags], { env: inDir(dir, env) });
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout).risk;
};

describe('risk limits on the command line', () => {
  it.concurrent('a flag sets the account\'s limit and it holds on the next run; off removes it', async () => {
    const dir = freshDir();
    expect((await run(dir, ['--max-open-orders', '7', '--daily-loss-limit', '$1,500'])).limits).toMatchObject({ maxOpenOrders: 7, dailyLossLimit: '1500.00' });
    expect((await run(dir)).limits).toMatchObject({ maxOpenOrders: 7, dailyLossLimit: '1500.00' });
    expect((await run(dir, ['--daily-loss-limit', 'off'])).limits).toMatchObject({ maxOpenOrders: 7, dailyLossLimit: null });
  });

  it.concurrent("the config's and the environment's are defaults an account's own limit overrides", async () => {
    const dir = freshDir();
    const set = await runCli(['config', 'set', 'maxOrderNotional', '25000'], { env: inDir(dir) });
    expect(set.stdout).toMatch(/^saved maxOrderNotional 25000 in /);
    expect((await run(dir)).limits.maxOrderNotional).toBe('25000.00');
    expect((await run(dir, [], { PAPER_TRADER_MAX_ORDER_NOTIONAL: '9000' })).limits.maxOrderNotional).toBe('9000.00');
    expect((await run(dir, ['--max-order-notional', '100'])).limits.maxOrderNotional).toBe('100.00');
    expect((await run(dir)).limits.maxOrderNotional).toBe('100.00');
  });

  it.concurrent('a bad value is one line naming the flag, the variable or the config key', async () => {
    const dir = freshDir();
    const flag = await runCli(['--fast', '--max-order-notional', 'lots'], { env: inDir(dir) });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toBe('paper-trader: --max-order-notional must be an amount in dollars above 0 such as 10000, or off, got "lots"\n');
    const variable = await runCli(['--fast'], { env: inDir(dir, { PAPER_TRADER_MAX_OPEN_ORDERS: '2.5' }) });
    expect(variable.stderr).toBe('paper-trader: PAPER_TRADER_MAX_OPEN_ORDERS must be a whole number of orders above 0 such as 20, or off, got "2.5"\n');
    const config = await runCli(['config', 'set', 'dailyLossLimit', '-5'], { env: inDir(dir) });
    expect(config.stderr).toBe('paper-trader: dailyLossLimit "-5" must be an amount in dollars above 0 such as 1000, or off\n');
  });
});
