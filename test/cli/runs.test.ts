import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../src/engine/index.ts';
import { runCli } from '../helpers/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'paper-trader-cli-runs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.parse('2026-11-02T15:00:00Z');
const session = join(dir, 'session.jsonl');
writeFileSync(
  session,
  [
    { ev: 'Q', sym: 'AAPL', bp: 230.1, bs: 3, ap: 230.12, as: 2, t: T0 },
    { ev: 'XQ', pair: 'BTC-USD', bp: 95000, bs: 0.5, ap: 95010.5, as: 0.25, t: T0 + 5 },
    { ev: 'T', sym: 'AAPL', p: 230.11, s: 100, t: T0 + 10 },
    { ev: 'Q', sym: 'AAPL', bp: 230.5, bs: 4, ap: 230.52, as: 5, t: T0 + 1000 },
    { ev: 'XQ', pair: 'BTC-USD', bp: 95100, bs: 1.5, ap: 95110, as: 2, t: T0 + 1005 },
  ]
    .map((event) => JSON.stringify(event))
    .join('\n'),
);

describe('running the CLI', () => {
  it.concurrent('replays a session with buy-and-hold and prints the final snapshot as JSON', async () => {
    const result = await runCli(['--replay', session, '--strategy', 'buy-and-hold', '--headless', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as EngineSnapshot;
    expect(snapshot.strategy?.name).toBe('buy-and-hold');
    expect(snapshot.symbols).toEqual(['AAPL', 'X:BTCUSD']);
    expect(snapshot.portfolio.positions.map((p) => p.symbol).sort()).toEqual(['AAPL', 'X:BTCUSD']);
    // The first AAPL quote shows 200 shares at the ask: the rest of the order fills on the next quote.
    const aaplFills = snapshot.fills.filter((fill) => fill.symbol === 'AAPL');
    expect(aaplFills[0]).toMatchObject({ price: '230.12', qty: '200' });
    expect(aaplFills[1]?.price).toBe('230.52');
    const cash = BigInt(snapshot.portfolio.cash.replace('.', ''));
    const spent = snapshot.fills.reduce((sum, fill) => sum + BigInt(fill.notional.replace('.', '')), 0n);
    expect(cash).toBe(10_000_000n - spent);
  });

  it.concurrent('plays a replay at its recorded pace with --speed, in memory, and ends with the recording when headless', async () => {
    const result = await runCli(['--replay', session, '--speed', '50', '--strategy', 'buy-and-hold', '--headless', '--json', '--data-dir', join(dir, 'paced')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Headless with --json: JSON lines only, the snapshot last.
    const snapshot = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as EngineSnapshot & { type: string };
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.account).toBeUndefined();
    expect(snapshot.fills.map((fill) => fill.price)).toEqual(['230.12', '95010.50', '230.52', '95110.00']);
  });

  it.concurrent('accepts the seed strategy name and snake_case params on a fast simulated day', async () => {
    const result = await runCli([
      '--symbols', 'AAPL', 'MSFT', 'X:BTCUSD', '--strategy', 'simple_paper_strategy',
      '--params', '{"short_window": 10, "long_window": 30}', '--fast', '--duration', '30m', '--json',
    ]);
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as EngineSnapshot;
    expect(snapshot.strategy).toMatchObject({ name: 'sma-crossover', params: { shortWindow: 10, longWindow: 30 } });
    expect(snapshot.metrics.totalTrades).toBeGreaterThan(0);
  });

  it.concurrent('runs a strategy written by the user in one file', async () => {
    const engineEntry = fileURLToPath(new URL('../../src/engine/index.ts', import.meta.url));
    const file = join(dir, 'buy-first-quote.ts');
    writeFileSync(
      file,
      `import { defineStrategy, z } from ${JSON.stringify(engineEntry)};
export default defineStrategy({
  name: 'buy-first-quote',
  description: 'buys 1 unit of every symbol on its first quote',
  params: z.object({ qty: z.string().default('1') }).strict(),
  create: (p) => {
    const seen = new Set<string>();
    return {
      onQuote(quote, ctx) {
        if (seen.has(quote.symbol)) return;
        seen.add(quote.symbol);
        ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: p.qty, type: 'market' });
      },
    };
  },
});
`,
    );
    const result = await runCli(['--replay', session, '--strategy', file, '--json']);
    expect(result.stderr).toBe('');
    const snapshot = JSON.parse(result.stdout) as EngineSnapshot;
    expect(snapshot.strategy?.name).toBe('buy-first-quote');
    // 0.25 BTC shows at the first ask; the rest fills at the next quote.
    expect(snapshot.fills.map((fill) => `${fill.symbol} ${fill.qty} @ ${fill.price}`)).toEqual([
      'AAPL 1 @ 230.12',
      'X:BTCUSD 0.25 @ 95010.50',
      'X:BTCUSD 0.75 @ 95110.00',
    ]);
    expect(snapshot.orders.find((order) => order.symbol === 'X:BTCUSD')?.avgFillPrice).toBe('95085.125');
  });

  it.concurrent('lists the built-in strategies and prints help', async () => {
    const list = await runCli(['--list-strategies']);
    expect(list.stdout).toMatch(/^sma-crossover .*\(also: simple_paper_strategy\)  \[built in\]$/m);
    expect(list.stdout).toMatch(/^buy-and-hold /m);
    expect(list.stdout).toMatch(/^rsi-reversion /m);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--symbols', '--strategy', '--params', '--cash', '--replay', '--headless', '--json']) expect(help.stdout).toContain(flag);
  });

  it.concurrent('runs live on the simulated market, prints a status line a second, and stops cleanly on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('../../bin/paper-trader.js', import.meta.url));
    // Its own data directory: the run writes its logs there, never into the user's.
    const env = { ...process.env, PAPER_TRADER_DATA_DIR: join(dir, 'headless-data') };
    const child = spawn(process.execPath, [bin, '--symbols', 'AAPL', 'MSFT', '--headless'], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    await new Promise<void>((resolve) => {
      const check = () => (stdout.match(/simulated live/g)?.length ?? 0) >= 2 && resolve();
      child.stdout.on('data', check);
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/\| AAPL \d+\.\d{2}/);
    expect(stdout).toMatch(/^strategy none on AAPL MSFT, simulated market$/m);
  });
});
