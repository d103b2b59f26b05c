import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal, PRICE_DECIMALS, QTY_DECIMALS, type Price } from '../../src/engine/money.ts';
import { Ledger, valuePortfolio, type LedgerEntry } from '../../src/engine/portfolio/ledger.ts';
import { PositionAttribution } from '../../src/engine/portfolio/attribution.ts';
import { averagePrice, portfolioView, positionView } from '../../src/engine/snapshot.ts';

const exact = (text: string, decimals: number): bigint => {
  const parsed = parseDecimal(text, decimals);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.value;
};
const usd = (text: string): bigint => exact(text, 2);
const px = (text: string): bigint => exact(text, PRICE_DECIMALS);
const qty = (text: string): bigint => exact(text, QTY_DECIMALS);

const entry = (symbol: string, side: 'buy' | 'sell', quantity: string, price: string, fee = '0'): LedgerEntry => ({
  symbol,
  side,
  qty: qty(quantity),
  price: px(price),
  fee: usd(fee),
});

/** cash + Σ cost basis = starting cash + realized PnL − fees: the ledger's own identity. */
function identityHolds(ledger: Ledger): boolean {
  let basis = 0n;
  for (const position of ledger.positions.values()) basis += position.costBasis;
  return ledger.cash + basis === ledger.startingCash + ledger.realizedPnl - ledger.feesPaid;
}

