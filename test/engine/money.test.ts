import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  affordableQty,
  CENT_DECIMALS,
  divRound,
  formatCents,
  formatFixed,
  formatPrice,
  formatQty,
  fromNumber,
  notional,
  parseDecimal,
  PRICE_DECIMALS,
  QTY_DECIMALS,
} from '../../src/engine/money.ts';

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

/** Half away from zero, computed on magnitudes: floor((2|n| + |d|) / 2|d|), then the sign. */
function referenceDivRound(numerator: bigint, denominator: bigint): bigint {
  const magnitude = (2n * abs(numerator) + abs(denominator)) / (2n * abs(denominator));
  return (numerator < 0n) !== (denominator < 0n) ? -magnitude : magnitude;
}

const ok = (value: bigint) => ({ ok: true, value });

describe('parseDecimal', () => {
  it('parses decimal text exactly at the given scale', () => {
    expect(parseDecimal('10.50', CENT_DECIMALS)).toEqual(ok(1050n));
    expect(parseDecimal('0.000001', PRICE_DECIMALS)).toEqual(ok(1n));
    expect(parseDecimal('123456789.123456789', QTY_DECIMALS)).toEqual(ok(123_456_789_123_456_789n));
    expect(parseDecimal('7', QTY_DECIMALS)).toEqual(ok(7_000_000_000n));
    expect(parseDecimal('  42.1  ', CENT_DECIMALS)).toEqual(ok(4210n));
    // Far beyond 2^53: no float is ever involved.
    expect(parseDecimal('90071992547409931.23', CENT_DECIMALS)).toEqual(ok(9_007_199_254_740_993_123n));
  });

  it('accepts trailing zeros beyond the scale, since they change nothing', () => {
    expect(parseDecimal('10.500000', CENT_DECIMALS)).toEqual(ok(1050n));
    expect(parseDecimal('1.0000000000', PRICE_DECIMALS)).toEqual(ok(1_000_000n));
  });

  it('rejects more significant decimals than the scale instead of rounding', () => {
    expect(parseDecimal('10.0000001', PRICE_DECIMALS)).toEqual({ ok: false, error: 'has more than 6 decimals' });
    expect(parseDecimal('0.001', CENT_DECIMALS)).toEqual({ ok: false, error: 'has more than 2 decimals' });
    expect(parseDecimal('1.0000000001', QTY_DECIMALS)).toEqual({ ok: false, error: 'has more than 9 decimals' });
    expect(parseDecimal(0.125, CENT_DECIMALS)).toEqual({ ok: false, error: 'has more than 2 decimals' });
  });

  it('reads a leading + or - sign', () => {
    expect(parseDecimal('-1.5', CENT_DECIMALS)).toEqual(ok(-150n));
    expect(parseDecimal('+1.5', CENT_DECIMALS)).toEqual(ok(150n));
    expect(parseDecimal('-0.000000001', QTY_DECIMALS)).toEqual(ok(-1n));
    expect(parseDecimal(-2.25, CENT_DECIMALS)).toEqual(ok(-225n));
  });

  it('parses finite numbers through their decimal text, exponents included', () => {
    expect(parseDecimal(0.1, CENT_DECIMALS)).toEqual(ok(10n));
    expect(parseDecimal(1e-7, QTY_DECIMALS)).toEqual(ok(100n));
    expect(parseDecimal(2.5e-9, 10)).toEqual(ok(25n));
    expect(parseDecimal(1e-7, PRICE_DECIMALS)).toEqual({ ok: false, error: 'has more than 6 decimals' });
    expect(parseDecimal(100_000, CENT_DECIMALS)).toEqual(ok(10_000_000n));
    expect(parseDecimal(1e21, 0)).toEqual(ok(10n ** 21n));
  });

  it('rejects junk with "is not a number"', () => {
    const junk: unknown[] = [
      '', ' ', 'abc', '1e5', '1E-7', '.5', '1.', '1,000', '1 000', '--1', '+-1', '0x10', '1.2.3', '$5', '5$', 'Infinity', 'NaN',
      Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null, undefined, {}, [], true, 10n,
    ];
    for (const input of junk) expect(parseDecimal(input, CENT_DECIMALS), String(input)).toEqual({ ok: false, error: 'is not a number' });
  });
});

