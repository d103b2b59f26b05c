// paper-trader sweep: every combination of a grid backtested on worker threads, ranked, kept as
// Parquet that DuckDB and `report --sweep` read; and the same sweep over Redis (BullMQ) on two
// `paper-trader worker` processes gives the same table. Redis is Debian's redis-server, started on
// 127.0.0.1 for the test (.ci/run installs it); without it, that test skips and says why.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePolygon, FULL_PLAN, startFakePolygon } from '../helpers/fake-polygon.ts';
import { BIN, runCli, tempDataDir } from '../helpers/run-cli.ts';
import { until } from '../helpers/until.ts';

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN }, history: true });
});
afterAll(async () => {
  await fake.close();
});

const env = (dir: string): NodeJS.ProcessEnv => ({ POLYGON_API_KEY: 'demo', POLYGON_REST_URL: fake.restUrl, PAPER_TRADER_DATA_DIR: dir });
const GRID = '{"shortWindow":[5,10,20],"longWindow":[30,60]}';
const SWEEP = ['sweep', '--symbols', 'AAPL', 'MSFT', '--from', '2025-01-02', '--to', '2025-01-31', '--strategy', 'sma-crossover', '--params', '{"source":"bars"}', '--grid', GRID];

/** The ranked table without the first line (which says where and how long) and the last (where the results went). */
const tableOf = (stdout: string): string[] => stdout.trimEnd().split('\n').slice(1, -1);
const resultsFile = (stdout: string): string => /\nresults: (.+\.parquet)\n$/.exec(stdout)![1]!;

describe('paper-trader sweep', () => {
  it('runs every combination on threads, ranks them by the metric, and keeps them as Parquet for DuckDB and report --sweep', async () => {
    const dir = tempDataDir();
    const result = await runCli([...SWEEP, '--threads', '2', '--metric', 'sharpe'], { env: env(dir), timeoutMs: 120_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^sweep of 6 runs on 2 threads in [\d.]+ s, ranked by sharpe:\n# +params +trades +win +return +CAGR +Sharpe +Sortino +max DD +PF +expectancy\n/);
    const table = tableOf(result.stdout);
    expect(table).toHaveLength(7);
    // Every combination once, ranked: Sharpe never rises down the table.
    const sharpes = table.slice(1).map((line) => Number(line.split(/\s{2,}/)[6]));
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes);
    const combos = table.slice(1).map((line) => /shortWindow=(\d+) longWindow=(\d+)/.exec(line)!.slice(1).join('/')).sort();
    expect(combos).toEqual(['10/30', '10/60', '20/30', '20/60', '5/30', '5/60']);

    // DuckDB reads the results: a row a run, the grid's parameters as columns.
    const file = resultsFile(result.stdout);
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    const rows = (await db.runAndReadAll(`SELECT "shortWindow", "longWindow", trades, sharpe FROM '${file}' ORDER BY sharpe DESC`)).getRowObjectsJS();
    db.closeSync();
    expect(rows).toHaveLength(6);
    expect(rows.map((row) => `${row['shortWindow']}/${row['longWindow']}`)).toEqual(table.slice(1).map((line) => /shortWindow=(\d+) longWindow=(\d+)/.exec(line)!.slice(1).join('/')));

    // And report prints the same table again, or ranked by another metric.
    const report = await runCli(['report', '--sweep', file, '--metric', 'sharpe'], { env: env(dir) });
    expect(report.stdout.trimEnd().split('\n').slice(1)).toEqual(table);
    const byTrades = await runCli(['report', '--sweep', file, '--metric', 'trades'], { env: env(dir) });
    const trades = byTrades.stdout.trimEnd().split('\n').slice(2).map((line) => Number(line.split(/\s{2,}/)[2]));
    expect([...trades].sort((a, b) => b - a)).toEqual(trades);
  });

  it('a combination the strategy refuses is a failed row, and the others still run', async () => {
    const dir = tempDataDir();
    const result = await runCli([...SWEEP.slice(0, -1), '{"shortWindow":[10,40],"longWindow":[30]}', '--threads', '1'], { env: env(dir), timeoutMs: 120_000 });
    expect(result.code).toBe(0);
    const table = tableOf(result.stdout);
    expect(table[1]).toMatch(/^1 +shortWindow=10 longWindow=30 +\d+/);
    expect(table[2]).toMatch(/^2 +shortWindow=40 longWindow=30 +failed: .*shortWindow must be smaller than longWindow/);
  });

  it('says in one line what is wrong with a grid, a metric or a queue', async () => {
    const dir = tempDataDir();
    const oneLine = async (args: string[]): Promise<string> => {
      const result = await runCli(args, { env: env(dir) });
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
      return result.stderr.trim();
    };
    const base = SWEEP.slice(0, -2);
    expect(await oneLine(base)).toMatch(/^paper-trader: a sweep needs --grid, e\.g\. --grid/);
    expect(await oneLine([...base, '--grid', '{shortWindow:[5]}'])).toMatch(/^paper-trader: --grid is not valid JSON \(/);
    expect(await oneLine([...base, '--grid', '{"shortWindow":5}'])).toBe('paper-trader: --grid\'s "shortWindow" must be a list of values to try, e.g. "shortWindow": [5, 10, 20]');
    expect(await oneLine([...SWEEP, '--metric', 'luck'])).toMatch(/^paper-trader: --metric "luck" is not one to rank by: use sharpe, sortino, return/);
    expect(await oneLine([...SWEEP, '--queue', 'localhost:6379'])).toBe('paper-trader: --queue must be a Redis address, redis://HOST:PORT (e.g. redis://127.0.0.1:6379), got "localhost:6379"');
    const closed = await freePort();
    expect(await oneLine([...SWEEP, '--queue', `redis://127.0.0.1:${closed}`])).toBe(
      `paper-trader: cannot reach Redis at redis://127.0.0.1:${closed} (ECONNREFUSED): start redis-server there, or fix --queue`,
    );
  });
});

const redisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!redisServer) console.warn('sweep over Redis: skipped, redis-server is not installed (apt-get install -y redis-server)');

describe.skipIf(!redisServer)('paper-trader sweep --queue, on two paper-trader worker processes over Redis', () => {
  let redis: ChildProcess;
  let port: number;
  beforeAll(async () => {
    port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until(() => spawnSync('redis-cli', ['-p', String(port), 'ping']).stdout?.toString().trim() === 'PONG', 10_000);
  });
  afterAll(() => {
    redis?.kill('SIGTERM');
  });

  it('gives the same table as the run on threads, each worker backtesting from its own history cache', async () => {
    const local = await runCli([...SWEEP, '--threads', '2'], { env: env(tempDataDir()), timeoutMs: 120_000 });
    const queue = `redis://127.0.0.1:${port}`;
    const workers = [tempDataDir(), tempDataDir()].map((dir) => {
      const child = spawn(process.execPath, [BIN, 'worker', '--queue', queue], { env: { ...process.env, ...env(dir) }, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return { child, stderr: () => stderr };
    });
    try {
      await until(() => workers.every((worker) => worker.stderr().includes('worker taking sweep runs')), 20_000);
      const queued = await runCli([...SWEEP, '--queue', queue], { env: env(tempDataDir()), timeoutMs: 120_000 });
      expect(queued.stderr).toBe('');
      expect(queued.stdout).toMatch(new RegExp(`^sweep of 6 runs on workers over ${queue.replaceAll('.', '\\.')} in`));
      expect(tableOf(queued.stdout)).toEqual(tableOf(local.stdout));
      // Both workers took runs.
      await until(() => workers.every((worker) => /run \d+ /.test(worker.stderr())), 10_000);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
