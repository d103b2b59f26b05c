import { describe, expect, it } from 'vitest';
import { bar, engineRig, MINUTE, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

const buyStop = (stopPrice: string, extra: Record<string, string> = {}) =>
  ({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice, ...extra }) as const;

describe('stop orders', () => {
  it('triggers a buy stop when the ask reaches the stop, then fills it at the ask as a market order', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 100.9, 100.99),
      quote('AAPL', T0 + 2 * SECOND, 100.98, 101),
    ]);
    await rig.step();
    const order = await rig.place(buyStop('101'));
    expect(order).toMatchObject({ status: 'accepted', triggered: false, stopPrice: '101.00' });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '101.00' });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.00 = 1010.00 fee 0.00']);
  });

  it('fills a buy stop at the new ask when the ask gaps through the stop', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101.25, 101.3)]);
    await rig.step();
    await rig.place(buyStop('101'));
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.30 = 1013.00 fee 0.00']);
  });

  it('triggers a sell stop when the bid falls to the stop and fills it at the bid', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 99.01, 99.03),
      quote('AAPL', T0 + 2 * SECOND, 99, 99.02),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '99' });
    expect(stop).toMatchObject({ status: 'accepted', triggered: false });

    await rig.step();
    expect(rig.order(stop.id).triggered).toBe(false);

    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'filled', triggered: true });
    expect(rig.fills(stop.id)).toMatchObject([{ price: '99.00', notional: '990.00', realizedPnl: '-10.20' }]);
  });

  it('triggers a buy stop on a last trade at the stop and fills it at the current fresh ask', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100.4, 100.45), trade('AAPL', T0 + SECOND, 100.5)]);
    await rig.step();
    const order = await rig.place(buyStop('100.50'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true, updatedAt: T0 + SECOND });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.45 = 1004.50 fee 0.00']);
  });

  it('fills an ioc stop triggered by a trade at the current ask instead of canceling it unfilled', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100.4, 100.45), trade('AAPL', T0 + SECOND, 100.5)]);
    await rig.step();
    const order = await rig.place(buyStop('100.50', { timeInForce: 'ioc' }));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', filledQty: '10', reason: null });
  });

  it('triggers a sell stop on a last trade at the stop and fills it at the current fresh bid', async () => {
    const rig = await engineRig([quote('AAPL', T0, 99.1, 99.12), trade('AAPL', T0 + SECOND, 99)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '99' });
    await rig.step();
    expect(rig.fills(stop.id)).toMatchObject([{ price: '99.10' }]);
  });

  it('waits for a fresh quote when a trade triggers a stop while the quote is stale', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100.4, 100.45),
      trade('AAPL', T0 + 11 * SECOND, 100.5),
      quote('AAPL', T0 + 12 * SECOND, 100.5, 100.55),
    ]);
    await rig.step();
    const order = await rig.place(buyStop('100.50'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.55 = 1005.50 fee 0.00']);
  });

  it('does not trigger a stop from a quote that arrives already stale', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('MSFT', T0 + 20 * SECOND, 400, 400.1),
      quote('AAPL', T0 + 5 * SECOND, 101, 101.02), // delivered late: 15 s old, from before the order
      quote('AAPL', T0 + 21 * SECOND, 100.1, 100.12),
    ]);
    await rig.step(2);
    const order = await rig.place(buyStop('101'));
    await rig.step(2);
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false, filledQty: '0' });
  });

  it('triggers at once a buy stop already reached on arrival and fills it at the ask', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    const order = await rig.place(buyStop('100'));
    expect(order).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '100.02' });
  });

  it('triggers at once a sell stop already reached on arrival and fills it at the bid', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop', stopPrice: '100.01' });
    expect(stop).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '100.00' });
  });

  it('keeps an ioc stop working until it triggers, then fills what is shown and cancels the rest', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100.98, 101, 5, 3)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, type: 'stop', stopPrice: '101', timeInForce: 'ioc' });
    expect(order).toMatchObject({ status: 'accepted', triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({
      status: 'canceled',
      filledQty: '300',
      reason: 'ioc: only part filled at once; the unfilled 200 was canceled',
    });
  });

  it('triggers a buy stop on a bars-only symbol when a bar reaches it and fills at the stop its path went through', async () => {
    const rig = await engineRig([
      bar('IWM', T0, 100, 100.5, 99.8, 100),
      bar('IWM', T0 + MINUTE, 100, 100.99, 99.9, 100.5),
      bar('IWM', T0 + 2 * MINUTE, 100.5, 101.5, 100.4, 101.2),
    ]);
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await rig.step();
    expect(rig.order(order.id).triggered).toBe(false);
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 IWM @ 101.00 = 1010.00 fee 0.00']);
  });
});

describe('stop-limit orders', () => {
  const buyStopLimit = { symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '101', limitPrice: '101.05' } as const;

  it('turns a triggered buy stop-limit into a limit: waits while the ask is above the limit, fills at the limit', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 101.08, 101.1),
      quote('AAPL', T0 + 2 * SECOND, 101.03, 101.05),
    ]);
    await rig.step();
    const order = await rig.place(buyStopLimit);
    expect(order).toMatchObject({ status: 'accepted', triggered: false, stopPrice: '101.00', limitPrice: '101.05' });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });

    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.05 = 1010.50 fee 0.00']);
  });

  it('fills a buy stop-limit at the ask when it is marketable as it triggers', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02)]);
    await rig.step();
    await rig.place(buyStopLimit);
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.02 = 1010.20 fee 0.00']);
  });

  it('mirrors it for a sell: triggers when the bid falls to the stop, waits below the limit, fills at the limit', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 98.9, 98.92),
      quote('AAPL', T0 + 2 * SECOND, 98.95, 98.97),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const resting = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop_limit', stopPrice: '99', limitPrice: '98.95' });

    await rig.step();
    expect(rig.order(resting.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    await rig.step();
    expect(rig.fills(resting.id)).toMatchObject([{ price: '98.95' }]);
  });

  it('fills a sell stop-limit at the bid when the bid is at or above the limit as it triggers', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 98.99, 99.01)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'stop_limit', stopPrice: '99', limitPrice: '98.95' });
    await rig.step();
    expect(rig.fills(stop.id)).toMatchObject([{ price: '98.99' }]);
  });
});
