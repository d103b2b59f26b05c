// One order schema at every boundary: the seed's spelling works, unknown keys are refused by name,
// and a client order id is unique per account. The HTTP side is in test/api/endpoints.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, defineStrategy, validateOrderRequest, type OrderRequest, type OrderView } from '../../src/engine/index.ts';
import { draftRequest, initialTicket, ticketError } from '../../src/ui/dialogs/order-ticket-state.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('one order schema', () => {
  it("the seed's spelling (PaperBroker.place_order) places a limit order, not a market order at the ask", async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)]);
    await rig.step();
    const order = await rig.engine.placeOrder({ symbol: 'AAPL', qty: 10, side: 'buy', order_type: 'limit', limit_price: 1.0 });
    expect(order).toMatchObject({ status: 'accepted', type: 'limit', limitPrice: '1.00', filledQty: '0' });
    expect(rig.fills()).toEqual([]);
  });

  it('takes every snake_case field: stop_price, time_in_force, client_order_id', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)]);
    await rig.step();
    const order = await rig.engine.placeOrder({
      symbol: 'AAPL', qty: '3', side: 'buy', order_type: 'stop_limit', stop_price: '240', limit_price: '240.5', time_in_force: 'gtc', client_order_id: 'seed-1',
    });
    expect(order).toMatchObject({ status: 'accepted', type: 'stop_limit', stopPrice: '240.00', limitPrice: '240.50', timeInForce: 'gtc', clientOrderId: 'seed-1' });
  });

  it('refuses a key it does not know by name instead of ignoring it', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)]);
    await rig.step();
    const order = await rig.engine.placeOrder({ symbol: 'AAPL', qty: 10, side: 'buy', order_typ: 'limit', limit_price: 1 } as unknown as OrderRequest);
    expect(order.status).toBe('rejected');
    expect(order.reason).toMatch(/^unknown field "order_typ" \(did you mean order_type\?\): an order takes symbol, side, qty/);
    expect(rig.fills()).toEqual([]);
  });

  it('refuses two spellings of one field that disagree, and takes them when they agree', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)]);
    await rig.step();
    const clash = await rig.engine.placeOrder({ symbol: 'AAPL', qty: 1, side: 'buy', type: 'market', order_type: 'limit', limit_price: 1 });
    expect(clash).toMatchObject({ status: 'rejected', reason: 'fields type "market" and order_type "limit" disagree: give one of them' });
    expect(await rig.engine.placeOrder({ symbol: 'AAPL', qty: 1, side: 'buy', type: 'market', order_type: 'market' })).toMatchObject({ status: 'filled' });
  });

  it('the order ticket shows exactly what the engine would say of the same request', () => {
    const ticket = initialTicket('buy', 'AAPL', { qty: '1.0000000001', type: 'limit', limitPrice: '230' });
    const engineSays = validateOrderRequest(draftRequest(ticket));
    expect(engineSays.ok).toBe(false);
    expect(ticketError(ticket)).toBe(!engineSays.ok && engineSays.error);
  });

  it("a strategy's orders go through the same schema: its snake_case order places, its unknown key is refused", async () => {
    const placed: OrderView[] = [];
    const seedStyle = defineStrategy({
      name: 'seed-style',
      description: 'places two orders on its first quote',
      params: z.object({}),
      create: () => ({
        onQuote(_quote, ctx) {
          if (placed.length > 0) return;
          placed.push(ctx.placeOrder({ symbol: 'AAPL', qty: 2, side: 'buy', order_type: 'limit', limit_price: 229 }));
          placed.push(ctx.placeOrder({ symbol: 'AAPL', qty: 2, side: 'buy', price: 229 } as unknown as OrderRequest));
        },
      }),
    });
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)], { strategies: [seedStyle], strategy: 'seed-style' });
    await rig.step();
    expect(placed[0]).toMatchObject({ status: 'accepted', type: 'limit', limitPrice: '229.00', source: 'strategy:seed-style' });
    expect(placed[1]).toMatchObject({ status: 'rejected' });
    expect(placed[1]!.reason).toMatch(/^unknown field "price": an order takes/);
  });
});

describe('client order ids', () => {
  it('are unique per account: a second order with the same id returns the first, and makes no second order', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02), quote('AAPL', T0 + SECOND, 230, 230.02)]);
    await rig.step();
    const first = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'limit', limitPrice: '200', clientOrderId: 'bot-42' });
    const again = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 7, type: 'market', clientOrderId: 'bot-42' });
    expect(again).toEqual(first);
    expect(rig.snapshot().orders).toHaveLength(1);
    expect(rig.fills()).toEqual([]);
    expect(rig.engine.orderByClientOrderId('bot-42')).toMatchObject({ id: first.id });
  });

  it('give a strategy its own order back, never the trader\'s: a strategy reusing the trader\'s id is refused', async () => {
    let mine: OrderView | undefined;
    const reuser = defineStrategy({
      name: 'reuser',
      description: 'places an order with a client order id the trader already used',
      params: z.object({}),
      create: () => ({
        onQuote(_q, ctx) {
          mine ??= ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '90', clientOrderId: 'tp-1' });
        },
      }),
    });
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02), quote('AAPL', T0 + SECOND, 230, 230.02)], { strategies: [reuser] });
    await rig.step();
    const traders = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5, type: 'limit', limitPrice: '95', clientOrderId: 'tp-1' });
    rig.engine.setStrategy('reuser');
    await rig.step();
    expect(mine).toMatchObject({ status: 'rejected', reason: 'client order id "tp-1" is already used by another order: give each order its own', source: 'strategy:reuser' });
    expect(rig.engine.orderByClientOrderId('tp-1')).toMatchObject({ id: traders.id, source: 'user' });
  });

  it('a rejected request does not take its id: the corrected retry places', async () => {
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02)]);
    await rig.step();
    const typo = await rig.place({ symbol: 'APPL', side: 'buy', qty: 5, clientOrderId: 'bot-43' });
    expect(typo.status).toBe('rejected');
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5, clientOrderId: 'bot-43' })).toMatchObject({ status: 'filled', clientOrderId: 'bot-43' });
  });

  it('stay unique across a restart of a saved account, and a rejected order with a bad side or type does not damage it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-client-ids-'));
    dirs.push(dir);
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, `${JSON.stringify(quote('AAPL', T0, 230, 230.02))}\n${JSON.stringify(quote('AAPL', T0 + SECOND, 230, 230.02))}\n`);
    const open = () => createEngine({ market: { kind: 'replay', file }, account: 'ids', dataDir: dir });
    let engine = await open();
    await engine.start();
    await engine.replay.step(1);
    const first = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'keep-me' });
    expect(first.status).toBe('filled');
    expect((await engine.placeOrder({ symbol: 'AAPL', side: 'short', qty: 1, order_type: 'trailing' })).status).toBe('rejected');
    await engine.close();

    engine = await open();
    await engine.start();
    const again = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, clientOrderId: 'keep-me' });
    expect(again.id).toBe(first.id);
    expect(engine.snapshot().orders.map((o) => o.status)).toEqual(['filled', 'rejected']);
    await engine.close();
  });
});
