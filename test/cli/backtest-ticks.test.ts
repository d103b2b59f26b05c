// paper-trader backtest --data trades|quotes: Polygon's trades and quotes history, downloaded a day at
// a time into Parquet (a second run asks for nothing), played through the same engine: fills at the
// bid and ask the quotes showed, and fill for fill what a live paper run of the same ticks gives.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newYorkDayStart } from '../../src/engine/market/trading-day.ts';
import { syntheticTicks, type TickRow } from '../helpers/fake-polygon-tick-history.ts';
import { type FakePolygon, FULL_PLAN, startFakePolygon } from '../helpers/fake-polygon.ts';
import { runCli, tempDataDir } from '../helpers/run-cli.ts';

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, developer: 'developer' }, history: true });
});
afterAll(async () => {
  await fake.close();
});

const env = (dir: string, key = 'demo'): NodeJS.ProcessEnv => ({ POLYGON_API_KEY: key, POLYGON_REST_URL: fake.restUrl, PAPER_TRADER_DATA_DIR: dir });
const tickRequests = (): string[] => fake.requests.filter((request) => /^\/v3\/(trades|quotes)\//.test(request.path)).map((request) => request.path);
const NS = 1_000_000n;
const SMA = (source?: string) => ['--strategy', 'sma-crossover', '--params', JSON.stringify({ shortWindow: 5, longWindow: 20, ...(source ? { source } : {}) })];
/** What Polygon keeps of a ticker for New York days [from, to]. */
const served = (ticker: string, kind: 'trades' | 'quotes', from: string, next: string): TickRow[] =>
  syntheticTicks(ticker, kind, BigInt(newYorkDayStart(from)) * NS, BigInt(newYorkDayStart(next)) * NS);
const msOf = (row: TickRow): number => Number(((row['sip_timestamp'] ?? row['participant_timestamp']) as bigint) / NS);

interface BacktestJson {
  events: number;
  portfolio: { totalEquity: string };
  fills: { time: number; side: string; qty: string; symbol: string; price: string; fee: string }[];
}

describe('paper-trader backtest on trades and quotes', () => {
  it('downloads each day once into Parquet, fills at the bid and ask the quotes showed, and a second run asks for nothing', async () => {
    const dir = tempDataDir();
    fake.requests.length = 0;
    const args = ['backtest', '--symbols', 'AAPL', '--from', '2025-06-02', '--to', '2025-06-03', '--data', 'quotes', ...SMA(), '--json'];
    const first = await runCli(args, { env: env(dir) });
    expect(first.stderr).toBe('');
    const result = JSON.parse(first.stdout) as BacktestJson;
    // A day of each kind a request (a day here is under Polygon's 50,000 rows a page).
    expect(tickRequests().map((path) => path.replace(/\?.*/, '')).sort()).toEqual(['/v3/quotes/AAPL', '/v3/quotes/AAPL', '/v3/trades/AAPL', '/v3/trades/AAPL']);
    const quotes = served('AAPL', 'quotes', '2025-06-02', '2025-06-04');
    const trades = served('AAPL', 'trades', '2025-06-02', '2025-06-04');
    expect(result.events).toBe(quotes.length + trades.length);

    // Every fill at the price the NBBO showed on its side when it filled (the strategy reads the quotes' mids), never more than shown.
    expect(result.fills.length).toBeGreaterThan(10);
    for (const fill of result.fills) {
      const quote = quotes.filter((row) => msOf(row) <= fill.time).at(-1)!;
      expect(fill.price).toBe((fill.side === 'buy' ? (quote['ask_price'] as number) : (quote['bid_price'] as number)).toFixed(2));
      expect(Number(fill.qty)).toBeLessThanOrEqual(100 * (quote[fill.side === 'buy' ? 'ask_size' : 'bid_size'] as number));
    }

    // The cache: Parquet a user can query, the exact prices, the nanosecond times, the sale conditions.
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const file = (kind: string) => join(dir, 'history', kind, 'AAPL', '2025-06-02.parquet');
    const [quoteFile] = (await db.runAndReadAll(`SELECT count(*)::INTEGER AS n, typeof(any_value(time)) AS time, typeof(any_value(bid_price)) AS price, max(epoch_ns(time))::VARCHAR AS last FROM '${file('quotes')}'`)).getRowObjectsJS();
    const day = served('AAPL', 'quotes', '2025-06-02', '2025-06-03');
    expect(quoteFile).toEqual({ n: day.length, time: 'TIMESTAMP_NS', price: 'DECIMAL(18,6)', last: String(day.at(-1)!['sip_timestamp']) });
    const [tradeFile] = (await db.runAndReadAll(`SELECT typeof(any_value(conditions)) AS type, count(*) FILTER (WHERE conditions = [12])::INTEGER AS formT FROM '${file('trades')}'`)).getRowObjectsJS();
    expect(tradeFile).toEqual({ type: 'INTEGER[]', formT: served('AAPL', 'trades', '2025-06-02', '2025-06-03').filter((row) => row['conditions'] !== undefined).length });
    db.closeSync();

    fake.requests.length = 0;
    const second = await runCli(args, { env: env(dir) });
    expect(tickRequests()).toEqual([]);
    expect((JSON.parse(second.stdout) as BacktestJson).fills).toEqual(result.fills);
  });

  it('equals a live paper run of the same ticks as the WebSocket sends them, fill for fill: crypto trades, forex quotes', async () => {
    const dir = tempDataDir();
    // A Tuesday and a Wednesday: forex trades all of both, crypto always.
    const [from, to, next] = ['2025-03-04', '2025-03-05', '2025-03-06'];
    const cases = [
      { ticker: 'X:BTCUSD', kind: 'trades' as const, source: 'trades', event: (row: TickRow) => ({ ev: 'XT', pair: 'BTC-USD', p: row['price'], s: row['size'], t: msOf(row), c: row['conditions'], x: row['exchange'], i: row['id'] }) },
      { ticker: 'C:EURUSD', kind: 'quotes' as const, source: 'quotes', event: (row: TickRow) => ({ ev: 'C', p: 'EUR/USD', a: row['ask_price'], b: row['bid_price'], x: row['ask_exchange'], t: msOf(row) }) },
    ];
    for (const { ticker, kind, source, event } of cases) {
      const history = await runCli(['backtest', '--symbols', ticker, '--from', from, '--to', to, '--data', kind, ...SMA(source), '--json'], { env: env(dir) });
      expect(history.stderr).toBe('');
      const backtested = JSON.parse(history.stdout) as BacktestJson;
      const rows = served(ticker, kind, from, next);
      const session = join(dir, `${kind}.jsonl`);
      writeFileSync(session, rows.map((row) => JSON.stringify(event(row))).join('\n') + '\n');
      const live = JSON.parse((await runCli(['--replay', session, '--headless', '--json', ...SMA(source)], { env: env(dir) })).stdout) as BacktestJson;
      expect(backtested.events).toBe(rows.length);
      expect(backtested.fills.length).toBeGreaterThan(10);
      expect(backtested.fills).toEqual(live.fills);
      expect(backtested.portfolio.totalEquity).toBe(live.portfolio.totalEquity);
    }
  });

  it('says in one line what the plan or the market lacks, and what to do', async () => {
    const dir = tempDataDir();
    const oneLine = async (args: string[], key = 'demo') => {
      const result = await runCli(['backtest', '--from', '2025-06-02', '--to', '2025-06-03', '--strategy', 'sma-crossover', ...args], { env: { ...env(dir, key) } });
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      return result.stderr.trim();
    };
    expect(await oneLine(['--symbols', 'AAPL', '--data', 'quotes'], 'developer')).toBe(
      "paper-trader: Polygon refused AAPL's quotes: your plan does not include them (quotes need Stocks Advanced; trades Stocks Developer): backtest with --data trades, or on bars without --data",
    );
    expect(await oneLine(['--symbols', 'C:EURUSD', '--data', 'trades'])).toBe('paper-trader: Polygon keeps no trades of forex, only quotes: backtest C:EURUSD with --data quotes');
    expect(await oneLine(['--symbols', 'AAPL', '--data', 'ticks'])).toBe('paper-trader: --data must be bars, trades or quotes, got "ticks"');
    expect(await oneLine(['--symbols', 'AAPL', '--data', 'quotes', '--interval', '5m'])).toBe(
      'paper-trader: --interval is a bar length: --data quotes plays every quote and trade; leave one of them out',
    );
    expect(await oneLine(['--symbols', 'MSFT', '--data', 'trades'], '')).toBe(
      "paper-trader: MSFT's trades of 2025-06-02 are not in the history cache, and there is no Polygon API key to download them: set POLYGON_API_KEY",
    );
  });

  it('says before the run that a strategy reading quote mids will not trade crypto beside stocks (Polygon keeps no crypto quotes)', async () => {
    const args = ['backtest', '--symbols', 'AAPL', 'X:BTCUSD', '--from', '2025-06-02', '--to', '2025-06-02', '--data', 'quotes', '--strategy', 'sma-crossover'];
    const result = await runCli(args, { env: env(tempDataDir()) });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('note: Polygon keeps no quotes of crypto, only trades: a strategy reading quote mids never trades X:BTCUSD; backtest crypto on its own or with --data trades\n');
    // Reading trades, it trades both: no note.
    const trades = await runCli([...args, '--params', '{"source":"trades"}'], { env: env(tempDataDir()) });
    expect(trades.stderr).toBe('');
    expect(trades.stdout).toMatch(/\nX:BTCUSD +trades +[1-9]/);
  });

  it('a sweep runs on trades too', async () => {
    const dir = tempDataDir();
    const result = await runCli(
      ['sweep', '--symbols', 'AAPL', '--from', '2025-06-02', '--to', '2025-06-02', '--data', 'trades', '--strategy', 'sma-crossover', '--grid', '{"shortWindow":[5,10],"longWindow":[30]}', '--threads', '2'],
      { env: env(dir) },
    );
    expect(result.stderr).toBe('');
    const trades = [...result.stdout.matchAll(/^\d\s+shortWindow=(?:5|10) longWindow=30\s+(\d+)/gm)].map((match) => Number(match[1]));
    expect(trades).toHaveLength(2);
    expect(trades.every((count) => count > 10)).toBe(true);
  });
});
