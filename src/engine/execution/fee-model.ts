import { divRound, maxBigint, parseDecimal, type Cents, type Qty } from '../money.ts';

/** Fees a person configures: none, per share with a minimum per order, or a percent of notional. */
export type FeeConfig =
  | { kind: 'zero' }
  | { kind: 'per_share'; perShare: string; minimum?: string }
  | { kind: 'percent'; percent: string };

export interface FeeModel {
  /** Total fee for an order that has filled `qty` for `notional` so far; a fill pays the increase. */
  cumulativeFee(qty: Qty, notional: Cents): Cents;
}

export const ZERO_FEES: FeeModel = { cumulativeFee: () => 0n };

// Fees are computed on the order's running totals, so a minimum is charged once per order
// (as brokers do) and partial fills never pay more rounding than one whole fill would.
export function createFeeModel(config: FeeConfig | undefined): FeeModel {
  if (!config || config.kind === 'zero') return ZERO_FEES;
  if (config.kind === 'per_share') {
    // Rates carry 6 decimals of a dollar: $0.005/share = 5000 micro-dollars.
    const perShareMicros = parseRate(config.perShare, 'perShare');
    const minimumCents = config.minimum === undefined ? 0n : divRound(parseRate(config.minimum, 'minimum'), 10_000n);
    return {
      cumulativeFee: (qty) => {
        if (qty === 0n) return 0n;
        const fee = divRound(perShareMicros * qty, 10_000n * 1_000_000_000n);
        return maxBigint(fee, minimumCents);
      },
    };
  }
  if (config.kind !== 'percent') {
    throw new RangeError(`fees kind must be zero, per_share or percent, got "${String((config as { kind?: unknown }).kind)}"`);
  }
  const percentMicros = parseRate(config.percent, 'percent');
  return { cumulativeFee: (_qty, notional) => divRound(notional * percentMicros, 100n * 1_000_000n) };
}

function parseRate(text: string, name: string): bigint {
  const parsed = parseDecimal(text, 6);
  if (!parsed.ok || parsed.value < 0n) throw new RangeError(`fee ${name} must be a number >= 0 with at most 6 decimals, got "${String(text)}"`);
  return parsed.value;
}

