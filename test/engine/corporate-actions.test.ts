// Splits and dividends applied to held positions when their dates pass, worked out by hand: a
// split changes the qty and the average price, never the cost basis (the value stays); a
// dividend owes cash on the shares held at the start of its ex-date and pays it on its pay date.
// Each is a journal record, met once, also for dates passed while paper-trader was not running.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy, type AnnouncedActions, type CorporateActionSource } from '../../src/engine/index.ts';
import { listedActions } from '../../src/engine/portfolio/corporate-actions.ts';
import { until } from '../helpers/until.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const DAY = 86_400_000;
/** Tuesday 3 November 2026, 10:00 New York, and the days after it. */
const day = (n: number, seconds = 0): number => T0 + n * DAY + seconds * SECOND;

const ACTIONS: AnnouncedActions = {
  // 4-for-1 on Wednesday 4 November.
  splits: [{ id: 'S-AAPL-1', symbol: 'AAPL', date: '2026-11-04', from: 1n, to: 4n }],
  // $0.24 a share going ex on Thursday, paid the Monday after.
  dividends: [{ id: 'D-AAPL-1', symbol: 'AAPL', exDate: '2026-11-05', payDate: '2026-11-09', perShare: 240_000n }],
};

describe('a split', () => {
  it('changes the qty and average price of a held position at the start of its date, the cost basis unchanged, and cancels orders in the symbol', async () => {
    const rig = await engineRig([quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01)], { corporateActions: ACTIONS });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    const resting = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5, type: 'limit', limitPrice: '110', timeInForce: 'gtc' });
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step();
    // 10 bought for 1000.20 are 40 that cost 1000.20: 25.005 each; at the 25.005 mid they are worth what they cost.
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ symbol: 'AAPL', qty: '40', avgPrice: '25.005', costBasis: '1000.20', marketValue: '1000.20' }]);
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '98999.80', realizedPnl: '0.00' });
    expect(rig.order(resting.id)).toMatchObject({ status: 'canceled', reason: 'canceled: AAPL split 4-for-1 on 2026-11-04, so its prices no longer hold' });
    expect(logged).toContain('AAPL split 4-for-1 on 2026-11-04: 10 shares became 40, the cost basis unchanged');
    expect(rig.engine.corporateActions()).toMatchObject([{ id: 'a-1', kind: 'split', source: 'S-AAPL-1', qtyBefore: 10_000_000_000n, qtyAfter: 40_000_000_000n, afterFills: 1 }]);
    // The 40 sell whole, at the new price.
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 40 })).toMatchObject({ status: 'filled', avgFillPrice: '25.00' });
    expect(rig.snapshot().portfolio).toMatchObject({ positions: [], realizedPnl: '-0.20' });
  });

  it('scales each owner\'s lot: a strategy sells its own shares after it', async () => {
    const holder = defineStrategy({
      name: 'holder',
      description: 'buys 3 once, sells all on a later day',
      params: z.object({}).strict(),
      create: () => ({
        onQuote(quote, ctx) {
          const held = ctx.position(quote.symbol);
          if (held === 0n && quote.time < day(1)) ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: 3 });
          if (held > 0n && quote.time >= day(1)) ctx.log(`${ctx.placeOrder({ symbol: quote.symbol, side: 'sell', qty: (Number(held) / 1e9).toString() }).status} ${held}`);
        },
      }),
    });
    const rig = await engineRig([quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01)], { corporateActions: ACTIONS, strategies: [holder] });
    rig.engine.setStrategy('holder');
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step();
    expect(logged).toContain('holder: filled 12000000000');
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ qty: '4', attribution: [{ owner: 'user', qty: '4' }] }]);
  });

  it('met late, after the day began to trade, splits only the shares held at its start', async () => {
    // Polygon answers only after the first trades of the split's day.
    const answers: (() => void)[] = [];
    const slow: CorporateActionSource = {
      actions: (symbols, from, to) => new Promise((resolve) => answers.push(() => resolve(listedActions(ACTIONS).actions(symbols, from, to)))),
    };
    const rig = await engineRig([quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01)], { corporateActions: slow });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    // A strategy buys 8 after the day began: its lot was bought split.
    await rig.engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 8 }, 'strategy:late');
    for (const answer of answers) answer();
    await until(() => rig.engine.corporateActions().length === 1);
    // 10 held at the start of the day became 40; the 8 bought after it were bought split: 48.
    expect(rig.engine.corporateActions()[0]).toMatchObject({ qtyBefore: 18_000_000_000n, qtyAfter: 48_000_000_000n });
    expect(rig.snapshot().portfolio.positions).toMatchObject([
      { qty: '48', costBasis: '1200.28', attribution: [{ owner: 'user', qty: '40' }, { owner: 'strategy:late', qty: '8' }] },
    ]);
  });
});

