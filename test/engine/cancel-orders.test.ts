import { describe, expect, it } from 'vitest';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

describe('canceling orders', () => {
  it('cancels a working order, releases its cash and keeps it from filling later', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 98, 98.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    expect(rig.snapshot().portfolio.buyingPower).toBe('99010.00');

    const result = rig.engine.cancelOrder(order.id);
    expect(result).toMatchObject({ ok: true, order: { id: order.id, status: 'canceled', reason: 'canceled by user' } });
    expect(rig.snapshot().portfolio.buyingPower).toBe('100000.00');

    await rig.step();
    expect(rig.order(order.id).status).toBe('canceled');
    expect(rig.fills()).toEqual([]);
  });

  it('cancels the rest of a partly filled order and keeps what filled', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 3), quote('AAPL', T0 + SECOND, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    expect(rig.engine.cancelOrder(order.id, 'changed my mind')).toMatchObject({
      ok: true,
      order: { status: 'canceled', filledQty: '300', reason: 'changed my mind' },
    });
    await rig.step();
    expect(rig.fills()).toHaveLength(1);
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ qty: '300' }]);
  });

  it('cancels a working sell and frees the shares it held', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'limit', limitPrice: '110' });
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).status).toBe('rejected');
    rig.engine.cancelOrder(sell.id);
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).status).toBe('filled');
  });

  it('refuses to cancel a filled order', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(rig.engine.cancelOrder(order.id)).toEqual({ ok: false, error: 'order o-1 is already filled' });
    expect(rig.order(order.id).status).toBe('filled');
  });

  it('refuses to cancel an order twice, or a rejected one', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const working = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    const rejected = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    rig.engine.cancelOrder(working.id);
    expect(rig.engine.cancelOrder(working.id)).toEqual({ ok: false, error: 'order o-1 is already canceled' });
    expect(rig.engine.cancelOrder(rejected.id)).toEqual({ ok: false, error: 'order o-2 is already rejected' });
    expect(rig.order(working.id).reason).toBe('canceled by user');
  });

  it('says so when there is no order with that id', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    expect(rig.engine.cancelOrder('o-99')).toEqual({ ok: false, error: 'no order with id "o-99"' });
  });

  it('cancels every working order at once, leaving finished ones alone', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const filled = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const buy = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '95' });
    expect(rig.engine.cancelAllOrders()).toBe(2);
    expect([filled, buy, stop].map((order) => [rig.order(order.id).status, rig.order(order.id).reason])).toEqual([
      ['filled', null],
      ['canceled', 'canceled by user (cancel all)'],
      ['canceled', 'canceled by user (cancel all)'],
    ]);
  });
});
