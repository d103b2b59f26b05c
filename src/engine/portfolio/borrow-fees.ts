// Stock borrow fees, off unless a rate is set: a short held overnight pays, for each calendar day,
// its value at the last price × the annual rate / 360, as Alpaca charges them.
// https://docs.alpaca.markets/docs/margin-and-short-selling#stock-borrow-fees
import { divRound, formatFixed, parseDecimal, type Cents } from '../money.ts';

/** A rate is kept in ten-thousandths of a percent: "0.25" (percent a year) is 2500. */
const RATE_DECIMALS = 4;
const DAYS_A_YEAR = 360n;

export type BorrowRate = bigint;

/** A rate as a person gives it ("3", "0.25%"): its value, or why it is not one. */
export function readBorrowRate(value: unknown, label = 'the borrow rate'): { rate: BorrowRate } | { error: string } {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().replace(/%$/, '') : undefined;
  const parsed = text === undefined ? undefined : parseDecimal(text, RATE_DECIMALS);
  if (!parsed?.ok || parsed.value <= 0n || parsed.value > 100n * 10n ** BigInt(RATE_DECIMALS)) {
    return { error: `${label} must be a percent a year above 0 and at most 100, such as 3 or 0.25, or off; got ${JSON.stringify(value)?.slice(0, 40)}` };
  }
  return { rate: parsed.value };
}

/** A rate as a setting takes it: null or "off" is none (undefined); else readBorrowRate's. */
export function readBorrowRateSetting(value: unknown, label?: string): { rate: BorrowRate | undefined } | { error: string } {
  if (value === null || (typeof value === 'string' && value.trim().toLowerCase() === 'off')) return { rate: undefined };
  return readBorrowRate(value, label);
}

export const formatBorrowRate = (rate: BorrowRate): string => formatFixed(rate, RATE_DECIMALS);

/** What `days` of borrowing `value` (the short's worth, positive) cost at `rate`, rounded to the cent half away from zero. */
export function borrowFee(value: Cents, rate: BorrowRate, days: number): Cents {
  return divRound(value * rate * BigInt(days), 100n * 10n ** BigInt(RATE_DECIMALS) * DAYS_A_YEAR);
}
