import { describe, expect, it } from 'vitest';
import { bar, engineRig, MINUTE, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

describe('limit orders against quotes', () => {
  it('fills a marketable buy limit at the ask, not at its limit', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.10' });
    expect(order).toMatchObject({ status: 'filled', limitPrice: '100.10', avgFillPrice: '100.02' });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.02 = 1000.20 fee 0.00']);
  });

  it('fills a buy limit equal to the ask at the ask', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.02' });
    expect(order).toMatchObject({ status: 'filled', avgFillPrice: '100.02' });
  });

  it('fills a marketable sell limit at the bid, not at its limit', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'limit', limitPrice: '99.90' });
    expect(sell).toMatchObject({ status: 'filled', avgFillPrice: '100.00' });
    expect(rig.fills(sell.id)).toMatchObject([{ price: '100.00', notional: '1000.00', realizedPnl: '-0.20' }]);
  });

  it('rests a buy limit below the ask and fills it at its limit when the ask reaches it', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 99.9, 99.96),
      quote('AAPL', T0 + 2 * SECOND, 99.9, 99.95),
    ]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.95' });
    expect(order).toMatchObject({ status: 'accepted', filledQty: '0' });

    await rig.step();
    expect(rig.order(order.id).status).toBe('accepted');

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '99.95' });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 99.95 = 999.50 fee 0.00']);
  });

  it('fills a resting buy limit at its limit, not at the better ask, when the ask crosses it', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.7, 99.8)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.95' });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 99.95 = 999.50 fee 0.00']);
  });

  it('fills a resting sell limit at its limit when the bid reaches or crosses it', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 100.49, 100.51),
      quote('AAPL', T0 + 2 * SECOND, 100.5, 100.52, 1),
      quote('AAPL', T0 + 3 * SECOND, 100.7, 100.72),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 200, type: 'limit', limitPrice: '100.50' });
    expect(sell.status).toBe('accepted');

    await rig.step();
    expect(rig.order(sell.id).filledQty).toBe('0');

    await rig.step(); // bid reaches the limit, 100 shares bid
    expect(rig.order(sell.id)).toMatchObject({ status: 'partially_filled', filledQty: '100' });

    await rig.step(); // bid crosses it: still the limit price
    expect(rig.order(sell.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.50' });
    expect(rig.fills(sell.id).map((fill) => `${fill.qty} @ ${fill.price} pnl ${fill.realizedPnl}`)).toEqual([
      '100 @ 100.50 pnl 48.00',
      '100 @ 100.50 pnl 48.00',
    ]);
  });

  it('does not fill a limit order from trades or bars when the symbol has quotes', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      trade('AAPL', T0 + SECOND, 99.5),
      bar('AAPL', T0, 100, 100.1, 99.4, 99.6),
    ]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.90' });
    await rig.step(2);
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', filledQty: '0' });
  });

  it('keeps a marketable limit taking the market: the rest after the size shown fills at the next asks, not at its limit', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3), quote('AAPL', T0 + SECOND, 100.03, 100.05, 5, 5)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, type: 'limit', limitPrice: '101', timeInForce: 'gtc' });
    expect(order).toMatchObject({ status: 'partially_filled', filledQty: '300' });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.00', 'o-1 buy 200 AAPL @ 100.05 = 20010.00 fee 0.00']);
  });

  it('settles a limit placed on a stale quote by that quote: a buy typed far above the market fills at the next fresh ask', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('MSFT', T0 + 11 * SECOND, 400, 400.1), quote('AAPL', T0 + 12 * SECOND, 100.1, 100.12)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5 });
    await rig.step();
    const fatFinger = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '1000', timeInForce: 'gtc' });
    const resting = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'limit', limitPrice: '100.05', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(fatFinger.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.12' });
    // The sell limit at 100.05 was above the stale bid (100.00): it rested, so the fresh bid of 100.10 fills it at its price.
    expect(rig.order(resting.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.05' });
  });

  it('waits with a marketable limit while the quote is stale', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('MSFT', T0 + 11 * SECOND, 400, 400.1)]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.10' });
    expect(order).toMatchObject({ status: 'accepted', filledQty: '0' });
  });
});

