// Risk-adjusted metrics against hand-computed values on a small fixed equity series (worked in a
// calculator): daily returns +1%, -1%, +2.0102%, -1%.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newYorkDate } from '../../src/engine/market/trading-day.ts';
import { dailyCloses, EquityTracker, equityStats, maxDrawdown } from '../../src/engine/portfolio/performance.ts';
import { accountRigs } from '../helpers/account-rigs.ts';

const DAY = 86_400_000;
/** Monday 2 November 2026, 15:00 in New York. */
const MONDAY = Date.parse('2026-11-02T20:00:00Z');
const dollars = (values: number[], start = MONDAY, step = DAY) => values.map((value, i) => ({ time: start + i * step, equity: BigInt(Math.round(value * 100)) }));
const FIVE_DAYS = dollars([100_000, 101_000, 99_990, 102_000, 100_980]);

describe('equity statistics', () => {
  it('Sharpe and Sortino from daily returns, annualized over 252 days, with and without a risk-free rate', () => {
    const stats = equityStats(FIVE_DAYS)!;
    // mean 0.0025255, sample deviation 0.0150397: 0.0025255 / 0.0150397 x sqrt(252) = 2.6657.
    expect(stats.sharpe).toBeCloseTo(2.6657, 4);
    // downside deviation sqrt((0.01^2 + 0.01^2) / 4) = 0.0070711: 0.0025255 / 0.0070711 x sqrt(252) = 5.6697.
    expect(stats.sortino).toBeCloseTo(5.6697, 4);
    expect(stats.totalReturn).toBeCloseTo(0.0098, 10);
    expect(stats.days).toBe(4);
    // 2.52% a year is 0.01% a day off each return.
    expect(equityStats(FIVE_DAYS, 0.0252)!.sharpe).toBeCloseTo(2.5601, 4);
  });

  it('the deepest drawdown by amount, its duration, and whether it recovered', () => {
    // 101,000 -> 99,990 (1,010.00, recovered two days later) then 102,000 -> 100,980 (1,020.00, not yet).
    expect(maxDrawdown(FIVE_DAYS)).toEqual({ amount: 102_000n, percent: 0.01, durationMs: DAY, peakTime: MONDAY + 3 * DAY, troughTime: MONDAY + 4 * DAY, recovered: false });
    const recovered = dollars([100, 120, 90, 95, 121]);
    expect(maxDrawdown(recovered)).toMatchObject({ amount: 3_000n, percent: 0.25, durationMs: 3 * DAY, recovered: true });
    expect(maxDrawdown(dollars([100, 101, 102]))).toBeNull();
  });

  it('takes the last equity of each New York day, and gives no Sharpe on fewer than two daily returns nor a CAGR under 30 days', () => {
    // Every hour of one day, then the next day: two closes.
    const intraday = [...dollars([100, 99, 101], MONDAY - 3 * 3_600_000, 3_600_000), ...dollars([103], MONDAY + DAY)];
    expect(dailyCloses(intraday).map((point) => point.equity)).toEqual([10_100n, 10_300n]);
    const stats = equityStats(intraday)!;
    expect(stats).toMatchObject({ days: 1, sharpe: null, sortino: null, cagr: null });
    // 10% over 60 days is (1.1)^(365.25 / 60) - 1 = 78.64% a year.
    expect(equityStats(dollars([100, 110], MONDAY, 60 * DAY))!.cagr).toBeCloseTo(0.78640, 5);
    expect(equityStats([])).toBeNull();
  });
});

describe('exposure and time in the market', () => {
  it('weighs what the positions were worth against equity by how long it lasted', () => {
    const HOUR = 3_600_000;
    // Flat for an hour, then $50,000 of stock for two hours on $100,000, then flat for an hour.
    const tracker = new EquityTracker();
    tracker.add({ time: MONDAY, equity: 10_000_000n, gross: 0n });
    tracker.add({ time: MONDAY + HOUR, equity: 10_000_000n, gross: 5_000_000n });
    tracker.add({ time: MONDAY + 3 * HOUR, equity: 10_000_000n, gross: 0n });
    tracker.add({ time: MONDAY + 4 * HOUR, equity: 10_000_000n, gross: 0n });
    const stats = tracker.stats()!;
    // (1 h × 0 + 2 h × 0.5 + 1 h × 0) / 4 h
    expect(stats.exposure).toBe(0.25);
    expect(stats.timeInMarket).toBe(0.5);
    expect(stats.averageEquity).toBe(10_000_000n);
    // Points saved before exposure was kept say nothing of it.
    expect(equityStats(dollars([100, 101]))!.exposure).toBeNull();
  });
});

