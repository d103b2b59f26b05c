import { readFileSync, renameSync, writeFileSync } from 'node:fs';

// A small record, beside an account's SQLite files and outside them, of how far the last run saved:
// the highest order and fill numbers. An account whose files hold less (a 0-byte file, a -wal
// deleted or cut short after a crash) is refused instead of silently re-created or rolled back.

export interface SavedRecord {
  /** The highest order number saved (o-N), 0 for none. */
  readonly orders: number;
  /** The highest fill number saved (f-N), 0 for none. */
  readonly fills: number;
}

export const savedRecordFile = (accountFile: string): string => `${accountFile}.saved`;

/** The record, or undefined when there is none (a new account, or one older than the record). */
export function readSavedRecord(accountFile: string): SavedRecord | undefined {
  try {
    const parsed = JSON.parse(readFileSync(savedRecordFile(accountFile), 'utf8')) as Partial<SavedRecord>;
    if (Number.isSafeInteger(parsed.orders) && Number.isSafeInteger(parsed.fills)) return { orders: parsed.orders!, fills: parsed.fills! };
  } catch {
    // missing or unreadable: nothing to compare with
  }
  return undefined;
}

/** Writes the record whole or not at all (a rename), owner-only like the account. */
export function writeSavedRecord(accountFile: string, record: SavedRecord): void {
  const file = savedRecordFile(accountFile);
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/**
 * One line naming what is missing and how to restore it, when the files hold less than the record
 * says was saved: fewer orders or fills, or no account at all (`held` undefined) where one existed.
 */
export function missingSaved(account: string, accountFile: string, record: SavedRecord | undefined, held: SavedRecord | undefined): string | undefined {
  if (!record || (held && held.orders >= record.orders && held.fills >= record.fills)) return undefined;
  const name = accountFile.split('/').pop()!;
  const holds = held ? `holds orders up to ${held.orders} and fills up to ${held.fills}` : 'is missing from its file';
  return (
    `account "${account}" ${holds}, but its last run saved up to ${record.orders} orders and ${record.fills} fills: ` +
    `${name} or ${name}-wal was emptied, deleted or cut short. Restore both from a backup (paper-trader never re-creates a saved account), or move ${name}, ${name}-wal and ${name}.saved aside to start over`
  );
}
