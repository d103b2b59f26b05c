import { describe, expect, it } from 'vitest';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

describe('slippage', () => {
  it('moves a market buy above the ask and a market sell below the bid by the basis points', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { slippageBps: 10 });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(rig.fillLines()).toEqual([
      'o-1 buy 10 AAPL @ 100.12002 = 1001.20 fee 0.00', // 100.02 + 0.1%; 1001.2002 rounds to the cent
      'o-2 sell 10 AAPL @ 99.90 = 999.00 fee 0.00',
    ]);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '99997.80', realizedPnl: '-2.20' });
  });

  it('takes fractional basis points', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { slippageBps: 2.5 });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    expect(rig.fills()).toMatchObject([{ price: '100.045005', notional: '10004.50' }]);
  });

  it('applies to a triggered stop, which fills as a market order', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100.98, 101)], { slippageBps: 10 });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '101' });
    await rig.step();
    expect(rig.fills()).toMatchObject([{ price: '101.101', notional: '1011.01' }]);
  });

  it('never applies to limit or stop-limit fills: they fill at the quote or at their limit', async () => {
    const rig = await engineRig(
      [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100.98, 101), quote('AAPL', T0 + 2 * SECOND, 99.9, 99.98)],
      { slippageBps: 10 },
    );
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '100.10' });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '101', limitPrice: '101.05' });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.99' });
    await rig.step(2);
    expect(rig.fillLines()).toEqual([
      'o-1 buy 10 AAPL @ 100.02 = 1000.20 fee 0.00',
      'o-2 buy 10 AAPL @ 101.00 = 1010.00 fee 0.00',
      'o-3 buy 10 AAPL @ 99.99 = 999.90 fee 0.00',
    ]);
  });
});

describe('fees', () => {
  it('charges nothing with the default zero fee model', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '98999.80', fees: '0.00' });
  });

  it('charges a per-share fee with its minimum once per order, however many partial fills', async () => {
    const rig = await engineRig(
      [
        quote('AAPL', T0, 100, 100.02, 5, 3),
        quote('AAPL', T0 + SECOND, 100, 100.02, 5, 3),
        quote('AAPL', T0 + 2 * SECOND, 100, 100.02, 5, 5),
      ],
      { fees: { kind: 'per_share', perShare: '0.002', minimum: '1.00' } },
    );
    await rig.step();
    const big = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 800 });
    await rig.step(2);
    const small = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });

    // 300 shares owe 0.60, below the 1.00 minimum; then the order's running total is charged: 1.20, 1.60.
    expect(rig.fillLines()).toEqual([
      'o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 1.00',
      'o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.20',
      'o-1 buy 200 AAPL @ 100.02 = 20004.00 fee 0.40',
      'o-2 buy 100 AAPL @ 100.02 = 10002.00 fee 1.00',
    ]);
    expect(rig.order(big.id)).toMatchObject({ status: 'filled', fees: '1.60' });
    expect(rig.order(small.id)).toMatchObject({ status: 'filled', fees: '1.00' });
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '9979.40', fees: '2.60' });
  });

  it('charges the per-share minimum only once when it covers every partial fill', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 5, 1), quote('AAPL', T0 + SECOND, 100, 100.02, 5, 1)], {
      fees: { kind: 'per_share', perShare: '0.005', minimum: '1.00' },
    });
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200 });
    await rig.step();
    expect(rig.fills().map((fill) => fill.fee)).toEqual(['1.00', '0.00']);
    expect(rig.order(order.id).fees).toBe('1.00');
  });

  it('charges sells too, from the proceeds', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { fees: { kind: 'per_share', perShare: '0.01', minimum: '1.00' } });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.02 = 1000.20 fee 1.00', 'o-2 sell 10 AAPL @ 100.00 = 1000.00 fee 1.00']);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '99997.80', realizedPnl: '-0.20', fees: '2.00' });
  });

  it('rounds a per-share fee to the cent half away from zero', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { fees: { kind: 'per_share', perShare: '0.005' } });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 }); // 0.005 → 0.01
    expect(rig.fills()).toMatchObject([{ fee: '0.01' }]);
  });

  it('charges a percent of notional, rounded to the cent half away from zero', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.1)], { fees: { kind: 'percent', percent: '0.5' } });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 }); // 0.5% of 1001.00 = 5.005 → 5.01
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 }); // 0.5% of 1000.00 = 5.00
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.10 = 1001.00 fee 5.01', 'o-2 sell 10 AAPL @ 100.00 = 1000.00 fee 5.00']);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '99988.99', fees: '10.01', realizedPnl: '-1.00' });
  });
});

describe('rounding of notionals', () => {
  it('rounds each fill notional to the cent half away from zero', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01), quote('AAPL', T0 + SECOND, 100.05, 100.07)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: '0.5' }); // 50.005 → 50.01
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: '0.5' }); // 50.025 → 50.03
    expect(rig.fillLines()).toEqual(['o-1 buy 0.5 AAPL @ 100.01 = 50.01 fee 0.00', 'o-2 sell 0.5 AAPL @ 100.05 = 50.03 fee 0.00']);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '100000.02', realizedPnl: '0.02', positions: [] });
  });
});

describe('fee and slippage configuration', () => {
  it('rejects a bad fee or slippage setting with one clear line', async () => {
    await expect(engineRig([quote('AAPL', T0, 100, 100.02)], { fees: { kind: 'per_share', perShare: '-1' } })).rejects.toThrow(
      'fee perShare must be a number >= 0 with at most 6 decimals, got "-1"',
    );
    await expect(engineRig([quote('AAPL', T0, 100, 100.02)], { slippageBps: 0.001 })).rejects.toThrow(
      'slippage must be 0 to 1000 basis points with at most 2 decimals, got 0.001',
    );
    // 100% slippage would sell at zero and leave the order waiting forever.
    await expect(engineRig([quote('AAPL', T0, 100, 100.02)], { slippageBps: 10_000 })).rejects.toThrow(
      'slippage must be 0 to 1000 basis points with at most 2 decimals, got 10000',
    );
    await expect(engineRig([quote('AAPL', T0, 100, 100.02)], { fees: { kind: 'flat' } as never })).rejects.toThrow(
      'fees kind must be zero, per_share or percent, got "flat"',
    );
  });

  it('takes slippage with two decimals exactly, where float arithmetic would refuse it', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { slippageBps: 0.29 });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(rig.fills()[0]?.price).toBe('100.022901'); // 100.02 × (1 + 0.0029%)
  });
});
