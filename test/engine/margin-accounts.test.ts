// Margin accounts, worked out by hand: buying power 4x equity in the regular session from
// $25,000 (else 2x, and 1x under $2,000), less the gross value of the positions; short sales
// with their value held; short PnL exact to the cent; a margin call when equity falls under 25%
// of the longs plus 30% of the shorts; the pattern-day-trader rule, which can be turned off.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineStrategy, type AnnouncedActions } from '../../src/engine/index.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { cryptoQuote, engineRig, quote, SECOND, T0 } from '../helpers/engine-rig.ts';

const margin = { margin: true } as const;
/** 17:00 in New York that Tuesday: the regular session has closed. */
const EVENING = Date.parse('2026-11-03T22:00:00Z');

describe('a margin account\'s buying power', () => {
  it('is 4x equity in the regular session from $25,000, less the gross value held', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], margin);
    await rig.step();
    expect(rig.snapshot().portfolio).toMatchObject({ accountKind: 'margin', buyingPower: '400000.00', margin: { multiplier: 4, marginCall: false } });
    // 3000 at 100.02 = 300060.00, paid with 100000 of cash and 200060 borrowed.
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 3000, type: 'limit', limitPrice: '100.02' })).toMatchObject({ status: 'partially_filled', filledQty: '500' });
  });

  it('lets a buy past the cash borrow: cash goes negative, equity stays', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 50, 50)], margin);
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 3000 })).toMatchObject({ status: 'filled' });
    // Marked at the 100.01 mid: 300030.00; equity 99970.00; 4 x 99970 - 300030 = 99850.
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '-200060.00', totalEquity: '99970.00', buyingPower: '99850.00' });
    expect(rig.snapshot().portfolio.margin).toMatchObject({ longMarketValue: '300030.00', maintenanceMargin: '75007.50', marginCall: false });
    const tooMuch = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1000 });
    expect(tooMuch.reason).toBe('not enough buying power: buying 1000 AAPL at about 100.02 needs $100,020.00, $99,850.00 available');
  });

  it('is 2x under $25,000 and outside the regular session, 1x under $2,000', async () => {
    const small = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, startingCash: '20000' });
    await small.step();
    expect(small.snapshot().portfolio).toMatchObject({ buyingPower: '40000.00', margin: { multiplier: 2 } });
    const evening = await engineRig([quote('AAPL', EVENING, 100, 100.02)], margin);
    await evening.step();
    expect(evening.snapshot().portfolio).toMatchObject({ buyingPower: '200000.00', margin: { multiplier: 2 } });
    const tiny = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, startingCash: '1500' });
    await tiny.step();
    expect(tiny.snapshot().portfolio).toMatchObject({ buyingPower: '1500.00', margin: { multiplier: 1 } });
  });

  it('buys crypto with cash only: crypto is not marginable', async () => {
    const rig = await engineRig([cryptoQuote('BTC-USD', T0, 50_000, 50_010, 10, 10)], { ...margin, symbols: ['BTC-USD'] });
    await rig.step();
    const order = await rig.place({ symbol: 'BTC-USD', side: 'buy', qty: 3 });
    expect(order.reason).toBe('not enough cash: buying 3 X:BTCUSD at about 50010.00 needs $150,030.00, $100,000.00 available');
    expect(await rig.place({ symbol: 'BTC-USD', side: 'sell', qty: 1 })).toMatchObject({ status: 'rejected', reason: 'cannot sell 1 X:BTCUSD: 0 available to sell, and only stocks can be sold short' });
  });
});

