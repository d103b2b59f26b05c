// Brackets, ocos and otos: an entry whose fills release a take-profit and a stop-loss that cancel
// each other. The legs exit exactly what the entry filled, a fill of one leg takes that much off
// the other, and the pair holds the shares once. Prices are in the rig's lots of 100 shares.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy, type OrderRequest } from '../../src/engine/index.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0, type EngineRig } from '../helpers/engine-rig.ts';

const at = (n: number): number => T0 + n * SECOND;

const bracket = (fields: Partial<OrderRequest> = {}): OrderRequest => ({
  symbol: 'AAPL', side: 'buy', qty: 10, orderClass: 'bracket', takeProfit: { limitPrice: '101' }, stopLoss: { stopPrice: '99' }, timeInForce: 'gtc', ...fields,
});

/** Each order as "id status filled/qty". */
const states = (rig: EngineRig, ...ids: string[]): string[] => ids.map((id) => {
  const order = rig.order(id);
  return `${id} ${order.status} ${order.filledQty}/${order.qty}`;
});

describe('a bracket order', () => {
  it('fills its entry, releases both legs, and the take-profit filling cancels the stop-loss', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 101, 101.02)]);
    await rig.step();
    const entry = await rig.place(bracket());
    expect(entry).toMatchObject({ orderClass: 'bracket', legIds: ['o-2', 'o-3'], status: 'filled', avgFillPrice: '100.02' });
    expect(rig.order('o-2')).toMatchObject({ parentId: 'o-1', side: 'sell', type: 'limit', limitPrice: '101.00', status: 'accepted', qty: '10' });
    expect(rig.order('o-3')).toMatchObject({ parentId: 'o-1', side: 'sell', type: 'stop', stopPrice: '99.00', status: 'accepted', qty: '10' });
    // The pair holds the 10 shares once: none are free to sell.
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 1 })).toMatchObject({ status: 'rejected', reason: 'cannot sell 1 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)' });

    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 filled 10/10', 'o-3 canceled 0/10']);
    expect(rig.order('o-3').reason).toBe('oco: o-2 filled');
    // Bought at 100.02, sold at 101.00: 9.80 made.
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '100009.80', realizedPnl: '9.80', positions: [] });
  });

  it('the stop-loss filling cancels the take-profit', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 98.9, 98.92)]);
    await rig.step();
    await rig.place(bracket());
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 canceled 0/10', 'o-3 filled 10/10']);
    expect(rig.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.02 = 1000.20 fee 0.00', 'o-3 sell 10 AAPL @ 98.90 = 989.00 fee 0.00']);
  });

  it('holds its legs until the entry fills, and sizes them to each partial fill of the entry', async () => {
    const rig = await engineRig([
      quote('AAPL', at(0), 99.9, 100.1),
      // 300 of the 500 fill at the 100.02 limit, then the other 200.
      quote('AAPL', at(1), 100, 100.02, 5, 3),
      quote('AAPL', at(2), 100, 100.02, 5, 5),
      // The take-profit's bid shows 200, then 500.
      quote('AAPL', at(3), 101, 101.02, 2, 5),
      quote('AAPL', at(4), 101, 101.02, 5, 5),
    ]);
    await rig.step();
    await rig.place(bracket({ qty: 500, type: 'limit', limitPrice: '100.02' }));
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 accepted 0/500', 'o-2 held 0/500', 'o-3 held 0/500']);
    await rig.step();
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 partially_filled 300/500', 'o-2 accepted 0/300', 'o-3 accepted 0/300']);
    await rig.step();
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 filled 500/500', 'o-2 accepted 0/500', 'o-3 accepted 0/500']);
    await rig.step();
    // 200 of the take-profit filled: the stop-loss now covers the other 300 only.
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 partially_filled 200/500', 'o-3 accepted 0/300']);
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 filled 500/500', 'o-3 canceled 0/300']);
    expect(rig.snapshot().portfolio.positions).toEqual([]);
  });

  it('a take-profit that exits everything filled so far waits for the rest of the entry, and the stop-loss covers it', async () => {
    const rig = await engineRig([
      quote('AAPL', at(0), 99.9, 100.1),
      quote('AAPL', at(1), 100, 100.02, 5, 3),
      quote('AAPL', at(2), 101, 101.02),
      quote('AAPL', at(3), 100, 100.02),
      quote('AAPL', at(4), 98.5, 98.52),
    ]);
    await rig.step();
    await rig.place(bracket({ qty: 500, type: 'limit', limitPrice: '100.02' }));
    await rig.step(2);
    // The take-profit sold the 300 bought; the entry still works, so it is not done.
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 partially_filled 300/500', 'o-2 partially_filled 300/300', 'o-3 accepted 0/0']);
    await rig.step();
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 filled 500/500', 'o-2 partially_filled 300/500', 'o-3 accepted 0/200']);
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 canceled 300/500', 'o-3 filled 200/200']);
    expect(rig.snapshot().portfolio.positions).toEqual([]);
    // 300 × (101.00 − 100.02) + 200 × (98.50 − 100.02) = 294.00 − 304.00.
    expect(rig.snapshot().portfolio.realizedPnl).toBe('-10.00');
  });

  it('a stop-loss with nothing left to exit does not trigger while the entry works, so it never sells later at market', async () => {
    const rig = await engineRig([
      quote('AAPL', at(0), 99.9, 100.1),
      quote('AAPL', at(1), 100, 100.02, 5, 2),
      quote('AAPL', at(2), 101, 101.02),
      // Through the 99 stop while it has nothing to exit (no ask shown: the entry does not fill on it).
      quote('AAPL', at(3), 98.5, 98.52, 5, 0),
      quote('AAPL', at(4), 99.9, 100.02, 5, 1),
    ]);
    await rig.step();
    await rig.place(bracket({ qty: 900, type: 'limit', limitPrice: '100.02' }));
    await rig.step(3);
    expect(rig.order('o-2')).toMatchObject({ filledQty: '200', status: 'partially_filled' });
    expect(rig.order('o-3')).toMatchObject({ triggered: false, qty: '0' });
    await rig.step();
    // The entry bought 100 more: the stop-loss works for them, not triggered by the dip before.
    expect(rig.order('o-3')).toMatchObject({ triggered: false, qty: '100', filledQty: '0' });
  });

  it('cancelling the entry before it fills cancels its legs; after a partial fill the legs keep exiting what it bought', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 99.9, 100.1), quote('AAPL', at(1), 100, 100.02, 5, 3)]);
    await rig.step();
    const unfilled = await rig.place(bracket({ type: 'limit', limitPrice: '100.02' }));
    expect(rig.engine.cancelOrder(unfilled.id)).toMatchObject({ ok: true });
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 canceled 0/10', 'o-2 canceled 0/10', 'o-3 canceled 0/10']);
    expect(rig.order('o-2').reason).toBe('its entry o-1 canceled with nothing filled');

    const part = await rig.place(bracket({ qty: 500, type: 'limit', limitPrice: '100.02' }));
    await rig.step();
    expect(rig.engine.cancelOrder(part.id)).toMatchObject({ ok: true });
    expect(states(rig, 'o-4', 'o-5', 'o-6')).toEqual(['o-4 canceled 300/500', 'o-5 accepted 0/300', 'o-6 accepted 0/300']);
    // Cancelling one leg cancels its partner: they were one exit.
    expect(rig.engine.cancelOrder('o-6')).toMatchObject({ ok: true });
    expect(states(rig, 'o-5', 'o-6')).toEqual(['o-5 canceled 0/300', 'o-6 canceled 0/300']);
    expect(rig.order('o-5').reason).toBe('oco: canceled with o-6');
  });

  it("replaces a leg's price, not its qty; a new entry qty is what the held legs will exit", async () => {
    const rig = await engineRig([quote('AAPL', at(0), 99.9, 100.1), quote('AAPL', at(1), 100.5, 100.52)]);
    await rig.step();
    await rig.place(bracket({ type: 'limit', limitPrice: '100.02' }));
    expect(rig.engine.replaceOrder('o-1', { qty: 20 })).toMatchObject({ ok: true });
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 held 0/20', 'o-3 held 0/20']);
    expect(rig.engine.replaceOrder('o-2', { qty: 5 })).toEqual({ ok: false, error: "order o-2 is a leg of o-1: its qty follows its entry's fills; replace its price, or cancel it" });
    expect(rig.engine.replaceOrder('o-2', { limitPrice: '100.50' })).toMatchObject({ ok: true, order: { limitPrice: '100.50', status: 'held' } });
    // The entry's limit raised to the ask fills it; the next bid reaches the new take-profit.
    expect(rig.engine.replaceOrder('o-1', { limitPrice: '100.10' })).toMatchObject({ ok: true, order: { status: 'filled' } });
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 filled 20/20', 'o-3 canceled 0/20']);
  });

  it('a day bracket expires whole at the close when its entry never filled', async () => {
    const close = Date.parse('2026-11-03T21:00:00Z');
    const rig = await engineRig([quote('AAPL', at(0), 99.9, 100.1), quote('AAPL', close + SECOND, 99.9, 100.1)]);
    await rig.step();
    await rig.place(bracket({ type: 'limit', limitPrice: '100.02', timeInForce: 'day' }));
    await rig.step();
    expect(states(rig, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 expired 0/10', 'o-2 canceled 0/10', 'o-3 canceled 0/10']);
  });

  it('refuses what makes no sense, each saying why', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02)]);
    await rig.step();
    const reason = async (request: OrderRequest): Promise<string | null> => (await rig.place(request)).reason;
    expect(await reason(bracket({ stopLoss: undefined }))).toBe('a bracket order needs both a take_profit and a stop_loss');
    expect(await reason(bracket({ takeProfit: { limitPrice: '98' } }))).toBe('the take-profit 98.00 must be above the stop-loss 99.00');
    expect(await reason(bracket({ type: 'limit', limitPrice: '101.50' }))).toBe("the take-profit 101.00 must be above the entry's 101.50");
    expect(await reason(bracket({ timeInForce: 'ioc' }))).toBe('a bracket order is day or gtc, not ioc');
    expect(await reason(bracket({ type: 'limit', limitPrice: '100', extendedHours: true }))).toBe("extended hours are for a simple order: a bracket's exits trade in the regular session");
    expect(await reason(bracket({ orderClass: undefined }))).toBe('take_profit and stop_loss belong to a bracket, oco or oto order: set order_class');
    expect(await reason(bracket({ orderClass: 'oto' }))).toBe('an oto order takes one exit, take_profit or stop_loss: use order_class bracket for both');
    expect(await reason(bracket({ takeProfit: { limit_price: '101', stopPrice: '1' } as never }))).toBe(
      'unknown field "stopPrice" in take_profit: it takes limit_price',
    );
    expect(await reason(bracket({ side: 'sell', takeProfit: { limitPrice: '98' }, stopLoss: { stopPrice: '102' } }))).toBe(
      "a sell bracket order's exits would buy back a short position, and selling short needs a margin account: in a cash account a bracket or oto buys, an oco sells",
    );
    expect(await reason({ ...bracket(), orderClass: 'oco', type: 'market' })).toBe('an oco order is a limit order (its take-profit) with a stop-loss: its type must be limit');
    expect(rig.snapshot().orders.filter((order) => order.status !== 'rejected')).toEqual([]);
  });
});

