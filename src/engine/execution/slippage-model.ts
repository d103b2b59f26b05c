import { divRound, parseDecimal, type Price } from '../money.ts';
import type { Side } from '../orders/order.ts';

export interface SlippageModel {
  /** The price a market-style fill actually gets: worse than the quote for the taker. */
  apply(price: Price, side: Side): Price;
}

/** More than 10% is surely a typo (1000 bps), and at 100% a sell would fill at zero. */
const MAX_SLIPPAGE_BPS = 1000n * 100n;

export function createSlippageModel(bps: number): SlippageModel {
  const parsed = parseDecimal(typeof bps === 'number' ? bps : String(bps), 2);
  if (!parsed.ok || parsed.value < 0n || parsed.value > MAX_SLIPPAGE_BPS) {
    throw new RangeError(`slippage must be 0 to 1000 basis points with at most 2 decimals, got ${String(bps)}`);
  }
  const hundredthsOfBps = parsed.value;
  if (hundredthsOfBps === 0n) return { apply: (price) => price };
  return {
    apply: (price, side) => {
      const shift = divRound(price * hundredthsOfBps, 1_000_000n);
      return side === 'buy' ? price + shift : price - shift;
    },
  };
}
