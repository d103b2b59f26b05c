import { alertFromView, alertView, type Alert } from '../alerts/alert-book.ts';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { AccountLock, AccountLockedError } from './account-lock.ts';
import { missingSaved, readSavedRecord, type SavedRecord, writeSavedRecord } from './saved-record.ts';
import { join } from 'node:path';
import type { Fill } from '../execution/paper-executor.ts';
import type { Order } from '../orders/order.ts';
import { type AccountKind, type BooksCheckpoint, type Journal, JournalError, type RecoveredAccount, type SavedStrategy } from './journal.ts';
import { actionFromRecord, actionToRecord, CorruptRecordError, fillFromRecord, fillToRecord, orderFromRecord, orderToRecord } from './records.ts';
import type { ActionRecord } from '../portfolio/corporate-actions.ts';
import type { EquityPoint } from '../portfolio/metrics.ts';
import { messageOf } from '../errors.ts';
import { seqOf } from '../history-page.ts';
import { savedRiskFrom, type SavedRisk } from '../risk/risk-guard.ts';

// The account journal in SQLite (better-sqlite3): WAL mode with synchronous=FULL, so a commit is
// on disk before it returns (~9,000 commits/s measured here). AccountLock keeps a second
// paper-trader off the account; the database itself stays readable, for `paper-trader backup`.

export const ACCOUNT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** What is wrong with an account name, or undefined when it is a plain one. */
export const accountNameProblem = (name: string): string | undefined =>
  ACCOUNT_NAME.test(name) ? undefined : `account name "${name}" is not valid: use letters, digits, '.', '_' or '-' (at most 64)`;