describe('an oco order', () => {
  it('exits a held position: its take-profit and stop-loss work together on the same shares, and one filling cancels the other', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 98.9, 98.92, 4, 5), quote('AAPL', at(2), 98.9, 98.92)]);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 500 });
    const oco = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 500, orderClass: 'oco', takeProfit: { limitPrice: '101' }, stopLoss: { stopPrice: '99', limitPrice: '98.5' }, timeInForce: 'gtc' });
    expect(oco).toMatchObject({ id: 'o-2', type: 'limit', limitPrice: '101.00', status: 'accepted', legIds: ['o-3'] });
    expect(rig.order('o-3')).toMatchObject({ side: 'sell', type: 'stop_limit', stopPrice: '99.00', limitPrice: '98.50', status: 'accepted', parentId: 'o-2' });
    // What the trader may still sell (the ticket's preview says it): none, the oco holds the 500 once, not twice.
    expect(rig.engine.sellableQty('AAPL')).toBe('0');
    // A second oco on the same shares is refused: the first holds them, once.
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 1, orderClass: 'oco', takeProfit: { limitPrice: '101' }, stopLoss: { stopPrice: '99' } })).reason).toBe(
      'cannot sell 1 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)',
    );
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 accepted 0/100', 'o-3 partially_filled 400/500']);
    await rig.step();
    expect(states(rig, 'o-2', 'o-3')).toEqual(['o-2 canceled 0/100', 'o-3 filled 500/500']);
  });
});

