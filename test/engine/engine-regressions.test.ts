// Regressions found in review: each test is named after what broke.
import { describe, expect, it } from 'vitest';
import { createEngine, defineStrategy, z, type Clock } from '../../src/engine/index.ts';
import { bar, cryptoQuote, engineRig, MINUTE, quote, SECOND, T0, trade } from '../helpers/engine-rig.ts';

describe('listeners cannot corrupt the executor', () => {
  it('a fill listener that buys more cannot take more than the size shown', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01, 5, 5)]);
    await rig.step();
    let placed = false;
    rig.engine.on('fill', () => {
      if (placed) return;
      placed = true;
      void rig.engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '300' });
    });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 300 });
    const filled = rig.snapshot().fills.reduce((sum, fill) => sum + Number(fill.qty), 0);
    expect(filled).toBe(500);
    expect(rig.fillLines()).toEqual(['o-1 buy 300 AAPL @ 100.01 = 30003.00 fee 0.00', 'o-2 buy 200 AAPL @ 100.01 = 20002.00 fee 0.00']);
  });

  it('an order listener that cancels an accepted order cannot have it fill after the cancel', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01)]);
    await rig.step();
    const outcomes: boolean[] = [];
    rig.engine.on('order', (order) => {
      if (order.status === 'accepted') outcomes.push(rig.engine.cancelOrder(order.id).ok);
    });
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    // The listener hears of the order once the executor is done with it: already filled.
    expect(outcomes).toEqual([false]);
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', reason: null });
    expect(rig.snapshot().portfolio.cash).toBe('89999.00');
  });

  it('a listener that throws becomes an error event, and placeOrder still returns', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01)]);
    await rig.step();
    const errors: string[] = [];
    rig.engine.on('error', (entry) => errors.push(entry.message));
    rig.engine.on('fill', () => {
      throw new Error('listener bug');
    });
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(order.status).toBe('filled');
    expect(errors).toEqual(['a listener of "fill" threw: listener bug']);
  });
});

describe('stopping and starting', () => {
  it('stop() from a listener ends the replay: no later event fills anything', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01), quote('AAPL', T0 + SECOND, 97, 97.01), quote('AAPL', T0 + 2 * SECOND, 95, 95.01)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'limit', limitPrice: '97.01', timeInForce: 'gtc' });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'limit', limitPrice: '95.01', timeInForce: 'gtc' });
    rig.engine.on('fill', () => void rig.engine.stop());
    await rig.engine.replay.runToEnd();
    expect(rig.fillLines()).toEqual(['o-1 buy 100 AAPL @ 97.01 = 9701.00 fee 0.00']);
    expect(rig.snapshot()).toMatchObject({ status: 'stopped' });
  });

  it('rejects orders on a stopped engine instead of filling them at the last quote', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01)]);
    await rig.step();
    await rig.engine.stop();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    expect(order).toMatchObject({ status: 'rejected', reason: 'the engine is stopped: start it again to trade' });
    expect(rig.fills()).toEqual([]);
  });

  it('a strategy runs again after stop() and start(), and its onStop ran once', async () => {
    const calls: string[] = [];
    const probe = defineStrategy({
      name: 'probe',
      description: 'records its lifecycle',
      params: z.object({}),
      create: () => ({ onStart: () => void calls.push('start'), onStop: () => void calls.push('stop'), onQuote: () => void calls.push('quote') }),
    });
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01), quote('AAPL', T0 + SECOND, 100, 100.01)], { strategies: [probe], strategy: 'probe' });
    await rig.step();
    await rig.engine.stop();
    await rig.engine.start();
    await rig.step();
    rig.engine.setStrategy('buy-and-hold');
    expect(calls).toEqual(['start', 'quote', 'stop', 'start', 'quote', 'stop']);
  });
});

describe('stops and stale prints', () => {
  it('a trade from long ago does not trigger a stop on arrival', async () => {
    const rig = await engineRig([trade('AAPL', T0, 105), quote('AAPL', T0 + 30 * MINUTE, 100, 100.01)]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '104' });
    expect(order).toMatchObject({ status: 'accepted', triggered: false, filledQty: '0' });
  });

  it('a trade delivered late neither replaces the last trade nor triggers a stop', async () => {
    const rig = await engineRig([quote('AAPL', T0 + 5 * SECOND, 100, 100.01), trade('AAPL', T0 + 5 * SECOND, 100), trade('AAPL', T0 - 30 * SECOND, 106)]);
    await rig.step(2);
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '105', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'accepted', triggered: false });
    expect(rig.snapshot().quotes[0]?.last).toBe('100.00');
  });

  it('a buy stop on a bars-only symbol fills no better than its stop', async () => {
    const rig = await engineRig([bar('AAPL', T0, 100, 100.5, 99.5, 100), bar('AAPL', T0 + MINUTE, 100, 102, 98, 99)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop', stopPrice: '101', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 101.00 = 1010.00 fee 0.00']);
  });
});