export const SCHEMA_VERSION = 9;
/** Staged equity points (a minute each) that make a commit of their own when nothing else does. */
const EQUITY_POINTS_A_COMMIT = 60;

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE account (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     starting_cash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     cash TEXT NOT NULL,
     realized_pnl TEXT NOT NULL,
     fees_paid TEXT NOT NULL,
     positions TEXT NOT NULL,
     market_position INTEGER NOT NULL,
     strategy TEXT,
     strategy_state TEXT,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE orders (seq INTEGER PRIMARY KEY, record TEXT NOT NULL);
   CREATE TABLE fills (seq INTEGER PRIMARY KEY, record TEXT NOT NULL);`,
  // 2: which replay the saved position belongs to.
  'ALTER TABLE account ADD COLUMN market_session TEXT;',
  // 3: the account's risk limits, kill switch and day's loss (risk-guard.ts's SavedRisk, as JSON).
  'ALTER TABLE account ADD COLUMN risk TEXT;',
  // 4: splits and dividends met (corporate-actions.ts's ActionRecord, as JSON).
  'CREATE TABLE actions (seq INTEGER PRIMARY KEY, record TEXT NOT NULL);',
  // 5: the account's kind, chosen when it is made: cash (null, every account before) or margin.
  'ALTER TABLE account ADD COLUMN kind TEXT;',
  // 6: the equity series, a point a minute (performance over the account's life, the chart after a restart).
  'CREATE TABLE equity (time INTEGER PRIMARY KEY, equity TEXT NOT NULL);',
  // 7: what the positions were worth at each point (Σ |value|), for the exposure.
  'ALTER TABLE equity ADD COLUMN gross TEXT;',
  // 8: the watchlist as the trader left it (a JSON list of symbols; null: never changed).
  'ALTER TABLE account ADD COLUMN watchlist TEXT;',
  // 9: the alerts waiting (a JSON list of AlertView; null: never set).
  'ALTER TABLE account ADD COLUMN alerts TEXT;',
];

export interface SqliteJournalOptions {
  /** The data directory; accounts live in its accounts/ folder. */
  dir: string;
  account: string;
  /** Caps the database size in pages (tests use it to reproduce a full disk). */
  maxPages?: number;
  /**
   * A run's scratch store, not an account: a backtest's history kept on disk instead of in memory.
   * Nothing is flushed to disk (synchronous=OFF) and nothing records it; it goes with the run.
   */
  scratch?: boolean;
}

/** The accounts in a data directory, by name. */
export function accountFile(dir: string, account: string): string {
  return join(dir, 'accounts', `${account}.db`);
}

/** How often the saved record is brought up to date while trading (and always on close). */
const RECORD_EVERY_MS = 2_000;
/** How soon after a commit the -wal is merged into the .db (and always on close). */
const CHECKPOINT_EVERY_MS = 5_000;
/** The -wal's size, in pages, that makes SQLite merge it at once (4 KB pages: 1 MB). */
const WAL_PAGES = 256;

export class SqliteJournal implements Journal {
  readonly account: string;
  readonly location: string;
  readonly #db: Database.Database;
  readonly #lock: AccountLock;
  readonly #orders = new Map<string, Order>();
  readonly #fills: Fill[] = [];
  readonly #actions: ActionRecord[] = [];
  readonly #equity: EquityPoint[] = [];
  #strategy: { value: SavedStrategy | null } | undefined;
  #strategyState: { value: unknown } | undefined;
  #risk: SavedRisk | undefined;
  #watchlist: readonly string[] | undefined;
  #alerts: readonly Alert[] | undefined;
  readonly #statements: ReturnType<SqliteJournal['prepare']>;
  /** How far the last run said it saved (saved-record.ts), read before SQLite opens the files. */
  readonly #record: SavedRecord | undefined;
  /** How far the files hold now. */
  #held: SavedRecord = { orders: 0, fills: 0 };
  #recordedAt = Number.NEGATIVE_INFINITY;
  #checkpointTimer: NodeJS.Timeout | undefined;
  readonly #scratch: boolean;
  readonly #dir: string;

  constructor(options: SqliteJournalOptions) {
    const problem = accountNameProblem(options.account);
    if (problem) throw new JournalError(problem);
    this.account = options.account;
    this.location = accountFile(options.dir, options.account);
    this.#scratch = options.scratch === true;
    this.#dir = options.dir;
    if (this.#scratch) forgetAtExit(options.dir);
    try {
      mkdirSync(join(options.dir, 'accounts'), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new JournalError(`cannot create the account folder in ${options.dir} (${codeOf(error)}): choose another data directory with --data-dir`);
    }
    this.#lock = this.#takeLock();
    try {
      this.#record = readSavedRecord(this.location);
      this.#db = this.#open(options);
      this.#statements = this.prepare();
    } catch (error) {
      this.#lock.release();
      throw error;
    }
  }

  #takeLock(): AccountLock {
    try {
      return AccountLock.take(this.location);
    } catch (error) {
      if (error instanceof AccountLockedError) {
        throw new JournalError(`${error.heldOpen(this.account)}: close that one first, or use another account with --account NAME`, 'locked');
      }
      throw this.#translate(error, 'open');
    }
  }

  #open(options: SqliteJournalOptions): Database.Database {
    let db: Database.Database;
    try {
      // Readers (a backup) never block a commit in WAL mode, but one opening the files holds them for a moment.
      db = new Database(this.location, { timeout: 2_000 });
    } catch (error) {
      throw this.#translate(error, 'open');
    }
    try {
      // An empty store where the record says an account was saved: refused before anything is written to it.
      if ((db.pragma('user_version', { simple: true }) as number) === 0) {
        const missing = missingSaved(this.account, this.location, this.#record, undefined);
        if (missing) throw new JournalError(missing, 'damaged');
      }
      if (options.scratch) {
        // A run's scratch store goes with its run: nothing to recover, so no journal and no syncing.
        db.pragma('journal_mode = OFF');
        db.pragma('synchronous = OFF');
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        // The -wal is merged into the .db at 1 MB and cut back to that size, besides the regular merge in commit().
        db.pragma(`wal_autocheckpoint = ${WAL_PAGES}`);
        db.pragma(`journal_size_limit = ${WAL_PAGES * (db.pragma('page_size', { simple: true }) as number)}`);
      }
      if (options.maxPages !== undefined) db.pragma(`max_page_count = ${Math.floor(options.maxPages)}`);
      // Writing now takes the exclusive lock at once, and migrates a new or older store.
      db.transaction(() => this.#migrate(db))();
      // An account is nobody else's business: owner only, like the API token. SQLite gives a new
      // -wal the database file's mode, so tightening both now keeps later ones tight too.
      for (const file of [this.location, `${this.location}-wal`, `${this.location}-shm`]) ownerOnly(file);
      return db;
    } catch (error) {
      db.close();
      if (error instanceof JournalError) throw error;
      throw this.#translate(error, 'open');
    }
  }

  #migrate(db: Database.Database): void {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new JournalError(`account "${this.account}" was written by a newer paper-trader (schema ${version}): update paper-trader to open it`);
    }
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (version !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    else db.exec('UPDATE account SET updated_at = updated_at');
  }

  private prepare() {
    const db = this.#db;
    return {
      account: db.prepare('SELECT * FROM account WHERE id = 1'),
      orders: db.prepare('SELECT record FROM orders ORDER BY seq').pluck(),
      fills: db.prepare('SELECT record FROM fills ORDER BY seq').pluck(),
      actions: db.prepare('SELECT record FROM actions ORDER BY seq').pluck(),
      action: db.prepare('INSERT INTO actions (seq, record) VALUES (?, ?)'),
      equity: db.prepare('INSERT OR REPLACE INTO equity (time, equity, gross) VALUES (?, ?, ?)'),
      equitySince: db.prepare('SELECT time, equity, gross FROM equity WHERE time >= ? ORDER BY time'),
      storedOrder: db.prepare('SELECT record FROM orders WHERE seq = ?').pluck(),
      storedFill: db.prepare('SELECT record FROM fills WHERE seq = ?').pluck(),
      create: db.prepare(
        `INSERT INTO account (id, starting_cash, created_at, cash, realized_pnl, fees_paid, positions, market_position, strategy, strategy_state, updated_at, kind)
         VALUES (1, ?, ?, ?, '0', '0', '{}', 0, NULL, NULL, ?, ?)`,
      ),
      order: db.prepare(upsertRows('orders', 1)),
      orders64: db.prepare(upsertRows('orders', ROWS_A_STATEMENT)),
      fill: db.prepare(insertRows('fills', 1)),
      fills64: db.prepare(insertRows('fills', ROWS_A_STATEMENT)),
      books: db.prepare('UPDATE account SET cash = ?, realized_pnl = ?, fees_paid = ?, positions = ?, market_position = ?, market_session = ?, updated_at = ? WHERE id = 1'),
      strategy: db.prepare('UPDATE account SET strategy = ? WHERE id = 1'),
      strategyState: db.prepare('UPDATE account SET strategy_state = ? WHERE id = 1'),
      risk: db.prepare('UPDATE account SET risk = ? WHERE id = 1'),
      watchlist: db.prepare('UPDATE account SET watchlist = ? WHERE id = 1'),
      alerts: db.prepare('UPDATE account SET alerts = ? WHERE id = 1'),
    };
  }

  load(): RecoveredAccount | undefined {
    try {
      const row = this.#statements.account.get() as Record<string, unknown> | undefined;
      const orders = row ? (this.#statements.orders.all() as string[]).map(orderFromRecord) : [];
      const fills = row ? (this.#statements.fills.all() as string[]).map(fillFromRecord) : [];
      // What the files hold must reach what the last run recorded saving: else they lost some of it.
      this.#held = { orders: highestSeq(orders), fills: highestSeq(fills) };
      const missing = missingSaved(this.account, this.location, this.#record, row ? this.#held : undefined);
      if (missing) throw new JournalError(missing, 'damaged');
      if (!row) return undefined;
      return {
        startingCash: bigintOf(row['starting_cash'], 'starting cash'),
        createdAt: Number(row['created_at']),
        orders,
        fills,
        checkpoint: {
          cash: bigintOf(row['cash'], 'cash'),
          realizedPnl: bigintOf(row['realized_pnl'], 'realized PnL'),
          feesPaid: bigintOf(row['fees_paid'], 'fees'),
          positions: positionsFrom(String(row['positions'])),
          marketPosition: Number(row['market_position']),
          marketSession: typeof row['market_session'] === 'string' ? row['market_session'] : null,
        },
        strategy: row['strategy'] === null ? null : strategyFrom(String(row['strategy'])),
        strategyState: row['strategy_state'] === null ? undefined : (JSON.parse(String(row['strategy_state'])) as unknown),
        risk: row['risk'] === null || row['risk'] === undefined ? undefined : riskFrom(String(row['risk'])),
        watchlist: typeof row['watchlist'] === 'string' ? watchlistFrom(row['watchlist']) : undefined,
        alerts: typeof row['alerts'] === 'string' ? alertsFrom(row['alerts']) : undefined,
        actions: (this.#statements.actions.all() as string[]).map(actionFromRecord),
        kind: kindFrom(row['kind']),
      };
    } catch (error) {
      if (error instanceof JournalError) throw error;
      if (error instanceof CorruptRecordError || error instanceof SyntaxError) {
        throw new JournalError(`account "${this.account}" is damaged (${error.message}) in ${this.location}: move the file aside to start fresh, or restore a backup`, 'damaged');
      }
      throw this.#translate(error, 'read');
    }
  }

  create(startingCash: bigint, createdAt: number, kind: AccountKind = 'cash'): void {
    this.#write(() => this.#statements.create.run(startingCash.toString(), createdAt, startingCash.toString(), createdAt, kind === 'cash' ? null : kind));
  }

  order(order: Order): void {
    this.#orders.set(order.id, order);
  }

  fill(fill: Fill): void {
    this.#fills.push(fill);
  }

  action(record: ActionRecord): void {
    this.#actions.push(record);
  }

  strategy(active: SavedStrategy | null): void {
    this.#strategy = { value: active };
    this.#strategyState = { value: undefined };
  }

  strategyState(state: unknown): void {
    this.#strategyState = { value: state };
  }

  risk(saved: SavedRisk): void {
    this.#risk = saved;
  }

  watchlist(symbols: readonly string[]): void {
    this.#watchlist = [...symbols];
  }

  alerts(alerts: readonly Alert[]): void {
    this.#alerts = [...alerts];
  }

  equity(point: EquityPoint): void {
    if (this.#equity.at(-1)?.time === point.time) this.#equity[this.#equity.length - 1] = point;
    else this.#equity.push(point);
  }

  equityPoints(since = Number.MIN_SAFE_INTEGER): EquityPoint[] {
    try {
      const rows = this.#statements.equitySince.all(since) as { time: number; equity: string; gross: string | null }[];
      const saved = rows.map((row): EquityPoint => (row.gross === null ? { time: row.time, equity: BigInt(row.equity) } : { time: row.time, equity: BigInt(row.equity), gross: BigInt(row.gross) }));
      const staged = this.#equity.filter((point) => point.time >= since && point.time > (saved.at(-1)?.time ?? Number.MIN_SAFE_INTEGER));
      return [...saved, ...staged];
    } catch (error) {
      throw this.#translate(error, 'read');
    }
  }

  /** An order as last staged or saved (the history an engine no longer keeps in memory). */
  storedOrder(id: string): Order | undefined {
    const staged = this.#orders.get(id);
    if (staged) return staged;
    const record = this.#read(() => this.#statements.storedOrder.get(seqOf(id)) as string | undefined);
    return record === undefined ? undefined : orderFromRecord(record);
  }

  storedFill(id: string): Fill | undefined {
    const staged = this.#fills.find((fill) => fill.id === id);
    if (staged) return staged;
    const record = this.#read(() => this.#statements.storedFill.get(seqOf(id)) as string | undefined);
    return record === undefined ? undefined : fillFromRecord(record);
  }

  #read<T>(read: () => T): T {
    if (!this.#db.open) throw new JournalError(`account "${this.account}" is closed: read its history before closing it`);
    try {
      return read();
    } catch (error) {
      throw this.#translate(error, 'read');
    }
  }

  get pending(): boolean {
    // Equity points ride with the next commit; only an hour of them with nothing else to save makes one of their own.
    return this.#orders.size > 0 || this.#fills.length > 0 || this.#strategy !== undefined || this.#strategyState !== undefined || this.#risk !== undefined || this.#watchlist !== undefined || this.#alerts !== undefined || this.#actions.length > 0 || this.#equity.length >= EQUITY_POINTS_A_COMMIT;
  }

  get staged(): boolean {
    return this.pending || this.#equity.length > 0;
  }

  commit(books: BooksCheckpoint, now: number): void {
    const s = this.#statements;
    const orders = [...this.#orders.values()];
    const fills = this.#fills.splice(0);
    const actions = this.#actions.splice(0);
    const equity = this.#equity.splice(0);
    const strategy = this.#strategy;
    const strategyState = this.#strategyState;
    const risk = this.#risk;
    const watchlist = this.#watchlist;
    this.#watchlist = undefined;
    const alerts = this.#alerts;
    this.#alerts = undefined;
    this.#orders.clear();
    this.#strategy = undefined;
    this.#strategyState = undefined;
    this.#risk = undefined;
    this.#write(() =>
      this.#db.transaction(() => {
        writeRows(s.order, s.orders64, orders, (order) => [seqOf(order.id), orderToRecord(order)]);
        writeRows(s.fill, s.fills64, fills, (fill) => [seqOf(fill.id), fillToRecord(fill)]);
        for (const action of actions) s.action.run(seqOf(action.id), actionToRecord(action));
        for (const point of equity) s.equity.run(point.time, point.equity.toString(), point.gross?.toString() ?? null);
        if (strategy) s.strategy.run(strategy.value === null ? null : JSON.stringify(strategy.value));
        if (strategyState) s.strategyState.run(strategyState.value === undefined ? null : JSON.stringify(strategyState.value));
        if (risk) s.risk.run(JSON.stringify(risk));
        if (watchlist) s.watchlist.run(JSON.stringify(watchlist));
        if (alerts) s.alerts.run(JSON.stringify(alerts.map(alertView)));
        const positions = Object.fromEntries([...books.positions].map(([symbol, p]) => [symbol, [p.qty.toString(), p.costBasis.toString()]]));
        s.books.run(books.cash.toString(), books.realizedPnl.toString(), books.feesPaid.toString(), JSON.stringify(positions), books.marketPosition, books.marketSession, now);
      })(),
    );
    this.#held = { orders: Math.max(this.#held.orders, highestSeq(orders)), fills: Math.max(this.#held.fills, highestSeq(fills)) };
    // The record may lag the files (a crash before it is written), never lead them: it is written after the commit.
    // Wall time, not market time: a fast replay must not write it at every commit.
    if (Date.now() - this.#recordedAt >= RECORD_EVERY_MS) this.#writeRecord();
    this.#checkpointTimer ??= setTimeout(() => this.#checkpoint(), CHECKPOINT_EVERY_MS).unref();
  }

  /**
   * Merges the -wal into the .db and empties it, so the .db alone is the whole account within
   * seconds of a commit. A reader (a backup in progress) makes SQLite skip it: the next one runs.
   */
  #checkpoint(): void {
    this.#checkpointTimer = undefined;
    if (!this.#db.open) return;
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Committed data is safe in the -wal; a failed merge is retried at the next one.
    }
  }

  #writeRecord(): void {
    // A scratch store goes with its run: there is nothing to check it against later.
    if (this.#scratch) return;
    this.#recordedAt = Date.now();
    try {
      writeSavedRecord(this.location, this.#held);
    } catch {
      // A record that cannot be written only weakens the check at the next start; trading goes on.
    }
  }

  close(): void {
    if (this.#scratch) scratchDirs.delete(this.#dir);
    if (!this.#db.open) return;
    clearTimeout(this.#checkpointTimer);
    this.#writeRecord();
    this.#db.close();
    this.#lock.release();
    if (this.#scratch) rmSync(this.#dir, { recursive: true, force: true });
  }

  #write(run: () => unknown): void {
    try {
      run();
    } catch (error) {
      throw this.#translate(error, 'write');
    }
  }

  /** SQLite's error codes as lines a trader can act on. */
  #translate(error: unknown, doing: 'open' | 'read' | 'write'): JournalError {
    const code = codeOf(error);
    const where = this.location;
    switch (code) {
      case 'SQLITE_FULL':
        return new JournalError(`cannot save to account "${this.account}": the disk is full (${where}); nothing after the last saved change was kept. Free some space and start again`);
      case 'SQLITE_NOTADB':
      case 'SQLITE_CORRUPT':
        return new JournalError(`account "${this.account}" is damaged (${code}) in ${where}: move the file aside to start fresh, or restore a backup`, 'damaged');
      case 'SQLITE_CANTOPEN':
      case 'SQLITE_READONLY':
      case 'SQLITE_PERM':
      case 'SQLITE_AUTH':
        return new JournalError(`cannot ${doing} account "${this.account}" at ${where} (${code}): check the data directory's permissions, or choose another with --data-dir`);
      default:
        return new JournalError(`cannot ${doing} account "${this.account}" at ${where}: ${messageOf(error)} (${code})`);
    }
  }
}

