// Replacing a working order: its qty (the new whole qty, fills included), limit, stop or trail
// change in place. What already filled stays counted exactly, the cash or shares it holds follow
// the new rest, a new price meets the market again, and a refusal leaves the order as it was.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy, type OrderChanges } from '../../src/engine/index.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const at = (n: number): number => T0 + n * SECOND;

describe('replacing an order', () => {
  it('after a partial fill: the new qty counts what filled, holds cash for the rest only, and the rest fills to the new qty', async () => {
    // 300 shares offered at 100.02, then 500 more.
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02, 5, 3), quote('AAPL', at(1), 100, 100.02, 5, 5)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, type: 'limit', limitPrice: '100.02', timeInForce: 'gtc' });
    expect(order).toMatchObject({ status: 'partially_filled', filledQty: '300' });
    // 300 cost 30,006.00; the other 200 hold 20,004.00.
    expect(rig.snapshot().portfolio.buyingPower).toBe('49990.00');

    const replaced = rig.engine.replaceOrder(order.id, { qty: 400 });
    expect(replaced).toMatchObject({ ok: true, order: { id: order.id, qty: '400', filledQty: '300', status: 'partially_filled' } });
    expect(rig.snapshot().portfolio.buyingPower).toBe('59992.00');

    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ status: 'filled', qty: '400', filledQty: '400', avgFillPrice: '100.02' });
    expect(rig.fillLines()).toEqual(['o-1 buy 300 AAPL @ 100.02 = 30006.00 fee 0.00', 'o-1 buy 100 AAPL @ 100.02 = 10002.00 fee 0.00']);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '59992.00', buyingPower: '59992.00' });
  });

  it('refuses a qty at or below what already filled, and leaves the order as it was', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02, 5, 3)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500, type: 'limit', limitPrice: '100.02', timeInForce: 'gtc' });
    expect(rig.engine.replaceOrder(order.id, { qty: '300' })).toEqual({ ok: false, error: 'qty 300 must be above the 300 already filled' });
    expect(rig.order(order.id)).toMatchObject({ qty: '500', filledQty: '300', status: 'partially_filled' });
  });

  it('a new limit meets the market again: a resting buy raised to the ask fills there at once', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99.50', timeInForce: 'gtc' });
    expect(order.status).toBe('accepted');
    const replaced = rig.engine.replaceOrder(order.id, { limit_price: '100.05' });
    expect(replaced).toMatchObject({ ok: true, order: { status: 'filled', limitPrice: '100.05', avgFillPrice: '100.02' } });
  });

  it('a triggered stop-limit takes a new qty with its stop sent again unchanged, and refuses a new stop', async () => {
    // The ask reaches the 100.10 stop, but is above the 100.05 limit: it rests as a limit.
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 100.1, 100.12)]);
    await rig.step();
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'stop_limit', stopPrice: '100.10', limitPrice: '100.05', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ triggered: true, status: 'accepted' });
    // What the order ticket sends: every field of the order, the qty changed.
    expect(rig.engine.replaceOrder(order.id, { qty: '20', stopPrice: '100.10', limitPrice: '100.05' })).toMatchObject({ ok: true, order: { qty: '20', stopPrice: '100.10' } });
    expect(rig.engine.replaceOrder(order.id, { stopPrice: '100.20' })).toEqual({ ok: false, error: `order ${order.id}'s stop has already triggered: its stop can no longer change` });
    expect(rig.order(order.id)).toMatchObject({ qty: '20', stopPrice: '100.10', limitPrice: '100.05' });
  });

  it("a trailing stop's new trail moves its stop from the same high-water mark", async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 104, 104.02)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const order = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'trailing_stop', trailPrice: '2', timeInForce: 'gtc' });
    await rig.step();
    expect(rig.order(order.id)).toMatchObject({ hwm: '104.00', stopPrice: '102.00' });
    expect(rig.engine.replaceOrder(order.id, { trailPercent: '1' })).toMatchObject({ ok: true, order: { hwm: '104.00', stopPrice: '102.96', trailPrice: null, trailPercent: '1' } });
    expect(rig.engine.replaceOrder(order.id, { stopPrice: '103' })).toEqual({
      ok: false,
      error: 'a trailing-stop order takes no stop price (got "103"): its stop follows the market by its trail',
    });
  });

  it('refuses what the account cannot do, what a replace cannot change, and orders that are not working, each saying why', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)]);
    await rig.step();
    const resting = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '90', timeInForce: 'gtc' });
    const filled = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const sell = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'limit', limitPrice: '200', timeInForce: 'gtc' });
    // Programs may pass anything: fields a replace cannot change are refused by name.
    const replace = (id: string, changes: Record<string, unknown>) => rig.engine.replaceOrder(id, changes as OrderChanges);
    expect(replace(resting.id, { qty: 2000 })).toEqual({ ok: false, error: 'not enough cash: buying 2000 AAPL at about 90.00 needs $180,000.00, $98,999.80 available' });
    expect(replace(sell.id, { qty: 11 })).toEqual({ ok: false, error: 'cannot sell 11 AAPL: 10 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)' });
    expect(replace(resting.id, { side: 'sell' })).toEqual({ ok: false, error: 'a replace changes qty, limit price, stop price or trail; cancel the order and place a new one to change anything else' });
    expect(replace(resting.id, {})).toEqual({ ok: false, error: 'nothing to replace: give a new qty, limit price, stop price or trail' });
    expect(replace(resting.id, { limitPrice: '90.001' })).toEqual({ ok: false, error: 'limit price 90.001 is not a multiple of the 0.01 tick for AAPL' });
    expect(replace(filled.id, { qty: 20 })).toEqual({ ok: false, error: `order ${filled.id} is already filled: only a working order can be replaced` });
    expect(replace('o-99', { qty: 1 })).toEqual({ ok: false, error: 'no order with id "o-99"' });
    expect(rig.order(resting.id)).toMatchObject({ qty: '10', limitPrice: '90.00', status: 'accepted' });
  });
});