describe('fromNumber', () => {
  it('rounds half away from zero at the given scale', () => {
    expect(fromNumber(1.005, CENT_DECIMALS)).toBe(101n); // the float is 1.00499999…, its shortest text is 1.005
    expect(fromNumber(-1.005, CENT_DECIMALS)).toBe(-101n);
    expect(fromNumber(1.004, CENT_DECIMALS)).toBe(100n);
    expect(fromNumber(-1.004, CENT_DECIMALS)).toBe(-100n);
    expect(fromNumber(2.5, 0)).toBe(3n);
    expect(fromNumber(-2.5, 0)).toBe(-3n);
    expect(fromNumber(0.0000005, PRICE_DECIMALS)).toBe(1n);
    expect(fromNumber(0.0000004999, PRICE_DECIMALS)).toBe(0n);
    expect(fromNumber(123.456789, PRICE_DECIMALS)).toBe(123_456_789n);
    expect(fromNumber(0, QTY_DECIMALS)).toBe(0n);
  });

  it('handles numbers whose text has an exponent (1e-7 style)', () => {
    expect(String(1e-7)).toBe('1e-7');
    expect(fromNumber(1e-7, PRICE_DECIMALS)).toBe(0n);
    expect(fromNumber(1e-7, 7)).toBe(1n);
    expect(fromNumber(1e-7, QTY_DECIMALS)).toBe(100n);
    expect(fromNumber(5e-7, PRICE_DECIMALS)).toBe(1n);
    expect(fromNumber(-5e-7, PRICE_DECIMALS)).toBe(-1n);
    expect(fromNumber(1.5e-7, 7)).toBe(2n);
    expect(fromNumber(-1.5e-7, 7)).toBe(-2n);
    expect(fromNumber(2.5e-10, QTY_DECIMALS)).toBe(0n);
    expect(fromNumber(5e-10, QTY_DECIMALS)).toBe(1n);
    expect(fromNumber(1e-300, QTY_DECIMALS)).toBe(0n);
  });

  it('rounds the shortest decimal text once, not a pre-rounded copy of it', () => {
    // 0.00000014999999999999994 is below the half: it must not become 0.00000015 first.
    expect(String(1.4999999999999994e-7)).toBe('1.4999999999999994e-7');
    expect(fromNumber(1.4999999999999994e-7, 7)).toBe(1n);
    expect(fromNumber(-1.4999999999999994e-7, 7)).toBe(-1n);
  });

  it('converts numbers of 1e21 and above, which print with an exponent, at full size', () => {
    expect(fromNumber(1e21, CENT_DECIMALS)).toBe(10n ** 23n);
    expect(fromNumber(1.5e21, 0)).toBe(15n * 10n ** 20n);
    expect(fromNumber(-1.25e22, 1)).toBe(-125n * 10n ** 21n);
  });

  it('refuses NaN and infinities instead of returning zero', () => {
    expect(() => fromNumber(Number.NaN, CENT_DECIMALS)).toThrow(RangeError);
    expect(() => fromNumber(Number.POSITIVE_INFINITY, CENT_DECIMALS)).toThrow(RangeError);
    expect(() => fromNumber(Number.NEGATIVE_INFINITY, QTY_DECIMALS)).toThrow(RangeError);
  });

  it('returns exactly the units of any number that is already on the scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 9 }), (units, decimals) => {
        const value = Number(formatFixed(units, decimals));
        expect(fromNumber(value, decimals)).toBe(units);
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with rounding the decimal text by hand', () => {
    // Decimal text with one more digit than the scale: the extra digit alone decides the rounding.
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 8 }), (tenths, decimals) => {
        const value = Number(formatFixed(tenths, decimals + 1));
        expect(fromNumber(value, decimals)).toBe(referenceDivRound(tenths, 10n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('divRound', () => {
  it('rounds halves away from zero for every sign combination', () => {
    expect(divRound(5n, 2n)).toBe(3n);
    expect(divRound(-5n, 2n)).toBe(-3n);
    expect(divRound(5n, -2n)).toBe(-3n);
    expect(divRound(-5n, -2n)).toBe(3n);
    expect(divRound(7n, 3n)).toBe(2n);
    expect(divRound(-7n, 3n)).toBe(-2n);
    expect(divRound(8n, 3n)).toBe(3n);
    expect(divRound(-8n, -3n)).toBe(3n);
    expect(divRound(8n, -3n)).toBe(-3n);
    expect(divRound(0n, -3n)).toBe(0n);
    expect(divRound(1n, 3n)).toBe(0n);
    expect(divRound(-1n, 3n)).toBe(0n);
    expect(divRound(1n, 2n)).toBe(1n);
    expect(divRound(-1n, -2n)).toBe(1n);
  });

  it('matches a bigint reference for random numerators and denominators of any sign', () => {
    const big = fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n });
    const small = fc.bigInt({ min: -1000n, max: 1000n });
    const denominator = fc.oneof(small, big).filter((d) => d !== 0n);
    fc.assert(
      fc.property(fc.oneof(small, big), denominator, (n, d) => {
        expect(divRound(n, d)).toBe(referenceDivRound(n, d));
      }),
      { numRuns: 5000 },
    );
  });

  it('matches the reference exactly at the halfway points', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.boolean(), (q, half, negate) => {
        const d = negate ? -2n * half : 2n * half;
        const n = q * 2n * half + half; // exactly q + 1/2 times 2·half
        expect(divRound(n, d)).toBe(referenceDivRound(n, d));
        expect(divRound(-n, d)).toBe(-divRound(n, d));
      }),
      { numRuns: 2000 },
    );
  });

  it('throws on a zero denominator rather than inventing a value', () => {
    expect(() => divRound(1n, 0n)).toThrow(RangeError);
  });
});

