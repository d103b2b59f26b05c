import { describe, expect, it } from 'vitest';
import { cryptoQuote, engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

describe('buying power of a cash account', () => {
  it('rejects a buy that costs more than the cash, naming both amounts', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { startingCash: '1000' });
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(order).toMatchObject({
      status: 'rejected',
      reason: 'not enough cash: buying 10 AAPL at about 100.02 needs $1,000.20, $1,000.00 available',
    });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 9 })).toMatchObject({ status: 'filled' });
  });

  it('accepts a buy that costs exactly the cash', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { startingCash: '1000.20' });
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).toMatchObject({ status: 'filled' });
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '0.00', buyingPower: '0.00' });
  });

  it('counts cash held by open buy orders as spent', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { startingCash: '1000' });
    await rig.step();
    const resting = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'limit', limitPrice: '99' });
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '1000.00', buyingPower: '505.00' });

    const tooMuch = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 6 });
    expect(tooMuch.reason).toBe('not enough cash: buying 6 AAPL at about 100.02 needs $600.12, $505.00 available');

    expect(rig.engine.cancelOrder(resting.id).ok).toBe(true);
    expect(rig.snapshot().portfolio.buyingPower).toBe('1000.00');
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 6 })).toMatchObject({ status: 'filled' });
  });

  it('holds only the unfilled part of a partly filled buy', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3)], { startingCash: '60000' });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    // 300 bought for 30006.00; 200 still held at the 100.02 it was accepted at: 20004.00
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '29994.00', buyingPower: '9990.00' });
  });

  it('counts the fee in the cost of a buy', async () => {
    const fees = { kind: 'per_share', perShare: '0.005', minimum: '1.00' } as const;
    const short = await engineRig([quote('AAPL', T0, 99.98, 100)], { startingCash: '1000.99', fees });
    await short.step();
    expect((await short.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).reason).toBe(
      'not enough cash: buying 10 AAPL at about 100.00 needs $1,001.00, $1,000.99 available',
    );
    const enough = await engineRig([quote('AAPL', T0, 99.98, 100)], { startingCash: '1001', fees });
    await enough.step();
    expect(await enough.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).toMatchObject({ status: 'filled', fees: '1.00' });
    expect(enough.snapshot().portfolio.cash).toBe('0.00');
  });

  it('prices a market buy with its slippage and a buy stop at no less than its stop', async () => {
    const rig = await engineRig([quote('AAPL', T0, 99.98, 100)], { startingCash: '1000', slippageBps: 10 });
    await rig.step();
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).reason).toBe(
      'not enough cash: buying 10 AAPL at about 100.10 needs $1,001.00, $1,000.00 available',
    );
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 9, type: 'stop', stopPrice: '120' })).reason).toBe(
      'not enough cash: buying 9 AAPL at about 120.12 needs $1,081.08, $1,000.00 available',
    );
  });

  it('fills only what the cash affords when the price rises before a market buy fills, and cancels the rest at once', async () => {
    const rig = await engineRig(
      [
        quote('AAPL', T0, 98.9, 99),
        quote('MSFT', T0 + 11 * SECOND, 400, 400.1), // AAPL's quote goes stale
        quote('AAPL', T0 + 12 * SECOND, 119.9, 120),
        quote('AAPL', T0 + 13 * SECOND, 119.9, 120),
      ],
      { startingCash: '1000' },
    );
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, timeInForce: 'gtc' });
    expect(order.status).toBe('accepted'); // held at 99: $990.00

    await rig.step();
    // The rest cannot be paid for: it is canceled at once, so buying power never goes negative.
    expect(rig.order(order.id)).toMatchObject({
      status: 'canceled',
      filledQty: '8',
      reason: 'not enough cash to fill the rest at 120.00: $1,000.00 was available',
    });
    expect(rig.fillLines()).toEqual(['o-1 buy 8 AAPL @ 120.00 = 960.00 fee 0.00']);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '40.00', buyingPower: '40.00' });

    await rig.step();
    expect(rig.fillLines()).toHaveLength(1);
  });
});

describe('selling in a cash account', () => {
  it('rejects a sell with no position: selling short needs a margin account', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 1 });
    expect(order).toMatchObject({ status: 'rejected', reason: 'cannot sell 1 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)' });
  });

  it('rejects selling more than is held', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const order = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 11 });
    expect(order.reason).toBe('cannot sell 11 AAPL: 10 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)');
  });

  it('counts what open sell orders hold as already sold', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const resting = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 6, type: 'limit', limitPrice: '105' });
    expect(resting.status).toBe('accepted');
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5 })).reason).toBe(
      'cannot sell 5 AAPL: 4 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)',
    );
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 4 })).toMatchObject({ status: 'filled' });
  });

  it('does not let a buy that is still working be sold', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).reason).toBe(
      'cannot sell 10 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)',
    );
  });

  it('sells fractional crypto down to exactly nothing', async () => {
    const rig = await engineRig([cryptoQuote('BTC-USD', T0, 65_000, 65_010, 2, 2)]);
    await rig.step();
    await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.123456789' });
    expect((await rig.place({ symbol: 'X:BTCUSD', side: 'sell', qty: '0.12345679' })).reason).toBe(
      'cannot sell 0.12345679 X:BTCUSD: 0.123456789 available to sell, and only stocks can be sold short',
    );
    expect(await rig.place({ symbol: 'X:BTCUSD', side: 'sell', qty: '0.123456789' })).toMatchObject({ status: 'filled' });
    expect(rig.snapshot().portfolio.positions).toEqual([]);
  });
});
