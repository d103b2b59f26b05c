import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolygonError, PolygonRest } from '../../src/engine/market/polygon-rest.ts';
import { redactKey } from '../../src/engine/redact.ts';
import { PolygonDataError, quoteFromNbbo } from '../../src/engine/market/polygon-schema.ts';
import { startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import type { FakePolygon } from '../helpers/fake-polygon.ts';

const E9 = 1_000_000_000n;
const DAY = 86_400_000;

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({
    keys: { good: FULL_PLAN, free1: 'free', free2: 'free', free3: 'free' },
    rateLimit: { requests: 2, windowMs: 400 },
  });
});
afterAll(async () => {
  await fake.close();
});

const rest = (apiKey = 'good', extra: Partial<ConstructorParameters<typeof PolygonRest>[0]> = {}): PolygonRest =>
  new PolygonRest({ apiKey, baseUrl: fake.restUrl, retryBaseMs: 20, ...extra });

async function failure(promise: Promise<unknown>): Promise<PolygonError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PolygonError);
  return error as PolygonError;
}

/** Every own property (message, stack, fields) of an error as one string. */
function ownText(error: object): string {
  return Object.getOwnPropertyNames(error)
    .map((name) => String((error as Record<string, unknown>)[name]))
    .join('\n');
}

describe('PolygonRest data', () => {
  it('reads AAPL day aggregates with exact prices, ascending', async () => {
    const bars = await rest().bars('AAPL', { multiplier: 1, timespan: 'day', from: '2005-04-01', to: '2005-04-04' });
    expect(bars).toEqual([
      {
        kind: 'bar',
        symbol: 'AAPL',
        open: 1_503_200n,
        high: 1_506_400n,
        low: 1_448_900n,
        close: 1_460_400n,
        volume: 642_646_396n * E9,
        start: 1112331600000,
        end: 1112331600000 + DAY,
        time: 1112331600000 + DAY,
      },
      {
        kind: 'bar',
        symbol: 'AAPL',
        open: 1_463_900n,
        high: 1_475_400n,
        low: 1_434_300n,
        close: 1_467_500n,
        volume: 578_172_308n * E9,
        start: 1112587200000,
        end: 1112587200000 + DAY,
        time: 1112587200000 + DAY,
      },
    ]);
  });

  it('follows pagination (client-js puts later pages first) and returns every bar once, sorted', async () => {
    const all = await rest().bars('AAPL', { multiplier: 1, timespan: 'day', from: '2005-04-01', to: '2005-04-04' });
    fake.requests.length = 0;
    const paged = await rest().bars('AAPL', { multiplier: 1, timespan: 'day', from: '2005-04-01', to: '2005-04-04', limit: 1 });
    expect(fake.requests.length).toBe(2);
    expect(fake.requests[0]?.path).toContain('limit=1');
    expect(fake.requests[1]?.path).toContain('cursor=');
    expect(paged).toEqual(all);
    expect(paged.map((b) => b.start)).toEqual([1112331600000, 1112587200000]);
  });

  it('sends crypto and forex aggregates to their tickers (percent-encoded) with exact values', async () => {
    fake.requests.length = 0;
    const btc = await rest().bars('X:BTCUSD', { multiplier: 1, timespan: 'day', from: '2020-06-01', to: '2020-06-02' });
    const eur = await rest().bars('C:EURUSD', { multiplier: 1, timespan: 'day', from: '2021-07-22', to: '2021-07-22' });
    expect(fake.requests.map((r) => r.path.split('?')[0])).toEqual([
      '/v2/aggs/ticker/X%3ABTCUSD/range/1/day/2020-06-01/2020-06-02',
      '/v2/aggs/ticker/C%3AEURUSD/range/1/day/2021-07-22/2021-07-22',
    ]);
    expect(btc.map((b) => [b.symbol, b.open, b.low, b.volume])).toEqual([
      ['X:BTCUSD', 9_557_900_000n, 9_490_000_000n, 303_067_656_233_216n],
      ['X:BTCUSD', 10_096_870_000n, 9_135_680_000n, 323_339_692_289_288n],
    ]);
    expect(eur).toMatchObject([{ symbol: 'C:EURUSD', open: 1_179_210n, close: 1_177_210n, volume: 125_329n * E9, start: 1626912000000 }]);
  });

  it('reads the last NBBO as a Quote: exact prices, round lots x100, ns -> ms', async () => {
    expect(await rest().lastQuote('AAPL')).toEqual({
      kind: 'quote',
      symbol: 'AAPL',
      bid: 155_650_000n,
      ask: 155_660_000n,
      bidSize: 100n * E9,
      askSize: 1_400n * E9,
      time: 1652192754171,
    });
  });

  it('reads the last trade with what its sale conditions let it update', async () => {
    expect(await rest().lastTrade('AAPL')).toEqual({
      kind: 'trade',
      symbol: 'AAPL',
      price: 166_250_000n,
      size: 2n * E9,
      time: 1651179319310,
      // The recorded print is an extended-hours odd lot (conditions 12 and 37): volume only.
      eligibility: { last: false, highLow: false, volume: true, extendedHours: true, conditions: [12, 37] },
    });
  });

  it('reads market status', async () => {
    expect(await rest().marketStatus()).toEqual({ market: 'extended-hours', serverTime: '2022-04-28T16:48:08-04:00', fx: true, crypto: true });
  });

  it('tells known from unknown tickers; other calls on an unknown symbol say so', async () => {
    expect(await rest().tickerExists('AAPL')).toBe(true);
    expect(await rest().tickerExists('APPL')).toBe(false);
    const error = await failure(rest().lastQuote('APPL'));
    expect(error).toMatchObject({ status: 404, kind: 'not_found', message: 'Unknown symbol "APPL"' });
  });
});

