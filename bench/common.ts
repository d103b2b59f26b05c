// What several benchmarks share: the watchlist, the strategy they run, and how they report.

/** 50 made-up tickers: SYMA0 … SYMZ0, SYMA1 … SYMX1. */
export const SYMBOLS = Array.from({ length: 50 }, (_, i) => `SYM${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);

/** The strategy the engine benchmarks run, as createEngine options. */
export const STRATEGY = { strategy: 'sma-crossover', strategyParams: { shortWindow: 10, longWindow: 30, allocation: 0.02 } };

/** The q-quantile (0.5 = median) of ascending `sorted`; NaN when it is empty. */
export const percentile = (sorted: ArrayLike<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** A count or rate, rounded, with thousands separators: 12,345. */
export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
