// Strategies written by the trader, in folders outside the repository: found by name at start
// (--list-strategies says where from), run by name, switched to over HTTP, a broken file beside a
// good one named in one line; `strategy new` and `strategy test` from a fresh folder.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
let elsewhere: string;
beforeEach(() => {
  dir = tempDataDir();
  elsewhere = tempDataDir();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(elsewhere, { recursive: true, force: true });
});

const env = () => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' });
const FAST = ['--fast', '--duration', '60s', '--symbols', 'AAPL', '--json'];

/** A strategy file as a trader writes it: paper-trader and zod imported by name, from a folder with neither installed. */
const strategyFile = (name: string, qty = 3) => `import { z } from 'zod';
import { defineStrategy } from 'paper-trader';
export default defineStrategy({
  name: '${name}',
  description: 'buys ${qty} once',
  params: z.object({ qty: z.number().default(${qty}) }).strict(),
  create: (p) => ({ onQuote(quote, ctx) { if (ctx.position(quote.symbol) === 0n && ctx.openOrders().length === 0) ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: p.qty }); } }),
});
`;

describe('the strategies folders', () => {
  it("registers each strategy of the data directory's strategies/ by name, names a broken file and a taken name, and runs one by name", async () => {
    mkdirSync(join(dir, 'strategies'));
    writeFileSync(join(dir, 'strategies', 'mine.ts'), strategyFile('my_strategy'));
    writeFileSync(join(dir, 'strategies', 'broken.ts'), 'export default 42; const x: = 1;\n');
    writeFileSync(join(dir, 'strategies', 'clash.ts'), strategyFile('sma-crossover'));
    writeFileSync(join(dir, 'strategies', 'mine.test.ts'), 'throw new Error("a test is not a strategy");\n');

    const list = await runCli(['--list-strategies'], { env: env() });
    expect(list.stdout).toMatch(new RegExp(`^my_strategy +buys 3 once  \\[${join(dir, 'strategies', 'mine.ts')}\\]$`, 'm'));
    expect(list.stdout).toContain(`! strategy file "${join(dir, 'strategies', 'broken.ts')}" failed to load: ${join(dir, 'strategies', 'broken.ts')}:1:28: Unexpected "="`);
    expect(list.stdout).toContain(`! strategy file "${join(dir, 'strategies', 'clash.ts')}" is named "sma-crossover", which is a built-in strategy: give it another name`);
    expect(list.stdout).not.toContain('mine.test.ts');

    const run = await runCli([...FAST, '--strategy', 'my_strategy', '--params', '{"qty": 2}'], { env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('failed to load');
    const snapshot = JSON.parse(run.stdout);
    expect(snapshot.strategy).toEqual({ name: 'my_strategy', params: { qty: 2 } });
    expect(snapshot.portfolio.positions).toMatchObject([{ symbol: 'AAPL', qty: '2', attribution: [{ owner: 'strategy:my_strategy', qty: '2' }] }]);
  });

  it('reads --strategies-dir (and strategiesDir in the config), and names one that does not exist', async () => {
    writeFileSync(join(elsewhere, 'other.ts'), strategyFile('other_strategy', 4));
    const run = await runCli([...FAST, '--strategies-dir', elsewhere, '--strategy', 'other_strategy'], { env: env() });
    expect(JSON.parse(run.stdout).portfolio.positions).toMatchObject([{ qty: '4' }]);
    expect((await runCli(['config', 'set', 'strategiesDir', elsewhere], { env: env() })).code).toBe(0);
    expect((await runCli(['--list-strategies'], { env: env() })).stdout).toMatch(/^other_strategy /m);
    const missing = await runCli([...FAST, '--strategies-dir', join(elsewhere, 'nope')], { env: env() });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`paper-trader: --strategies-dir ${join(elsewhere, 'nope')} is not a folder that exists: create it, or point it at your strategies\n`);
  });

  it('switches to a folder strategy by name over HTTP, and never loads a file by path', async () => {
    mkdirSync(join(dir, 'strategies'));
    writeFileSync(join(dir, 'strategies', 'mine.ts'), strategyFile('my_strategy'));
    const run = startCli(['--headless', '--symbols', 'AAPL', '--market', 'simulated', '--api-port', '0'], { env: env() });
    try {
      const [, url] = await run.waitForStderr(/HTTP API on (http:\/\/127\.0\.0\.1:\d+)\/api\/paper/);
      const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
      const put = (body: unknown) =>
        fetch(`${url}/api/paper/strategy`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const set = await put({ name: 'my_strategy', params: { qty: 1 } });
      expect(set.status).toBe(200);
      expect(await set.json()).toMatchObject({ strategy: { name: 'my_strategy', params: { qty: 1 } } });
      const byPath = await put({ name: join(dir, 'strategies', 'mine.ts') });
      expect(byPath.status).toBe(422);
      expect(((await byPath.json()) as { error: { message: string } }).error.message).toMatch(/^Unknown strategy ".*mine\.ts" \(available: sma-crossover, buy-and-hold, rsi-reversion, my_strategy\)/);
    } finally {
      await run.stop();
    }
  });
});

describe('--watch', () => {
  it('reloads the running strategy when its file is edited, keeping what it holds, and keeps the old code when the edit does not load', async () => {
    mkdirSync(join(dir, 'strategies'));
    const file = join(dir, 'strategies', 'mine.ts');
    writeFileSync(file, strategyFile('my_strategy'));
    const run = startCli(['--headless', '--symbols', 'AAPL', '--market', 'simulated', '--strategy', 'my_strategy', '--watch'], { env: env() });
    try {
      await run.waitForStdout(/buy 3 AAPL @ /);
      writeFileSync(file, strategyFile('my_strategy', 3).replace('buys 3 once', 'buys 3 once, edited'));
      await run.waitForStdout(/strategy my_strategy reloaded: its new code took over its state, positions and orders/);
      writeFileSync(file, 'export default defineStrategy({ name: ;\n');
      await run.waitForStderr(/strategy file ".*mine\.ts" failed to load: .*mine\.ts:1:\d+: .*; the running code is unchanged/);
    } finally {
      const stopped = await run.stop();
      // The strategy still held its 3 after both edits (one buy only).
      expect(stopped.stdout.match(/buy 3 AAPL @ /g)).toHaveLength(1);
    }
  });
});

describe('paper-trader strategy new and test', () => {
  it('writes a strategy and its test into the strategies folder; the test passes, and the strategy runs by name', async () => {
    const created = await runCli(['strategy', 'new', 'momo'], { env: env() });
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain(`wrote ${join(dir, 'strategies', 'momo.ts')}`);
    expect(created.stdout).toContain('next: paper-trader strategy test momo');
    const tested = await runCli(['strategy', 'test', 'momo'], { env: env() });
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/^ok 1 - momo buys the rise and sells the fall$/m);
    expect(tested.stdout).toMatch(/^# fail 0$/m);
    const run = await runCli([...FAST, '--strategy', 'momo'], { env: env() });
    expect(JSON.parse(run.stdout).strategy).toEqual({ name: 'momo', params: { window: 20, qty: 10 } });

    // A test that fails says so, and so does the exit code.
    const test = join(dir, 'strategies', 'momo.test.ts');
    writeFileSync(test, readFileSync(test, 'utf8').replace("fills[0]?.side, 'buy'", "fills[0]?.side, 'sell'"));
    const failed = await runCli(['strategy', 'test', 'momo'], { env: env() });
    expect(failed.code).not.toBe(0);
    expect(failed.stdout).toMatch(/^not ok 1 - momo buys the rise and sells the fall$/m);
  });

  it('writes into --dir, never over a file, and refuses a name that is not one', async () => {
    const created = await runCli(['strategy', 'new', 'elsewhere_one', '--dir', elsewhere], { env: env() });
    expect(created.stdout).toContain(`--strategies-dir ${elsewhere}`);
    expect((await runCli(['strategy', 'test', 'elsewhere_one', '--strategies-dir', elsewhere], { env: env() })).code).toBe(0);
    const again = await runCli(['strategy', 'new', 'elsewhere_one', '--dir', elsewhere], { env: env() });
    expect(again.stderr).toBe(`paper-trader: ${join(elsewhere, 'elsewhere_one.ts')} already exists: choose another name, or edit that file\n`);
    const bad = await runCli(['strategy', 'new', '9 lives'], { env: env() });
    expect(bad.stderr).toBe("paper-trader: strategy name \"9 lives\" is not valid: start with a letter, then letters, digits, '_' or '-' (at most 48), e.g. my_strategy\n");
    const none = await runCli(['strategy', 'test', 'ghost'], { env: env() });
    expect(none.stderr).toBe(`paper-trader: no ghost.test.ts in ${join(dir, 'strategies')}: write one with paper-trader strategy new ghost\n`);
  });
});