describe('PolygonRest errors', () => {
  it('401: a wrong key gives one clear line, and no property of the error holds the key', async () => {
    const key = 'wrong-secret-key-123';
    const error = await failure(rest(key).marketStatus());
    expect(error).toMatchObject({
      status: 401,
      kind: 'auth',
      message: "Polygon rejected the API key (401). Set POLYGON_API_KEY or run 'paper-trader config set apiKey'.",
    });
    expect(ownText(error)).not.toContain(key);
    expect(JSON.stringify(error)).not.toContain(key);
  });

  it('403: a free key cannot read the last NBBO', async () => {
    const error = await failure(rest('free3').lastQuote('AAPL'));
    expect(error).toMatchObject({
      status: 403,
      kind: 'plan',
      message: 'Your Polygon plan does not include last NBBO quotes (403): You are not entitled to this data. Please upgrade your plan',
    });
    expect(ownText(error)).not.toContain('free3');
  });

  it('429 with no Retry-After (as Polygon sends it): learns the plan rate from it, waits its turn, then succeeds', async () => {
    const notices: Array<[string, number]> = [];
    const waits: number[] = [];
    // The fake allows 2 per 0.4 s here; Polygon's free plan 5 a minute (rateOn429's default).
    const client = rest('free1', { rateWindowMs: 400, rateOn429: 2, onRetry: (e, ms) => notices.push([e.message, ms]), onWait: (ms) => waits.push(ms) });
    await client.marketStatus();
    await client.marketStatus();
    fake.requests.length = 0;
    expect(await client.marketStatus()).toMatchObject({ market: 'extended-hours' });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(notices).toEqual([['Polygon rate limit reached (429): keeping to 2 requests per 0.4 s from now on, so requests wait their turn', 0]]);
    expect(client.budget.perMinute).toBe(2);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(0);
    // From now on the budget keeps the rate on this side: no more 429s.
    fake.requests.length = 0;
    for (let i = 0; i < 4; i++) await client.marketStatus();
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it('a budget set to the plan rate waits instead of asking, and says how long', async () => {
    const waits: Array<[number, string]> = [];
    const client = rest('free3', { requestsPerMinute: 2, rateWindowMs: 400, onWait: (ms, what) => waits.push([ms, what]) });
    fake.requests.length = 0;
    for (let i = 0; i < 3; i++) await client.marketStatus();
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(waits).toHaveLength(1);
    expect(waits[0]![1]).toBe('market status');
    expect(waits[0]![0]).toBeGreaterThan(0);
    expect(waits[0]![0]).toBeLessThanOrEqual(400 + 200); // the window and its margin
  });

  it('429: gives up after maxAttempts', async () => {
    // A 429 that says when to come back (Retry-After: 0), every time: retried, then given up.
    const client = rest('free2', { retryBaseMs: 5, maxAttempts: 3 });
    fake.breakRest({ retryAfterS: 0 });
    try {
      fake.requests.length = 0;
      const error = await failure(client.marketStatus());
      expect(error).toMatchObject({ status: 429, kind: 'rate_limited', message: 'Polygon rate limit reached (429): gave up after 3 attempts' });
      expect(fake.requests.map((r) => r.status)).toEqual([429, 429, 429]);
    } finally {
      fake.breakRest(undefined);
    }
  });

  it('network: a closed port names the base URL and the code, not the key', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new PolygonRest({ apiKey: 'secret-key-xyz', baseUrl: `http://127.0.0.1:${port}`, retryBaseMs: 1 });
    const error = await failure(client.marketStatus());
    expect(error).toMatchObject({ status: 0, kind: 'network', message: `cannot reach Polygon at http://127.0.0.1:${port}: ECONNREFUSED` });
    expect(ownText(error)).not.toContain('secret-key-xyz');
  });
});

describe('redaction and payload validation', () => {
  it('redactKey removes the key in any case (a symbol sent as the key is upper-cased)', () => {
    expect(redactKey('ABC123 abc123 AbC123 xabc1234', 'abc123')).toBe('REDACTED REDACTED REDACTED xREDACTED4');
  });

  it('redactKey removes the key and any apiKey query value', () => {
    expect(redactKey('GET http://h/v2/x?apiKey=abc123&limit=1 failed for abc123', 'abc123')).toBe(
      'GET http://h/v2/x?apiKey=REDACTED&limit=1 failed for REDACTED',
    );
    expect(redactKey('http://h/?a=1&apiKey=other', 'abc123')).toBe('http://h/?a=1&apiKey=REDACTED');
  });

  it('a malformed payload becomes a one-line PolygonDataError', () => {
    const body = { results: { p: 1, s: 1, P: '2', S: 1, t: 1 }, status: 'OK' };
    expect(() => quoteFromNbbo('AAPL', body)).toThrow(PolygonDataError);
    expect(() => quoteFromNbbo('AAPL', body)).toThrow('Polygon sent an unexpected last NBBO for AAPL: results.P must be a number');
    expect(() => quoteFromNbbo('AAPL', { results: { p: 1, s: 1, S: 1, t: 1 } })).toThrow(
      'Polygon sent an unexpected last NBBO for AAPL: results.P is missing',
    );
  });
});
