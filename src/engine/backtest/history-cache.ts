import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { intervalName, type BarInterval } from '../market/bar-interval.ts';
import type { Bar } from '../market/types.ts';
import { allocateBarColumns, type BarColumns } from './bar-columns.ts';
import { decimalPrice, fileSafe, LazyDuckDb, microsOf, sqlList, sqlString, type Items } from './duckdb.ts';

// The history a backtest plays, kept on disk as Parquet, the columnar form the field shares: one
// file per symbol, bar length and month, `history/1minute/AAPL/2025-03.parquet` under the data
// directory, so a second run downloads nothing and a user can query it with DuckDB
// (SELECT * FROM 'history/1minute/*/*.parquet'). Columns: ticker, start (TIMESTAMP, UTC), open,
// high, low, close (DECIMAL(18,6): the exact prices), volume (DOUBLE, as Polygon sends it).

/** Bars written to DuckDB at a time. */
const CHUNK_ROWS = 2048;

export class HistoryCache {
  readonly #dir: string;
  readonly #duckdb = new LazyDuckDb();

  /** `dir`: the cache's folder (the data directory's `history`). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file of one symbol's bars of one month ("2025-03"). */
  file(symbol: string, interval: BarInterval, month: string): string {
    return join(this.#dir, intervalName(interval), fileSafe(symbol), `${month}.parquet`);
  }

  has(symbol: string, interval: BarInterval, month: string): boolean {
    return existsSync(this.file(symbol, interval, month));
  }

  /** Saves a month of bars (none is a month known empty), replacing the file whole: a reader never sees half of one. */
  async write(symbol: string, interval: BarInterval, month: string, bars: readonly Bar[]): Promise<void> {
    const db = await this.#duckdb.connection();
    const { DuckDBDataChunk, BIGINT, DOUBLE } = await import('@duckdb/node-api');
    const file = this.file(symbol, interval, month);
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    await db.run('CREATE OR REPLACE TEMP TABLE staged (start BIGINT, open BIGINT, high BIGINT, low BIGINT, close BIGINT, volume DOUBLE)');
    try {
      const appender = await db.createAppender('staged');
      for (let from = 0; from < bars.length; from += CHUNK_ROWS) {
        const part = bars.slice(from, from + CHUNK_ROWS);
        const chunk = DuckDBDataChunk.create([BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, DOUBLE], part.length);
        chunk.setColumns([
          part.map((bar) => BigInt(bar.start)),
          part.map((bar) => bar.open),
          part.map((bar) => bar.high),
          part.map((bar) => bar.low),
          part.map((bar) => bar.close),
          part.map((bar) => Number(bar.volume) / 1e9),
        ]);
        appender.appendDataChunk(chunk);
      }
      appender.closeSync();
      const price = (column: string): string => decimalPrice(column);
      await db.run(
        `COPY (SELECT ${sqlString(symbol)} AS ticker, make_timestamp(start * 1000) AS start, ${price('open')}, ${price('high')}, ${price('low')}, ${price('close')}, volume
         FROM staged ORDER BY start) TO ${sqlString(partial)} (FORMAT parquet)`,
      );
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
      await db.run('DROP TABLE IF EXISTS staged');
    }
  }

  /**
   * The bars of `symbols` starting in [fromMs, toMs] from the given months' files, in the order a
   * replay plays them: by start, then in the order of `symbols`. `endOf` gives a bar's end.
   */
  async read(symbols: readonly string[], interval: BarInterval, months: readonly string[], fromMs: number, toMs: number, endOf: (start: number) => number): Promise<BarColumns> {
    const files = symbols.flatMap((symbol) => months.map((month) => this.file(symbol, interval, month))).filter((file) => existsSync(file));
    if (files.length === 0) return allocateBarColumns(symbols, 0);
    const db = await this.#duckdb.connection();
    const micros = microsOf;
    const result = await db.run(
      `SELECT list_position(${sqlList(symbols)}, ticker)::INTEGER - 1 AS symbol, epoch_ms(start) AS start,
         ${micros('open')}, ${micros('high')}, ${micros('low')}, ${micros('close')}, (volume * 1e9)::BIGINT
       FROM read_parquet(${sqlList(files)})
       WHERE start >= make_timestamp(${Math.floor(fromMs) * 1000}) AND start <= make_timestamp(${Math.floor(toMs) * 1000})
       ORDER BY start, symbol`,
    );
    let length = 0;
    for (let k = 0; k < result.chunkCount; k++) length += result.getChunk(k).rowCount;
    const columns = allocateBarColumns(symbols, length);
    let row = 0;
    for (let k = 0; k < result.chunkCount; k++) {
      const chunk = result.getChunk(k);
      const count = chunk.rowCount;
      const [symbol, start, open, high, low, close, volume] = [0, 1, 2, 3, 4, 5, 6].map((index) => chunk.getColumnVector(index) as unknown as Items) as Items[] & { length: 7 };
      for (let i = 0; i < count; i++, row++) {
        const begins = Number(start!.getItem(i));
        columns.symbol[row] = Number(symbol!.getItem(i));
        columns.start[row] = begins;
        columns.end[row] = endOf(begins);
        columns.open[row] = open!.getItem(i) as bigint;
        columns.high[row] = high!.getItem(i) as bigint;
        columns.low[row] = low!.getItem(i) as bigint;
        columns.close[row] = close!.getItem(i) as bigint;
        columns.volume[row] = volume!.getItem(i) as bigint;
      }
    }
    return columns;
  }

  /** Ends the DuckDB connection (the process may exit without it). */
  close(): void {
    this.#duckdb.close();
  }
}