describe('notional', () => {
  const price = (text: string): bigint => (parseDecimal(text, PRICE_DECIMALS) as { value: bigint }).value;
  const qty = (text: string): bigint => (parseDecimal(text, QTY_DECIMALS) as { value: bigint }).value;

  it('is price × qty rounded to the cent, half away from zero', () => {
    expect(notional(price('10.005'), qty('1'))).toBe(1001n);
    expect(notional(price('10.004999'), qty('1'))).toBe(1000n);
    expect(notional(price('33.333333'), qty('3'))).toBe(10_000n);
    expect(notional(price('0.0001'), qty('49'))).toBe(0n);
    expect(notional(price('0.0001'), qty('50'))).toBe(1n);
    expect(notional(price('95000.01'), qty('0.000000001'))).toBe(0n);
    expect(notional(price('95000.01'), qty('0.12345678'))).toBe(1_172_840n) // 11728.3953345678;
    expect(notional(price('1.08'), qty('1000000'))).toBe(108_000_000n);
  });

  it('matches an exact rational reference for random prices and quantities', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 18n }), (p, q) => {
        expect(notional(p, q)).toBe(referenceDivRound(p * q, 10n ** 13n));
      }),
      { numRuns: 2000 },
    );
  });

  it('affordableQty gives whole lots whose exact cost fits, and one more lot would not', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 10n }),
        fc.bigInt({ min: 1n, max: 10n ** 11n }),
        fc.constantFrom(1n, 1_000_000_000n),
        (cents, p, lot) => {
          const q = affordableQty(cents, p, lot);
          expect(q >= 0n).toBe(true);
          expect(q % lot).toBe(0n);
          expect(p * q <= cents * 10n ** 13n).toBe(true);
          expect(notional(p, q) <= cents).toBe(true);
          if (cents > 0n) expect(p * (q + lot) > cents * 10n ** 13n).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('formatting', () => {
  it('formats cents with exactly two decimals', () => {
    expect(formatCents(0n)).toBe('0.00');
    expect(formatCents(5n)).toBe('0.05');
    expect(formatCents(-5n)).toBe('-0.05');
    expect(formatCents(-100n)).toBe('-1.00');
    expect(formatCents(10_000_000n)).toBe('100000.00');
  });

  it('formats prices with two to six decimals', () => {
    expect(formatPrice(1_500_000n)).toBe('1.50');
    expect(formatPrice(1_234_567n)).toBe('1.234567');
    expect(formatPrice(1_234_500n)).toBe('1.2345');
    expect(formatPrice(1n)).toBe('0.000001');
    expect(formatPrice(-1n)).toBe('-0.000001');
    expect(formatPrice(95_000_000_000n)).toBe('95000.00');
  });

  it('formats quantities without trailing zeros', () => {
    expect(formatQty(0n)).toBe('0');
    expect(formatQty(1_000_000_000n)).toBe('1');
    expect(formatQty(1n)).toBe('0.000000001');
    expect(formatQty(1_500_000_000n)).toBe('1.5');
    expect(formatQty(-250_000_000n)).toBe('-0.25');
  });

  it('round-trips: parseDecimal(format(x)) === x for cents, prices and quantities', () => {
    const amount = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }));
    fc.assert(
      fc.property(amount, (x) => {
        expect(parseDecimal(formatCents(x), CENT_DECIMALS)).toEqual(ok(x));
        expect(parseDecimal(formatPrice(x), PRICE_DECIMALS)).toEqual(ok(x));
        expect(parseDecimal(formatQty(x), QTY_DECIMALS)).toEqual(ok(x));
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips formatFixed at any scale and keeps at least minDecimals and no needless zeros', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }),
        fc.integer({ min: 0, max: 12 }).chain((d) => fc.tuple(fc.constant(d), fc.integer({ min: 0, max: d }))),
        (x, [decimals, minDecimals]) => {
          const text = formatFixed(x, decimals, minDecimals);
          expect(parseDecimal(text, decimals)).toEqual(ok(x));
          expect(text).toMatch(/^-?(0|[1-9]\d*)(\.\d+)?$/);
          const fraction = text.split('.')[1] ?? '';
          expect(fraction.length).toBeGreaterThanOrEqual(minDecimals);
          expect(fraction.length).toBeLessThanOrEqual(decimals);
          if (fraction.length > minDecimals) expect(fraction.endsWith('0')).toBe(false);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
