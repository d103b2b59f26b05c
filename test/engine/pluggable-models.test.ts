import { describe, expect, it } from 'vitest';
import { defaultFillModel, type FeeModel, type FillModel, type SlippageModel } from '../../src/engine/index.ts';
import { engineRig, quote, T0 } from '../helpers/engine-rig.ts';

describe('pluggable fill, fee and slippage models', () => {
  it('fills at the midpoint with a fill model of your own', async () => {
    const midpoint: FillModel = {
      ...defaultFillModel,
      onQuote: (order, q) => {
        const opportunity = defaultFillModel.onQuote(order, q);
        return opportunity && { ...opportunity, price: (q.bid + q.ask) / 2n };
      },
    };
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { fillModel: midpoint });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.01 = 1000.10 fee 0.00']);
  });

  it('charges a flat fee per order with a fee model of your own, once over partial fills', async () => {
    const flatPerOrder: FeeModel = { cumulativeFee: (qty) => (qty > 0n ? 250n : 0n) };
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 1), quote('AAPL', T0 + 1000, 100, 100.02, 5, 5)], { fees: flatPerOrder });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 150 });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 100 AAPL @ 100.02 = 10002.00 fee 2.50', 'o-1 buy 50 AAPL @ 100.02 = 5001.00 fee 0.00']);
    expect(rig.snapshot().portfolio.fees).toBe('2.50');
  });

  it('moves market fills by a slippage model of your own', async () => {
    const oneTick: SlippageModel = { apply: (price, side) => (side === 'buy' ? price + 10_000n : price - 10_000n) };
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { slippageModel: oneTick });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(rig.fillLines()).toEqual(['o-1 buy 1 AAPL @ 100.03 = 100.03 fee 0.00']);
  });
});
