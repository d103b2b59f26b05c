// opg and cls orders on replayed sessions: they trade only at the official opening or closing
// print (Polygon's sale conditions 16 and 15), at its price and within its size, a limit only if
// the price reaches it; taken only in Alpaca's windows; canceled, saying why, when the auction
// does not fill them.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.ts';
import { engineRig, quote, trade } from '../helpers/engine-rig.ts';

/** Tuesday 3 November 2026, New York time (EST: UTC−5). */
const et = (hhmm: string, seconds = 0): number => Date.parse(`2026-11-03T${hhmm}:00-05:00`) + seconds * 1000;
const OFFICIAL_OPEN = [16];
const OFFICIAL_CLOSE = [15];

describe('an opg order', () => {
  it('waits through the pre-market and fills at the official opening print, at its price exactly', async () => {
    const rig = await engineRig(
      [quote('AAPL', et('09:00'), 100, 100.02), trade('AAPL', et('09:29'), 100.5, 100), trade('AAPL', et('09:30', 1), 101, 50_000, OFFICIAL_OPEN), quote('AAPL', et('09:31'), 101.2, 101.22)],
      { slippageBps: 5 },
    );
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, timeInForce: 'opg' });
    expect(order).toMatchObject({ status: 'accepted', timeInForce: 'opg' });
    await rig.step();
    expect(rig.order(order.id).status).toBe('accepted');
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.00 = 1010.00 fee 0.00']);
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.00' });
  });

  it('as a limit the open does not reach, is canceled; beyond the print\'s size, the rest is canceled', async () => {
    const rig = await engineRig([quote('AAPL', et('09:00'), 100, 100.02), trade('AAPL', et('09:30', 1), 101, 300, OFFICIAL_OPEN)]);
    await rig.step();
    const limit = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.50', timeInForce: 'opg' });
    const big = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, timeInForce: 'opg' });
    await rig.step();
    expect(rig.order(limit.id)).toMatchObject({ status: 'canceled', reason: 'opg: the official opening price 101.00 did not reach the limit 100.50' });
    expect(rig.order(big.id)).toMatchObject({ status: 'canceled', filledQty: '300', reason: 'opg: the opening auction filled 300 of 500; the rest was canceled' });
  });

  it('is taken only until 9:28 New York time, only for stocks, and only as a market or limit order', async () => {
    const rig = await engineRig([quote('AAPL', et('09:29'), 100, 100.02), quote('X:BTCUSD', et('09:29'), 95_000, 95_001)], { symbols: ['AAPL', 'X:BTCUSD'] });
    await rig.step(2);
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, timeInForce: 'opg' })).reason).toBe(
      'opg orders are taken from 19:00 to 9:28 New York time, for the next opening auction; use a day order now',
    );
    expect((await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: 1, timeInForce: 'opg' })).reason).toBe('opg is for stocks: the crypto market has no opening auction');
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'stop', stopPrice: '101', timeInForce: 'cls' })).reason).toBe(
      'a cls order trades in the closing auction: it is a market or limit order, not stop',
    );
  });

  it('is canceled, saying why, when no official opening print comes', async () => {
    const rig = await engineRig([quote('AAPL', et('09:00'), 100, 100.02), quote('AAPL', et('10:00'), 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, timeInForce: 'opg' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({
      status: 'canceled',
      reason: 'opg: no official opening print for AAPL came (the auction did not happen, or the feed has none); the order was canceled',
    });
  });
});

describe('a cls order', () => {
  it('fills at the official closing print, even one printed just after the close', async () => {
    const rig = await engineRig([quote('AAPL', et('10:00'), 100, 100.02), quote('AAPL', et('15:59'), 102, 102.02), trade('AAPL', et('16:00', 2), 102.5, 80_000, OFFICIAL_CLOSE)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, timeInForce: 'cls' });
    await rig.step();
    expect(rig.order(sell.id).status).toBe('accepted');
    await rig.step();
    expect(rig.order(sell.id)).toMatchObject({ status: 'filled', avgFillPrice: '102.50' });
    // Bought at 100.02, sold at the close: 24.80 made.
    expect(rig.snapshot().portfolio.realizedPnl).toBe('24.80');
  });
});

describe('a cls order placed after the close', () => {
  it('is refused until 19:00, and one placed later waits for the next close, not a late print of today', async () => {
    const rig = await engineRig([quote('AAPL', et('16:00', 30), 100, 100.02), trade('AAPL', et('16:00', 40), 100.5, 80_000, OFFICIAL_CLOSE)]);
    await rig.step();
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, timeInForce: 'cls' })).reason).toBe(
      'cls orders are taken from 19:00 to 15:50 New York time, for the next closing auction; use a day order now',
    );
  });
});

describe('on the simulated market', () => {
  it('opg and cls are refused: its data has no auctions', async () => {
    const engine = await createEngine({ symbols: ['AAPL'], market: { kind: 'simulated', clock: 'manual', startTime: et('09:00') } });
    await engine.start();
    try {
      expect((await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, timeInForce: 'opg' })).reason).toBe(
        "opg orders fill at the official opening print, which only Polygon's data (live or recorded) carries; this market has none",
      );
    } finally {
      await engine.close();
    }
  });
});
