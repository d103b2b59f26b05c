// The bars the backtest benchmark feeds paper-trader and its peer alike: a seeded random walk of
// minute bars, prices in whole cents, the same in every process that asks.

export interface PlainBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const BENCH_SYMBOLS = Array.from({ length: 10 }, (_, i) => `SYM${String.fromCharCode(65 + i)}`);
export const BARS_PER_SYMBOL = 50_000;
const START = Date.parse('2025-01-02T14:30:00Z');

/** Each symbol's bars, a minute apart, from a seeded generator. */
export function benchBars(symbols = BENCH_SYMBOLS, perSymbol = BARS_PER_SYMBOL): PlainBar[][] {
  let seed = 1;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const cents = (value: number): number => Math.round(value * 100) / 100;
  return symbols.map(() => {
    let price = 100;
    return Array.from({ length: perSymbol }, (_, i) => {
      const open = price;
      const close = Math.max(1, cents(open * (1 + (random() - 0.5) * 0.004)));
      const high = cents(Math.max(open, close) + random() * 0.05);
      const low = cents(Math.min(open, close) - random() * 0.05);
      price = close;
      return { time: START + i * 60_000, open, high, low, close, volume: 1_000 + Math.floor(random() * 5_000) };
    });
  });
}
