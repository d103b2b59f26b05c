import { divRound, type Price } from '../money.ts';
import type { Side } from '../orders/order.ts';

export interface SlippageModel {
  /** The price a market-style fill actually gets: worse than the quote for the taker. */
  apply(price: Price, side: Side): Price;
}

export function createSlippageModel(bps: number): SlippageModel {
  if (!Number.isInteger(bps * 100) || bps < 0) throw new RangeError(`slippage must be >= 0 basis points with at most 2 decimals, got ${bps}`);
  if (bps === 0) return { apply: (price) => price };
  const hundredthsOfBps = BigInt(Math.round(bps * 100));
  return {
    apply: (price, side) => {
      const shift = divRound(price * hundredthsOfBps, 1_000_000n);
      return side === 'buy' ? price + shift : price - shift;
    },
  };
}