describe('the equity tracker, kept as the series grows', () => {
  it('after every point, says what a plain reading of the whole series so far says: daily closes, the deepest fall, the return', () => {
    const series = fc.array(fc.record({ gap: fc.integer({ min: 0, max: 20 * 3_600_000 }), equity: fc.bigInt({ min: 1n, max: 2_000_000n }) }), { minLength: 1, maxLength: 60 });
    fc.assert(
      fc.property(series, (steps) => {
        const tracker = new EquityTracker();
        const points: { time: number; equity: bigint }[] = [];
        let time = MONDAY;
        for (const step of steps) {
          time += step.gap;
          // A later value at the same instant replaces the point, as in the engine's series.
          if (points.at(-1)?.time === time) points.pop();
          points.push({ time, equity: step.equity });
          tracker.add({ time, equity: step.equity });
          const stats = tracker.stats()!;
          const byDay = new Map(points.map((point) => [newYorkDate(point.time), point]));
          expect(tracker.closes()).toEqual([...byDay.values()]);
          // The deepest fall: the largest drop from any point to a later one, its first peak.
          let deepest = 0n;
          for (let i = 0; i < points.length; i++) for (let j = i + 1; j < points.length; j++) if (points[i]!.equity - points[j]!.equity > deepest) deepest = points[i]!.equity - points[j]!.equity;
          expect(stats.maxDrawdown?.amount ?? 0n).toBe(deepest);
          expect(stats.totalReturn).toBeCloseTo(Number(step.equity) / Number(points[0]!.equity) - 1, 12);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('trade statistics', () => {
  it('win rate, profit factor, expectancy, average win and loss, and fees, for the account, per symbol and per owner', async () => {
    const { engineRig, quote, SECOND, T0 } = await import('../helpers/engine-rig.ts');
    const rig = await engineRig(
      [quote('AAPL', T0, 100, 100.02), quote('MSFT', T0, 200, 200.02), quote('AAPL', T0 + SECOND, 101, 101.02), quote('MSFT', T0 + SECOND, 199, 199.02)],
      { symbols: ['AAPL', 'MSFT'] },
    );
    await rig.step(2);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 }); // 1000.20
    await rig.place({ symbol: 'MSFT', side: 'buy', qty: 10 }); // 2000.20
    await rig.step(2);
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 }); // 1010.00: +9.80
    await rig.place({ symbol: 'MSFT', side: 'sell', qty: 10 }); // 1990.00: -10.20
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5 }); // 505.10
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5 }); // 505.00: -0.10
    const performance = rig.engine.performance();
    expect(performance.trades).toEqual({
      trades: 6, closedTrades: 3, winningTrades: 1, losingTrades: 2, winRate: 0.3333,
      grossProfit: '9.80', grossLoss: '-10.30',
      // 9.80 / 10.30
      profitFactor: 9.8 / 10.3,
      // -0.50 over 3 closed trades, to the cent toward zero
      expectancy: '-0.16', averageWin: '9.80', averageLoss: '-5.15', fees: '0.00',
      // 1000.20 + 2000.20 + 1010.00 + 1990.00 + 505.10 + 505.00, over the day's one close (99,999.50)
      tradedValue: '7010.50', turnover: 0.0701,
    });
    expect(performance.bySymbol).toMatchObject([
      { symbol: 'AAPL', trades: 4, closedTrades: 2, winningTrades: 1, losingTrades: 1, grossProfit: '9.80', grossLoss: '-0.10', profitFactor: 98 },
      { symbol: 'MSFT', trades: 2, closedTrades: 1, losingTrades: 1, grossLoss: '-10.20', profitFactor: 0, averageWin: null },
    ]);
    expect(performance.byOwner).toMatchObject([{ owner: 'user', trades: 6, closedTrades: 3 }]);
    // The series' first point is this run's first second (after its first buys, at their mids); a day of it gives no ratio yet.
    expect(performance.equity).toMatchObject({ start: '99999.80', end: '99999.50', days: 0, sharpe: null, cagr: null });
    expect(() => rig.engine.performance({ riskFreeRate: 4 })).toThrow('the risk-free rate must be a yearly fraction from 0 to below 1, such as 0.04 for 4%, got 4');
  });
});

describe('the equity series of an account', () => {
  const { open, close } = accountRigs();

  it('is saved a point a minute and on stop, so the chart and the metrics pick up after a restart', async () => {
    const { quote, T0, MINUTE } = await import('../helpers/engine-rig.ts');
    const first = await open([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + MINUTE, 110, 110.02), quote('AAPL', T0 + 2 * MINUTE, 90, 90.02)]);
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await first.step(2);
    await close(first);
    const second = await open([quote('AAPL', T0 + 3 * MINUTE, 95, 95.02)]);
    // Before any new price: the chart already shows the first run.
    expect(second.snapshot().equity.map((point) => point.time)).toEqual(expect.arrayContaining([T0, T0 + MINUTE]));
    await second.step();
    const performance = second.engine.performance();
    expect(performance.basis.since).toBe(T0);
    // 100 bought at 100.02, marked 110.01 then 90.01: the deepest fall is from the peak of the first run.
    expect(performance.equity?.maxDrawdown).toMatchObject({ amount: '2000.00', peakTime: T0 + MINUTE, troughTime: T0 + 2 * MINUTE, recovered: false });
  });

  it('saves a point at each fill, so the exposure of a hold shorter than a minute is there after a restart', async () => {
    const { quote, T0, SECOND } = await import('../helpers/engine-rig.ts');
    const first = await open([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + 10 * SECOND, 100, 100.02), quote('AAPL', T0 + 20 * SECOND, 100, 100.02)]);
    await first.step(2);
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await first.step();
    await close(first);
    const second = await open([quote('AAPL', T0 + 30 * SECOND, 100, 100.02)]);
    const equity = second.engine.performance().equity!;
    // Flat from T0 to the fill (T0 + 10 s), then $10,000 of stock on $100,000 to the stop (T0 + 20 s).
    expect(equity.timeInMarket).toBe(0.5);
    expect(equity.exposure).toBeCloseTo(0.05, 3);
  });
});

describe("the day's change", () => {
  it('is from the previous New York day\'s last equity, and from the first of today before there is one', async () => {
    const { engineRig, quote, T0 } = await import('../helpers/engine-rig.ts');
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + DAY, 110, 110.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    // The first day: from its own first point (the start; the buy at the same instant is its value).
    expect(rig.snapshot().portfolio).toMatchObject({ totalEquity: '99999.00', previousCloseEquity: '99999.00' });
    await rig.step();
    // The next day: from Tuesday's last point, 100 bought at 100.02 and marked at the 100.01 mid.
    expect(rig.snapshot().portfolio).toMatchObject({ totalEquity: '100999.00', previousCloseEquity: '99999.00' });
  });
});
