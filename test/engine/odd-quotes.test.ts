// What crossed, locked, one-sided and zero-size quotes do to the mark and to fills (quote-rules.ts).
import { describe, expect, it } from 'vitest';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

describe('odd quotes', () => {
  it('a crossed quote fills nothing, triggers nothing and keeps the last mark, but replaces the old quote: market orders wait for a sane one', async () => {
    const rig = await engineRig([
      quote('AAPL', T0, 100, 100.02),
      quote('AAPL', T0 + SECOND, 101.2, 100.9), // bid above ask
      quote('AAPL', T0 + 2 * SECOND, 100.95, 100.97),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const stop = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '100.90' });
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ triggered: false });
    expect(rig.snapshot().quotes[0]).toMatchObject({ bid: '101.20', ask: '100.90', crossed: true, mark: '100.01' });
    const buy = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5 });
    expect(buy).toMatchObject({ status: 'accepted', filledQty: '0' });
    await rig.step();
    expect(rig.order(buy.id)).toMatchObject({ status: 'filled', avgFillPrice: '100.97' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ crossed: false });
    expect(rig.order(stop.id)).toMatchObject({ status: 'filled', triggered: true });
  });

  it('a late quote marks nothing, even when a crossed quote kept the mark from before it', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + 2 * SECOND, 100.05, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step(2);
    expect(rig.snapshot().portfolio.positions[0]).toMatchObject({ lastPrice: '100.01' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ bid: '100.05', ask: '100.02', crossed: true, mark: '100.01' });
  });

  it('a locked quote is a real market: both sides fill at its price and it marks there', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100)]);
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).toMatchObject({ status: 'filled', avgFillPrice: '100.00' });
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).toMatchObject({ status: 'filled', avgFillPrice: '100.00' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ crossed: false, mark: '100.00' });
  });

  it('a one-sided quote fills only the side it shows, and marks at it', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.5, 0, 5, 0)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    expect(rig.snapshot().quotes[0]).toMatchObject({ bid: '99.50', ask: null, askSize: null, crossed: false, mark: '99.50' });
    expect(rig.snapshot().portfolio.positions[0]).toMatchObject({ lastPrice: '99.50' });
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 4 })).toMatchObject({ status: 'filled', avgFillPrice: '99.50' });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 4 })).toMatchObject({ status: 'accepted', filledQty: '0' });
  });

  it('a buy while the quote shows no ask holds cash at the last mark, never at nothing', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.5, 0, 5, 0)], { startingCash: '1000' });
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    expect(order).toMatchObject({ status: 'rejected' });
    expect(order.reason).toContain('not enough cash');
  });

  it('a side of size 0 fills nothing there, but its price still marks and triggers stops', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100.99, 101.01, 5, 0), quote('AAPL', T0 + 2 * SECOND, 101, 101.02)]);
    await rig.step();
    const stop = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'accepted', triggered: true, filledQty: '0' });
    expect(rig.snapshot().quotes[0]).toMatchObject({ mark: '101.00' });
    await rig.step();
    expect(rig.order(stop.id)).toMatchObject({ status: 'filled', avgFillPrice: '101.02' });
  });
});
