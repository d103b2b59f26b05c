import Database from 'better-sqlite3';
import { chmodSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { AccountLock, AccountLockedError } from './account-lock.ts';
import { JournalError } from './journal.ts';
import { missingSaved, readSavedRecord, type SavedRecord, writeSavedRecord } from './saved-record.ts';
import { accountFile, accountNameProblem, SCHEMA_VERSION } from './sqlite-journal.ts';

// `paper-trader backup` and `restore`. A backup is SQLite's online backup of the account: one
// consistent copy of the .db and its -wal together, taken while paper-trader trades (the journal
// leaves the database readable; WAL readers never block its commits), written as one plain file.
// A restore puts such a file back while no paper-trader has the account, and records how far it
// holds, so the damaged-store check accepts it.

export interface AccountCopy {
  /** The highest order and fill numbers the copy holds. */
  readonly held: SavedRecord;
  readonly bytes: number;
}

/** Copies account `account` of data directory `dir` to the new file `file`. */
export async function backupAccount(dir: string, account: string, file: string): Promise<AccountCopy> {
  const location = existingAccount(dir, account);
  if (existsSync(file)) throw new JournalError(`${file} already exists: choose a new file name for the backup (a backup never overwrites)`);
  if (!existsSync(dirname(file))) throw new JournalError(`cannot write the backup to ${file}: the folder ${dirname(file)} does not exist`);
  const source = openStore(location, `account "${account}"`);
  const partial = `${file}.partial`;
  try {
    const missing = missingSaved(account, location, readSavedRecord(location), heldBy(source));
    if (missing) throw new JournalError(`cannot back up: ${missing}`, 'damaged');
    // Every page in one step: one read transaction, so commits made meanwhile cannot tear the copy.
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw asJournalError(error, `cannot back up account "${account}" to ${file}`);
  } finally {
    source.close();
  }
  const copy = inspect(partial, `the backup of account "${account}"`, true);
  chmodSync(partial, 0o600);
  renameSync(partial, file);
  return copy;
}

/** Puts backup `file` in place of account `account` (created if new); refused while a paper-trader has it. */
export async function restoreAccount(dir: string, account: string, file: string): Promise<AccountCopy> {
  const problem = accountNameProblem(account);
  if (problem) throw new JournalError(problem);
  if (!existsSync(file)) throw new JournalError(`there is no backup file ${file}`);
  inspect(file, `${file}`, false);
  const location = accountFile(dir, account);
  const lock = takeLock(location, account);
  const incoming = `${location}.restoring`;
  try {
    const source = openStore(file, `${file}`);
    try {
      await source.backup(incoming, { progress: () => 0x7fffffff });
    } finally {
      source.close();
    }
    const copy = inspect(incoming, `${file}`, true);
    for (const suffix of ['-wal', '-shm']) rmSync(`${location}${suffix}`, { force: true });
    chmodSync(incoming, 0o600);
    renameSync(incoming, location);
    writeSavedRecord(location, copy.held);
    return copy;
  } catch (error) {
    throw asJournalError(error, `cannot restore account "${account}" from ${file}`);
  } finally {
    rmSync(incoming, { force: true });
    lock.release();
  }
}

/**
 * Copies account `from` into the new account `to`: a what-if copy with the same books, orders,
 * fills and strategy, taken as a backup is (safe while `from` trades). Never over an account.
 */
export async function cloneAccount(dir: string, from: string, to: string): Promise<AccountCopy> {
  const problem = accountNameProblem(to);
  if (problem) throw new JournalError(problem);
  if (accountExists(dir, to)) throw new JournalError(`account "${to}" already exists: clone into a new name (or restore a backup over it)`);
  const staging = `${accountFile(dir, to)}.cloning`;
  rmSync(staging, { force: true });
  try {
    await backupAccount(dir, from, staging);
    return await restoreAccount(dir, to, staging);
  } finally {
    rmSync(staging, { force: true });
  }
}

/** True when the account has a store that holds something (a restore over it asks first). */
export function accountExists(dir: string, account: string): boolean {
  const location = accountFile(dir, account);
  return (existsSync(location) && statSync(location).size > 0) || readSavedRecord(location) !== undefined;
}

function existingAccount(dir: string, account: string): string {
  const problem = accountNameProblem(account);
  if (problem) throw new JournalError(problem);
  const location = accountFile(dir, account);
  if (!existsSync(location)) throw new JournalError(`there is no account "${account}" in ${dir} (see paper-trader accounts)`);
  return location;
}

function takeLock(location: string, account: string): AccountLock {
  try {
    return AccountLock.take(location);
  } catch (error) {
    if (error instanceof AccountLockedError) {
      throw new JournalError(`${error.heldOpen(account)}: close it before restoring`, 'locked');
    }
    throw error;
  }
}

function openStore(file: string, what: string): Database.Database {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2_000 });
    const version = db.pragma('user_version', { simple: true }) as number;
    const tables = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('account', 'orders', 'fills')").pluck().get();
    if (version < 1 || version > SCHEMA_VERSION || tables !== 3) {
      db.close();
      throw new JournalError(`${what} is not a paper-trader account (or was written by a newer paper-trader)`, 'damaged');
    }
    return db;
  } catch (error) {
    throw asJournalError(error, `cannot read ${what}`);
  }
}

/** Checks a copy page by page and says what it holds; `plain` turns it into one self-contained file. */
function inspect(file: string, what: string, plain: boolean): AccountCopy {
  const db = plain ? new Database(file) : openStore(file, what);
  try {
    if (plain) db.pragma('journal_mode = DELETE');
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new JournalError(`${what} is damaged (${String(check)}): use another backup`, 'damaged');
    if (!db.prepare('SELECT 1 FROM account WHERE id = 1').get()) throw new JournalError(`${what} holds no account yet: nothing to restore`, 'damaged');
    return { held: heldBy(db), bytes: statSync(file).size };
  } finally {
    db.close();
  }
}

function heldBy(db: Database.Database): SavedRecord {
  const highest = (table: string): number => Number(db.prepare(`SELECT coalesce(max(seq), 0) FROM ${table}`).pluck().get());
  return { orders: highest('orders'), fills: highest('fills') };
}

function asJournalError(error: unknown, doing: string): JournalError {
  if (error instanceof JournalError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new JournalError(`${doing}: it is not a paper-trader account or is damaged (${code})`, 'damaged');
  return new JournalError(`${doing}: ${(error as Error).message}${code ? ` (${code})` : ''}`);
}
