// paper-trader backtest against a fake Polygon that keeps minute bars for any past day: the
// history downloads once into Parquet (a second run asks Polygon for nothing), the engine plays
// it, the report follows; a recorded session backtests to the same fills as a live paper run of it.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePolygon, FULL_PLAN, startFakePolygon } from '../helpers/fake-polygon.ts';
import { syntheticMinuteBars } from '../helpers/fake-polygon-history.ts';
import { runCli, tempDataDir } from '../helpers/run-cli.ts';

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, free: 'free' }, history: true });
});
afterAll(async () => {
  await fake.close();
});

const env = (dir: string, key = 'demo'): NodeJS.ProcessEnv => ({ POLYGON_API_KEY: key, POLYGON_REST_URL: fake.restUrl, PAPER_TRADER_DATA_DIR: dir });
const aggregateRequests = (): string[] => fake.requests.filter((request) => request.path.startsWith('/v2/aggs/')).map((request) => request.path);
const SMA = ['--strategy', 'sma-crossover', '--params', '{"source":"bars","shortWindow":5,"longWindow":20}'];

interface BacktestJson {
  events: number;
  symbols: string[];
  portfolio: { totalEquity: string; cash: string };
  performance: { trades: { trades: number }; equity: { days: number; sharpe: number | null } | null };
  fills: { time: number; side: string; qty: string; symbol: string; price: string; fee: string }[];
}

