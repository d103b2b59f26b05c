import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine, type QuoteView } from '../../src/engine/index.ts';
import { AUTH_FAILED_MESSAGE } from '../../src/engine/market/polygon-stream.ts';
import { newYorkDate } from '../../src/engine/market/holiday-calendar.ts';
import { dayOrderExpiry } from '../../src/engine/market/trading-day.ts';
import { startFakePolygon, type FakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';
import { until as waitUntil } from '../helpers/until.ts';

let fake: FakePolygon;
const engines: Engine[] = [];

beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
  fake.setMarketStatus({ market: 'open' });
});
afterEach(async () => {
  await stopEngines(engines, fake);
});
afterAll(async () => {
  await fake.close();
});

const until = (cond: () => boolean, timeoutMs = 4000): Promise<void> => waitUntil(cond, timeoutMs, 10);

async function polygonEngine(apiKey = 'demo'): Promise<Engine> {
  const engine = await createEngine({
    symbols: ['AAPL', 'X:BTCUSD'],
    market: { kind: 'polygon', apiKey, restUrl: fake.restUrl, wsUrl: fake.wsUrl },
  });
  engines.push(engine);
  await engine.start();
  return engine;
}

const quoteOf = (engine: Engine, symbol: string): QuoteView | undefined => engine.snapshot().quotes.find((q) => q.symbol === symbol);

describe('PolygonMarket through the engine', () => {
  it('seeds from the snapshot (quote, last trade, previous close), streams stock quotes and fills a market buy at the streamed ask', async () => {
    const engine = await polygonEngine();
    await until(() => quoteOf(engine, 'AAPL')?.bid !== undefined);
    // rest-snapshot-stocks-AAPL.json: lastQuote 159.98 × 3 lots / 159.99 × 5 lots, lastTrade 159.99, prevDay close 163.64.
    expect(quoteOf(engine, 'AAPL')).toMatchObject({ bid: '159.98', ask: '159.99', bidSize: '300', askSize: '500', last: '159.99', previousClose: '163.64' });

    await until(() => engine.snapshot().market.state === 'live');
    expect(engine.snapshot().market.source).toBe('polygon');
    await until(() => {
      fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 150, bs: 2, ap: 150.02, as: 3, t: Date.now() }]);
      return Number(quoteOf(engine, 'AAPL')?.bid) === 150;
    });
    expect(Number(quoteOf(engine, 'AAPL')?.ask)).toBe(150.02);

    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 500, type: 'market' });
    await until(() => engine.snapshot().fills.some((f) => f.orderId === order.id));
    const fills = engine.snapshot().fills.filter((f) => f.orderId === order.id);
    for (const fill of fills) expect(Number(fill.price)).toBe(150.02);
    const filled = fills.reduce((sum, f) => sum + Number(f.qty), 0);
    expect(filled).toBeGreaterThan(0);
    expect(filled).toBeLessThanOrEqual(300);
  });

  it('streams crypto quotes to X: symbols', async () => {
    const engine = await polygonEngine();
    await until(() => engine.snapshot().market.state === 'live');
    await until(() => {
      fake.push('crypto', [{ ev: 'XQ', pair: 'BTC-USD', bp: 60000, bs: 0.5, ap: 60001, as: 0.25, t: Date.now() }]);
      return Number(quoteOf(engine, 'X:BTCUSD')?.bid) === 60000;
    });
    expect(Number(quoteOf(engine, 'X:BTCUSD')?.ask)).toBe(60001);
  });

  it('reports a rejected key as failed and keeps the engine running', async () => {
    const engine = await polygonEngine('wrong-key');
    await until(() => engine.snapshot().market.state === 'failed');
    expect(engine.snapshot().market).toMatchObject({ source: 'polygon', state: 'failed', message: AUTH_FAILED_MESSAGE });
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market' });
    expect(order.id).toBeTruthy();
    expect(engine.snapshot().market.message).not.toContain('wrong-key');
  });

  it('refuses a symbol Polygon does not know before starting, in one line with the closest ticker', async () => {
    await expect(
      createEngine({ symbols: ['AAPL', 'APPL'], market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl } }),
    ).rejects.toThrow('Unknown symbol "APPL": Polygon has no such ticker (did you mean AAPL?)');
  });

  it('a day order expires at an early close Polygon lists for its session, saying so', async () => {
    // The session a day order placed now belongs to (today's, or the next weekday's after the close), closing early in a moment.
    const closesAt = Date.now() + 1500;
    const session = newYorkDate(dayOrderExpiry(Date.now(), 'stock'));
    fake.setUpcoming([{ exchange: 'NYSE', name: 'Test early close', date: session, status: 'early-close', close: new Date(closesAt).toISOString() }]);
    try {
      fake.requests.length = 0;
      const engine = await polygonEngine();
      await until(() => fake.requests.some((r) => r.path === '/v1/marketstatus/upcoming' && r.status === 200));
      await new Promise((resolve) => setTimeout(resolve, 100)); // the answer is read
      await until(() => fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 150, bs: 2, ap: 150.02, as: 3, t: Date.now() }]) > 0 && quoteOf(engine, 'AAPL')?.bid === '150.00');
      const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '100' });
      expect(order).toMatchObject({ status: 'accepted', expiresAt: closesAt });
      await until(() => engine.snapshot().orders.find((o) => o.id === order.id)?.status === 'expired');
      expect(engine.snapshot().orders.find((o) => o.id === order.id)?.reason).toMatch(/^day order expired at the \d\d:\d\d ET early close \(Test early close\)$/);
    } finally {
      fake.setUpcoming([]);
    }
  });

  it('needs an API key', async () => {
    await expect(createEngine({ market: { kind: 'polygon', apiKey: '' } })).rejects.toThrow(
      'no Polygon API key: set POLYGON_API_KEY (or use --market simulated)',
    );
  });
});
