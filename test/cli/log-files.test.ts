// The log files a run leaves in its data directory: paper-trader.log (the session) and
// polygon-data.log (Polygon's connection), JSON lines, never with the API key in them.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineSnapshot } from '../../src/engine/index.ts';
import { changeConfig } from '../../src/cli/config-store.ts';
import { openLogFile } from '../../src/cli/log-files.ts';
import { type FakePolygon, startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { runCli, startCli, tempDataDirs } from '../helpers/run-cli.ts';

const KEY = 'log-test-key-9e7c3a51d2f84b06aa';
const { fresh: freshDir, cleanup } = tempDataDirs();
afterAll(cleanup);

interface LogLine {
  level: string;
  time: string;
  event?: string;
  msg: string;
  [field: string]: unknown;
}
const readLog = (path: string): LogLine[] =>
  readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as LogLine);

const T0 = Date.parse('2026-11-02T15:00:00Z');

describe('log files', () => {
  it.concurrent('a replay run writes paper-trader.log with start, orders, fills and stop', async () => {
    const dir = freshDir();
    const session = join(dir, 'session.jsonl');
    writeFileSync(
      session,
      [
        { ev: 'Q', sym: 'AAPL', bp: 230.1, bs: 3, ap: 230.12, as: 2, t: T0 },
        { ev: 'Q', sym: 'AAPL', bp: 230.5, bs: 4, ap: 230.52, as: 5, t: T0 + 1000 },
      ]
        .map((event) => JSON.stringify(event))
        .join('\n'),
    );
    const result = await runCli(['--replay', session, '--strategy', 'buy-and-hold', '--json'], { env: { PAPER_TRADER_DATA_DIR: dir } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = JSON.parse(result.stdout) as EngineSnapshot;

    expect(existsSync(join(dir, 'polygon-data.log'))).toBe(false);
    const log = readLog(join(dir, 'paper-trader.log'));
    expect(statSync(join(dir, 'paper-trader.log')).mode & 0o777).toBe(0o600);
    expect(log[0]).toMatchObject({ event: 'start', level: 'info', market: 'replay', symbols: ['AAPL'], strategy: 'buy-and-hold', version: expect.any(String) });
    expect(log.at(-1)).toMatchObject({ event: 'stop', equity: snapshot.portfolio.totalEquity, fills: snapshot.fills.length });
    const fills = log.filter((line) => line.event === 'fill');
    expect(fills.map((line) => line.msg)).toEqual(snapshot.fills.map((fill) => `buy ${fill.qty} AAPL @ ${fill.price}`));
    expect(fills).toHaveLength(2);
    expect(log.filter((line) => line.event === 'order').map((line) => (line['order'] as { status: string }).status)).toEqual(['accepted', 'partially_filled', 'filled']);
    // The engine's own log (the replay's progress) is there too.
    expect(log.some((line) => line.event === 'log' && /replay/.test(line.msg))).toBe(true);
  });

  it.concurrent('a log that cannot be opened is one stderr line, and the run goes on', async () => {
    const dir = freshDir();
    // A directory where the file should be: it cannot be opened for writing.
    mkdirSync(join(dir, 'paper-trader.log'));
    const result = await runCli(['--symbols', 'AAPL', '--fast', '--duration', '1m', '--json'], { env: { PAPER_TRADER_DATA_DIR: dir } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`paper-trader: cannot write the log ${join(dir, 'paper-trader.log')} (EISDIR): running without it\n`);
    expect((JSON.parse(result.stdout) as EngineSnapshot).symbols).toEqual(['AAPL']);
  });
});

describe('openLogFile', () => {
  it('scrubs the key from every string and censors secret fields', () => {
    const path = join(freshDir(), 'scrub.log');
    const logger = openLogFile(path, KEY);
    logger.info({ url: `wss://x/?apiKey=${KEY}`, nested: { note: `key ${KEY}`, apiKey: 'anything' }, token: 't' }, `failed with ${KEY}`);
    logger.warn('%s rejected', KEY);
    logger.info({ request: { headers: { Authorization: 'Bearer secret-token' }, body: [{ deep: { password: 'hunter2' } }] } }, 'deep');
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(KEY);
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('hunter2');
    const [first, second, third] = readLog(path);
    expect(first).toMatchObject({ url: 'wss://x/?apiKey=REDACTED', nested: { note: 'key REDACTED', apiKey: 'REDACTED' }, token: 'REDACTED', msg: 'failed with REDACTED' });
    expect(second).toMatchObject({ level: 'warn', msg: 'REDACTED rejected' });
    expect(third).toMatchObject({ request: { headers: { Authorization: 'REDACTED' }, body: [{ deep: { password: 'REDACTED' } }] } });
  });
});

describe('log files of a Polygon run', () => {
  let fake: FakePolygon;
  beforeAll(async () => {
    fake = await startFakePolygon({ keys: { demo: FULL_PLAN, [KEY]: FULL_PLAN } });
  });
  afterAll(async () => {
    await fake.close();
  });

  it('a key saved with config makes the default market Polygon; polygon-data.log has the connection and no file has the key', async () => {
    const dir = freshDir();
    const env = { PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '', POLYGON_REST_URL: '', POLYGON_WS_URL: '' };
    // Saved in-process through the same store `config set` uses (config.test.ts runs that through the binary).
    changeConfig(dir, (store) => store.set({ apiKey: KEY, restUrl: fake.restUrl, wsUrl: fake.wsUrl }));
    // No --market: the saved key alone must choose Polygon.
    const run = startCli(['--symbols', 'AAPL', '--headless'], { env });
    await run.waitForStdout(/polygon live/);
    const result = await run.stop('SIGTERM');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^strategy none on AAPL, polygon market$/m);
    expect(result.stdout + result.stderr).not.toContain(KEY);

    const polygon = readLog(join(dir, 'polygon-data.log'));
    expect(polygon[0]).toMatchObject({ event: 'status', state: 'connecting', msg: 'connecting to Polygon' });
    expect(polygon.some((line) => line.state === 'live')).toBe(true);
    expect(polygon.at(-1)).toMatchObject({ event: 'status', state: 'stopped' });

    const app = readLog(join(dir, 'paper-trader.log'));
    expect(app[0]).toMatchObject({ event: 'start', market: 'polygon', symbols: ['AAPL'], strategy: null });
    expect(app.at(-1)).toMatchObject({ event: 'stop' });
    for (const file of ['paper-trader.log', 'polygon-data.log']) expect(readFileSync(join(dir, file), 'utf8')).not.toContain(KEY);
    // Each REST request: path (no key), status, time taken.
    const requests = polygon.filter((line) => line.event === 'request');
    expect(requests.map((line) => line.path)).toEqual(expect.arrayContaining(['/v1/marketstatus/now', '/v2/snapshot/locale/us/markets/stocks/tickers/AAPL']));
    for (const line of requests) {
      expect(line).toMatchObject({ status: 200 });
      expect(typeof line.ms).toBe('number');
    }
    expect(polygon.some((line) => line.level === 'debug')).toBe(false);
  });

  it('--log-level debug adds every status frame Polygon sends; a bad level is one line', async () => {
    const dir = freshDir();
    const env = { PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: KEY, POLYGON_REST_URL: fake.restUrl, POLYGON_WS_URL: fake.wsUrl };
    const run = startCli(['--symbols', 'AAPL', '--headless', '--log-level', 'debug'], { env });
    await run.waitForStdout(/polygon live/);
    expect((await run.stop('SIGTERM')).code).toBe(0);
    const debug = readLog(join(dir, 'polygon-data.log')).filter((line) => line.level === 'debug').map((line) => line.msg);
    expect(debug).toEqual(expect.arrayContaining(['Polygon stocks: connected: Connected Successfully', 'Polygon stocks: auth_success: authenticated', 'Polygon stocks: success: subscribed to: T.AAPL']));
    expect(readFileSync(join(dir, 'polygon-data.log'), 'utf8')).not.toContain(KEY);
    const bad = await runCli(['--log-level', 'loud', '--fast'], { env: { PAPER_TRADER_DATA_DIR: freshDir() } });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('paper-trader: --log-level must be debug, info, warn, not "loud"');
  });
});
