import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FOREX_QUOTE_SIZE, STOCK_ROUND_LOT } from '../market/polygon-events.ts';
import type { TickKind, TickRow } from '../market/polygon-rest.ts';
import type { ReplaySession } from '../market/replay-file.ts';
import { assetClassOf } from '../market/symbols.ts';
import { stockPrintEligibility } from '../market/trade-conditions.ts';
import type { MarketEvent, PrintEligibility } from '../market/types.ts';
import { decimalPrice, fileSafe, LazyDuckDb, microsOf, sqlList, sqlString, type Items } from './duckdb.ts';
import { tickColumns } from './tick-rows.ts';

// Trades and quotes a backtest plays, kept as Parquet beside the bars: a file per kind, symbol and
// New York day, `history/quotes/AAPL/2025-06-02.parquet`, so a second run downloads nothing and a
// user can query them with DuckDB (SELECT * FROM 'history/trades/AAPL/*.parquet').
// quotes: ticker, time (TIMESTAMP_NS, UTC), sequence, bid_price, bid_size, ask_price, ask_size, bid_exchange, ask_exchange
// trades: ticker, time, sequence, price, size, exchange, conditions (INTEGER[], Polygon's sale condition ids)
// Prices are exact DECIMAL(18,6); sizes as Polygon sends them (a stock quote's in round lots; none for forex).

/** Rows given to DuckDB at a time (its vector size). */
const CHUNK_ROWS = 2048;
/** Events a batch of the replay holds: small enough to die young in the garbage collector. */
const BATCH = 4096;
const NS_PER_MS = 1_000_000n;

/** Unix ms as the nanoseconds Polygon's trades and quotes are timed in. */
export const nanosOf = (ms: number): bigint => BigInt(ms) * NS_PER_MS;

const STAGED: Record<TickKind, string> = {
  quotes: 'time BIGINT, sequence BIGINT, bid BIGINT, ask BIGINT, bid_size DOUBLE, ask_size DOUBLE, bid_exchange INTEGER, ask_exchange INTEGER',
  trades: 'time BIGINT, sequence BIGINT, price BIGINT, size DOUBLE, exchange INTEGER, conditions INTEGER[]',
};
const STORED: Record<TickKind, string> = {
  quotes: `${decimalPrice('bid', 'bid_price')}, bid_size, ${decimalPrice('ask', 'ask_price')}, ask_size, bid_exchange, ask_exchange`,
  trades: `${decimalPrice('price')}, size, exchange, conditions`,
};

/** What a backtest on ticks plays: these symbols' files of these days, in [fromNs, toNs]. */
export interface TickSessionRequest {
  readonly symbols: readonly string[];
  /** The kinds each symbol has (stocks: quotes and trades, or trades; crypto trades; forex quotes). */
  readonly kindsOf: (symbol: string) => readonly TickKind[];
  readonly days: readonly string[];
  readonly fromNs: bigint;
  readonly toNs: bigint;
}

export class TickCache {
  readonly #dir: string;
  readonly #duckdb = new LazyDuckDb();