describe('a short sale', () => {
  it('sells at the bid, holds the proceeds as cash and the short at minus them, and covers at the ask exactly', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 110, 110.02)], margin);
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 300 })).toMatchObject({ status: 'filled', avgFillPrice: '100.00' });
    expect(rig.snapshot().portfolio).toMatchObject({
      cash: '130000.00',
      // Marked at the 100.01 mid: owing 30003.00, 3.00 under water.
      marketValue: '-30003.00',
      totalEquity: '99997.00',
      unrealizedPnl: '-3.00',
      buyingPower: '369985.00',
      positions: [{ symbol: 'AAPL', qty: '-300', avgPrice: '100.00', costBasis: '-30000.00', attribution: [{ owner: 'user', qty: '-300' }] }],
      margin: { shortMarketValue: '30003.00', maintenanceMargin: '9000.90' },
    });
    await rig.step();
    // Covered at 110.02: 33006.00 for what brought 30000.00.
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 300 })).toMatchObject({ status: 'filled', avgFillPrice: '110.02' });
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '96994.00', realizedPnl: '-3006.00', positions: [], totalEquity: '96994.00' });
    // The short opened a position, the cover closed it: one closed trade, lost.
    expect(rig.snapshot().metrics).toMatchObject({ totalTrades: 2, closedTrades: 1, winningTrades: 0, losingTrades: 1 });
  });

  it('holds buying power for a resting short and none for a cover, which never buys past the short', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99, 99.02)], { ...margin, startingCash: '20000' });
    await rig.step();
    const resting = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 100, type: 'limit', limitPrice: '105', timeInForce: 'gtc' });
    expect(resting.status).toBe('accepted');
    // 2 x 20000, less the 10500.00 the short would be worth at its limit.
    expect(rig.snapshot().portfolio.buyingPower).toBe('29500.00');
    expect(rig.engine.cancelOrder(resting.id).ok).toBe(true);
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 200 });
    const cover = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 200, type: 'limit', limitPrice: '99.02', timeInForce: 'gtc' });
    // A cover holds nothing: 2 x 19998.00 equity less the 20002.00 short (at the 100.01 mid).
    expect(rig.snapshot().portfolio.buyingPower).toBe('19994.00');
    await rig.step();
    expect(rig.order(cover.id)).toMatchObject({ status: 'filled', filledQty: '200' });
    expect(rig.snapshot().portfolio).toMatchObject({ positions: [], cash: '20196.00', realizedPnl: '196.00' });
  });

  it('is refused in a cash account, to a strategy, and under $2,000 of equity, each saying why', async () => {
    const cash = await engineRig([quote('AAPL', T0, 100, 100.02)]);
    await cash.step();
    expect((await cash.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).reason).toBe(
      'cannot sell 10 AAPL: 0 available to sell (selling short needs a margin account: paper-trader accounts create NAME --margin)',
    );
    const seller = defineStrategy({
      name: 'seller',
      description: 'sells what it does not hold',
      params: z.object({}).strict(),
      create: () => ({ onQuote: (q, ctx) => ctx.log(ctx.placeOrder({ symbol: q.symbol, side: 'sell', qty: 1 }).reason ?? 'placed') }),
    });
    const strategy = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, strategies: [seller] });
    const logged: string[] = [];
    strategy.engine.on('log', (entry) => logged.push(entry.message));
    strategy.engine.setStrategy('seller');
    await strategy.step();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(logged.join('\n')).toContain('cannot sell 1 AAPL: seller has 0 of its own to sell (a strategy trades only what it bought, and never sells short)');
    const tiny = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, startingCash: '1500' });
    await tiny.step();
    expect((await tiny.place({ symbol: 'AAPL', side: 'sell', qty: 1 })).reason).toBe(
      'cannot sell 1 AAPL short: a margin account needs $2,000.00 of equity to sell short (Reg T), it has $1,500.00',
    );
  });

  it('turns a long into a short in one sell, each part accounted for exactly', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 90, 90.02)], margin);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await rig.step();
    // 300 at 90: the 100 long realize 9000.00 - 10002.00; the 200 short are owed at -18000.00.
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 300 })).toMatchObject({ status: 'filled' });
    expect(rig.snapshot().portfolio).toMatchObject({ realizedPnl: '-1002.00', cash: '116998.00', positions: [{ qty: '-200', costBasis: '-18000.00' }] });
  });
});

describe('a margin call', () => {
  it('is shown when equity falls under maintenance margin, refuses new positions, and takes a cover', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02, 50, 50), quote('AAPL', T0 + SECOND, 125, 125.02, 50, 50)], margin);
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 3000 });
    expect(rig.snapshot().portfolio.margin?.marginCall).toBe(false);
    await rig.step();
    // Owing 3000 x 125.01 = 375030.00 with 400000.00 of cash: equity 24970.00, under 30% of the short (112509.00).
    expect(rig.snapshot().portfolio).toMatchObject({ totalEquity: '24970.00', buyingPower: '0.00', margin: { marginCall: true, maintenanceMargin: '112509.00', multiplier: 2 } });
    expect((await rig.place({ symbol: 'AAPL', side: 'sell', qty: 1 })).reason).toBe('not enough buying power: selling short 1 AAPL at about 125.00 needs $125.00, $0.00 available');
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 2000 })).toMatchObject({ status: 'filled' });
    // 1000 short left, owing 125010.00: 30% is 37503.00, equity still 24970.00.
    expect(rig.snapshot().portfolio.margin).toMatchObject({ marginCall: true, shortMarketValue: '125010.00', maintenanceMargin: '37503.00' });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1000 });
    expect(rig.snapshot().portfolio).toMatchObject({ positions: [], margin: { marginCall: false } });
  });
});

