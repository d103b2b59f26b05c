// Polygon's trades and quotes history (/v3/trades, /v3/quotes) as the fake serves it, strict as the
// real service (plans, defaults, limits, cursor pages, nanosecond times), and as PolygonRest reads
// it: a page at a time, oldest first, its times exact past 2^53.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolygonError, PolygonRest, type TickRow } from '../../src/engine/market/polygon-rest.ts';
import { newYorkDayStart } from '../../src/engine/market/trading-day.ts';
import { syntheticMinuteBars } from '../helpers/fake-polygon-history.ts';
import { syntheticTicks } from '../helpers/fake-polygon-tick-history.ts';
import { FULL_PLAN, startFakePolygon, type FakePolygon } from '../helpers/fake-polygon.ts';

let fake: FakePolygon;
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, developer: 'developer', starter: 'starter', currencies: 'currencies' }, history: true });
});
afterAll(async () => {
  await fake.close();
});

const NS = 1_000_000n;
const DAY = '2025-06-03';
const dayNs = (day: string): [bigint, bigint] => [BigInt(newYorkDayStart(day)) * NS, BigInt(newYorkDayStart('2025-06-04')) * NS];
const get = async (path: string, key = 'demo'): Promise<{ status: number; text: string; body: Record<string, unknown> }> => {
  const response = await fetch(`${fake.restUrl}${path}${path.includes('?') ? '&' : '?'}apiKey=${key}`);
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, unknown> };
};

describe('the fake Polygon keeps trades and quotes as Polygon does', () => {
  it('serves them only to the plans that have them, with Polygon’s 403', async () => {
    const path = (kind: string, ticker = 'AAPL') => `/v3/${kind}/${ticker}?timestamp=${DAY}`;
    expect((await get(path('trades'), 'developer')).status).toBe(200);
    expect((await get(path('quotes'))).status).toBe(200);
    for (const [kind, key] of [['trades', 'starter'], ['quotes', 'developer'], ['quotes', 'starter']] as const) {
      const refused = await get(path(kind), key);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ status: 'NOT_AUTHORIZED', message: 'You are not entitled to this data. Please upgrade your plan at https://polygon.io/pricing' });
    }
    // Crypto and forex come with the currencies product; Polygon keeps crypto trades and forex quotes only.
    expect((await get(path('trades', 'X:BTCUSD'), 'currencies')).status).toBe(200);
    expect((await get(path('quotes', 'C:EURUSD'), 'currencies')).status).toBe(200);
    expect((await get(path('trades', 'X:BTCUSD'), 'developer')).status).toBe(403);
    expect((await get(path('quotes', 'X:BTCUSD'))).status).toBe(404);
    expect((await get(path('trades', 'C:EURUSD'))).status).toBe(404);
  });

  it('answers newest first, 1,000 rows a page, by default; refuses a limit over 50,000 and a time that is not one', async () => {
    const page = await get(`/v3/trades/AAPL?timestamp=${DAY}`);
    const rows = page.body['results'] as TickRow[];
    expect(rows).toHaveLength(1000);
    expect(Number(rows[0]!['sip_timestamp'])).toBeGreaterThan(Number(rows[1]!['sip_timestamp']));
    expect(page.body['next_url']).toMatch(new RegExp(`^${fake.restUrl}/v3/trades/AAPL\\?cursor=[\\w-]+$`));
    expect(await get(`/v3/trades/AAPL?timestamp=${DAY}&limit=50001`)).toMatchObject({ status: 400, body: { status: 'ERROR' } });
    expect(await get('/v3/quotes/AAPL?timestamp.gte=yesterday')).toMatchObject({ status: 400, body: { status: 'ERROR' } });
    // Times are nanoseconds, written as exact integers past 2^53.
    const [first] = (await get(`/v3/quotes/AAPL?timestamp=${DAY}&order=asc&limit=1`)).text.match(/"sip_timestamp":(\d+)/)!.slice(1);
    expect(BigInt(first!)).toBe(syntheticTicks('AAPL', 'quotes', ...dayNs(DAY))[0]!['sip_timestamp']);
    expect(BigInt(first!)).toBeGreaterThan(BigInt(Number.MAX_SAFE_INTEGER));
  });

  it("makes each minute's trades from its bar: their open, high, low, close and volume are the bar's", async () => {
    const [from, to] = dayNs(DAY);
    const trades = syntheticTicks('MSFT', 'trades', from, to);
    const bars = syntheticMinuteBars('MSFT', Number(from / NS), Number(to / NS) - 1);
    expect(bars.length).toBeGreaterThan(390);
    const byMinute = new Map<number, TickRow[]>();
    for (const row of trades) {
      const minute = Number((row['sip_timestamp'] as bigint) / NS / 60_000n) * 60_000;
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), row]);
    }
    for (const bar of bars) {
      const prints = byMinute.get(bar['t']!)!;
      const prices = prints.map((row) => row['price'] as number);
      expect({ o: prices[0], h: Math.max(...prices), l: Math.min(...prices), c: prices.at(-1), v: prints.reduce((sum, row) => sum + (row['size'] as number), 0) }).toEqual({
        o: bar['o'], h: bar['h'], l: bar['l'], c: bar['c'], v: bar['v'],
      });
    }
    // A print outside the regular session is Form T (12); inside it, a regular sale has no conditions.
    const at = (hour: number) => trades.find((row) => (row['sip_timestamp'] as bigint) >= BigInt(Date.parse(`${DAY}T${hour}:00:00Z`)) * NS)!;
    expect(at(12)['conditions']).toEqual([12]);
    expect(at(15)['conditions']).toBeUndefined();
  });
});

describe('PolygonRest.ticks', () => {
  it('reads every row of the range a page at a time, oldest first, its times exact, never sending the key in a path', async () => {
    const [from, to] = dayNs(DAY);
    const served = syntheticTicks('AAPL', 'quotes', from, to);
    fake.requests.length = 0;
    const pages: TickRow[][] = [];
    await new PolygonRest({ apiKey: 'demo', baseUrl: fake.restUrl }).ticks('AAPL', 'quotes', from, to, (rows) => void pages.push([...rows]), 1000);
    expect(pages.length).toBe(Math.ceil(served.length / 1000));
    expect(fake.requests).toHaveLength(pages.length);
    expect(fake.requests.every((request) => request.auth === 'query' && request.status === 200)).toBe(true);
    const rows = pages.flat();
    expect(rows.map((row) => row['sip_timestamp'])).toEqual(served.map((row) => String(row['sip_timestamp'])));
    expect(rows.map((row) => row['bid_price'])).toEqual(served.map((row) => row['bid_price']));
  });

  it('turns a refusal into one line that names the data', async () => {
    const [from, to] = dayNs(DAY);
    const error = await new PolygonRest({ apiKey: 'developer', baseUrl: fake.restUrl }).ticks('AAPL', 'quotes', from, to, () => undefined).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PolygonError);
    expect((error as PolygonError).kind).toBe('plan');
    expect((error as PolygonError).message).toMatch(/quotes/);
  });
});
