// Splits and dividends from Polygon's reference data, against the fake server: the REST reads
// (every page, the plan's shapes), and a held position split and paid when paper-trader comes
// back after their dates. And an extended-hours order in the pre-market, which only a market
// with real hours has.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { ManualClock } from '../../src/engine/clock/manual-clock.ts';
import { newYorkDate } from '../../src/engine/market/trading-day.ts';
import { PolygonRest } from '../../src/engine/market/polygon-rest.ts';
import { startFakePolygon, FULL_PLAN, type FakePolygon } from '../helpers/fake-polygon.ts';
import { dividend, split } from '../helpers/fake-polygon-reference.ts';
import { until } from '../helpers/until.ts';

const DAY = 86_400_000;
let fake: FakePolygon;
const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-actions-'));
beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
});
afterAll(async () => {
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("Polygon's splits and dividends", () => {
  const rest = (): PolygonRest => new PolygonRest({ apiKey: 'demo', baseUrl: fake.restUrl, retryBaseMs: 20 });

  it("reads a stock's splits and dividends in a date range, a decimal ratio reduced to whole numbers", async () => {
    expect(await rest().splits('AAPL', '2014-01-01', '2020-12-31')).toEqual([
      { id: expect.stringMatching(/^E[0-9a-f]{64}$/), symbol: 'AAPL', date: '2014-06-09', from: 1n, to: 7n },
      { id: expect.stringMatching(/^E[0-9a-f]{64}$/), symbol: 'AAPL', date: '2020-08-31', from: 1n, to: 4n },
    ]);
    fake.addReference('splits', [split('GTE', '2023-05-08', 10, 1), split('NVDA', '2021-07-20', 1, 1.5)]);
    expect(await rest().splits('GTE', '2023-01-01', '2023-12-31')).toMatchObject([{ from: 10n, to: 1n }]);
    expect(await rest().splits('NVDA', '2021-01-01', '2021-12-31')).toMatchObject([{ from: 2n, to: 3n }]);
    expect(await rest().dividends('AAPL', '2024-11-01', '2024-11-30')).toEqual([
      { id: expect.stringMatching(/^E/), symbol: 'AAPL', exDate: '2024-11-08', payDate: '2024-11-14', perShare: 250_000n },
    ]);
    // One request each, for up to 1000 rows: Polygon's default is 10.
    expect(fake.requests.filter((r) => r.path.startsWith('/v3/reference/')).every((r) => r.path.includes('limit=1000'))).toBe(true);
  });

  it('follows next_url to the last page', async () => {
    const rows = Array.from({ length: 1005 }, (_, i) => dividend('MSFT', new Date(Date.UTC(2000, 0, 1) + i * DAY).toISOString().slice(0, 10), '2030-01-01', 0.01));
    fake.addReference('dividends', rows);
    const read = await rest().dividends('MSFT', '1990-01-01', '2030-12-31');
    expect(read).toHaveLength(1005);
    expect(new Set(read.map((d) => d.exDate)).size).toBe(1005);
  });
});

describe('a held position on the Polygon market', () => {
  // A Tuesday at 10:00 New York.
  const TUESDAY = Date.parse('2026-12-01T15:00:00Z');
  const open = (clock?: ManualClock): Promise<Engine> =>
    createEngine({ symbols: ['AAPL'], market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl }, account: 'held', dataDir, ...(clock ? { clock } : {}) });

  it('is split and paid its dividend when paper-trader comes back after their dates', async () => {
    // Bought on Tuesday, on a replayed session of the same account.
    const session = join(dataDir, 'tuesday.jsonl');
    writeFileSync(session, `${JSON.stringify({ ev: 'Q', sym: 'AAPL', bp: 100, bs: 5, ap: 100.02, as: 5, t: TUESDAY })}\n`);
    const first = await createEngine({ market: { kind: 'replay', file: session }, account: 'held', dataDir });
    await first.start();
    await first.replay.step();
    expect(await first.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10 })).toMatchObject({ status: 'filled' });
    await first.close();

    // Back on Friday: Wednesday's 2-for-1 split and its dividend (ex Wednesday, paid Thursday) passed meanwhile.
    const tomorrow = newYorkDate(TUESDAY + DAY);
    fake.addReference('splits', [split('AAPL', tomorrow, 1, 2)]);
    fake.addReference('dividends', [dividend('AAPL', tomorrow, newYorkDate(TUESDAY + 2 * DAY), 0.5)]);
    const later = await open(new ManualClock(TUESDAY + 3 * DAY));
    const logged: string[] = [];
    later.on('log', (entry) => logged.push(entry.message));
    await later.start();
    try {
      expect(later.corporateActions().map((a) => a.kind)).toEqual(['split', 'dividend', 'payment']);
      // 10 at 100.02 are 20 at 50.01; 20 × 0.50 = 10.00 paid.
      expect(later.snapshot({ recent: 0 }).portfolio).toMatchObject({ cash: '99009.80', realizedPnl: '10.00', positions: [{ symbol: 'AAPL', qty: '20', avgPrice: '50.01', costBasis: '1000.20' }] });
      expect(logged).toContain(`AAPL split 2-for-1 on ${tomorrow}: 10 shares became 20, the cost basis unchanged`);
    } finally {
      await later.close();
    }
  });
});

describe('an extended-hours limit order on the Polygon market', () => {
  it('fills in the pre-market, where a regular order waits for the open', async () => {
    // Tuesday 8:00 New York: the pre-market.
    const early = Date.parse('2026-12-01T13:00:00Z');
    fake.setMarketStatus({ market: 'extended-hours' });
    const engine = await createEngine({ symbols: ['AAPL'], market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl }, clock: new ManualClock(early) });
    await engine.start();
    try {
      await until(() => fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 229.5, bs: 3, ap: 229.6, as: 3, t: early, c: 0 }]) > 0 && engine.snapshot({ recent: 0 }).quotes[0]?.ask === '229.60', 5000);
      const regular = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '229.60' });
      const extended = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '229.60', extended_hours: true });
      expect(regular).toMatchObject({ status: 'accepted', extendedHours: false });
      expect(extended).toMatchObject({ status: 'filled', extendedHours: true, avgFillPrice: '229.60' });
      // A day order of the extended hours lasts through after hours: 20:00 New York.
      const day = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '200', extendedHours: true });
      expect(day.expiresAt).toBe(Date.parse('2026-12-02T01:00:00Z'));
      expect((await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, extendedHours: true })).reason).toBe(
        'extended hours are for a stock limit order, day or gtc: the pre-market and after hours take no other (a market order there would fill at any price)',
      );
    } finally {
      await engine.close();
      fake.setMarketStatus({ market: 'open' });
    }
  });
});