  /** `dir`: the cache's folder (the data directory's `history`). */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The file of one symbol's trades or quotes of one New York day ("2025-06-02"). */
  file(symbol: string, kind: TickKind, day: string): string {
    return join(this.#dir, kind, fileSafe(symbol), `${day}.parquet`);
  }

  has(symbol: string, kind: TickKind, day: string): boolean {
    return existsSync(this.file(symbol, kind, day));
  }

  /**
   * Saves a day of trades or quotes as `download` hands them over, a page at a time (none is a day
   * known empty), replacing the file whole: a reader never sees half of one.
   */
  async write(symbol: string, kind: TickKind, day: string, download: (append: (rows: readonly TickRow[]) => void) => Promise<void>): Promise<void> {
    const db = await this.#duckdb.connection();
    const { DuckDBDataChunk, BIGINT, DOUBLE, INTEGER, LIST, listValue } = await import('@duckdb/node-api');
    const file = this.file(symbol, kind, day);
    mkdirSync(dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    await db.run(`CREATE OR REPLACE TEMP TABLE staged (${STAGED[kind]})`);
    try {
      const appender = await db.createAppender('staged');
      let rows = 0;
      const appending = download((page) => {
        for (let from = 0; from < page.length; from += CHUNK_ROWS) {
          const part = page.slice(from, from + CHUNK_ROWS);
          if (kind === 'quotes') {
            const q = tickColumns('quotes', symbol, part, rows);
            const chunk = DuckDBDataChunk.create([BIGINT, BIGINT, BIGINT, BIGINT, DOUBLE, DOUBLE, INTEGER, INTEGER], part.length);
            chunk.setColumns([q.time, q.sequence, q.bid, q.ask, q.bidSize, q.askSize, q.bidExchange, q.askExchange]);
            appender.appendDataChunk(chunk);
          } else {
            const t = tickColumns('trades', symbol, part, rows);
            const chunk = DuckDBDataChunk.create([BIGINT, BIGINT, BIGINT, DOUBLE, INTEGER, LIST(INTEGER)], part.length);
            chunk.setColumns([t.time, t.sequence, t.price, t.size, t.exchange, t.conditions.map((codes) => listValue(codes))]);
            appender.appendDataChunk(chunk);
          }
          rows += part.length;
        }
      });
      await appending.finally(() => appender.closeSync());
      await db.run(`COPY (SELECT ${sqlString(symbol)} AS ticker, make_timestamp_ns(time) AS time, sequence, ${STORED[kind]} FROM staged ORDER BY time, sequence) TO ${sqlString(partial)} (FORMAT parquet)`);
      renameSync(partial, file);
    } finally {
      rmSync(partial, { force: true });
      await db.run('DROP TABLE IF EXISTS staged');
    }
  }

  /** The cached trades and quotes of the request as a recorded session, read a day at a time as the replay plays it. */
  async session(request: TickSessionRequest): Promise<ReplaySession> {
    const db = await this.#duckdb.connection();
    const filesOf = (kind: TickKind, days: readonly string[]): string[] =>
      request.symbols.flatMap((symbol) => (request.kindsOf(symbol).includes(kind) ? days.map((day) => this.file(symbol, kind, day)) : [])).filter((file) => existsSync(file));
    const inRange = `time >= make_timestamp_ns(${request.fromNs}) AND time <= make_timestamp_ns(${request.toNs})`;
    const everyFile = (['quotes', 'trades'] as const).map((kind) => filesOf(kind, request.days)).filter((files) => files.length > 0);
    const times = everyFile.map((files) => `SELECT ticker, time FROM read_parquet(${sqlList(files)})`).join(' UNION ALL ');
    const summary = times === '' ? [] : await (await db.run(`SELECT ticker, count(*)::BIGINT, epoch_ms(min(time)), epoch_ms(max(time)) FROM (${times}) WHERE ${inRange} GROUP BY ticker`)).getRows();
    const seen = new Set(summary.map((row) => String(row[0])));
    const dayBatches = (day: string): AsyncGenerator<MarketEvent[]> => this.#dayBatches(request, filesOf('quotes', [day]), filesOf('trades', [day]), inRange);
    return {
      count: summary.reduce((sum, row) => sum + Number(row[1]), 0),
      symbols: request.symbols.filter((symbol) => seen.has(symbol)),
      skipped: 0,
      firstTime: Math.min(...summary.map((row) => Number(row[2]))),
      lastTime: Math.max(...summary.map((row) => Number(row[3]))),
      async *batches() {
        for (const day of request.days) yield* dayBatches(day);
      },
    };
  }

  /** One day's quotes and trades in time order, as events, a batch at a time (streamed from DuckDB: a busy day never sits in memory whole). */
  async *#dayBatches(request: TickSessionRequest, quoteFiles: string[], tradeFiles: string[], inRange: string): AsyncGenerator<MarketEvent[]> {
    if (quoteFiles.length === 0 && tradeFiles.length === 0) return;
    const { symbols } = request;
    const symbolIndex = `list_position(${sqlList(symbols)}, ticker)::INTEGER - 1`;
    const parts: string[] = [];
    if (quoteFiles.length > 0) {
      parts.push(`SELECT 0 AS kind, ${symbolIndex} AS symbol, time, sequence, ${microsOf('bid_price')} AS p1, ${microsOf('ask_price')} AS p2,
        (bid_size * 1e9)::BIGINT AS s1, (ask_size * 1e9)::BIGINT AS s2, NULL::VARCHAR AS conditions FROM read_parquet(${sqlList(quoteFiles)})`);
    }
    if (tradeFiles.length > 0) {
      parts.push(`SELECT 1 AS kind, ${symbolIndex} AS symbol, time, sequence, ${microsOf('price')} AS p1, 0 AS p2, (size * 1e9)::BIGINT AS s1, 0 AS s2,
        array_to_string(conditions, ',') AS conditions FROM read_parquet(${sqlList(tradeFiles)})`);
    }
    const db = await this.#duckdb.connection();
    const result = await db.stream(
      `SELECT kind, symbol, epoch_ms(time), p1, p2, s1, s2, conditions FROM (${parts.join(' UNION ALL ')}) WHERE ${inRange} ORDER BY time, symbol, kind, sequence`,
    );
    // A stock quote's sizes are round lots; forex quotes have none (FOREX_QUOTE_SIZE, as live).
    const lot = symbols.map((symbol) => (assetClassOf(symbol) === 'stock' ? BigInt(STOCK_ROUND_LOT) : 1n));
    const stock = symbols.map((symbol) => assetClassOf(symbol) === 'stock');
    const eligibility = new Map<string, PrintEligibility>();
    const eligibilityOf = (codes: string): PrintEligibility => {
      let known = eligibility.get(codes);
      if (!known) eligibility.set(codes, (known = stockPrintEligibility(codes.split(',').map(Number))));
      return known;
    };
    let batch: MarketEvent[] = [];
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const [kind, symbol, time, p1, p2, s1, s2, conditions] = [0, 1, 2, 3, 4, 5, 6, 7].map((index) => chunk.getColumnVector(index) as unknown as Items) as Items[] & { length: 8 };
      const rows = chunk.rowCount;
      for (let i = 0; i < rows; i++) {
        const index = Number(symbol!.getItem(i));
        const at = Number(time!.getItem(i));
        if (kind!.getItem(i) === 0) {
          const bidSize = s1!.getItem(i) as bigint | null;
          const askSize = s2!.getItem(i) as bigint | null;
          batch.push({
            kind: 'quote',
            symbol: symbols[index]!,
            bid: p1!.getItem(i) as bigint,
            ask: p2!.getItem(i) as bigint,
            bidSize: bidSize === null ? FOREX_QUOTE_SIZE : bidSize * lot[index]!,
            askSize: askSize === null ? FOREX_QUOTE_SIZE : askSize * lot[index]!,
            time: at,
          });
        } else {
          const codes = conditions!.getItem(i) as string | null;
          const trade = { kind: 'trade' as const, symbol: symbols[index]!, price: p1!.getItem(i) as bigint, size: s1!.getItem(i) as bigint, time: at };
          // A stock print's conditions decide what it may update, as on the live stream; a regular sale has none.
          batch.push(stock[index] && codes ? { ...trade, eligibility: eligibilityOf(codes) } : trade);
        }
        if (batch.length === BATCH) {
          yield batch;
          batch = [];
        }
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** Ends the DuckDB connection (the process may exit without it). */
  close(): void {
    this.#duckdb.close();
  }
}