describe('a strategy replacing its orders', () => {
  // Bids a cent under the ask, and moves its bid up with the ask; it may not touch the trader's order.
  const chaser = defineStrategy({
    name: 'chaser',
    description: 'bids under the ask and follows it up',
    params: z.object({}).strict(),
    create: () => {
      let bid: string | undefined;
      return {
        onQuote(quote, ctx) {
          const price = ((Number(quote.ask) / 1e6) - 0.01).toFixed(2);
          if (bid === undefined) {
            bid = ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: 5, type: 'limit', limitPrice: price, timeInForce: 'gtc' }).id;
            return;
          }
          const moved = ctx.replaceOrder(bid, { limitPrice: price });
          ctx.log(moved.ok ? `bid ${moved.order.limitPrice}` : moved.error);
          const theirs = ctx.replaceOrder('o-1', { qty: 1 });
          if (!theirs.ok) ctx.log(theirs.error);
        },
      };
    },
  });

  it("moves its own order's limit, and is refused the trader's order", async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 100.1, 100.12), quote('AAPL', at(2), 100.2, 100.22)], { strategies: [chaser] });
    await rig.step();
    const mine = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '90', timeInForce: 'gtc' });
    expect(mine.id).toBe('o-1');
    rig.engine.setStrategy('chaser');
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step(2);
    expect(rig.snapshot().orders.find((o) => o.source === 'strategy:chaser')).toMatchObject({ limitPrice: '100.21', status: 'accepted' });
    expect(logged).toEqual(expect.arrayContaining(['chaser: bid 100.21', 'chaser: no order of strategy chaser has the id "o-1"']));
    expect(rig.order('o-1')).toMatchObject({ qty: '1', limitPrice: '90.00' });
  });
});

describe('a replaced order across a restart', () => {
  const accounts = accountRigs();
  it('comes back with its new qty and limit, holding cash for its rest', async () => {
    const quotes = [quote('AAPL', at(0), 100, 100.02)];
    const first = await accounts.open(quotes);
    await first.step();
    const order = await first.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '90', timeInForce: 'gtc' });
    expect(first.engine.replaceOrder(order.id, { qty: 20, limitPrice: '95' }).ok).toBe(true);
    await accounts.close(first);
    const second = await accounts.open(quotes);
    expect(second.order(order.id)).toMatchObject({ qty: '20', limitPrice: '95.00', status: 'accepted' });
    expect(second.snapshot().portfolio.buyingPower).toBe('98100.00');
  });
});