describe('the pattern-day-trader rule', () => {
  const roundTrips = (n: number): ReturnType<typeof quote>[] => Array.from({ length: n }, (_, i) => quote('AAPL', T0 + i * SECOND, 100, 100.02));

  it('refuses the order that would make a 4th day trade in 5 business days under $25,000, and can be turned off', async () => {
    const rig = await engineRig(roundTrips(2), { ...margin, startingCash: '20000' });
    await rig.step();
    for (let i = 0; i < 3; i++) {
      await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
      await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    }
    expect(rig.snapshot().portfolio.margin).toMatchObject({ dayTrades: 3, patternDayTrader: true });
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 })).toMatchObject({ status: 'filled' });
    const fourth = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    expect(fourth.reason).toBe(
      'pattern day trader rule: 3 day trades in the last 5 business days with equity $19,999.30, under $25,000, so this order, which would close the AAPL position opened today, is refused; hold it overnight, or turn the rule off (--no-pdt, or pattern_day_trader false in PATCH /api/paper/risk)',
    );
    // A bracket could be a day trade by itself: refused too, before its entry fills.
    const bracket = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, orderClass: 'bracket', takeProfit: { limitPrice: '110' }, stopLoss: { stopPrice: '90' } });
    expect(bracket.reason).toMatch(/^pattern day trader rule: 3 day trades .* so this bracket, whose exits could close today what its entry opens, is refused;/);
    expect(rig.engine.setPatternDayTrader(false).patternDayTrader).toBe(false);
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).toMatchObject({ status: 'filled' });
    expect(rig.snapshot().portfolio.margin).toMatchObject({ dayTrades: 4, patternDayTrader: false });
  });

  it('counts as Alpaca does: buy, buy, sell, sell is one day trade; a short and its cover is one; $25,000 trades freely', async () => {
    const rig = await engineRig(roundTrips(1), { ...margin, startingCash: '20000' });
    await rig.step();
    for (const side of ['buy', 'buy', 'sell', 'sell', 'sell', 'buy'] as const) await rig.place({ symbol: 'AAPL', side, qty: 5 });
    expect(rig.snapshot().portfolio.margin?.dayTrades).toBe(2);
    const rich = await engineRig(roundTrips(1), margin);
    await rich.step();
    for (let i = 0; i < 5; i++) {
      await rich.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
      expect(await rich.place({ symbol: 'AAPL', side: 'sell', qty: 10 })).toMatchObject({ status: 'filled' });
    }
    expect(rich.snapshot().portfolio.margin?.dayTrades).toBe(5);
  });

  it('counts a day trade made on a weekend (a replay, a simulated market) in the window too', async () => {
    const rig = await engineRig([quote('AAPL', Date.parse('2026-11-07T15:00:00Z'), 100, 100.02)], { ...margin, startingCash: '20000' });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 5 });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 5 });
    expect(rig.snapshot().portfolio.margin?.dayTrades).toBe(1);
  });

  it('does not count a position held overnight, and a window of 5 business days lets old day trades go', async () => {
    const DAY = 86_400_000;
    // Tuesday, Wednesday (the day trades), then the next Wednesday: 5 business days later.
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + DAY, 100, 100.02), quote('AAPL', T0 + 8 * DAY, 100, 100.02)], { ...margin, startingCash: '20000' });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    await rig.step();
    for (let i = 0; i < 3; i++) {
      await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
      await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10 });
    }
    // The first sell closed Tuesday's buy: no day trade. The two sells after reopened-then-closed: 2.
    expect(rig.snapshot().portfolio.margin?.dayTrades).toBe(2);
    await rig.step();
    expect(rig.snapshot().portfolio.margin?.dayTrades).toBe(0);
  });
});