/** Scratch stores still open: removed when the process exits, if their run never closed them. */
/** Rows one statement writes when a commit has many (a backtest's scratch store writes thousands at once: 0.75 µs a row instead of 1.9). */
const ROWS_A_STATEMENT = 64;
const values = (rows: number): string => Array.from({ length: rows }, () => '(?, ?)').join(', ');
const insertRows = (table: string, rows: number): string => `INSERT INTO ${table} (seq, record) VALUES ${values(rows)}`;
const upsertRows = (table: string, rows: number): string => `${insertRows(table, rows)} ON CONFLICT(seq) DO UPDATE SET record = excluded.record`;

/** Writes items as (seq, record) rows: ROWS_A_STATEMENT at a time, the rest one by one. */
function writeRows<T>(one: Database.Statement, many: Database.Statement, items: readonly T[], row: (item: T) => [number, string]): void {
  let i = 0;
  for (; i + ROWS_A_STATEMENT <= items.length; i += ROWS_A_STATEMENT) {
    const args: (number | string)[] = [];
    for (let k = i; k < i + ROWS_A_STATEMENT; k++) args.push(...row(items[k]!));
    many.run(...args);
  }
  for (; i < items.length; i++) one.run(...row(items[i]!));
}

const scratchDirs = new Set<string>();
let exitHook = false;

