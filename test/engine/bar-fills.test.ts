// The bar fill rules (README, "A bar's path"), one by one, on a symbol with minute bars only, as a
// backtest on Polygon aggregates trades: a bar is the path open, low, high, close when it closed at
// or above its open, open, high, low, close when below; an order meets only the path after it.
import { describe, expect, it } from 'vitest';
import { bar, engineRig, MINUTE, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

/** The first bar gives the symbol a price; the order is placed when it closes (as a strategy reacting to it would). */
const FIRST = bar('IWM', T0, 100, 100.2, 99.9, 100);
const next = (o: number, h: number, l: number, c: number, v?: number) => bar('IWM', T0 + MINUTE, o, h, l, c, v);

async function afterFirstBar(...later: ReturnType<typeof bar>[]) {
  const rig = await engineRig([FIRST, ...later], { symbols: ['IWM'] });
  await rig.step();
  return rig;
}

describe('a bar is a path, and an order meets only the part after it', () => {
  it('a market order placed when a bar closes fills at the open of the next bar, never the close it reacted to', async () => {
    const rig = await afterFirstBar(next(100.4, 100.9, 100.3, 100.8));
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    await rig.step();
    expect(rig.fillLines()).toEqual([`${order.id} buy 10 IWM @ 100.40 = 1004.00 fee 0.00`]);
  });

  it('an order placed while a bar is under way meets only its close: its open, high and low may be from before the order', async () => {
    // A quote of another symbol moves the clock into the middle of IWM's second minute.
    const rig = await engineRig([FIRST, quote('SPY', T0 + MINUTE + 30 * SECOND, 500, 500.05), next(100.4, 101.5, 98, 100.8)], { symbols: ['IWM', 'SPY'] });
    await rig.step(2);
    const market = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    const limit = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '99' });
    const stop = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await rig.step();
    expect(rig.fills(market.id)).toMatchObject([{ price: '100.80' }]);
    // The low of 98 and the high of 101.50 may have come before these orders: neither fills nor triggers them.
    expect(rig.order(limit.id)).toMatchObject({ status: 'accepted', filledQty: '0' });
    expect(rig.order(stop.id)).toMatchObject({ status: 'accepted', triggered: false });
  });

  it('a limit fills at its price only when the path goes strictly through it, not when it merely touches it', async () => {
    const rig = await afterFirstBar(next(100, 100.3, 99.5, 100.1), bar('IWM', T0 + 2 * MINUTE, 100.1, 100.2, 99.49, 99.9));
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.50' });
    await rig.step();
    expect(rig.order(order.id).filledQty).toBe('0');
    await rig.step();
    expect(rig.fills(order.id)).toMatchObject([{ price: '99.50' }]);
  });

  it('a marketable limit (the market already at it) fills at the open when the open reaches it; a resting one the bar gaps through, at its own price', async () => {
    const marketable = await afterFirstBar(next(100.3, 100.8, 100.2, 100.6));
    const taker = await marketable.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.50' });
    await marketable.step();
    expect(marketable.fills(taker.id)).toMatchObject([{ price: '100.30' }]);

    const resting = await afterFirstBar(next(99.2, 99.8, 99.1, 99.7));
    const maker = await resting.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.50' });
    await resting.step();
    expect(resting.fills(maker.id)).toMatchObject([{ price: '99.50' }]);
  });

  it('a stop the path passes fills at the stop; one the bar gapped through fills at the open', async () => {
    const passes = await afterFirstBar(next(100.1, 101.5, 100, 101.2));
    const passed = await passes.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await passes.step();
    expect(passes.fills(passed.id)).toMatchObject([{ price: '101.00' }]);

    const gaps = await afterFirstBar(next(101.6, 101.9, 101.4, 101.5));
    const gapped = await gaps.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await gaps.step();
    expect(gaps.fills(gapped.id)).toMatchObject([{ price: '101.60' }]);
  });

  it('the direction of the bar sets the order of its high and low: a stop-limit fills only if the limit comes after the trigger', async () => {
    // Buy stop 101, limit 100.50: the path must reach 101, then come back strictly under 100.50.
    const request = { symbol: 'IWM', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '101', limitPrice: '100.50' } as const;
    // Rose to the close: open 100, low 99, high 102, close 101.50: the low came before the trigger.
    const rising = await afterFirstBar(next(100, 102, 99, 101.5));
    const notFilled = await rising.place(request);
    await rising.step();
    expect(rising.order(notFilled.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    // Fell to the close: open 100, high 102, low 99, close 99.50: the low came after the trigger.
    const falling = await afterFirstBar(next(100, 102, 99, 99.5));
    const filled = await falling.place(request);
    await falling.step();
    expect(falling.fills(filled.id)).toMatchObject([{ price: '100.50' }]);
  });

  it('a bar fills no more than its volume; the rest of a market order takes the next bar at its open', async () => {
    const rig = await afterFirstBar(next(100.4, 100.9, 100.3, 100.8, 6), bar('IWM', T0 + 2 * MINUTE, 100.7, 100.9, 100.6, 100.85));
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    await rig.step(2);
    expect(rig.fillLines()).toEqual([`${order.id} buy 6 IWM @ 100.40 = 602.40 fee 0.00`, `${order.id} buy 4 IWM @ 100.70 = 402.80 fee 0.00`]);
  });
});
