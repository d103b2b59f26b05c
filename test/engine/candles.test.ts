// A symbol's candles: the minutes this run saw, grouped into the range's candles (1D: 5 minutes,
// 5D: 30, 1M: a New York day), over the last days with prices; the provider's bars come first.
import { describe, expect, it } from 'vitest';
import { aggregateCandles, lastDays, mergeCandles, type Candle } from '../../src/engine/market/candles.ts';
import { engineRig, MINUTE, quote, trade, T0 } from '../helpers/engine-rig.ts';

const P = 1_000_000n;
const candle = (start: number, open: number, high: number, low: number, close: number, volume = 0n): Candle => ({ start, open: BigInt(open) * P, high: BigInt(high) * P, low: BigInt(low) * P, close: BigInt(close) * P, volume });
const DAY = 24 * 60 * MINUTE;

describe('candles from the prices this run saw', () => {
  it('group the marks into 5-minute candles for 1D: first open, highest high, lowest low, last close, traded volume', async () => {
    // T0 is 10:00 New York: 15:00Z.
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      trade('AAPL', T0 + MINUTE, 103, 50),
      quote('AAPL', T0 + 2 * MINUTE, 98.99, 99.01),
      trade('AAPL', T0 + 4 * MINUTE, 101, 25),
      quote('AAPL', T0 + 5 * MINUTE, 104, 104.02),
    ]);
    await rig.step(5);
    const series = await rig.engine.candles('aapl', '1D');
    expect(series).toMatchObject({ symbol: 'AAPL', range: '1D', minutes: 5, source: 'recorded' });
    expect(series.candles).toEqual([
      { start: T0, open: '100.01', high: '103.00', low: '99.00', close: '101.00', volume: '75' },
      { start: T0 + 5 * MINUTE, open: '104.01', high: '104.01', low: '104.01', close: '104.01', volume: '0' },
    ]);
  });

  it('keeps none when charts are off (a backtest has no screen)', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + MINUTE, 101, 101.02)], { charts: false });
    await rig.step(2);
    expect((await rig.engine.candles('AAPL', '1D')).candles).toEqual([]);
  });

  it('refuses a range it does not draw, and a symbol that is not one, in one line', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await expect(rig.engine.candles('AAPL', '2Y' as never)).rejects.toThrow('"2Y" is not a chart range: use 1D, 5D, 1M');
    await expect(rig.engine.candles('AA PL', '1D')).rejects.toThrow(/AA PL/);
  });
});

describe('aggregateCandles and lastDays', () => {
  it('daily candles split at New York midnight, not UTC midnight', () => {
    // 23:00 New York on one day is 04:00Z the next: it belongs to the first New York day.
    const late = Date.parse('2026-11-04T04:00:00Z');
    const next = Date.parse('2026-11-04T15:00:00Z');
    const days = aggregateCandles([candle(T0, 10, 12, 9, 11), candle(late, 11, 15, 11, 14), candle(next, 14, 14, 8, 9)], 1440);
    expect(days.map((c) => [new Date(c.start).toISOString(), c.high / P, c.low / P, c.close / P])).toEqual([
      ['2026-11-03T05:00:00.000Z', 15n, 9n, 14n],
      ['2026-11-04T05:00:00.000Z', 14n, 8n, 9n],
    ]);
  });

  it('lastDays keeps only the newest days that have candles', () => {
    const candles = [candle(T0, 1, 1, 1, 1), candle(T0 + DAY, 2, 2, 2, 2), candle(T0 + 3 * DAY, 3, 3, 3, 3), candle(T0 + 3 * DAY + MINUTE, 4, 4, 4, 4)];
    expect(lastDays(candles, 1).map((c) => c.close / P)).toEqual([3n, 4n]);
    expect(lastDays(candles, 2).map((c) => c.close / P)).toEqual([2n, 3n, 4n]);
    expect(lastDays(candles, 9)).toHaveLength(4);
  });

  it('mergeCandles puts after the provider’s bars only the recorded minutes of later candles', () => {
    const provided = [candle(T0, 10, 11, 9, 10), candle(T0 + 5 * MINUTE, 10, 12, 10, 12)];
    // A recorded minute inside the provider's last candle is already in it; one after starts a new candle.
    const recorded = [candle(T0 + 6 * MINUTE, 50, 50, 50, 50), candle(T0 + 10 * MINUTE, 13, 14, 13, 14), candle(T0 + 11 * MINUTE, 14, 15, 12, 12)];
    expect(mergeCandles('1D', provided, recorded).map((c) => [c.start - T0, c.high / P, c.low / P, c.close / P])).toEqual([
      [0, 11n, 9n, 10n],
      [5 * MINUTE, 12n, 10n, 12n],
      [10 * MINUTE, 15n, 12n, 12n],
    ]);
  });
});
