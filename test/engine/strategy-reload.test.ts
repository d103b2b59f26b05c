// A strategy's new code takes over while it runs (its file was edited): its saved state, its
// positions and its working orders stay its own; new code that cannot take the running params,
// or throws as it starts, is refused and the old code runs on.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy } from '../../src/engine/index.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

/** Version `version` of a strategy that counts quotes (kept in save/load), buys once and rests a sell. */
const counter = (version: string, options: { throws?: boolean; params?: z.ZodType<{ qty: number }> } = {}) =>
  defineStrategy({
    name: 'counter',
    description: `version ${version}`,
    params: options.params ?? z.object({ qty: z.number().default(5) }).strict(),
    create(p) {
      if (options.throws) throw new Error('a typo in create');
      let seen = 0;
      return {
        onQuote(q, ctx) {
          seen++;
          ctx.log(`${version} saw ${seen}`);
          if (ctx.position(q.symbol) === 0n && ctx.openOrders().length === 0) ctx.placeOrder({ symbol: q.symbol, side: 'buy', qty: p.qty });
          else if (ctx.openOrders().length === 0) ctx.placeOrder({ symbol: q.symbol, side: 'sell', qty: p.qty, type: 'limit', limitPrice: '150', timeInForce: 'gtc' });
        },
        save: () => ({ seen }),
        load: (state) => void (seen = (state as { seen: number }).seen),
      };
    },
  });

const events = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02), quote('AAPL', T0 + 2 * SECOND, 100, 100.02)];

describe('reloading the running strategy', () => {
  it("hands the new code the old one's state; its position and resting order stay its own", async () => {
    const rig = await engineRig(events, { strategies: [counter('v1')], strategy: 'counter' });
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step(2);
    const resting = rig.snapshot().orders.find((order) => order.type === 'limit')!;
    expect(resting).toMatchObject({ status: 'accepted', source: 'strategy:counter' });
    expect(rig.engine.reloadStrategy(counter('v2'))).toEqual({ running: true });
    await rig.step();
    expect(logged).toContain('counter: v2 saw 3');
    expect(logged).toContain('strategy counter reloaded: its new code took over its state, positions and orders');
    expect(rig.order(resting.id).status).toBe('accepted');
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ qty: '5', attribution: [{ owner: 'strategy:counter', qty: '5' }] }]);
    expect(rig.snapshot().strategy).toEqual({ name: 'counter', params: { qty: 5 } });
  });

  it('keeps the old code when the new code throws as it starts, or no longer takes the running params', async () => {
    const rig = await engineRig(events, { strategies: [counter('v1')], strategy: 'counter' });
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step();
    expect(() => rig.engine.reloadStrategy(counter('v2', { throws: true }))).toThrow("strategy counter's new code could not start (a typo in create): the old code runs on");
    const stricter = z.object({ qty: z.number().max(1).default(1) }).strict();
    expect(() => rig.engine.reloadStrategy(counter('v3', { params: stricter }))).toThrow(
      "strategy counter's new code does not take its running params (invalid params for counter: qty: Too big: expected number to be <=1): the old code runs on",
    );
    await rig.step();
    expect(logged).toContain('counter: v1 saw 2');
  });

  it('registers new code of a strategy that is not running, for the next time it is chosen', async () => {
    const rig = await engineRig(events, { strategies: [counter('v1')] });
    expect(rig.engine.reloadStrategy(counter('v2'))).toEqual({ running: false });
    rig.engine.setStrategy('counter');
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step();
    expect(logged).toContain('counter: v2 saw 1');
  });
});
