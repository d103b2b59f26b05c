// Trailing stops: the stop follows the market the order's way by its trail (a price or a percent)
// and never back; when the market comes back through it, it fills as a market order. Its
// high-water mark is saved with the order, so a restart goes on from it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy } from '../../src/engine/index.ts';
import { stockBrokerage } from '../../src/engine/execution/brokerage-model.ts';
import { ZERO_FEES } from '../../src/engine/execution/fee-model.ts';
import { createSlippageModel } from '../../src/engine/execution/slippage-model.ts';
import { trailingStopAt } from '../../src/engine/orders/trailing-stop.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

const at = (n: number): number => T0 + n * SECOND;
const sellTrailing = (trail: Record<string, string>) => ({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'trailing_stop', timeInForce: 'gtc', ...trail }) as const;

describe('a trailing stop', () => {
  it('sells: its stop follows the highest bid by the trail price, never back, and fills at the bid once the bid falls to it', async () => {
    const rig = await engineRig([
      quote('AAPL', at(0), 100, 100.02),
      quote('AAPL', at(1), 101, 101.02),
      quote('AAPL', at(2), 100.5, 100.52),
      quote('AAPL', at(3), 100.01, 100.03),
      quote('AAPL', at(4), 100, 100.02),
    ]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const order = await rig.place(sellTrailing({ trailPrice: '1' }));
    expect(order).toMatchObject({ status: 'accepted', type: 'trailing_stop', trailPrice: '1.00', trailPercent: null, hwm: '100.00', stopPrice: '99.00' });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ hwm: '101.00', stopPrice: '100.00', triggered: false, updatedAt: at(1) });
    await rig.step(2);
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', hwm: '101.00', stopPrice: '100.00', updatedAt: at(1) });

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true, avgFillPrice: '100.00' });
    expect(rig.fills(order.id)).toMatchObject([{ price: '100.00', qty: '10' }]);
  });

  it('buys: its stop follows the lowest ask by a percent of it, and fills at the ask once the ask rises to it', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 98.98, 99), quote('AAPL', at(2), 99.97, 99.99)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'trailing_stop', trailPercent: '1' });
    // 1% of 100.02 is 1.0002: the stop starts at 101.0202, rounded up to the cent tick (away from
    // the market: the trail is never shorter than asked), and cash is held at it.
    expect(order).toMatchObject({ trailPercent: '1', hwm: '100.02', stopPrice: '101.03' });
    expect(rig.snapshot().portfolio.buyingPower).toBe('98989.70');

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ hwm: '99.00', stopPrice: '99.99' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 99.99 = 999.90 fee 0.00']);
  });

  it('fills at the bid where the market opened after a gap through its stop, not at the stop', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 104, 104.02), quote('AAPL', at(2), 95, 95.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const order = await rig.place(sellTrailing({ trailPercent: '2.5' }));
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ hwm: '104.00', stopPrice: '101.40' });
    await rig.step();
    expect(rig.fills(order.id)).toMatchObject([{ price: '95.00' }]);
  });

  it('follows prints on a symbol with no quotes, and fills at the print that goes through its stop', async () => {
    const rig = await engineRig([trade('AAPL', at(0), 100), trade('AAPL', at(1), 100), trade('AAPL', at(2), 102), trade('AAPL', at(3), 100.4)]);
    await rig.step();
    // On prints alone a market order takes the next print.
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    const order = await rig.place(sellTrailing({ trailPrice: '1.50' }));
    expect(order).toMatchObject({ hwm: '100.00', stopPrice: '98.50' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ hwm: '102.00', stopPrice: '100.50' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', triggered: true });
    // The print at 100.40 went through the stop at 100.50: a sell stop fills no better than the print.
    expect(rig.fills(order.id)).toMatchObject([{ price: '100.40' }]);
  });

  it('is refused as a buy while its symbol has no price to start from, saying so', async () => {
    const rig = await engineRig([quote('MSFT', at(0), 400, 400.05), quote('AAPL', at(1), 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'trailing_stop', trailPrice: '0.50' });
    expect(order.status).toBe('rejected');
    expect(order.reason).toMatch(/^no price for AAPL yet/);
  });
});

describe('trailingStopAt', () => {
  const stockTick = stockBrokerage({ fee: ZERO_FEES, slippage: createSlippageModel(0) }).tickSize;
  const micros = (text: string): bigint => BigInt(Math.round(Number(text) * 1e6));
  it('rounds a percent trail to the tick away from the market: a sell stop down, a buy stop up', () => {
    // 1.5% of 229.93 is 3.44895.
    expect(trailingStopAt({ side: 'sell', trailPrice: undefined, trailPercent: 15_000n }, micros('229.93'), stockTick)).toBe(micros('226.48'));
    expect(trailingStopAt({ side: 'buy', trailPrice: undefined, trailPercent: 15_000n }, micros('229.93'), stockTick)).toBe(micros('233.38'));
    // Under $1 the tick is a hundredth of a cent: 1.5% of 0.5123 is 0.0076845.
    expect(trailingStopAt({ side: 'sell', trailPrice: undefined, trailPercent: 15_000n }, micros('0.5123'), stockTick)).toBe(micros('0.5046'));
  });
  it('keeps a price trail exact when the mark is on a tick', () => {
    expect(trailingStopAt({ side: 'sell', trailPrice: micros('0.25'), trailPercent: undefined }, micros('100.10'), stockTick)).toBe(micros('99.85'));
    expect(trailingStopAt({ side: 'buy', trailPrice: micros('0.25'), trailPercent: undefined }, micros('100.10'), stockTick)).toBe(micros('100.35'));
  });
});

describe('a strategy', () => {
  // Buys once, then protects what it bought with a trailing stop.
  const protectedBuyer = defineStrategy({
    name: 'protected-buyer',
    description: 'buys 10 on the first quote, then places a 1% trailing stop for what filled',
    params: z.object({}).strict(),
    create: () => {
      let bought = false;
      return {
        onQuote(quote, ctx) {
          if (bought) return;
          bought = true;
          ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: 10 });
        },
        onFill(fill, ctx) {
          if (fill.side === 'buy') ctx.placeOrder({ symbol: fill.symbol, side: 'sell', qty: fill.qty, type: 'trailing_stop', trail_percent: 1, time_in_force: 'gtc' });
        },
      };
    },
  });

  it('places a trailing stop like any order, and it sells the strategy its own lot when the market falls back', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 110, 110.02), quote('AAPL', at(2), 108.9, 108.92)], {
      strategies: [protectedBuyer],
      strategy: 'protected-buyer',
    });
    await rig.step();
    const stop = rig.snapshot().orders.find((order) => order.type === 'trailing_stop');
    expect(stop).toMatchObject({ source: 'strategy:protected-buyer', status: 'accepted', hwm: '100.00', stopPrice: '99.00', trailPercent: '1' });
    await rig.step();
    expect(rig.order(stop!.id)).toMatchObject({ hwm: '110.00', stopPrice: '108.90' });
    await rig.step();
    expect(rig.fills(stop!.id)).toMatchObject([{ price: '108.90', qty: '10', source: 'strategy:protected-buyer' }]);
    expect(rig.snapshot().portfolio.positions).toEqual([]);
  });
});

describe('a trailing stop across a restart', () => {
  const accounts = accountRigs();
  it('keeps its high-water mark and stop: a lower market after the restart neither resets nor lowers them', async () => {
    const quotes = [quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 105, 105.02)];
    const first = await accounts.open(quotes);
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const order = await first.place(sellTrailing({ trailPrice: '2' }));
    await first.step();
    expect(first.order(order.id)).toMatchObject({ hwm: '105.00', stopPrice: '103.00' });
    await accounts.close(first);

    const later = [quote('AAPL', at(60), 104, 104.02), quote('AAPL', at(61), 103, 103.02)];
    const second = await accounts.open(later);
    expect(second.order(order.id)).toMatchObject({ status: 'accepted', hwm: '105.00', stopPrice: '103.00', trailPrice: '2.00' });
    await second.step();
    expect(second.order(order.id)).toMatchObject({ status: 'accepted', hwm: '105.00', stopPrice: '103.00' });
    await second.step();
    expect(second.fills(order.id)).toMatchObject([{ price: '103.00', qty: '10' }]);
  });
});
