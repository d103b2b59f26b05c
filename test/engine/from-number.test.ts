import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromNumber, fromNumberText, PRICE_DECIMALS, QTY_DECIMALS } from '../../src/engine/money.ts';

describe('fromNumber', () => {
  it('takes its float shortcut only where it rounds exactly like the decimal text', () => {
    const values = fc.oneof(
      fc.double({ min: 0, max: 1e12, noNaN: true }),
      fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1e6),
      fc.integer({ min: 0, max: 100_000_000 }).map((n) => (n + 0.5) / 1e6),
      fc.integer({ min: 0, max: 100_000_000 }).map((n) => (n + 0.5) / 1e9),
    );
    fc.assert(fc.property(values, (value) => {
      expect(fromNumber(value, PRICE_DECIMALS)).toBe(fromNumberText(value, PRICE_DECIMALS));
      expect(fromNumber(value, QTY_DECIMALS)).toBe(fromNumberText(value, QTY_DECIMALS));
    }), { numRuns: 20_000 });
  });

  it('rounds a half micro away from zero', () => {
    expect(fromNumber(0.0000005, PRICE_DECIMALS)).toBe(1n);
    expect(fromNumber(1.0000005, PRICE_DECIMALS)).toBe(1_000_001n);
  });
});