describe('cash-limited fills', () => {
  it('a fractional buy with percent fees shrinks to what the cash affords instead of canceling', async () => {
    const rig = await engineRig([cryptoQuote('BTC-USD', T0, 96_990, 97_000, 1, 1), cryptoQuote('BTC-USD', T0 + SECOND, 99_990, 100_000, 1, 1)], {
      startingCash: '9800',
      fees: { kind: 'percent', percent: '0.1' },
    });
    await rig.step();
    const order = await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.1', type: 'stop', stopPrice: '97500', timeInForce: 'gtc' });
    expect(order.status).toBe('accepted'); // holds 0.1 × 97,500 + fee = $9,759.75
    await rig.step(); // gaps to 100,000: 0.1 would cost $10,010.00
    const [fill] = rig.fills();
    // The most 0.0979 BTC and change that $9,800 buys with its 0.1% fee, to the nano.
    expect(fill).toMatchObject({ price: '100000.00', notional: '9790.21', fee: '9.79' });
    expect(Number(fill!.qty)).toBeGreaterThan(0.0979);
    expect(rig.order(order.id)).toMatchObject({ status: 'canceled', reason: 'not enough cash to fill the rest at 100000.00: $9,800.00 was available' });
    expect(rig.snapshot().portfolio.cash).toBe('0.00');
  });
});

describe('timers outside market events', () => {
  it('a strategy hears of a day order expiring on the live clock at once', async () => {
    let now = Date.parse('2026-11-03T20:59:00Z');
    const timers: { at: number; fn: () => void }[] = [];
    const clock: Clock = { now: () => now, setTimer: (at, fn) => (timers.push({ at, fn }), { cancel: () => {} }) };
    const seen: string[] = [];
    const watcher = defineStrategy({
      name: 'watcher',
      description: 'places one far limit and watches it',
      params: z.object({}),
      create: () => ({
        onStart: (ctx) => void ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '1' }),
        onOrder: (order) => void seen.push(`${order.id} ${order.status}`),
      }),
    });
    const engine = await createEngine({ symbols: ['AAPL'], clock, market: { kind: 'simulated', quoteIntervalMs: 3_600_000 }, strategies: [watcher] });
    await engine.start();
    engine.setStrategy('watcher');
    now = Date.parse('2026-11-03T21:00:00Z');
    for (const timer of timers.filter((t) => t.at === now)) timer.fn();
    expect(seen).toEqual(['o-1 accepted', 'o-1 expired']);
    await engine.stop();
  });
});

describe('strategies that misbehave', () => {
  it('a strategy that places an order for every order it hears of is stopped after 1000, in one event', async () => {
    const runaway = defineStrategy({
      name: 'runaway',
      description: 'orders on every order update',
      params: z.object({}),
      create: () => ({
        onQuote: (q, ctx) => void ctx.placeOrder({ symbol: q.symbol, side: 'buy', qty: '1', type: 'limit', limitPrice: '1', timeInForce: 'gtc' }),
        onOrder: (_order, ctx) => void ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '1', timeInForce: 'gtc' }),
      }),
    });
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01)], { strategies: [runaway], strategy: 'runaway' });
    const errors: string[] = [];
    rig.engine.on('error', (entry) => errors.push(entry.message));
    await rig.step();
    const { orders, strategy } = rig.snapshot();
    expect(strategy).toBeNull();
    expect(errors).toContain('strategy runaway placed more than 1000 orders for one market event; it was stopped');
    expect(orders.filter((order) => order.status === 'accepted')).toHaveLength(0); // the stopped strategy's orders were canceled
    expect(orders.length).toBeLessThanOrEqual(1002);
  });

  it("a strategy cannot cancel the trader's own orders", async () => {
    let result: boolean | undefined;
    const meddler = defineStrategy({
      name: 'meddler',
      description: 'tries to cancel o-1',
      params: z.object({}),
      create: () => ({ onQuote: (_q, ctx) => void (result = ctx.cancelOrder('o-1')) }),
    });
    const rig = await engineRig([quote('AAPL', T0, 100, 100.01), quote('AAPL', T0 + SECOND, 100, 100.01)], { strategies: [meddler] });
    await rig.step();
    const mine = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '90', timeInForce: 'gtc' });
    rig.engine.setStrategy('meddler');
    await rig.step();
    expect(result).toBe(false);
    expect(rig.order(mine.id).status).toBe('accepted');
  });
});
