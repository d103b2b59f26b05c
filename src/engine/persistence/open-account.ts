import type { Cents } from '../money.ts';
import { isWorking } from '../orders/order.ts';
import { Ledger } from '../portfolio/ledger.ts';
import type { AccountKind, Journal, RecoveredAccount } from './journal.ts';
import { rebuildBooks } from './rebuild-books.ts';

export interface AccountOptions {
  dataDir: string;
  account: string;
  /** Caps the store's size in pages (tests reproduce a full disk with it). */
  maxPages?: number;
  /** The kind a new account is made as (an existing one keeps its own). */
  kind?: AccountKind;
}

export interface OpenedAccount {
  journal: Journal;
  /** Undefined for a new account. */
  recovered: RecoveredAccount | undefined;
  ledger: Ledger;
}

/** Opens (and locks) an account: a saved one comes back with its books rebuilt and checked, a new one starts with `startingCash`. */
export async function openAccount(options: AccountOptions, startingCash: Cents, now: number): Promise<OpenedAccount> {
  // Loaded on demand: the native SQLite module is needed only by runs that keep an account.
  const { SqliteJournal } = await import('./sqlite-journal.ts');
  const journal = new SqliteJournal({ dir: options.dataDir, account: options.account, ...(options.maxPages ? { maxPages: options.maxPages } : {}) });
  try {
    const recovered = journal.load();
    if (recovered) return { journal, recovered, ledger: rebuildBooks(recovered, options.account) };
    const kind = options.kind ?? 'cash';
    journal.create(startingCash, now, kind);
    return { journal, recovered: undefined, ledger: new Ledger(startingCash, { shorts: kind === 'margin' }) };
  } catch (error) {
    journal.close();
    throw error;
  }
}

/** Symbols the account holds or has working orders in: they stay watched so they can be valued and filled. */
export function symbolsInUse(recovered: RecoveredAccount | undefined): string[] {
  if (!recovered) return [];
  const symbols = new Set(recovered.checkpoint.positions.keys());
  for (const order of recovered.orders) if (isWorking(order)) symbols.add(order.symbol);
  return [...symbols];
}