describe('an oto order', () => {
  it('releases its one exit when the entry fills', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 98.9, 98.92)]);
    await rig.step();
    const entry = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, orderClass: 'oto', stop_loss: { stop_price: '99' } });
    expect(entry.legIds).toEqual(['o-2']);
    await rig.step();
    expect(states(rig, 'o-1', 'o-2')).toEqual(['o-1 filled 10/10', 'o-2 filled 10/10']);
  });
});

describe('a strategy placing a bracket', () => {
  const buyer = defineStrategy({
    name: 'bracketer',
    description: 'buys once, with a bracket around the ask',
    params: z.object({}).strict(),
    create: () => {
      let placed = false;
      return {
        onQuote(quote, ctx) {
          if (placed) return;
          placed = true;
          const order = ctx.placeOrder(bracket({ symbol: quote.symbol, qty: 5, timeInForce: 'day' }));
          ctx.log(`${order.status} legs ${order.legIds.join(' ')}`);
        },
      };
    },
  });

  it('owns its legs: they sell its own shares', async () => {
    const rig = await engineRig([quote('AAPL', at(0), 100, 100.02), quote('AAPL', at(1), 101, 101.02)], { strategies: [buyer] });
    rig.engine.setStrategy('bracketer');
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step(2);
    expect(logged).toContain('bracketer: filled legs o-2 o-3');
    expect(rig.order('o-2')).toMatchObject({ source: 'strategy:bracketer', status: 'filled' });
    expect(rig.snapshot().portfolio.positions).toEqual([]);
  });
});

