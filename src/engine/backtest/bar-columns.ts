import type { ReplaySession } from '../market/replay-file.ts';
import type { Bar } from '../market/types.ts';

// A backtest's history held as columns (typed arrays), not as a million objects: about 60 bytes a
// bar instead of several hundred. The replay makes Bar objects from them a batch at a time, so a
// year of minute bars for ten symbols stays a few tens of megabytes.

/** Bars of several symbols in the order they are played: by start, then by the symbols' order. */
export interface BarColumns {
  /** The symbols, indexed by `symbol`. */
  readonly symbols: readonly string[];
  readonly length: number;
  readonly symbol: Uint16Array;
  /** Unix ms: the bar covers [start, end) and arrives at its end. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  /** Micros, as Price. */
  readonly open: BigInt64Array;
  readonly high: BigInt64Array;
  readonly low: BigInt64Array;
  readonly close: BigInt64Array;
  /** Nanos, as Qty. */
  readonly volume: BigInt64Array;
}

/** Bars a batch of the replay holds: small enough to die young in the garbage collector. */
const BATCH = 4096;

/** Empty columns for `length` bars, to be filled in place. */
export function allocateBarColumns(symbols: readonly string[], length: number): BarColumns {
  return {
    symbols,
    length,
    symbol: new Uint16Array(length),
    start: new Float64Array(length),
    end: new Float64Array(length),
    open: new BigInt64Array(length),
    high: new BigInt64Array(length),
    low: new BigInt64Array(length),
    close: new BigInt64Array(length),
    volume: new BigInt64Array(length),
  };
}

/** The bar at index i. */
export function barAt(columns: BarColumns, i: number): Bar {
  const end = columns.end[i]!;
  return {
    kind: 'bar',
    symbol: columns.symbols[columns.symbol[i]!]!,
    open: columns.open[i]!,
    high: columns.high[i]!,
    low: columns.low[i]!,
    close: columns.close[i]!,
    volume: columns.volume[i]!,
    start: columns.start[i]!,
    end,
    time: end,
  };
}

/** The columns as a recorded session: a backtest is a replay of history, through the same engine. */
export function barSession(columns: BarColumns): ReplaySession {
  const { length } = columns;
  const seen = new Set<number>();
  for (let i = 0; i < length && seen.size < columns.symbols.length; i++) seen.add(columns.symbol[i]!);
  return {
    count: length,
    symbols: columns.symbols.filter((_, index) => seen.has(index)),
    skipped: 0,
    firstTime: length > 0 ? columns.end[0]! : 0,
    lastTime: length > 0 ? columns.end[length - 1]! : 0,
    async *batches() {
      for (let from = 0; from < length; from += BATCH) {
        const to = Math.min(length, from + BATCH);
        const batch: Bar[] = new Array(to - from);
        for (let i = from; i < to; i++) batch[i - from] = barAt(columns, i);
        yield batch;
      }
    },
  };
}