function forgetAtExit(dir: string): void {
  if (!exitHook) process.once('exit', () => scratchDirs.forEach((kept) => rmSync(kept, { recursive: true, force: true })));
  exitHook = true;
  scratchDirs.add(dir);
}

const codeOf = (error: unknown): string => String((error as { code?: unknown } | undefined)?.code ?? 'unknown error');

/** The highest o-N / f-N number among `items`, 0 for none (a loop: accounts hold 100,000 fills). */
function highestSeq(items: readonly { id: string }[]): number {
  let highest = 0;
  for (const item of items) highest = Math.max(highest, seqOf(item.id));
  return highest;
}

function watchlistFrom(text: string): string[] {
  const list = JSON.parse(text) as unknown;
  if (!Array.isArray(list) || !list.every((symbol) => typeof symbol === 'string')) throw new CorruptRecordError('the saved watchlist is not a list of symbols');
  return list as string[];
}

function alertsFrom(text: string): Alert[] {
  const list = JSON.parse(text) as unknown;
  const alerts = Array.isArray(list) ? list.map(alertFromView) : [undefined];
  if (alerts.some((alert) => alert === undefined)) throw new CorruptRecordError('the saved alerts are not a list of alerts');
  return alerts as Alert[];
}

function bigintOf(value: unknown, what: string): bigint {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw new CorruptRecordError(`the saved ${what} is not a number`);
  return BigInt(value);
}

