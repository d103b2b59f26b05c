// The stop-trigger rule, path by path: only the market at or after an order, delivered on time,
// may trigger its stop (fill-model.ts). Each test drives the real engine on a replay.
import { describe, expect, it } from 'vitest';
import { bar, engineRig, MINUTE, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

const buyStop = (stopPrice: string, symbol = 'AAPL') => ({ symbol, side: 'buy', qty: 10, type: 'stop', stopPrice }) as const;
const sellStop = (stopPrice: string, symbol = 'AAPL') => ({ symbol, side: 'sell', qty: 10, type: 'stop', stopPrice }) as const;

describe('a stop triggers only on what happened after it was placed, delivered on time', () => {
  it('a late quote (older than one already seen, though not stale) triggers no buy stop-limit, which so never fills above the ask', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + 2 * SECOND, 100, 100.02),
      quote('AAPL', T0 + SECOND, 101.1, 101.12), // late by a second: the market had already moved on
      quote('AAPL', T0 + 3 * SECOND, 100.01, 100.03),
    ]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '101', limitPrice: '101.10' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false, filledQty: '0' });
    expect(rig.fills()).toEqual([]);
  });

  it('a late quote triggers no sell stop', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + 2 * SECOND, 100, 100.02), quote('AAPL', T0 + SECOND, 98.5, 98.52)]);
    await rig.step(2);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place(sellStop('99'));
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'accepted', triggered: false });
  });

  it('a late trade triggers nothing', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      trade('AAPL', T0 + 2 * SECOND, 100.01),
      trade('AAPL', T0 + 3 * SECOND, 100.01),
      trade('AAPL', T0 + 2.5 * SECOND, 101.5), // printed after the order, but delivered after a newer print
    ]);
    await rig.step(2);
    const order = await rig.place(buyStop('101'));
    await rig.step(2);
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false });
  });

  it('a trade printed before the order triggers nothing, whether it is the last trade or arrives after the order', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100.55, 100.58),
      trade('AAPL', T0 + SECOND, 100.6), // the last trade when the order arrives
      quote('MSFT', T0 + 5 * SECOND, 400, 400.1),
      trade('AAPL', T0 + 3 * SECOND, 100.7), // new to us, but printed two seconds before the order
      trade('AAPL', T0 + 6 * SECOND, 100.6),
    ]);
    await rig.step(3);
    const order = await rig.place(buyStop('100.59'));
    expect(order).toMatchObject({ status: 'accepted', triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '100.58' });
  });

  it('a stale trade triggers nothing', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('MSFT', T0 + 20 * SECOND, 400, 400.1),
      trade('AAPL', T0 + 20 * SECOND - 15 * SECOND, 101), // arrives 15 s after it printed
    ]);
    await rig.step(2);
    const order = await rig.place(buyStop('101'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ triggered: false });
  });

  it('the quote standing when the order arrives is the market: a stop it already reached triggers at once', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    expect(await rig.place(buyStop('100'))).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '100.02' });
  });

  it('a gap through the stop on quotes fills at the new ask, not at the stop', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 102.5, 102.55)]);
    await rig.step();
    await rig.place(buyStop('101'));
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 102.55 = 1025.50 fee 0.00']);
  });
});