describe('a short\'s corporate actions', () => {
  const ACTIONS: AnnouncedActions = {
    splits: [{ id: 'S-AAPL-1', symbol: 'AAPL', date: '2026-11-04', from: 1n, to: 4n }],
    dividends: [{ id: 'D-AAPL-1', symbol: 'AAPL', exDate: '2026-11-05', payDate: '2026-11-09', perShare: 240_000n }],
  };
  const DAY = 86_400_000;

  it('splits a short as a long (it owes the split shares back) and charges it the dividend it owes the lender', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + DAY, 25, 25.01), quote('AAPL', T0 + 6 * DAY, 25, 25.01)], { ...margin, corporateActions: ACTIONS });
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 10 });
    await rig.step();
    // Short 10 at 100.00 is short 40 at 25.00: the 1000.00 brought in stays the basis.
    expect(rig.snapshot().portfolio.positions).toMatchObject([{ qty: '-40', costBasis: '-1000.00', avgPrice: '25.00', attribution: [{ owner: 'user', qty: '-40' }] }]);
    await rig.step();
    // 40 short at the ex-date owe 40 x 0.24 = 9.60, paid out on the pay date.
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '100990.40', realizedPnl: '-9.60' });
  });
});

describe('a durable margin account', () => {
  const { open, close } = accountRigs();

  it('keeps its kind, its shorts, its day trades and its rule setting across a restart; a cash account is not made margin', async () => {
    const session = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 101, 101.02), quote('AAPL', T0 + 2 * SECOND, 99, 99.02)];
    const first = await open(session, { ...margin, startingCash: '20000' });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'sell', qty: 50 });
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 20 });
    await first.place({ symbol: 'AAPL', side: 'sell', qty: 20 });
    first.engine.setPatternDayTrader(false);
    await first.step();
    const before = first.snapshot().portfolio;
    expect(before).toMatchObject({ accountKind: 'margin', positions: [{ qty: '-50', costBasis: '-5000.00' }], margin: { dayTrades: 1, patternDayTrader: false } });
    await close(first);
    // Reopened without --margin: the account is what it was made.
    const second = await open(session);
    // The replay resumes after what the first run played: the 99.00 quote.
    await second.step();
    expect(second.snapshot().portfolio).toMatchObject({
      accountKind: 'margin',
      cash: before.cash,
      positions: [{ qty: '-50', costBasis: '-5000.00', lastPrice: '99.01' }],
      margin: { dayTrades: 1, patternDayTrader: false },
    });
    // Covered at 99.02: 4951.00 for the 5000.00 it brought in; the day trade's 20 lost 0.40 before.
    expect(await second.place({ symbol: 'AAPL', side: 'buy', qty: 50 })).toMatchObject({ status: 'filled' });
    expect(second.snapshot().portfolio).toMatchObject({ positions: [], realizedPnl: '48.60' });
    await close(second);

    const cash = await open(session, { account: 'plain' });
    await close(cash);
    await expect(open(session, { account: 'plain', ...margin })).rejects.toThrow(
      'account "plain" is a cash account, and an account\'s kind is chosen when it is made: make a margin account with paper-trader accounts create NAME --margin',
    );
  });
});