describe('limit and market orders on a symbol with bars only', () => {
  const bars = [
    bar('IWM', T0, 100, 100.5, 99.8, 100), // the first bar gives a price
    bar('IWM', T0 + MINUTE, 100, 100.5, 99.5, 100.25), // low touches 99.50 but does not trade through
    bar('IWM', T0 + 2 * MINUTE, 100, 100.5, 99.49, 99.7, 50), // trades through 99.50, 50 shares
    bar('IWM', T0 + 3 * MINUTE, 99.7, 99.9, 99.3, 99.6),
  ];

  it('fills a buy limit at the limit price only when a bar trades through it', async () => {
    const rig = await engineRig(bars);
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 20, type: 'limit', limitPrice: '99.50' });
    expect(order.status).toBe('accepted');

    await rig.step();
    expect(rig.order(order.id).filledQty).toBe('0');

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '99.50', updatedAt: T0 + 3 * MINUTE });
    expect(rig.fillLines()).toEqual(['o-1 buy 20 IWM @ 99.50 = 1990.00 fee 0.00']);
  });

  it('fills a sell limit at the limit price only when a bar trades above it', async () => {
    const rig = await engineRig([...bars, bar('IWM', T0 + 4 * MINUTE, 99.6, 100.51, 99.5, 100.3)]);
    await rig.step();
    await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    await rig.step(); // the market buy fills at this bar's open
    const sell = await rig.place({ symbol: 'IWM', side: 'sell', qty: 10, type: 'limit', limitPrice: '100.50' });
    await rig.step(2); // highs 100.50 (at the limit) and 99.90
    expect(rig.order(sell.id).filledQty).toBe('0');
    await rig.step(); // high 100.51 trades through 100.50
    expect(rig.fills(sell.id)).toMatchObject([{ qty: '10', price: '100.50', notional: '1005.00', realizedPnl: '5.00' }]);
  });

  it('fills a market order at the open of the next bar', async () => {
    const rig = await engineRig(bars);
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    expect(order).toMatchObject({ status: 'accepted', filledQty: '0' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.00' });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 IWM @ 100.00 = 1000.00 fee 0.00']);
  });

  it('fills no more than the bar volume and the rest on later bars', async () => {
    const rig = await engineRig(bars);
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 80, type: 'limit', limitPrice: '99.50' });
    await rig.step(2);
    expect(rig.order(order.id)).toMatchObject({ status: 'partially_filled', filledQty: '50' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', filledQty: '80' });
    expect(rig.fillLines()).toEqual(['o-1 buy 50 IWM @ 99.50 = 4975.00 fee 0.00', 'o-1 buy 30 IWM @ 99.50 = 2985.00 fee 0.00']);
  });
});

describe('limit and market orders on a symbol with trades only', () => {
  it('fills a market order at the next trade and a limit at its price when a trade prints through it', async () => {
    const rig = await engineRig([
      trade('SPY', T0, 500, 100),
      trade('SPY', T0 + SECOND, 500.1, 30),
      trade('SPY', T0 + 2 * SECOND, 499.9, 100), // at the limit: not through it
      trade('SPY', T0 + 3 * SECOND, 499.89, 100),
    ]);
    await rig.step();
    const market = await rig.place({ symbol: 'SPY', side: 'buy', qty: 10 });
    const limit = await rig.place({ symbol: 'SPY', side: 'buy', qty: 10, type: 'limit', limitPrice: '499.90' });
    await rig.step(2);
    expect(rig.order(market.id)).toMatchObject({ status: 'filled', avgFillPrice: '500.10' });
    expect(rig.order(limit.id).filledQty).toBe('0');
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 SPY @ 500.10 = 5001.00 fee 0.00', 'o-2 buy 10 SPY @ 499.90 = 4999.00 fee 0.00']);
  });

  it('fills a resting limit at its price on every print through it, however far through (a resting bid is hit first)', async () => {
    const rig = await engineRig([trade('SPY', T0, 105, 100), trade('SPY', T0 + SECOND, 99, 100), trade('SPY', T0 + 2 * SECOND, 98.5, 100), trade('SPY', T0 + 3 * SECOND, 98, 100)]);
    await rig.step();
    const order = await rig.place({ symbol: 'SPY', side: 'buy', qty: 300, type: 'limit', limitPrice: '100', timeInForce: 'gtc' });
    await rig.step(3);
    expect(rig.fills(order.id).map((fill) => `${fill.qty} @ ${fill.price}`)).toEqual(['100 @ 100.00', '100 @ 100.00', '100 @ 100.00']);
  });

  it('settles a limit placed before any print by the first print it meets: one typed far through the market fills there', async () => {
    const rig = await engineRig([quote('QQQ', T0, 400, 400.1), trade('SPY', T0 + SECOND, 500.1, 300)], { symbols: ['SPY', 'QQQ'] });
    await rig.step();
    const order = await rig.place({ symbol: 'SPY', side: 'buy', qty: 10, type: 'limit', limitPrice: '5000', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '500.10' });
  });

  it('fills a buy limit typed far above a trades-only market at the next print, not at its limit', async () => {
    const rig = await engineRig([trade('SPY', T0, 500, 100), trade('SPY', T0 + SECOND, 500.1, 300)]);
    await rig.step();
    const order = await rig.place({ symbol: 'SPY', side: 'buy', qty: 10, type: 'limit', limitPrice: '5000', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '500.10' });
  });

  it('fills a buy limit typed far above a bars-only market at the next bar\'s open, not at its limit', async () => {
    const rig = await engineRig([bar('IWM', T0, 200, 201, 199, 200.5), bar('IWM', T0 + MINUTE, 200.4, 200.9, 199.5, 200)], { symbols: ['IWM'] });
    await rig.step();
    const buy = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '300' });
    expect(buy.status).toBe('accepted');
    await rig.step();
    expect(rig.order(buy.id)).toMatchObject({ status: 'filled', avgFillPrice: '200.40' });
  });
});
