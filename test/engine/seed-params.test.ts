// The seed's params in the built-in strategies: position_size (shares per entry), and stop_loss /
// take_profit as fractions of the entry price, placed as the entry's bracket; the strategy's own
// exit at a cross cancels those exits first (they hold the shares) and sells.
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/index.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

/** Quotes a cent either side of mids that move a dime a quote: down `fall`, up `rise`, down `fallAgain` times. */
const path = (fall: number, rise: number, fallAgain: number): ReturnType<typeof quote>[] => {
  const moves = [...Array<number>(fall).fill(-0.1), ...Array<number>(rise).fill(0.1), ...Array<number>(fallAgain).fill(-0.1)];
  let mid = 100;
  return moves.map((move, i) => {
    mid = Math.round((mid + move) * 100) / 100;
    return quote('AAPL', T0 + (i + 1) * SECOND, Math.round((mid - 0.01) * 100) / 100, Math.round((mid + 0.01) * 100) / 100);
  });
};

describe("the seed's params in sma-crossover", () => {
  it('buys position_size shares with a bracket at take_profit above and stop_loss below the ask, and cancels it to sell at the cross down', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), ...path(6, 8, 8)], {
      strategy: 'simple_paper_strategy',
      strategyParams: { short_window: 2, long_window: 4, position_size: 5, stop_loss: 0.02, take_profit: 0.05 },
    });
    await rig.step(15);
    const entry = rig.snapshot().orders.find((order) => order.orderClass === 'bracket')!;
    expect(entry).toMatchObject({ side: 'buy', qty: '5', status: 'filled', timeInForce: 'gtc' });
    const legs = rig.snapshot().orders.filter((order) => order.parentId === entry.id);
    const ask = Number(rig.fills(entry.id)[0]!.price);
    // The ask the entry saw, 5% up (rounded up to the cent) and 2% down (rounded down).
    expect(legs.map((leg) => [leg.type, leg.limitPrice ?? leg.stopPrice])).toEqual([
      ['limit', (Math.ceil(ask * 1.05 * 100 - 1e-9) / 100).toFixed(2)],
      ['stop', (Math.floor(ask * 0.98 * 100 + 1e-9) / 100).toFixed(2)],
    ]);
    await rig.step(8);
    const after = rig.snapshot();
    expect(after.orders.filter((order) => order.parentId === entry.id).map((leg) => leg.status)).toEqual(['canceled', 'canceled']);
    expect(after.fills.at(-1)).toMatchObject({ side: 'sell', qty: '5' });
    expect(after.portfolio.positions).toEqual([]);
  });

  it('refuses a stop_loss given as a percent, saying it is a fraction', async () => {
    const error = await createEngine({ strategy: 'sma-crossover', strategyParams: { stop_loss: 2 } }).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('invalid params for sma-crossover: stopLoss: stop_loss is a fraction of the entry price, e.g. 0.02 for 2% below it');
  });

  it('rsi-reversion takes position_size too', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), ...path(10, 0, 0)], { strategy: 'rsi-reversion', strategyParams: { period: 3, position_size: 7 } });
    await rig.step(11);
    expect(rig.snapshot().fills[0]).toMatchObject({ side: 'buy', qty: '7' });
  });
});
