import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountLock } from './account-lock.ts';
import type { Journal } from './journal.ts';
import { accountFile, SqliteJournal } from './sqlite-journal.ts';

// A run without an account keeps its history in a scratch store in the temporary folder, removed
// when the engine closes or the process exits. One left by a run that was killed is removed by
// the next run: its lock is free.

const PREFIX = 'paper-trader-run-';
const ACCOUNT = 'run';

/** A new scratch store holding `startingCash`; undefined when the temporary folder cannot be written (the history then stays in memory). */
export function openScratchStore(startingCash: bigint, now: number): Journal | undefined {
  removeAbandoned();
  try {
    const journal = new SqliteJournal({ dir: mkdtempSync(join(tmpdir(), PREFIX)), account: ACCOUNT, scratch: true });
    journal.create(startingCash, now);
    return journal;
  } catch {
    return undefined;
  }
}

/** Scratch stores whose run is gone (killed): nobody holds their lock. */
function removeAbandoned(): void {
  let names: string[];
  try {
    names = readdirSync(tmpdir()).filter((name) => name.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = join(tmpdir(), name);
    try {
      // One made a moment ago may be a run still starting: its lock is not taken yet.
      if (Date.now() - statSync(dir).mtimeMs < 60_000) continue;
      AccountLock.take(accountFile(dir, ACCOUNT)).release();
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // in use by a running paper-trader, or not ours to remove
    }
  }
}
