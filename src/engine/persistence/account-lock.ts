import Database from 'better-sqlite3';
import { chmodSync, rmSync } from 'node:fs';

// One paper-trader per account, held by the operating system so it goes away with the process,
// even after kill -9. The lock is a tiny SQLite file of its own (NAME.db.lock) whose owner keeps a
// write transaction open: others can still read the owner's pid from it, but not take it. The
// account's own database is left unlocked, so `paper-trader backup` can read it while trading.

export class AccountLockedError extends Error {
  override readonly name = 'AccountLockedError';
  constructor(readonly pid: number | undefined) {
    super(`locked${pid ? ` by pid ${pid}` : ''}`);
  }

  /** "account "NAME" is open in another paper-trader (pid N)": the start of the line a trader reads. */
  heldOpen(account: string): string {
    return `account "${account}" is open in another paper-trader${this.pid ? ` (pid ${this.pid})` : ''}`;
  }
}

export class AccountLock {
  readonly #db: Database.Database;

  private constructor(db: Database.Database) {
    this.#db = db;
  }

  /** Takes the lock beside `accountFile`, or throws AccountLockedError naming the process that has it. */
  static take(accountFile: string): AccountLock {
    const file = `${accountFile}.lock`;
    const db = openLockFile(file);
    try {
      db.pragma('journal_mode = DELETE');
      db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER NOT NULL)');
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      const pid = ownerPid(db);
      db.close();
      if (isBusy(error)) throw new AccountLockedError(pid);
      throw error;
    }
    // Written inside the held transaction would hide it from readers: commit the pid, then hold.
    db.exec('DELETE FROM owner; INSERT INTO owner (pid) VALUES (' + process.pid + '); COMMIT; BEGIN IMMEDIATE');
    try {
      chmodSync(file, 0o600);
    } catch {
      // a file system without modes
    }
    return new AccountLock(db);
  }

  release(): void {
    if (this.#db.open) this.#db.close();
  }
}

function openLockFile(file: string): Database.Database {
  try {
    const db = new Database(file, { timeout: 0 });
    db.pragma('schema_version');
    return db;
  } catch (error) {
    // Before this lock, NAME.db.lock was a text file holding the pid: replace it.
    if ((error as { code?: string }).code !== 'SQLITE_NOTADB') throw error;
    rmSync(file, { force: true });
    return new Database(file, { timeout: 0 });
  }
}

function ownerPid(db: Database.Database): number | undefined {
  try {
    const pid = db.prepare('SELECT pid FROM owner').pluck().get();
    return typeof pid === 'number' && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

const isBusy = (error: unknown): boolean => ['SQLITE_BUSY', 'SQLITE_LOCKED'].includes(String((error as { code?: unknown }).code));