describe('Ledger cost basis', () => {
  it('records the cents actually paid as the basis; fees reduce cash but not the basis', () => {
    const ledger = new Ledger(usd('1000'));
    const result = ledger.apply(entry('AAPL', 'buy', '3', '10.005', '1.00'));
    expect(result).toEqual({ notional: 3002n, realizedPnl: 0n }); // 30.015 rounds half away to 30.02
    expect(ledger.cash).toBe(usd('1000') - 3002n - 100n);
    expect(ledger.positions.get('AAPL')).toEqual({ symbol: 'AAPL', qty: qty('3'), costBasis: 3002n });
    expect(ledger.feesPaid).toBe(100n);
    expect(identityHolds(ledger)).toBe(true);
  });

  it('releases thirds of a basis pro rata, rounding half away, and the last unit releases the rest', () => {
    // 3 × 33.333333 = 99.999999 → $100.00 paid; thirds of 10 000 cents do not divide evenly.
    const ledger = new Ledger(usd('1000'));
    expect(ledger.apply(entry('AAPL', 'buy', '3', '33.333333')).notional).toBe(10_000n);

    const first = ledger.apply(entry('AAPL', 'sell', '1', '33.333333'));
    // notional 33.333333 → 3333; released round(10000 / 3) = 3333.
    expect(first).toEqual({ notional: 3333n, realizedPnl: 0n });
    expect(ledger.positions.get('AAPL')!.costBasis).toBe(6667n);

    const second = ledger.apply(entry('AAPL', 'sell', '1', '33.333333'));
    // released round(6667 / 2) = round(3333.5) = 3334, so this sale realizes −$0.01.
    expect(second).toEqual({ notional: 3333n, realizedPnl: -1n });
    expect(ledger.positions.get('AAPL')!.costBasis).toBe(3333n);

    const third = ledger.apply(entry('AAPL', 'sell', '1', '33.333333'));
    expect(third).toEqual({ notional: 3333n, realizedPnl: 0n });
    expect(ledger.positions.has('AAPL')).toBe(false);

    const released = [first, second, third].reduce((sum, r) => sum + r.notional - r.realizedPnl, 0n);
    expect(released).toBe(10_000n); // exactly the cents paid, not a cent lost or invented
    expect(ledger.realizedPnl).toBe(-1n); // paid 100.00, got back 3 × 33.33
    expect(ledger.cash).toBe(usd('1000') - 1n);
    expect(identityHolds(ledger)).toBe(true);
  });

  it('realizes gains and losses against the released basis', () => {
    const ledger = new Ledger(usd('1000'));
    ledger.apply(entry('AAPL', 'buy', '3', '10.00'));
    expect(ledger.apply(entry('AAPL', 'sell', '1', '11.00', '0.50'))).toEqual({ notional: 1100n, realizedPnl: 100n });
    expect(ledger.apply(entry('AAPL', 'sell', '2', '9.50'))).toEqual({ notional: 1900n, realizedPnl: -100n });
    expect(ledger.realizedPnl).toBe(0n);
    expect(ledger.feesPaid).toBe(50n);
    expect(ledger.cash).toBe(usd('1000') - 50n);
    expect(ledger.positions.size).toBe(0);
  });

  it('keeps fractional crypto positions exact to the nano and the cent', () => {
    const ledger = new Ledger(usd('100000'));
    ledger.apply(entry('X:BTCUSD', 'buy', '0.333333333', '95000.01', '31.67'));
    // 0.333333333 × 95000.01 = 31666.66995… → 31666.67
    expect(ledger.positions.get('X:BTCUSD')).toEqual({ symbol: 'X:BTCUSD', qty: 333_333_333n, costBasis: 3_166_667n });
    ledger.apply(entry('X:BTCUSD', 'sell', '0.111111111', '96000'));
    // released round(3166667 × 111111111 / 333333333) = round(1055555.66…) = 1055556
    expect(ledger.positions.get('X:BTCUSD')).toEqual({ symbol: 'X:BTCUSD', qty: 222_222_222n, costBasis: 2_111_111n });
    expect(ledger.realizedPnl).toBe(1_066_667n - 1_055_556n); // sold for 10666.666656 → 10666.67
    expect(identityHolds(ledger)).toBe(true);
  });

  it('refuses to sell more than the position, leaving the books untouched', () => {
    const ledger = new Ledger(usd('1000'));
    ledger.apply(entry('AAPL', 'buy', '1', '10'));
    const before = { cash: ledger.cash, realized: ledger.realizedPnl, fees: ledger.feesPaid, position: { ...ledger.positions.get('AAPL')! } };
    expect(() => ledger.apply(entry('AAPL', 'sell', '1.000000001', '10', '1'))).toThrow(RangeError);
    expect(() => ledger.apply(entry('MSFT', 'sell', '1', '10', '1'))).toThrow(/exceeds position 0 in MSFT/);
    expect(() => ledger.apply({ symbol: 'TSLA', side: 'buy', qty: 0n, price: px('10'), fee: 0n })).toThrow(/qty must be > 0/);
    expect({ cash: ledger.cash, realized: ledger.realizedPnl, fees: ledger.feesPaid, position: ledger.positions.get('AAPL') }).toEqual(before);
    expect([...ledger.positions.keys()]).toEqual(['AAPL']);
  });

  it('for random buys and sells, releases exactly the cents paid once a position is closed', () => {
    const trade = fc.record({
      buy: fc.boolean(),
      nanos: fc.bigInt({ min: 1n, max: 5n * 10n ** 9n }),
      micros: fc.bigInt({ min: 1n, max: 500_000_000n }),
      fee: fc.bigInt({ min: 0n, max: 500n }),
    });
    fc.assert(
      fc.property(fc.array(trade, { minLength: 1, maxLength: 40 }), fc.bigInt({ min: 1n, max: 1_000_000n }), (trades, closingMicros) => {
        const ledger = new Ledger(10n ** 12n);
        let paid = 0n;
        let received = 0n;
        for (const t of trades) {
          const held = ledger.positionQty('X');
          const nanos = t.buy ? t.nanos : t.nanos > held ? held : t.nanos;
          if (nanos === 0n) continue;
          const result = ledger.apply({ symbol: 'X', side: t.buy ? 'buy' : 'sell', qty: nanos, price: t.micros, fee: t.fee });
          if (t.buy) paid += result.notional;
          else received += result.notional;
          expect(identityHolds(ledger)).toBe(true);
          const position = ledger.positions.get('X');
          if (position) expect(position.costBasis >= 0n && position.qty > 0n).toBe(true);
        }
        const held = ledger.positionQty('X');
        if (held > 0n) received += ledger.apply({ symbol: 'X', side: 'sell', qty: held, price: closingMicros, fee: 0n }).notional;
        expect(ledger.positions.size).toBe(0);
        // Flat again: every cent paid was released, so realized PnL is exactly received − paid.
        expect(ledger.realizedPnl).toBe(received - paid);
        expect(ledger.cash).toBe(ledger.startingCash + ledger.realizedPnl - ledger.feesPaid);
      }),
      { numRuns: 500 },
    );
  });
});