function positionsFrom(text: string): Map<string, { qty: bigint; costBasis: bigint }> {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const positions = new Map<string, { qty: bigint; costBasis: bigint }>();
  for (const [symbol, value] of Object.entries(raw)) {
    if (!Array.isArray(value) || value.length !== 2) throw new CorruptRecordError(`the saved position in ${symbol} is not [qty, basis]`);
    positions.set(symbol, { qty: bigintOf(value[0], `${symbol} qty`), costBasis: bigintOf(value[1], `${symbol} cost basis`) });
  }
  return positions;
}

function kindFrom(value: unknown): AccountKind {
  if (value === null || value === undefined) return 'cash';
  if (value === 'margin' || value === 'cash') return value;
  throw new CorruptRecordError(`the account's kind ${JSON.stringify(value)} is neither cash nor margin`);
}

function riskFrom(text: string): SavedRisk {
  const risk = savedRiskFrom(JSON.parse(text));
  if (typeof risk === 'string') throw new CorruptRecordError(`the saved risk limits ${risk}`);
  return risk;
}

function strategyFrom(text: string): SavedStrategy {
  const raw = JSON.parse(text) as { name?: unknown; params?: unknown };
  if (typeof raw.name !== 'string' || raw.params === null || typeof raw.params !== 'object') throw new CorruptRecordError('the saved strategy is not {name, params}');
  return { name: raw.name, params: raw.params as Record<string, unknown> };
}

/** chmod 0600, where the file exists (a -shm exists only in some locking modes). */
function ownerOnly(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch {
    // missing, or a file system without modes
  }
}
