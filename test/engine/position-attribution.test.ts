// Who owns a position: each position's qty is attributed to the trader or a strategy, as lots. A
// strategy sees and trades only its own; the trader's orders can trade anything; the books stay one.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, defineStrategy, type OrderView } from '../../src/engine/index.ts';
import { PositionAttribution } from '../../src/engine/portfolio/attribution.ts';
import { cryptoQuote, engineRig, forexQuote, quote, SECOND, T0, type PolygonEvent } from '../helpers/engine-rig.ts';

const SHARE = 1_000_000_000n;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Quotes of AAPL, BTC and EUR that fall and rise in turn: an SMA crossover buys, then sells. */
function upsAndDowns(steps: number): PolygonEvent[] {
  const events: PolygonEvent[] = [];
  for (let i = 0; i < steps; i++) {
    // A triangle wave of period 20: the averages cross up and down again and again.
    const move = Math.abs((i % 20) - 10);
    const t = T0 + i * SECOND;
    events.push(quote('AAPL', t, 230 + move / 10, 230.02 + move / 10), cryptoQuote('BTC-USD', t, 95_000 + move * 10, 95_001 + move * 10), forexQuote('EUR/USD', t, 1.05 + move / 10_000, 1.05002 + move / 10_000));
  }
  return events;
}

/** Tries on every quote to sell 5 of the symbol, whatever it holds: a strategy that would sell the trader's shares if it could. */
function sellsWhatItSees(refusals: OrderView[]) {
  return defineStrategy({
    name: 'seller',
    description: 'sells on every quote',
    params: z.object({}),
    create: () => ({
      onQuote(q, ctx) {
        if (q.symbol !== 'AAPL' || refusals.length > 0) return;
        refusals.push(ctx.placeOrder({ symbol: 'AAPL', side: 'sell', qty: '5', type: 'market' }));
      },
    }),
  });
}

