// Risk limits, checked before an order is accepted and saying why when they refuse: the max
// position value per symbol, the max order notional, the max open orders, the daily loss limit
// (which stops the strategy and refuses opening orders for the rest of the day) and the kill
// switch. An order that only closes a position is always taken.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy, EngineInputError } from '../../src/engine/index.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const at = (n: number): number => T0 + n * SECOND;
const DAY = 86_400_000;

describe('risk limits', () => {
  it('refuse an order that opens a position worth more than the max order notional; a closing sell is taken', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)], { riskLimits: { maxOrderNotional: '10000' } });
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 99 })).toMatchObject({ status: 'filled' });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 })).toMatchObject({
      status: 'rejected',
      reason: "this order is worth $10,002.00 (100 AAPL at about 100.02), over the account's max order notional of $10,000.00",
    });
    // Closing what is held is always taken: a trader can flatten in one order.
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 90, type: 'limit', limitPrice: '120', timeInForce: 'gtc' })).toMatchObject({ status: 'accepted' });
  });

  it('count the position and the working buys against the max position value per symbol', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)], { riskLimits: { maxPositionValue: 10_000 } });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 50 });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 30, type: 'limit', limitPrice: '99', timeInForce: 'gtc' });
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 30, type: 'limit', limitPrice: '99', timeInForce: 'gtc' })).reason).toBe(
      "AAPL would be worth $10,890.00 with this order (110 at about 99.00), over the account's max position value of $10,000.00 per symbol",
    );
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 20, type: 'limit', limitPrice: '99', timeInForce: 'gtc' })).toMatchObject({ status: 'accepted' });
    // A replace that raises a buy is checked the same way, its own rest left out of the count.
    // 50 held, o-4's 20, and o-2's new 32: 102 at 99.00.
    expect(rig.engine.replaceOrder('o-2', { qty: 32 })).toMatchObject({ ok: false, error: expect.stringMatching(/^AAPL would be worth \$10,098\.00/) });
    expect(rig.engine.replaceOrder('o-2', { qty: 31 })).toMatchObject({ ok: true });
  });

  it('refuse an order past the max open orders, counting a bracket with its legs', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)], { riskLimits: { maxOpenOrders: 3 } });
    await rig.step();
    const resting = { symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '90', timeInForce: 'gtc' } as const;
    await rig.place(resting);
    const bracket = await rig.place({ ...resting, orderClass: 'bracket', takeProfit: { limitPrice: '95' }, stopLoss: { stopPrice: '85' } });
    expect(bracket.reason).toBe("1 orders are open and this one adds 3: the account's max open orders is 3 (cancel one first)");
    await rig.place(resting);
    await rig.place(resting);
    expect((await rig.place(resting)).reason).toBe("3 orders are open and this one adds 1: the account's max open orders is 3 (cancel one first)");
  });

  it('take their defaults from the config unless the account set its own; off turns one off; a bad one changes nothing', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)], { riskDefaults: { maxOrderNotional: '1000', maxOpenOrders: '5' }, riskLimits: { maxOpenOrders: 'off' } });
    await rig.step();
    expect(rig.engine.risk().limits).toEqual({ maxPositionValue: null, maxOrderNotional: '1000.00', maxOpenOrders: null, dailyLossLimit: null });
    expect(() => rig.engine.setRiskLimits({ maxOrderNotional: '5000', dailyLossLimit: '-3' })).toThrow(
      new EngineInputError('risk limit daily_loss_limit must be an amount in dollars above 0 such as 1000, or off, got "-3"'),
    );
    expect(() => rig.engine.setRiskLimits({ maxOrderNotionl: '5000' } as never)).toThrow(/^unknown risk limit "maxOrderNotionl" \(did you mean max_order_notional\?\): the limits are max_position_value, max_order_notional, max_open_orders, daily_loss_limit$/);
    expect(rig.engine.risk().limits.maxOrderNotional).toBe('1000.00');
    expect(rig.engine.setRiskLimits({ maxOrderNotional: '$5,000' }).limits.maxOrderNotional).toBe('5000.00');
  });
});