describe('average price view', () => {
  it('shows cost basis ÷ qty to the micro, half away from zero', () => {
    expect(averagePrice(10_000n, qty('3'))).toBe(px('33.333333'));
    expect(averagePrice(6667n, qty('2'))).toBe(px('33.335'));
    expect(averagePrice(200n, qty('3'))).toBe(px('0.666667'));
    expect(averagePrice(1n, qty('0.000000003'))).toBe(px('3333333.333333'));
    expect(averagePrice(123n, 0n)).toBe(0n);
  });

  it('is what a position shows, next to its basis, mark and unrealized PnL', () => {
    const ledger = new Ledger(usd('1000'));
    ledger.apply(entry('AAPL', 'buy', '3', '33.333333'));
    ledger.apply(entry('AAPL', 'sell', '1', '33.333333'));
    expect(positionView(ledger.positions.get('AAPL')!, px('40.005'), ledger.realizedBySymbol.get('AAPL')!, [{ owner: 'user', qty: qty('2') }])).toEqual({
      symbol: 'AAPL',
      qty: '2',
      avgPrice: '33.335',
      costBasis: '66.67',
      lastPrice: '40.005',
      marketValue: '80.01',
      unrealizedPnl: '13.34',
      // Sold 1 for 33.33 against a third of the 100.00 basis, 33.33.
      realizedPnl: '0.00',
      attribution: [{ owner: 'user', qty: '2' }],
    });
  });

  it("shows each position's own realized PnL, kept per symbol as sells come", () => {
    const ledger = new Ledger(usd('10000'));
    ledger.apply(entry('AAPL', 'buy', '10', '100'));
    ledger.apply(entry('MSFT', 'buy', '5', '400'));
    ledger.apply(entry('AAPL', 'sell', '4', '110'));
    ledger.apply(entry('MSFT', 'sell', '1', '390'));
    expect(positionView(ledger.positions.get('AAPL')!, undefined, ledger.realizedBySymbol.get('AAPL')!, []).realizedPnl).toBe('40.00');
    expect(positionView(ledger.positions.get('MSFT')!, undefined, ledger.realizedBySymbol.get('MSFT')!, []).realizedPnl).toBe('-10.00');
    expect(ledger.realizedPnl).toBe(usd('30'));
  });

  it('shows an unpriced position at its cost with no unrealized PnL', () => {
    const ledger = new Ledger(usd('1000'));
    ledger.apply(entry('X:BTCUSD', 'buy', '0.5', '95000.01'));
    expect(positionView(ledger.positions.get('X:BTCUSD')!, undefined, 0n, [])).toEqual({
      symbol: 'X:BTCUSD',
      qty: '0.5',
      avgPrice: '95000.02', // what was paid per coin: the basis rounded up half a cent
      costBasis: '47500.01', // 47500.005 rounds half away from zero
      lastPrice: null,
      marketValue: '47500.01',
      unrealizedPnl: '0.00',
      realizedPnl: '0.00',
      attribution: [],
    });
  });
});

describe('valuePortfolio', () => {
  const marks = (table: Record<string, string>) => (symbol: string): Price | undefined =>
    table[symbol] === undefined ? undefined : px(table[symbol]!);

  it('marks priced positions to market and values unpriced ones at their cost', () => {
    const ledger = new Ledger(usd('10000'));
    ledger.apply(entry('AAPL', 'buy', '10', '100', '1'));
    ledger.apply(entry('MSFT', 'buy', '2', '400.005')); // basis 800.01
    const valuation = valuePortfolio(ledger, marks({ AAPL: '101.234567' }));
    expect(valuation).toEqual({
      marketValue: 101_235n + 80_001n, // 1012.34567 → 1012.35, MSFT at cost
      grossValue: 101_235n + 80_001n,
      unrealizedPnl: 101_235n - 100_000n,
      totalEquity: ledger.cash + 101_235n + 80_001n,
    });
    expect(ledger.cash).toBe(usd('10000') - 100_000n - 100n - 80_001n);
  });

  it("counts a short's value in the gross value as it is: what is at stake either way", () => {
    const ledger = new Ledger(usd('10000'), { shorts: true });
    ledger.apply(entry('AAPL', 'buy', '10', '100'));
    ledger.apply(entry('TSLA', 'sell', '5', '200'));
    const valuation = valuePortfolio(ledger, marks({ AAPL: '110', TSLA: '190' }));
    // Long 10 × 110 = 1,100; short 5 × 190 = -950.
    expect(valuation).toMatchObject({ marketValue: 110_000n - 95_000n, grossValue: 110_000n + 95_000n });
  });

  it('values an empty portfolio at its cash', () => {
    const ledger = new Ledger(usd('2500.50'));
    expect(valuePortfolio(ledger, () => px('1'))).toEqual({ marketValue: 0n, grossValue: 0n, unrealizedPnl: 0n, totalEquity: usd('2500.50') });
  });

  it('gives the portfolio view whose numbers satisfy cash + value = start + realized + unrealized − fees', () => {
    const ledger = new Ledger(usd('10000'));
    ledger.apply(entry('AAPL', 'buy', '10', '100', '1'));
    ledger.apply(entry('AAPL', 'sell', '4', '103.33', '1'));
    ledger.apply(entry('MSFT', 'buy', '2', '400.005'));
    const view = portfolioView(ledger, marks({ AAPL: '99.995' }), usd('123.45'), new PositionAttribution());
    expect(view).toMatchObject({
      startingCash: '10000.00',
      cash: '8611.31', // 10000 − 1000 − 1 + 413.32 − 1 − 800.01
      buyingPower: '123.45',
      marketValue: '1399.98', // 6 × 99.995 = 599.97, plus MSFT at its 800.01 cost
      totalEquity: '10011.29',
      unrealizedPnl: '-0.03',
      realizedPnl: '13.32',
      fees: '2.00',
    });
    expect(view.positions.map((p) => [p.symbol, p.qty, p.lastPrice, p.marketValue])).toEqual([
      ['AAPL', '6', '99.995', '599.97'],
      ['MSFT', '2', null, '800.01'],
    ]);
    const c = (text: string) => usd(text);
    expect(c(view.cash) + c(view.marketValue)).toBe(c(view.startingCash) + c(view.realizedPnl) + c(view.unrealizedPnl) - c(view.fees));
  });
});

