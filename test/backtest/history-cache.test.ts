// The history cache holds exactly the bars Polygon served: every price to the micro, every bar's
// time, in the order a replay plays them (by start, then the symbols' order).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { barAt, barSession } from '../../src/engine/backtest/bar-columns.ts';
import { HistoryCache } from '../../src/engine/backtest/history-cache.ts';
import type { Bar } from '../../src/engine/market/types.ts';

const MINUTE = 60_000;
const INTERVAL = { multiplier: 1, timespan: 'minute' } as const;
const T0 = Date.parse('2025-03-03T14:30:00Z');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const bar = (symbol: string, start: number, open: bigint, high: bigint, low: bigint, close: bigint, volume: bigint): Bar =>
  ({ kind: 'bar', symbol, open, high, low, close, volume, start, end: start + MINUTE, time: start + MINUTE });

describe('the history cache', () => {
  it('reads back every price to the micro, even those a float cannot hold, and every bar in play order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-cache-'));
    dirs.push(dir);
    const cache = new HistoryCache(dir);
    // 0.000001, 1.005 (1.00499999… as a float), 123456.789012, 999999.999999, 0.1 + 0.2 exactly 0.3.
    const aapl = [
      bar('AAPL', T0, 1_005_000n, 123_456_789_012n, 1n, 999_999_999_999n, 1_234_000_000_000n),
      bar('AAPL', T0 + MINUTE, 300_000n, 300_001n, 299_999n, 300_000n, 1_000_000_000n),
    ];
    const btc = [bar('X:BTCUSD', T0, 60_000_120_000n, 60_010_000_000n, 59_990_000_000n, 60_005_500_000n, 123_456_789n)];
    await cache.write('AAPL', INTERVAL, '2025-03', aapl);
    await cache.write('X:BTCUSD', INTERVAL, '2025-03', btc);
    expect(cache.has('X:BTCUSD', INTERVAL, '2025-03')).toBe(true);
    const columns = await cache.read(['X:BTCUSD', 'AAPL'], INTERVAL, ['2025-03'], T0, T0 + MINUTE, (start) => start + MINUTE);
    const read = Array.from({ length: columns.length }, (_, i) => barAt(columns, i));
    // By start, then in the order the symbols were given.
    expect(read).toEqual([btc[0], aapl[0], aapl[1]]);
    const session = barSession(columns);
    expect(session).toMatchObject({ count: 3, symbols: ['X:BTCUSD', 'AAPL'], firstTime: T0 + MINUTE, lastTime: T0 + 2 * MINUTE });
    const played: Bar[] = [];
    for await (const batch of session.batches()) played.push(...(batch as Bar[]));
    expect(played).toEqual(read);
    cache.close();
  });

  it('reads only the bars in the range asked for, and nothing from months it was not given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-cache-'));
    dirs.push(dir);
    const cache = new HistoryCache(dir);
    await cache.write('MSFT', INTERVAL, '2025-03', [0, 1, 2, 3].map((i) => bar('MSFT', T0 + i * MINUTE, 1n, 1n, 1n, 1n, 1n)));
    await cache.write('MSFT', INTERVAL, '2025-04', []);
    const middle = await cache.read(['MSFT'], INTERVAL, ['2025-03', '2025-04'], T0 + MINUTE, T0 + 2 * MINUTE, (start) => start + MINUTE);
    expect(Array.from(middle.start)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE]);
    const april = await cache.read(['MSFT'], INTERVAL, ['2025-04'], 0, Number.MAX_SAFE_INTEGER / 2, (start) => start + MINUTE);
    expect(april.length).toBe(0);
    cache.close();
  });
});
