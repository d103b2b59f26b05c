// A symbol's chart on Polygon: the candles come from its aggregates (5-minute bars for 1D, 30 for
// 5D and 1M), asked of the fake that answers as Polygon does, and never carry the key in a message.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { newYorkDate } from '../../src/engine/market/trading-day.ts';
import { startFakePolygon, FULL_PLAN, type FakePolygon } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';

let fake: FakePolygon;
const engines: Engine[] = [];
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN }, history: true });
});
afterEach(() => stopEngines(engines, fake));
afterAll(() => fake.close());

async function polygonEngine(restUrl = fake.restUrl): Promise<Engine> {
  const engine = await createEngine({ symbols: ['AAPL', 'X:BTCUSD'], market: { kind: 'polygon', apiKey: 'demo', restUrl, wsUrl: fake.wsUrl } });
  engines.push(engine);
  await engine.start();
  return engine;
}

describe('candles on Polygon', () => {
  it('1D is 5-minute candles of the last New York day with bars; 1M is a candle a day', async () => {
    const engine = await polygonEngine();
    const day = await engine.candles('X:BTCUSD', '1D');
    expect(day).toMatchObject({ symbol: 'X:BTCUSD', range: '1D', minutes: 5, source: 'provider' });
    expect(day.candles.length).toBeGreaterThan(10);
    expect(new Set(day.candles.map((c) => newYorkDate(c.start))).size).toBe(1);
    for (const [a, b] of day.candles.slice(1).map((c, i) => [day.candles[i]!, c] as const)) expect((b.start - a.start) % 300_000).toBe(0);
    for (const c of day.candles) expect(Number(c.low)).toBeLessThanOrEqual(Math.min(Number(c.open), Number(c.close)));

    const month = await engine.candles('X:BTCUSD', '1M');
    expect(month.minutes).toBe(1440);
    const dates = month.candles.map((c) => newYorkDate(c.start));
    expect(new Set(dates).size).toBe(dates.length);
    expect(dates.length).toBeGreaterThan(15);
    expect(dates.length).toBeLessThanOrEqual(23);
  });

  it('when Polygon cannot answer, shows what this run saw and says why, without the key', async () => {
    const engine = await polygonEngine();
    // The REST host goes away after the start: the chart's request fails.
    await fake.close();
    const series = await engine.candles('AAPL', '5D');
    expect(series.source).toBe('recorded');
    expect(series.note).toMatch(/^the provider's bars could not be read \(.+\): showing what this run saw$/);
    expect(series.note).not.toContain('demo');
    fake = await startFakePolygon({ keys: { demo: FULL_PLAN }, history: true });
  });
});
