import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakePolygon, SAMPLES_DIR, startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { runCli } from '../helpers/run-cli.ts';

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
});
afterAll(async () => {
  await fake.close();
});

const env = (key: string | undefined = 'demo'): NodeJS.ProcessEnv => ({ POLYGON_API_KEY: key, POLYGON_REST_URL: fake.restUrl });

/** The one `paper-trader: …` line a failed run must print, with nothing on stdout. */
function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, expected: RegExp | string): void {
  expect(result.code).not.toBe(0);
  expect(result.code).not.toBeNull();
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^paper-trader: /);
  if (typeof expected === 'string') expect(lines[0]).toBe(`paper-trader: ${expected}`);
  else expect(lines[0]).toMatch(expected);
  expect(result.stdout).toBe('');
}

describe('paper-trader quote and history against a fake Polygon', () => {
  it.concurrent('quote works for crypto and forex too: the snapshot last trade or quote and the previous close', async () => {
    const crypto = await runCli(['quote', 'X:BTCUSD'], { env: env() });
    expect(crypto.stderr).toBe('');
    const c = JSON.parse(readFileSync(`${SAMPLES_DIR}rest-snapshot-crypto-X-BTCUSD.json`, 'utf8')) as { ticker: { lastTrade: { p: number }; prevDay: { c: number } } };
    expect(crypto.stdout.split('\n')[1]).toMatch(/^ {2}Last\s+[\d.]+ × [\d.]+\s+\d{4}-\d\d-\d\d /);
    expect(crypto.stdout).toContain(`Last        ${c.ticker.lastTrade.p.toFixed(2)} ×`);
    expect(crypto.stdout).toContain(`Prev close  ${c.ticker.prevDay.c.toFixed(2)}`);
    const forex = await runCli(['quote', 'C:EURUSD'], { env: env() });
    expect(forex.stderr).toBe('');
    expect(forex.stdout).toMatch(/^C:EURUSD\n  Bid\s+[\d.]+\s+\d{4}-\d\d-\d\d [\d:.]+ UTC\n  Ask\s+[\d.]+\n  Prev close/);
  });

  it.concurrent('quote AAPL prints the last NBBO and trade', async () => {
    const result = await runCli(['quote', 'AAPL'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('AAPL');
    // rest-last-nbbo-AAPL.json: bid 155.65 × 1 lot, ask 155.66 × 14 lots; rest-last-trade-AAPL.json: 166.25 × 2.
    expect(lines.find((l) => l.includes('Bid'))).toMatch(/Bid\s+155\.65 × 100\s+2022-05-10 14:25:54\.171 UTC/);
    expect(lines.find((l) => l.includes('Ask'))).toMatch(/Ask\s+155\.66 × 1,400/);
    expect(lines.find((l) => l.includes('Last'))).toMatch(/Last\s+166\.25 × 2\s+2022-04-28 \d\d:\d\d:\d\d\.\d{3} UTC/);
    // The recorded print carries conditions 12 and 37: an extended-hours odd lot.
    expect(lines.find((l) => l.includes('Last'))).toMatch(/\(Form T\/Extended Hours, Odd Lot Trade: not a regular last price\)$/);
    // Aligned: the prices end in the same column.
    const ends = lines.slice(1).map((l) => l.indexOf(' ×'));
    expect(new Set(ends).size).toBe(1);
  });

  it.concurrent('lowercase input is normalised', async () => {
    const result = await runCli(['quote', 'aapl'], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^AAPL\n/);
  });

  it.concurrent('history AAPL prints the daily bars of the sample', async () => {
    const result = await runCli(['history', 'AAPL', '--from', '2005-04-01', '--to', '2005-04-04', '--interval', '1D'], { env: env() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^Date \(UTC\)\s+Open\s+High\s+Low\s+Close\s+Volume$/);
    expect(lines[2]?.split(/\s+/)).toEqual(['2005-04-01', '1.5032', '1.5064', '1.4489', '1.4604', '642,646,396']);
    expect(lines[3]?.split(/\s+/)).toEqual(['2005-04-04', '1.4639', '1.4754', '1.4343', '1.4675', '578,172,308']);
    expect(lines).toHaveLength(4);
  });

  it.concurrent('a wrong key gives the 401 line and never prints the key', async () => {
    const key = 'wrong-key-7f3a9c1e5b';
    for (const args of [['quote', 'AAPL'], ['history', 'AAPL', '--from', '2005-04-01', '--to', '2005-04-04']]) {
      const result = await runCli(args, { env: env(key) });
      expectOneLine(result, /Polygon rejected the API key \(401\)/);
      expect(result.stdout + result.stderr).not.toContain(key);
    }
  });

  it.concurrent('no key gives the no-key line', async () => {
    for (const args of [['quote', 'AAPL'], ['history', 'AAPL']]) {
      expectOneLine(await runCli(args, { env: { ...env(), POLYGON_API_KEY: '' } }), "no Polygon API key: set POLYGON_API_KEY or run 'paper-trader config set apiKey'");
    }
  });

  it.concurrent('an unknown symbol suggests the close one', async () => {
    expectOneLine(await runCli(['quote', 'APPL'], { env: env() }), 'Unknown symbol "APPL" (did you mean AAPL?)');
    expectOneLine(await runCli(['history', 'APPL', '--from', '2005-04-01', '--to', '2005-04-04'], { env: env() }), 'Unknown symbol "APPL" (did you mean AAPL?)');
  });

  it.concurrent('a bad interval or date names the flag and gives an example', async () => {
    expectOneLine(await runCli(['history', 'AAPL', '--interval', '3x'], { env: env() }), /--interval "3x" is not an interval: use e\.g\. 1m, 5m, 1h, 1D/);
    expectOneLine(await runCli(['history', 'AAPL', '--from', '2005-13-01'], { env: env() }), /--from "2005-13-01" is not a date: use YYYY-MM-DD, e\.g\. 2026-10-01/);
    expectOneLine(await runCli(['history', 'AAPL', '--to', 'yesterday'], { env: env() }), /--to "yesterday" is not a date/);
  });

  it.concurrent('a missing symbol argument is one line too', async () => {
    expectOneLine(await runCli(['quote'], { env: env() }), /missing required argument 'symbol'/);
  });
});
