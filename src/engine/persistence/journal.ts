import type { Alert } from '../alerts/alert-book.ts';
import type { Fill } from '../execution/paper-executor.ts';
import type { Cents, Qty } from '../money.ts';
import type { Order } from '../orders/order.ts';
import type { SavedRisk } from '../risk/risk-guard.ts';
import type { EquityPoint } from '../portfolio/metrics.ts';
import type { ActionRecord } from '../portfolio/corporate-actions.ts';

// The durability port: the engine stages what changed while it handles one input (an order, a
// market event, a timer) and commits it in one durable transaction before anyone hears of it.

export interface BooksCheckpoint {
  readonly cash: Cents;
  readonly realizedPnl: Cents;
  readonly feesPaid: Cents;
  readonly positions: ReadonlyMap<string, { readonly qty: Qty; readonly costBasis: Cents }>;
  /** Events of a replayed market already delivered, so a restart resumes after them. */
  readonly marketPosition: number;
  /** Which replay that position belongs to (see MarketStepper.session); null when none. */
  readonly marketSession: string | null;
}

export interface SavedStrategy {
  readonly name: string;
  readonly params: Record<string, unknown>;
}

/** Chosen when the account is made: a cash account trades its cash; a margin account borrows, and may sell short. */
export type AccountKind = 'cash' | 'margin';

export interface RecoveredAccount {
  /** Cash for every account saved before margin accounts existed. */
  readonly kind?: AccountKind | undefined;
  readonly startingCash: Cents;
  readonly createdAt: number;
  /** Every order ever placed on the account, oldest first. */
  readonly orders: Order[];
  /** Every fill, oldest first: replaying them rebuilds the books exactly. */
  readonly fills: Fill[];
  /** The books as last committed, to check the rebuilt ones against. */
  readonly checkpoint: BooksCheckpoint;
  readonly strategy: SavedStrategy | null;
  /** What the strategy's save() returned when last committed. */
  readonly strategyState: unknown;
  /** Splits and dividends met, oldest first: each is replayed in its place among the fills. */
  readonly actions?: ActionRecord[] | undefined;
  /** The account's risk limits, kill switch and day's loss (undefined: never set). */
  readonly risk?: SavedRisk | undefined;
  /** The watchlist as the trader last left it (undefined: never changed). */
  readonly watchlist?: string[] | undefined;
  /** The alerts waiting (undefined: never set). */
  readonly alerts?: Alert[] | undefined;
}

export interface Journal {
  readonly account: string;
  /** Where the account lives, for messages. */
  readonly location: string;
  /** The account as last committed; undefined when it is new. */
  load(): RecoveredAccount | undefined;
  /** Starts a new account of `kind` (default cash). */
  create(startingCash: Cents, createdAt: number, kind?: AccountKind): void;
  order(order: Order): void;
  fill(fill: Fill): void;
  /** Stages a split or dividend record, saved with the next commit. */
  action(record: ActionRecord): void;
  strategy(active: SavedStrategy | null): void;
  strategyState(state: unknown): void;
  /** Stages the account's risk settings, saved with the next commit. */
  risk(saved: SavedRisk): void;
  /** The watchlist now, saved with the next commit. */
  watchlist(symbols: readonly string[]): void;
  /** The alerts waiting now, saved with the next commit. */
  alerts(alerts: readonly Alert[]): void;
  /** Stages a point of the equity series (one a minute), saved with the next commit. */
  equity(point: EquityPoint): void;
  /** The equity series saved and staged, from `since` on, oldest first. */
  equityPoints(since?: number): EquityPoint[];
  /** True when something is staged that should be committed now (equity points wait for company, up to an hour of them). */
  readonly pending: boolean;
  /** True when anything at all is staged (a clean stop saves it). */
  readonly staged: boolean;
  /** An order or fill as last staged or saved; undefined when there is none with that id. */
  storedOrder(id: string): Order | undefined;
  storedFill(id: string): Fill | undefined;
  /** Writes what is staged and the books in one durable transaction; throws JournalError on failure, keeping nothing of it. */
  commit(books: BooksCheckpoint, now: number): void;
  close(): void;
}

/** A store that cannot be opened, read or written: one line that says what to do. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
  constructor(
    message: string,
    /** locked: another process has the account; damaged: it cannot be trusted; otherwise a disk or path problem. */
    readonly kind: 'locked' | 'damaged' | 'other' = 'other',
  ) {
    super(message);
  }
}