describe('paper-trader backtest on Polygon history', () => {
  it('downloads each month once into Parquet a user can query, plays it through the engine and prints the report', async () => {
    const dir = tempDataDir();
    fake.requests.length = 0;
    const args = ['backtest', '--symbols', 'AAPL', 'MSFT', '--from', '2025-01-02', '--to', '2025-02-28', ...SMA];
    const first = await runCli(args, { env: env(dir) });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^backtest of sma-crossover on AAPL MSFT, 1m bars: [\d,]+ events in [\d.]+ s/);
    expect(first.stdout).toMatch(/\nmax drawdown \$[\d,.]+ \([\d.]+%\)/);
    expect(first.stdout).toMatch(/\nAAPL +trades +\d+/);
    // Two symbols, two months: one request each, a month at a time, up to Polygon's 50,000 base aggregates.
    expect(aggregateRequests().sort()).toEqual([
      '/v2/aggs/ticker/AAPL/range/1/minute/2025-01-01/2025-01-31?adjusted=true&sort=asc&limit=50000',
      '/v2/aggs/ticker/AAPL/range/1/minute/2025-02-01/2025-02-28?adjusted=true&sort=asc&limit=50000',
      '/v2/aggs/ticker/MSFT/range/1/minute/2025-01-01/2025-01-31?adjusted=true&sort=asc&limit=50000',
      '/v2/aggs/ticker/MSFT/range/1/minute/2025-02-01/2025-02-28?adjusted=true&sort=asc&limit=50000',
    ]);

    // The cache: Parquet files DuckDB reads, holding every bar Polygon served, prices exact.
    const file = join(dir, 'history', '1minute', 'AAPL', '2025-01.parquet');
    expect(existsSync(file)).toBe(true);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await db.runAndReadAll(`SELECT count(*)::INTEGER AS n, typeof(any_value(open)) AS type, sum(close)::VARCHAR AS closes FROM '${file}'`)).getRowObjectsJS()[0]!;
    const served = syntheticMinuteBars('AAPL', Date.parse('2025-01-01T00:00:00Z'), Date.parse('2025-01-31T23:59:59.999Z'));
    const cents = served.reduce((sum, bar) => sum + Math.round(bar['c']! * 100), 0);
    expect(rows).toEqual({ n: served.length, type: 'DECIMAL(18,6)', closes: `${(cents / 100).toFixed(2)}0000` });
    db.closeSync();

    // A second run downloads nothing and comes to the same books.
    fake.requests.length = 0;
    const second = await runCli(args, { env: env(dir) });
    expect(second.code).toBe(0);
    expect(aggregateRequests()).toEqual([]);
    const body = (text: string) => text.split('\n').slice(1).join('\n');
    expect(body(second.stdout)).toBe(body(first.stdout));
  });

  it("a ticker that streamed today still has its history: Polygon keeps both", async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
    fake.addMinuteBars('NVDA', [{ v: 100, vw: 480, o: 480, c: 480.5, h: 481, l: 479.5, t: now, n: 3 }]);
    const result = await runCli(['backtest', '--symbols', 'NVDA', '--from', '2025-01-06', '--to', '2025-01-06', ...SMA, '--json'], { env: env(tempDataDir()) });
    expect(result.stderr).toBe('');
    // A whole trading day of minute bars (09:30 to 16:00, and some before and after).
    expect((JSON.parse(result.stdout) as BacktestJson).events).toBeGreaterThan(390);
  });

  it('backtests the month under way: its engine, on a thread of its own, reads what the command just downloaded', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const first = `${today.slice(0, 7)}-01`;
    const result = await runCli(['backtest', '--symbols', 'X:BTCUSD', '--from', first, '--to', today, ...SMA, '--json'], { env: env(tempDataDir()) });
    expect(result.stderr).toBe('');
    expect((JSON.parse(result.stdout) as BacktestJson).events).toBeGreaterThan(0);
  });

  it('a backtest of history equals a replay of the same bars as a recorded stream, fill for fill', async () => {
    const dir = tempDataDir();
    const from = '2025-03-03';
    const to = '2025-03-04';
    // Crypto trades every minute of the day: the recorded stream and the history cover the same bars.
    const history = await runCli(['backtest', '--symbols', 'X:BTCUSD', '--from', from, '--to', to, ...SMA, '--json'], { env: env(dir) });
    expect(history.stderr).toBe('');
    const backtested = JSON.parse(history.stdout) as BacktestJson;
    expect(backtested.fills.length).toBeGreaterThan(10);
    // The same minute bars as Polygon's WebSocket sends them (XA), in a replay file, run as a live paper session plays it.
    const bars = syntheticMinuteBars('X:BTCUSD', Date.parse('2025-03-03T05:00:00Z'), Date.parse('2025-03-05T04:59:59.999Z'));
    const session = join(dir, 'btc.jsonl');
    writeFileSync(session, bars.map((b) => JSON.stringify({ ev: 'XA', pair: 'BTC-USD', v: b['v'], vw: b['vw'], o: b['o'], h: b['h'], l: b['l'], c: b['c'], s: b['t'], e: b['t']! + 60_000 })).join('\n') + '\n');
    const live = await runCli(['--replay', session, '--headless', '--json', ...SMA], { env: env(dir) });
    expect(live.code).toBe(0);
    const played = JSON.parse(live.stdout) as BacktestJson;
    const fillsOf = (fills: BacktestJson['fills']) => fills.map(({ time, side, qty, symbol, price, fee }) => ({ time, side, qty, symbol, price, fee }));
    expect(backtested.events).toBe(bars.length);
    expect(fillsOf(backtested.fills)).toEqual(fillsOf(played.fills));
    expect(backtested.portfolio.totalEquity).toBe(played.portfolio.totalEquity);
  });

  it('a recorded session backtests to the fills of a live paper run of it', async () => {
    const dir = tempDataDir();
    const session = join(dir, 'session.jsonl');
    // Quotes and trades of two stocks, a minute of each a second for an hour: enough crossings.
    const lines: string[] = [];
    const t0 = Date.parse('2026-11-03T15:00:00Z');
    for (let s = 0; s < 3_600; s++) {
      for (const [sym, base] of [['AAPL', 190], ['MSFT', 420]] as const) {
        const mid = base * (1 + 0.004 * Math.sin(s / 120) + 0.0005 * Math.sin(s * 7.3));
        lines.push(JSON.stringify({ ev: 'Q', sym, bp: Number((mid - 0.01).toFixed(2)), bs: 3, ap: Number((mid + 0.01).toFixed(2)), as: 2, t: t0 + s * 1000 }));
      }
    }
    writeFileSync(session, lines.join('\n') + '\n');
    const params = ['--strategy', 'sma-crossover', '--params', '{"shortWindow":10,"longWindow":60}', '--fees', 'per-share:0.005,min:1'];
    const backtested = JSON.parse((await runCli(['backtest', '--replay', session, ...params, '--json'], { env: env(dir) })).stdout) as BacktestJson;
    const live = JSON.parse((await runCli(['--replay', session, '--headless', '--json', ...params], { env: env(dir) })).stdout) as BacktestJson;
    expect(backtested.fills.length).toBeGreaterThan(10);
    expect(backtested.fills).toEqual(live.fills);
    expect(backtested.portfolio).toEqual(live.portfolio);
  });

  it('says in one line what is wrong: a ticker Polygon does not know, no key for what is not cached, bad dates, history beyond the plan', async () => {
    const dir = tempDataDir();
    const oneLine = (result: { code: number | null; stdout: string; stderr: string }) => {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      return result.stderr.trim();
    };
    const base = ['backtest', '--from', '2025-01-02', '--to', '2025-01-31', '--strategy', 'sma-crossover'];
    expect(oneLine(await runCli([...base, '--symbols', 'AAPLL'], { env: env(dir) }))).toBe('paper-trader: Unknown symbol "AAPLL" (did you mean AAPL?)');
    expect(oneLine(await runCli([...base, '--symbols', 'NVDA'], { env: { ...env(dir), POLYGON_API_KEY: '' } }))).toBe(
      "paper-trader: NVDA's 1minute bars of 2025-01 are not in the history cache, and there is no Polygon API key to download them: set POLYGON_API_KEY",
    );
    expect(oneLine(await runCli(['backtest', '--symbols', 'AAPL', '--from', '2025-02-30', '--to', '2025-03-01', '--strategy', 'sma-crossover'], { env: env(dir) }))).toBe(
      'paper-trader: a backtest needs --from as a date, YYYY-MM-DD (e.g. 2025-01-02), got "2025-02-30"',
    );
    expect(oneLine(await runCli(['backtest', '--symbols', 'AAPL', '--from', '2025-03-01', '--to', '2025-02-01', '--strategy', 'sma-crossover'], { env: env(dir) }))).toBe(
      'paper-trader: from 2025-03-01 is after to 2025-02-01: e.g. --from 2025-01-02 --to 2025-06-30',
    );
    expect(oneLine(await runCli(['backtest', '--symbols', 'AAPL', '--from', '2025-01-02', '--to', '2025-01-31'], { env: env(dir) }))).toMatch(/^paper-trader: a backtest needs a strategy: --strategy sma-crossover/);
    // Basic keeps two years of history (docs/polygon-plans.md §1).
    expect(oneLine(await runCli(['backtest', '--symbols', 'AAPL', '--from', '2019-01-02', '--to', '2019-01-31', '--strategy', 'sma-crossover'], { env: env(dir, 'free') }))).toBe(
      "paper-trader: Polygon refused AAPL's bars of 2019-01: your plan does not reach that far back (Basic keeps 2 years, Starter 5, Developer 10) or, on Basic, today; pick later dates or upgrade the plan",
    );
  });
});