describe('a bracket across a restart', () => {
  const accounts = accountRigs();
  it('a day entry that expired while paper-trader was down settles its legs: one that exited everything filled is filled', async () => {
    const first = await accounts.open([quote('AAPL', at(0), 99.9, 100.1), quote('AAPL', at(1), 100, 100.02, 5, 3), quote('AAPL', at(2), 101, 101.02)]);
    await first.step();
    await first.place(bracket({ qty: 500, type: 'limit', limitPrice: '100.02', timeInForce: 'day' }));
    await first.step(2);
    expect(states(first, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 partially_filled 300/500', 'o-2 partially_filled 300/300', 'o-3 accepted 0/0']);
    await accounts.close(first);

    const second = await accounts.open([quote('AAPL', at(0) + 86_400_000, 101, 101.02)]);
    expect(states(second, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 expired 300/500', 'o-2 filled 300/300', 'o-3 canceled 0/0']);
    expect(second.order('o-3').reason).toBe('oco: o-2 filled');
  });

  it('comes back with its legs held, and releases them when the entry fills after the restart', async () => {
    const first = await accounts.open([quote('AAPL', at(0), 99.9, 100.1)]);
    await first.step();
    await first.place(bracket({ type: 'limit', limitPrice: '100.02' }));
    await accounts.close(first);

    const second = await accounts.open([quote('AAPL', at(1), 100, 100.02), quote('AAPL', at(2), 101, 101.02)]);
    expect(states(second, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 accepted 0/10', 'o-2 held 0/10', 'o-3 held 0/10']);
    expect(second.order('o-1').legIds).toEqual(['o-2', 'o-3']);
    await second.step();
    expect(states(second, 'o-1', 'o-2', 'o-3')).toEqual(['o-1 filled 10/10', 'o-2 accepted 0/10', 'o-3 accepted 0/10']);
    await accounts.close(second);

    const third = await accounts.open([quote('AAPL', at(2), 101, 101.02)]);
    await third.step();
    expect(states(third, 'o-2', 'o-3')).toEqual(['o-2 filled 10/10', 'o-3 canceled 0/10']);
  });
});
