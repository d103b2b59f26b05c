import { describe, expect, it } from 'vitest';
import { cryptoQuote, engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

describe('partial fills', () => {
  it('takes at most the size shown at the ask and fills the rest on later quotes', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02, 5, 3), // 300 shares offered
      quote('AAPL', T0 + SECOND, 100, 100.03, 5, 1),
      quote('AAPL', T0 + 2 * SECOND, 100, 100.05, 5, 5),
    ]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    expect(order).toMatchObject({ status: 'partially_filled', filledQty: '300' });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'partially_filled', filledQty: '400' });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', filledQty: '500', avgFillPrice: '100.028' });
    expect(rig.fillLines()).toEqual([
      'o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.00',
      'o-1 buy 100 AAPL @ 100.03 = 10003.00 fee 0.00',
      'o-1 buy 100 AAPL @ 100.05 = 10005.00 fee 0.00',
    ]);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '49986.00', positions: [{ symbol: 'AAPL', qty: '500', costBasis: '50014.00' }] });
  });

  it('takes at most the size shown at the bid for a sell', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02, 2, 5), // 200 shares bid
      quote('AAPL', T0 + SECOND, 99.99, 100.01, 4, 5),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 500 });
    expect(sell).toMatchObject({ status: 'partially_filled', filledQty: '200' });
    await rig.step();
    expect(rig.order(sell.id)).toMatchObject({ status: 'filled', filledQty: '500' });
    expect(rig.fills(sell.id).map((fill) => `${fill.qty} @ ${fill.price}`)).toEqual(['200 @ 100.00', '300 @ 99.99']);
  });

  it('shares one quote between two orders: the second gets only what the first left', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3), quote('AAPL', T0 + SECOND, 100, 100.04, 5, 3)]);
    await rig.step();
    const first = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200 });
    const second = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200 });
    expect(first).toMatchObject({ status: 'filled', filledQty: '200' });
    expect(second).toMatchObject({ status: 'partially_filled', filledQty: '100' });

    await rig.step();
    expect(rig.order(second.id)).toMatchObject({ status: 'filled', filledQty: '200' });
    expect(rig.fillLines()).toEqual([
      'o-1 buy 200 AAPL @ 100.02 = 20004.00 fee 0.00',
      'o-2 buy 100 AAPL @ 100.02 = 10002.00 fee 0.00',
      'o-2 buy 100 AAPL @ 100.04 = 10004.00 fee 0.00',
    ]);
  });

  it('shares a new quote between resting orders in the order they arrived', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.9, 99.98, 5, 3)]);
    await rig.step();
    const first = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200, type: 'limit', limitPrice: '99.99' });
    const second = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200, type: 'limit', limitPrice: '99.99' });
    expect([first.status, second.status]).toEqual(['accepted', 'accepted']);

    await rig.step();
    expect(rig.order(first.id)).toMatchObject({ status: 'filled', filledQty: '200' });
    expect(rig.order(second.id)).toMatchObject({ status: 'partially_filled', filledQty: '100' });
  });

  it('keeps the bid and the ask as separate pools: a buy does not use up what a sell can take', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 1, 5), quote('AAPL', T0 + SECOND, 100, 100.02, 1, 1)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await rig.step();
    const buy = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 100 });
    expect(buy).toMatchObject({ status: 'filled', filledQty: '100' });
    expect(sell).toMatchObject({ status: 'filled', filledQty: '100' });
  });

  it('fills crypto up to the coins shown at the quote', async () => {
    const rig = await engineRig([cryptoQuote('BTC-USD', T0, 65_000, 65_010, 0.5, 0.4), cryptoQuote('BTC-USD', T0 + SECOND, 65_000, 65_020, 0.5, 0.4)]);
    await rig.step();
    const order = await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.5' });
    expect(order).toMatchObject({ status: 'partially_filled', filledQty: '0.4' });
    await rig.step();
    expect(rig.fillLines()).toEqual([
      'o-1 buy 0.4 X:BTCUSD @ 65010.00 = 26004.00 fee 0.00',
      'o-1 buy 0.1 X:BTCUSD @ 65020.00 = 6502.00 fee 0.00',
    ]);
    expect(rig.order(order.id).status).toBe('filled');
  });
});
