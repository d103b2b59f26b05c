import { describe, expect, it } from 'vitest';
import { cryptoQuote, engineRig, forexQuote, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

describe('market orders', () => {
  it('fills a market buy at the ask', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });

    expect(order).toMatchObject({ status: 'filled', filledQty: '10', avgFillPrice: '100.02', fees: '0.00' });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.02 = 1000.20 fee 0.00']);
    const { portfolio } = rig.snapshot();
    expect(portfolio.cash).toBe('98999.80');
    expect(portfolio.positions).toEqual([
      {
        symbol: 'AAPL', qty: '10', avgPrice: '100.02', costBasis: '1000.20', lastPrice: '100.01', marketValue: '1000.10', unrealizedPnl: '-0.10', realizedPnl: '0.00',
        attribution: [{ owner: 'user', qty: '10' }],
      },
    ]);
  });

  it('fills a market sell at the bid and realizes the profit', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });

    expect(sell).toMatchObject({ status: 'filled', avgFillPrice: '101.00' });
    expect(rig.fills(sell.id)).toMatchObject([{ price: '101.00', notional: '1010.00', realizedPnl: '9.80' }]);
    const { portfolio } = rig.snapshot();
    expect(portfolio).toMatchObject({ cash: '100009.80', realizedPnl: '9.80', positions: [] });
  });

  it('never fills at a stale quote: the order waits for a fresh one and fills at that fresh quote', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('MSFT', T0 + 10_001, 400, 400.1), // market time moves on: AAPL's quote is now 10.001 s old
      trade('AAPL', T0 + 11 * SECOND, 100.3), // a trade is not a quote: nothing to fill against
      quote('AAPL', T0 + 12 * SECOND, 100.4, 100.5),
    ]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(order).toMatchObject({ status: 'accepted', filledQty: '0' });

    await rig.step();
    expect(rig.order(order.id).status).toBe('accepted');
    expect(rig.fills()).toEqual([]);

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.50', updatedAt: T0 + 12 * SECOND });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.50 = 1005.00 fee 0.00']);
  });

  it('treats a quote exactly maxQuoteAgeMs old as fresh', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('MSFT', T0 + 10_000, 400, 400.1)]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(order).toMatchObject({ status: 'filled', avgFillPrice: '100.02' });
  });

  it('honours a shorter maxQuoteAgeMs', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('MSFT', T0 + 1_001, 400, 400.1)], { maxQuoteAgeMs: 1_000 });
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(order).toMatchObject({ status: 'accepted', filledQty: '0' });
  });

  it('does not fill a waiting order from a quote that arrives already stale', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('MSFT', T0 + 20 * SECOND, 400, 400.1),
      quote('AAPL', T0 + 5 * SECOND, 99, 99.02), // delivered late: 15 s old on arrival
      quote('AAPL', T0 + 21 * SECOND, 100.1, 100.12),
    ]);
    await rig.step(2);
    const buy = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    await rig.step();
    expect(rig.order(buy.id).status).toBe('accepted');
    await rig.step();
    expect(rig.order(buy.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.12' });
  });

  it('keeps the newest quote when an older one arrives late, and fills there', async () => {
    const rig = await engineRig([
      quote('AAPL', T0 + 5 * SECOND, 100, 100.02, 1, 1),
      quote('AAPL', T0 + SECOND, 99, 99.01, 9, 9), // older than the one we have: history, not the market
    ]);
    await rig.step(2);
    const buy = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 150 });
    expect(buy).toMatchObject({ status: 'partially_filled', filledQty: '100', avgFillPrice: '100.02' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ bid: '100.00', ask: '100.02' });
  });

  it('a waiting market sell fills at the bid of the next fresh quote', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('MSFT', T0 + 11 * SECOND, 400, 400.1),
      quote('AAPL', T0 + 12 * SECOND, 99.5, 99.52),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(sell.status).toBe('accepted');
    await rig.step();
    expect(rig.fills(sell.id)).toMatchObject([{ price: '99.50', notional: '995.00', realizedPnl: '-5.20' }]);
  });

  it('fills crypto at the ask in fractional coins', async () => {
    const rig = await engineRig([cryptoQuote('BTC-USD', T0, 65_000, 65_010.5, 2, 2)]);
    await rig.step();
    const order = await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.015' });
    expect(order).toMatchObject({ symbol: 'X:BTCUSD', status: 'filled', filledQty: '0.015', avgFillPrice: '65010.50' });
    expect(rig.fillLines()).toEqual(['o-1 buy 0.015 X:BTCUSD @ 65010.50 = 975.16 fee 0.00']);
  });

  it('fills a USD-priced forex pair at the ask, in whole units', async () => {
    const rig = await engineRig([forexQuote('EUR/USD', T0, 1.05, 1.05002)]);
    await rig.step();
    const order = await rig.place({ symbol: 'C:EURUSD', side: 'buy', qty: 1000 });
    expect(order).toMatchObject({ status: 'filled' });
    expect(rig.fillLines()).toEqual(['o-1 buy 1000 C:EURUSD @ 1.05002 = 1050.02 fee 0.00']);
  });

  it('rejects a market buy before any price is known, saying what to do', async () => {
    const rig = await engineRig([quote('MSFT', T0, 400, 400.1), quote('AAPL', T0 + SECOND, 100, 100.02)], { symbols: ['MSFT', 'AAPL'] });
    await rig.step();
    const early = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(early).toMatchObject({ status: 'rejected', reason: 'no price for AAPL yet: wait for a quote, or place a limit order' });
  });
});