describe('bars and stops', () => {
  /** A bars-only symbol, with the clock moved to the middle of the minute that `bar2` covers. */
  const midMinute = (...later: ReturnType<typeof bar>[]) => [
    bar('IWM', T0, 100, 100.2, 99.9, 100),
    quote('SPY', T0 + MINUTE + 30 * SECOND, 500, 500.05),
    ...later,
  ];

  it('on a bars-only symbol, a bar that began before the order triggers nothing: its high may have printed before it', async () => {
    const rig = await engineRig(midMinute(bar('IWM', T0 + MINUTE, 100, 101.5, 99.9, 100.2)), { symbols: ['IWM', 'SPY'] });
    await rig.step(2);
    const order = await rig.place(buyStop('101', 'IWM'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false });
  });

  it('on a bars-only symbol, a bar that began after the order triggers it, and the fill is no better than the stop', async () => {
    const rig = await engineRig(
      midMinute(bar('IWM', T0 + MINUTE, 100, 100.3, 99.9, 100.2), bar('IWM', T0 + 2 * MINUTE, 100.2, 101.5, 100.1, 100.6)),
      { symbols: ['IWM', 'SPY'] },
    );
    await rig.step(2);
    const order = await rig.place(buyStop('101', 'IWM'));
    await rig.step(2);
    // The close (100.60) came after the trigger but is below the stop: the stop is the best the order could have had.
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '101.00' });
  });

  it('on a bars-only symbol, a bar that gaps through the stop fills at its open', async () => {
    const rig = await engineRig([bar('IWM', T0, 100, 100.2, 99.9, 100), bar('IWM', T0 + MINUTE, 101.8, 102, 101.2, 101.4)], { symbols: ['IWM'] });
    await rig.step();
    const order = await rig.place(buyStop('101', 'IWM'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.80' });
  });

  it('on a bars-only symbol, a sell stop a bar gaps down through fills at its open', async () => {
    const rig = await engineRig(
      [bar('IWM', T0, 100, 100.2, 99.9, 100), bar('IWM', T0 + MINUTE, 100, 100.1, 99.9, 100), bar('IWM', T0 + 2 * MINUTE, 98.2, 99.5, 98, 99.2)],
      { symbols: ['IWM'] },
    );
    await rig.step();
    await rig.place({ symbol: 'IWM', side: 'buy', qty: 10 });
    await rig.step();
    const stop = await rig.place(sellStop('99', 'IWM'));
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'filled', avgFillPrice: '98.20' });
  });

  it('on a bars-only symbol, a stop its bar triggered but could not fill (no volume) is a market order on the next bar: its open', async () => {
    const rig = await engineRig(
      [bar('IWM', T0, 100, 100.2, 99.9, 100), bar('IWM', T0 + MINUTE, 100.5, 101.2, 100.4, 101, 0), bar('IWM', T0 + 2 * MINUTE, 100.3, 100.5, 100.1, 100.2)],
      { symbols: ['IWM'] },
    );
    await rig.step();
    const order = await rig.place(buyStop('101', 'IWM'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.30' });
  });

  it('on a bars-only symbol, a stop-limit meets the stop its bar passed first, then the rest of the path', async () => {
    const rig = await engineRig(
      [
        bar('IWM', T0, 100, 100.2, 99.9, 100),
        bar('IWM', T0 + MINUTE, 101.5, 101.8, 101.4, 101.6), // gaps over the stop and the limit: triggered, but the path stays above 101.20
        bar('IWM', T0 + 2 * MINUTE, 101.6, 101.7, 101.1, 101.25), // trades through 101.20
      ],
      { symbols: ['IWM'] },
    );
    await rig.step();
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '101', limitPrice: '101.20' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.20' });
  });

  it('on a symbol with quotes, a bar triggers nothing: the quotes already showed every price in order', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      bar('AAPL', T0, 100, 102, 99.5, 100.01),
      quote('AAPL', T0 + MINUTE + SECOND, 101, 101.02),
    ]);
    await rig.step();
    const order = await rig.place(buyStop('101'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.02' });
  });

  it('on a symbol with trades and bars, bars trigger nothing; a trade does, and fills no better than the stop', async () => {
    const rig = await engineRig([
      trade('IWM', T0, 100),
      bar('IWM', T0, 100, 102, 99.5, 100.01),
      trade('IWM', T0 + MINUTE + SECOND, 101.05, 200),
    ], { symbols: ['IWM'] });
    await rig.step();
    const order = await rig.place(buyStop('101', 'IWM'));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ triggered: false });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.05' });
  });

  it('on a bars-only symbol, a resting limit fills only on a bar that began at or after it', async () => {
    const rig = await engineRig(
      [
        bar('IWM', T0, 100, 100.2, 99.9, 100),
        quote('SPY', T0 + MINUTE + 30 * SECOND, 500, 500.05),
        bar('IWM', T0 + MINUTE, 100, 100.2, 98.5, 100.1), // its low may have come before the order
        bar('IWM', T0 + 2 * MINUTE, 100.1, 100.2, 98.9, 99.5),
      ],
      { symbols: ['IWM', 'SPY'] },
    );
    await rig.step(2);
    const order = await rig.place({ symbol: 'IWM', side: 'buy', qty: 10, type: 'limit', limitPrice: '99', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ filledQty: '0' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', avgFillPrice: '99.00' });
  });
});