describe('borrow fees', () => {
  const DAY = 86_400_000;

  it('charge a short each night it is held, at its last price and the annual rate / 360, when a rate is set', async () => {
    // Tuesday, Wednesday, then the Monday after: 1 night, then 5.
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + DAY, 110, 110.02), quote('AAPL', T0 + 6 * DAY, 110, 110.02)], { ...margin, borrowRate: '3.6' });
    const logged: string[] = [];
    rig.engine.on('log', (entry) => logged.push(entry.message));
    await rig.step();
    await rig.place({ symbol: 'AAPL', side: 'sell', qty: 100 });
    await rig.step();
    // 100 short at Tuesday's 100.01 mid: 10001.00 x 3.6% / 360 = 1.0001, so $1.00.
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '109999.00', realizedPnl: '-1.00' });
    await rig.step();
    // 5 nights at Wednesday's 110.01: 11001.00 x 0.01% x 5 = 5.5005, so $5.50.
    expect(rig.snapshot().portfolio).toMatchObject({ cash: '109993.50', realizedPnl: '-6.50', positions: [{ realizedPnl: '-6.50' }] });
    expect(rig.engine.corporateActions()).toMatchObject([
      { kind: 'borrow_fee', symbol: 'AAPL', date: '2026-11-04', days: 1, qty: -100_000_000_000n, price: 100_010_000n, rate: '3.6', amount: -100n },
      { kind: 'borrow_fee', date: '2026-11-09', days: 5, price: 110_010_000n, amount: -550n },
    ]);
    expect(logged).toContain('AAPL borrow fee: 5 nights short 100 at 110.01, 3.6% a year: $5.50');
    expect(rig.engine.risk().borrowRate).toBe('3.6');
  });

  it('charge nothing by default, nor for a long, nor for a short covered the same day', async () => {
    const events = [quote('AAPL', T0, 100, 100.02), quote('MSFT', T0, 200, 200.02), quote('AAPL', T0 + DAY, 100, 100.02)];
    const off = await engineRig(events, { ...margin, symbols: ['AAPL', 'MSFT'] });
    await off.step(2);
    await off.place({ symbol: 'AAPL', side: 'sell', qty: 100 });
    await off.step();
    expect(off.snapshot().portfolio.cash).toBe('110000.00');
    const on = await engineRig(events, { ...margin, symbols: ['AAPL', 'MSFT'], borrowRate: 3.6 });
    await on.step(2);
    await on.place({ symbol: 'MSFT', side: 'buy', qty: 10 });
    await on.place({ symbol: 'AAPL', side: 'sell', qty: 100 });
    await on.place({ symbol: 'AAPL', side: 'buy', qty: 100 });
    await on.step();
    expect(on.engine.corporateActions()).toEqual([]);
  });

  it('refuse a rate that is not a percent, naming it, and turn off with "off"', async () => {
    await expect(engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, borrowRate: 'lots' })).rejects.toThrow(
      'the borrow rate must be a percent a year above 0 and at most 100, such as 3 or 0.25, or off; got "lots"',
    );
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, borrowRate: '2.5%' });
    expect(rig.engine.risk().borrowRate).toBe('2.5');
    expect(rig.engine.setBorrowRate('off').borrowRate).toBeNull();
    expect(() => rig.engine.setBorrowRate(-1)).toThrow('the borrow rate must be a percent a year above 0');
  });
});

describe('borrow fees across a restart', () => {
  const { open, close } = accountRigs();
  const DAY = 86_400_000;

  it('charge the nights paper-trader was not running at the first event after, and rebuild to the same books', async () => {
    const first = await open([quote('AAPL', T0, 100, 100.02)], { ...margin, borrowRate: '3.6' });
    await first.step();
    await first.place({ symbol: 'AAPL', side: 'sell', qty: 100 });
    await close(first);
    // Thursday: 2 nights since Tuesday, at the short's own price (no price seen since the restart).
    const second = await open([quote('AAPL', T0 + 2 * DAY, 90, 90.02)]);
    await second.step();
    expect(second.snapshot().portfolio).toMatchObject({ cash: '109998.00', realizedPnl: '-2.00' });
    expect(second.engine.risk().borrowRate).toBe('3.6');
    const books = second.snapshot().portfolio;
    await close(second);
    const third = await open([quote('AAPL', T0 + 2 * DAY + 1000, 90, 90.02)]);
    await third.step();
    expect(third.snapshot().portfolio).toMatchObject({ cash: books.cash, realizedPnl: books.realizedPnl, positions: [{ qty: '-100', costBasis: '-10000.00' }] });
    expect(third.engine.corporateActions()).toHaveLength(1);
  });
});

describe('risk limits on a margin account', () => {
  it('count a short toward the max position value, and always take a cover', async () => {
    const rig = await engineRig([quote('AAPL', T0, 100, 100.02)], { ...margin, riskLimits: { maxPositionValue: '15000' } });
    await rig.step();
    expect(await rig.place({ symbol: 'AAPL', side: 'sell', qty: 100 })).toMatchObject({ status: 'filled' });
    const more = await rig.place({ symbol: 'AAPL', side: 'sell', qty: 60 });
    expect(more.reason).toBe("AAPL would be worth $16,000.00 with this order (160 at about 100.00), over the account's max position value of $15,000.00 per symbol");
    rig.engine.engageKillSwitch();
    expect(await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100 })).toMatchObject({ status: 'filled' });
  });
});