describe('the daily loss limit', () => {
  // Buys 100 on its first quote, then keeps buying 1 on each quote.
  const eager = defineStrategy({
    name: 'eager',
    description: 'buys on every quote',
    params: z.object({}).strict(),
    create: () => ({
      onQuote(quote, ctx) {
        const order = ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: ctx.position(quote.symbol) === 0n ? 100 : 1 });
        if (order.status === 'rejected') ctx.log(`refused: ${order.reason}`);
      },
    }),
  });

  it('hit by a strategy: stops it, refuses opening orders for the rest of the day, still takes closing ones, and lifts the next day', async () => {
    const rig = await engineRig(
      [
        quote('AAPL', at(0), 100, 100.02),
        // Marked at the mid, 100 shares bought at 100.02 lose 100 × (95.51 − 100.02) = 451.00.
        quote('AAPL', at(1), 95.5, 95.52),
        quote('AAPL', at(2), 95, 95.02),
        quote('AAPL', T0 + DAY, 95, 95.02),
      ],
      { strategies: [eager], riskLimits: { dailyLossLimit: '400' } },
    );
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    rig.engine.setStrategy('eager');
    await rig.step(2);
    expect(rig.snapshot().strategy).toBeNull();
    const risk = rig.engine.risk();
    expect(risk.halted).toBe("the day's loss of $451.00 reached the daily loss limit of $400.00");
    expect(risk.dayPnl).toBe('-451.00');
    // The strategy's buy of 1 on the same quote came after the halt.
    expect(logged).toContain("eager: refused: trading is halted for the day: the day's loss of $451.00 reached the daily loss limit of $400.00; orders that close a position are still taken");
    expect(logged).toContain(
      "daily loss limit hit: the day's loss of $451.00 reached the daily loss limit of $400.00; orders that open positions are refused until tomorrow, and strategy eager is stopped (orders that close positions are still taken)",
    );
    await rig.step();
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 })).reason).toBe(
      "trading is halted for the day: the day's loss of $451.00 reached the daily loss limit of $400.00; orders that close a position are still taken",
    );
    expect(() => rig.engine.setStrategy('eager')).toThrow(/^trading is halted for the day/);
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 50 })).toMatchObject({ status: 'filled' });

    await rig.step();
    expect(rig.engine.risk()).toMatchObject({ halted: null, dayPnl: '0.00' });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 })).toMatchObject({ status: 'filled' });
  });
});

describe('the kill switch', () => {
  it('cancels every order, legs included, stops the strategy, and refuses opening orders until released', async () => {
    const idle = defineStrategy({ name: 'idle', description: 'does nothing', params: z.object({}).strict(), create: () => ({}) });
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)], { strategies: [idle] });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99', timeInForce: 'gtc', orderClass: 'bracket', takeProfit: { limitPrice: '105' }, stopLoss: { stopPrice: '95' } });
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'limit', limitPrice: '110', timeInForce: 'gtc' });
    rig.engine.setStrategy('idle');
    expect(rig.engine.engageKillSwitch()).toEqual({ canceled: 4 });
    expect(rig.snapshot().orders.filter((o) => o.status !== 'filled').map((o) => `${o.id} ${o.status}`)).toEqual(['o-2 canceled', 'o-3 canceled', 'o-4 canceled', 'o-5 canceled']);
    expect(rig.snapshot()).toMatchObject({ strategy: null, risk: { killSwitch: true } });
    expect((await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 })).reason).toBe(
      'the kill switch is on: no order that opens a position is taken until it is released (orders that close one still are)',
    );
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).toMatchObject({ status: 'filled' });
    rig.engine.releaseKillSwitch();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 })).toMatchObject({ status: 'filled' });
  });
});

describe('risk settings across a restart', () => {
  const accounts = accountRigs();
  it('keep the limits, the kill switch and a halted day', async () => {
    const first = await accounts.open([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 90, 90.02)], { riskLimits: { maxOrderNotional: '50000', dailyLossLimit: '500' } });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await first.step();
    expect(first.engine.risk().halted).toMatch(/^the day's loss of \$1,001\.00/);
    first.engine.engageKillSwitch();
    await accounts.close(first);

    const second = await accounts.open([quote('AAPL', at(2), 90, 90.02)]);
    await second.step();
    expect(second.engine.risk()).toMatchObject({
      limits: { maxOrderNotional: '50000.00', dailyLossLimit: '500.00' },
      killSwitch: true,
      halted: expect.stringMatching(/^the day's loss of \$1,001\.00/),
    });
    second.engine.releaseKillSwitch();
    expect((await second.place({ symbol: 'AAPL', side: 'buy', qty: 1 })).reason).toMatch(/^trading is halted for the day/);
  });
});