describe('who owns a position', () => {
  it('a strategy switched on beside the trader\'s positions trades only its own: sma-crossover buys and sells its lots and leaves the trader\'s AAPL, BTC and EUR alone', async () => {
    const rig = await engineRig(upsAndDowns(60), { symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD'] });
    await rig.step(3);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.place({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.1' });
    await rig.place({ symbol: 'C:EURUSD', side: 'buy', qty: 10_000 });
    rig.engine.setStrategy('sma-crossover', { shortWindow: 2, longWindow: 4, qty: '3' });
    await rig.engine.replay.runToEnd();

    const snapshot = rig.snapshot();
    const strategyFills = snapshot.fills.filter((fill) => fill.source === 'strategy:sma-crossover');
    expect(strategyFills.some((fill) => fill.side === 'buy')).toBe(true);
    expect(strategyFills.some((fill) => fill.side === 'sell')).toBe(true);
    const held = Object.fromEntries(snapshot.portfolio.positions.map((p) => [p.symbol, p.attribution]));
    expect(held['AAPL']).toContainEqual({ owner: 'user', qty: '10' });
    expect(held['X:BTCUSD']).toContainEqual({ owner: 'user', qty: '0.1' });
    expect(held['C:EURUSD']).toContainEqual({ owner: 'user', qty: '10000' });
    // Every strategy sell took from what the strategy itself had bought.
    for (const symbol of ['AAPL', 'X:BTCUSD', 'C:EURUSD']) {
      const own = (side: string) => strategyFills.filter((f) => f.symbol === symbol && f.side === side).reduce((sum, f) => sum + Number(f.qty), 0);
      expect(own('sell')).toBeLessThanOrEqual(own('buy'));
    }
  });

  it('refuses a strategy\'s sell of what only the trader holds, saying whose it is', async () => {
    const refusals: OrderView[] = [];
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02), quote('AAPL', T0 + SECOND, 230, 230.02)], { strategies: [sellsWhatItSees(refusals)] });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    rig.engine.setStrategy('seller');
    await rig.step();
    expect(refusals[0]).toMatchObject({ status: 'rejected', reason: 'cannot sell 5 AAPL: seller has 0 of its own to sell (a strategy trades only what it bought)' });
    expect(rig.snapshot().portfolio.positions[0]).toMatchObject({ qty: '10', attribution: [{ owner: 'user', qty: '10' }] });
  });

  it('shows a strategy its own lot as its position; the trader\'s sell takes the trader\'s lot first, then the strategy\'s', async () => {
    const seen: bigint[] = [];
    const buyer = defineStrategy({
      name: 'buyer',
      description: 'buys 20 AAPL once, and notes its position on every quote',
      params: z.object({}),
      create: () => ({
        onQuote(_q, ctx) {
          seen.push(ctx.position('AAPL'));
          if (seen.length === 1) ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '20', type: 'market' });
        },
      }),
    });
    const rig = await engineRig([quote('AAPL', T0, 230, 230.02), quote('AAPL', T0 + SECOND, 230, 230.02), quote('AAPL', T0 + 2 * SECOND, 230, 230.02)], {
      strategies: [buyer],
    });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    rig.engine.setStrategy('buyer');
    await rig.step();
    expect(rig.snapshot().portfolio.positions[0]).toMatchObject({ qty: '30', attribution: [{ owner: 'user', qty: '10' }, { owner: 'strategy:buyer', qty: '20' }] });
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 25 });
    expect(rig.snapshot().portfolio.positions[0]).toMatchObject({ qty: '5', attribution: [{ owner: 'strategy:buyer', qty: '5' }] });
    await rig.step();
    expect(seen).toEqual([0n, 5n * SHARE]);
  });

  it('cuts short a strategy\'s working sell of shares that are not its own (an account saved before attribution), saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-attribution-'));
    dirs.push(dir);
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, [quote('AAPL', T0, 230, 230.02), quote('AAPL', T0 + SECOND, 230, 230.02), quote('AAPL', T0 + 2 * SECOND, 250.5, 250.52)].map((e) => JSON.stringify(e)).join('\n'));
    const holder = defineStrategy({
      name: 'holder',
      description: 'buys 20 AAPL, then offers them at 250',
      params: z.object({}),
      create: () => ({
        onQuote(_q, ctx) {
          if (ctx.openOrders().length > 0) return;
          if (ctx.position('AAPL') === 0n) ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '20', type: 'market' });
          else ctx.placeOrder({ symbol: 'AAPL', side: 'sell', qty: '20', type: 'limit', limitPrice: '250', timeInForce: 'gtc' });
        },
      }),
    });
    const open = () => createEngine({ market: { kind: 'replay', file }, account: 'old', dataDir: dir, strategies: [holder] });
    let engine = await open();
    await engine.start();
    engine.setStrategy('holder');
    await engine.replay.step(2);
    const sell = engine.snapshot().orders.find((o) => o.side === 'sell')!;
    expect(sell).toMatchObject({ status: 'accepted', source: 'strategy:holder' });
    await engine.close();
    // As an earlier paper-trader would have left it: the shares the strategy offers were the trader's.
    const db = new Database(join(dir, 'accounts', 'old.db'));
    const [seq, record] = db.prepare('SELECT seq, record FROM fills').raw().get() as [number, string];
    const fill = JSON.parse(record) as unknown[];
    fill[10] = 'user';
    db.prepare('UPDATE fills SET record = ? WHERE seq = ?').run(JSON.stringify(fill), seq);
    db.close();

    engine = await open();
    await engine.start();
    expect(engine.snapshot().portfolio.positions[0]!.attribution).toEqual([{ owner: 'user', qty: '20' }]);
    await engine.replay.step(1);
    expect(engine.snapshot().orders.find((o) => o.id === sell.id)).toMatchObject({
      status: 'canceled',
      filledQty: '0',
      reason: 'holder has no more AAPL of its own to sell (a strategy trades only what it bought)',
    });
    // The trader's 20 were not sold (the strategy, seeing nothing of its own, buys its own 20 instead).
    expect(engine.snapshot().portfolio.positions[0]!.attribution[0]).toEqual({ owner: 'user', qty: '20' });
    expect(engine.snapshot().fills.filter((f) => f.side === 'sell')).toEqual([]);
    await engine.close();
  });

  it('takes a trader\'s sell of strategies\' shares from units no working sell holds, saying whose it took, and keeps that across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-attribution-'));
    dirs.push(dir);
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02), quote('AAPL', T0 + 2 * SECOND, 105.1, 105.12)].map((e) => JSON.stringify(e)).join('\n'));
    const open = () => createEngine({ market: { kind: 'replay', file }, account: 'reserved', dataDir: dir });
    let engine = await open();
    await engine.start();
    await engine.replay.step(1);
    await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10 }, 'strategy:a');
    await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10 }, 'strategy:b');
    const takeProfit = await engine.placeOrder({ symbol: 'AAPL', side: 'sell', qty: 10, type: 'limit', limitPrice: '105', timeInForce: 'gtc' }, 'strategy:a');
    const sold = await engine.placeOrder({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(sold.status).toBe('filled');
    // a's ten wait for its take-profit: the trader's sell takes b's free ten.
    expect(engine.snapshot().fills.at(-1)!.takenFrom).toEqual([{ owner: 'strategy:b', qty: '10' }]);
    expect(engine.snapshot().portfolio.positions[0]!.attribution).toEqual([{ owner: 'strategy:a', qty: '10' }]);
    await engine.close();

    engine = await open();
    await engine.start();
    expect(engine.snapshot().portfolio.positions[0]!.attribution).toEqual([{ owner: 'strategy:a', qty: '10' }]);
    await engine.replay.step(2);
    expect(engine.snapshot().orders.find((o) => o.id === takeProfit.id)).toMatchObject({ status: 'filled', avgFillPrice: '105.00' });
    await engine.close();
  });

  it('is rebuilt from the fills when a saved account restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-attribution-'));
    dirs.push(dir);
    const file = join(dir, 'session.jsonl');
    writeFileSync(file, [0, 1, 2, 3].map((i) => JSON.stringify(quote('AAPL', T0 + i * SECOND, 230, 230.02))).join('\n'));
    const buyer = defineStrategy({
      name: 'once',
      description: 'buys 20 AAPL once',
      params: z.object({}),
      create: () => ({
        onQuote(_q, ctx) {
          if (ctx.position('AAPL') === 0n && ctx.openOrders().length === 0) ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '20', type: 'market' });
        },
      }),
    });
    const open = () => createEngine({ market: { kind: 'replay', file }, account: 'lots', dataDir: dir, strategies: [buyer] });
    let engine = await open();
    await engine.start();
    await engine.replay.step(1);
    await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10 });
    engine.setStrategy('once');
    await engine.replay.step(1);
    const before = engine.snapshot().portfolio.positions;
    expect(before[0]!.attribution).toEqual([{ owner: 'user', qty: '10' }, { owner: 'strategy:once', qty: '20' }]);
    await engine.close();

    engine = await open();
    await engine.start();
    expect(engine.snapshot().portfolio.positions).toEqual(before);
    // The resumed strategy sees its 20 and buys no more.
    await engine.replay.step(2);
    expect(engine.snapshot().fills).toHaveLength(2);
    await engine.close();
  });
});

describe('PositionAttribution', () => {
  it('keeps lots adding up to the position when history sells more than an owner bought (an account from before attribution)', () => {
    const lots = new PositionAttribution();
    lots.apply({ symbol: 'AAPL', side: 'buy', qty: 10n, source: 'user' });
    lots.apply({ symbol: 'AAPL', side: 'buy', qty: 5n, source: 'api' });
    lots.apply({ symbol: 'AAPL', side: 'buy', qty: 4n, source: 'strategy:a' });
    lots.apply({ symbol: 'AAPL', side: 'sell', qty: 12n, source: 'strategy:b' });
    expect(lots.lots('AAPL')).toEqual([{ owner: 'user', qty: 3n }, { owner: 'strategy:a', qty: 4n }]);
    lots.apply({ symbol: 'AAPL', side: 'sell', qty: 7n, source: 'user' });
    expect(lots.lots('AAPL')).toEqual([]);
    expect(lots.held('AAPL', 'strategy:a')).toBe(0n);
  });
});