describe('Ledger shorts (a margin account)', () => {
  it('opens a short for its proceeds, covers part at a profit, and crosses to long, worked out by hand', () => {
    const ledger = new Ledger(usd('1000'), { shorts: true });
    // Short 10 at 50.005: 500.05 in, less a 1.00 fee; the basis is minus the proceeds.
    expect(ledger.apply(entry('AAPL', 'sell', '10', '50.005', '1.00'))).toEqual({ notional: 50005n, realizedPnl: 0n });
    expect(ledger.cash).toBe(usd('1499.05'));
    expect(ledger.positions.get('AAPL')).toEqual({ symbol: 'AAPL', qty: qty('-10'), costBasis: -50005n });
    // Cover 4 at 40: they brought in 200.02 and cost 160.00 to buy back.
    expect(ledger.apply(entry('AAPL', 'buy', '4', '40'))).toEqual({ notional: 16000n, realizedPnl: 4002n });
    expect(ledger.positions.get('AAPL')).toEqual({ symbol: 'AAPL', qty: qty('-6'), costBasis: -30003n });
    // Buy 10 at 45: 6 cover (300.03 in, 270.00 out), 4 open a long costing 180.00.
    expect(ledger.apply(entry('AAPL', 'buy', '10', '45'))).toEqual({ notional: 45000n, realizedPnl: 3003n });
    expect(ledger.positions.get('AAPL')).toEqual({ symbol: 'AAPL', qty: qty('4'), costBasis: 18000n });
    expect(ledger.realizedPnl).toBe(7005n);
    expect(identityHolds(ledger)).toBe(true);
    // A short marked to market: 4 long at 46 is worth 184.00, unrealized +4.00.
    expect(valuePortfolio(ledger, () => px('46'))).toMatchObject({ marketValue: 18400n, unrealizedPnl: 400n });
  });

  it('a cash account still refuses to sell what it does not hold', () => {
    expect(() => new Ledger(usd('1000')).apply(entry('AAPL', 'sell', '1', '10'))).toThrow(/exceeds position/);
  });

  it('keeps cash + Σ basis = starting cash + realized − fees, and a flat position has no basis left, over random fills both ways', () => {
    const fill = fc.record({
      side: fc.constantFrom('buy' as const, 'sell' as const),
      qtyNanos: fc.bigInt({ min: 1n, max: 50_000_000_000n }),
      priceMicros: fc.bigInt({ min: 1n, max: 500_000_000n }),
      feeCents: fc.bigInt({ min: 0n, max: 500n }),
    });
    fc.assert(
      fc.property(fc.array(fill, { maxLength: 60 }), (fills) => {
        const ledger = new Ledger(usd('100000'), { shorts: true });
        let expectedQty = 0n;
        for (const f of fills) {
          ledger.apply({ symbol: 'X', side: f.side, qty: f.qtyNanos, price: f.priceMicros, fee: f.feeCents });
          expectedQty += f.side === 'buy' ? f.qtyNanos : -f.qtyNanos;
          if (!identityHolds(ledger)) return false;
          const position = ledger.positions.get('X');
          if ((position?.qty ?? 0n) !== expectedQty) return false;
          // A long's basis is positive, a short's negative; none is left on a flat position.
          if (position && (position.qty > 0n ? position.costBasis < 0n : position.costBasis > 0n)) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