describe('a split and the prices the market showed before it', () => {
  it('scales them, so the equity stays what it was and a daily loss limit sees no loss', async () => {
    const rig = await engineRig(
      [quote('AAPL', day(0), 100, 100.02), quote('X:BTCUSD', day(0, 1), 95_000, 95_001), quote('X:BTCUSD', day(1), 95_000, 95_001), quote('AAPL', day(1, 1), 25, 25.01)],
      { corporateActions: ACTIONS, symbols: ['AAPL', 'X:BTCUSD'], riskLimits: { dailyLossLimit: '500' } },
    );
    await rig.step(2);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    const before = rig.snapshot().portfolio.totalEquity;
    // The new day's first event is bitcoin's: the split is met before AAPL trades again.
    await rig.step();
    expect(rig.snapshot().quotes.find((q) => q.symbol === 'AAPL')).toMatchObject({ bid: '25.00', ask: '25.005' });
    expect(rig.snapshot().portfolio.totalEquity).toBe(before);
    await rig.step();
    expect(rig.engine.risk().halted).toBeNull();
  });

  it('met after its position was closed, is said in the log and changes nothing', async () => {
    const answers: (() => void)[] = [];
    const slow: CorporateActionSource = {
      actions: (symbols, from, to) => new Promise((resolve) => answers.push(() => resolve(listedActions(ACTIONS).actions(symbols, from, to)))),
    };
    const rig = await engineRig([quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01)], { corporateActions: slow });
    const errors: string[] = [];
    rig.engine.on('error', (entry) => errors.push(entry.message));
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    for (const answer of answers) answer();
    await until(() => errors.length > 0);
    expect(errors[0]).toBe('split S-AAPL-1 of AAPL not applied: it came after the AAPL position it split was closed');
    expect(rig.engine.corporateActions()).toEqual([]);
  });
});

describe('a dividend', () => {
  it('is owed on the shares held at the start of its ex-date and paid into cash on its pay date, as realized income', async () => {
    const rig = await engineRig(
      [quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01), quote('AAPL', day(2), 25, 25.01), quote('AAPL', day(2, 1), 25, 25.01), quote('AAPL', day(6), 25, 25.01)],
      { corporateActions: ACTIONS },
    );
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step(2);
    // Bought on the ex-date: not owed the dividend.
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 60 });
    await rig.step();
    expect(rig.engine.corporateActions().map((a) => a.kind)).toEqual(['split', 'dividend']);
    expect(rig.engine.corporateActions()[1]).toMatchObject({ qty: 40_000_000_000n, amount: 960n, payDate: '2026-11-09' });
    const cashBefore = rig.snapshot().portfolio.cash;
    await rig.step();
    // 40 × 0.24 = 9.60, on Monday.
    const portfolio = rig.snapshot().portfolio;
    expect(Number(portfolio.cash) - Number(cashBefore)).toBeCloseTo(9.6, 10);
    expect(portfolio.realizedPnl).toBe('9.60');
    expect(rig.engine.corporateActions().at(-1)).toMatchObject({ kind: 'payment', source: 'a-2', amount: 960n });
  });
});

describe('corporate actions across a restart', () => {
  const accounts = accountRigs();
  it('meet the dates passed while paper-trader was not running, once, and rebuild the same books', async () => {
    const first = await accounts.open([quote('AAPL', day(0), 100, 100.02)], { corporateActions: ACTIONS });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await accounts.close(first);

    // Back the Tuesday after: the split, the ex-date and the pay date all passed meanwhile.
    const second = await accounts.open([quote('AAPL', day(7), 25, 25.01)], { corporateActions: ACTIONS });
    await second.step();
    expect(second.engine.corporateActions().map((a) => `${a.id} ${a.kind}`)).toEqual(['a-1 split', 'a-2 dividend', 'a-3 payment']);
    const books = second.snapshot().portfolio;
    expect(books).toMatchObject({ cash: '99009.40', realizedPnl: '9.60', positions: [{ qty: '40', costBasis: '1000.20' }] });
    await accounts.close(second);

    // Nothing is met twice, and the saved records rebuild the same books.
    const third = await accounts.open([quote('AAPL', day(8), 25, 25.01)], { corporateActions: ACTIONS });
    await third.step();
    expect(third.engine.corporateActions()).toHaveLength(3);
    expect(third.snapshot().portfolio).toMatchObject({ cash: books.cash, realizedPnl: books.realizedPnl, positions: [{ qty: '40', costBasis: '1000.20' }] });
  });

  it("meet an action of the last active day the books do not show yet (its read failed that day)", async () => {
    let fail = true;
    const flaky: CorporateActionSource = {
      actions: (symbols, from, to) => (fail ? Promise.reject(new Error('Polygon answered 429')) : listedActions(ACTIONS).actions(symbols, from, to)),
    };
    const first = await accounts.open([quote('AAPL', day(0), 100, 100.02), quote('AAPL', day(1), 25, 25.01)], { corporateActions: flaky });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await first.step();
    // On the split's day, bought at the new price, while the split could not be read.
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 1 });
    await accounts.close(first);
    fail = false;
    const second = await accounts.open([quote('AAPL', day(1, 60), 25, 25.01)], { corporateActions: flaky });
    await second.step();
    expect(second.snapshot().portfolio.positions).toMatchObject([{ qty: '41', attribution: [{ owner: 'user', qty: '41' }] }]);
    expect(second.engine.corporateActions()[0]).toMatchObject({ lots: [{ owner: 'user', qty: 41_000_000_000n }] });
    await accounts.close(second);
    // The saved lots come back with the split record.
    const third = await accounts.open([quote('AAPL', day(2), 25, 25.01)], { corporateActions: flaky });
    expect(third.snapshot().portfolio.positions).toMatchObject([{ qty: '41', attribution: [{ owner: 'user', qty: '41' }] }]);
  });

  it('a position bought after a split dated before it is left alone', async () => {
    const first = await accounts.open([quote('AAPL', day(2), 25, 25.01)], { corporateActions: ACTIONS });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    expect(first.engine.corporateActions()).toEqual([]);
    await accounts.close(first);
    const second = await accounts.open([quote('AAPL', day(3), 25, 25.01)], { corporateActions: ACTIONS });
    await second.step();
    expect(second.snapshot().portfolio.positions).toMatchObject([{ qty: '10' }]);
    expect(second.engine.corporateActions()).toEqual([]);
  });
});
