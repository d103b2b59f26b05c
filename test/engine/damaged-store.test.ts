// A damaged store is never silently replaced: an account whose files hold less than its last run
// recorded saving (a 0-byte file, the -wal left behind in a copy, deleted or cut short) is refused
// in one line naming what is wrong and how to restore it, never re-created or rolled back.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFile } from '../../src/engine/persistence/sqlite-journal.ts';
import { savedRecordFile } from '../../src/engine/persistence/saved-record.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { until } from '../helpers/until.ts';
import { quote, SECOND, T0, type EngineRig } from '../helpers/engine-rig.ts';

const accounts = accountRigs();

const session = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02)];

const open = (dataDir = accounts.dataDir): Promise<EngineRig> => accounts.open(session, { dataDir });

/** An account with `n` resting orders and one fill, closed cleanly: its record says so. */
async function savedAccount(n: number): Promise<void> {
  const rig = await open();
  await rig.step(1);
  await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
  for (let i = 0; i < n; i++) await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', timeInForce: 'gtc' });
  await accounts.close(rig);
}

const file = () => accountFile(accounts.dataDir, 'test');

describe('an account that existed is found or refused, never re-created', () => {
  it('a clean close records how far it saved, and the next run opens it', async () => {
    await savedAccount(3);
    expect(JSON.parse(readFileSync(savedRecordFile(file()), 'utf8'))).toEqual({ orders: 4, fills: 1 });
    const rig = await open();
    expect(rig.snapshot().orders).toHaveLength(4);
  });

  it('a 0-byte account file is refused, naming what is missing and how to restore it', async () => {
    await savedAccount(3);
    truncateSync(file(), 0);
    rmSync(`${file()}-wal`, { force: true });
    await expect(open()).rejects.toThrow(
      'account "test" is missing from its file, but its last run saved up to 4 orders and 1 fills: test.db or test.db-wal was emptied, deleted or cut short. Restore both from a backup (paper-trader never re-creates a saved account), or move test.db, test.db-wal and test.db.saved aside to start over',
    );
    // Refused, not replaced: the file is still empty, and nothing was written over the record.
    expect(readFileSync(file()).length).toBe(0);
    expect(JSON.parse(readFileSync(savedRecordFile(file()), 'utf8'))).toEqual({ orders: 4, fills: 1 });
  });

  it('a deleted account file is refused too', async () => {
    await savedAccount(2);
    rmSync(file());
    await expect(open()).rejects.toThrow(/account "test" is missing from its file, but its last run saved up to 3 orders and 1 fills/);
  });

  it('an account that existed with no orders yet is refused too when its file is emptied (its cash and strategy were saved)', async () => {
    await accounts.close(await open());
    expect(JSON.parse(readFileSync(savedRecordFile(file()), 'utf8'))).toEqual({ orders: 0, fills: 0 });
    truncateSync(file(), 0);
    await expect(open()).rejects.toThrow(/account "test" is missing from its file, but its last run saved up to 0 orders and 0 fills/);
  });

  it('the .db copied without its -wal while trading (what the last run saved is in the -wal) is refused', async () => {
    const rig = await open();
    await rig.step(1);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', timeInForce: 'gtc' });
    expect(existsSync(`${file()}-wal`)).toBe(true);
    const copy = mkdtempSync(join(tmpdir(), 'paper-trader-copy-'));
    try {
      mkdirSync(join(copy, 'accounts'));
      copyFileSync(file(), accountFile(copy, 'test'));
      copyFileSync(savedRecordFile(file()), savedRecordFile(accountFile(copy, 'test')));
      await expect(open(copy)).rejects.toThrow(/but its last run saved up to \d+ orders and 1 fills: test\.db or test\.db-wal was emptied, deleted or cut short/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a new account, with no record, is created and records itself', async () => {
    const rig = await open();
    await rig.step(1);
    await rig.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
    expect(JSON.parse(readFileSync(savedRecordFile(file()), 'utf8'))).toMatchObject({ orders: 1, fills: 1 });
  });
});

describe('the -wal stays small, and the .db alone soon holds everything', () => {
  it('is merged into the .db at 1 MB and emptied within seconds of the last commit', async () => {
    const rig = await open();
    await rig.step(1);
    let largest = 0;
    for (let i = 0; i < 400; i++) {
      await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', timeInForce: 'gtc' });
      largest = Math.max(largest, statSync(`${file()}-wal`).size);
    }
    // 400 commits write several MB of pages; the -wal never holds more than 1 MB and one commit.
    expect(largest).toBeGreaterThan(512 * 1024);
    expect(largest).toBeLessThan(1.1 * 1024 * 1024);
    await until(() => statSync(`${file()}-wal`).size === 0, 10_000);
    // The .db copied alone, while the account is still open, is the whole account.
    const copy = mkdtempSync(join(tmpdir(), 'paper-trader-copy-'));
    try {
      mkdirSync(join(copy, 'accounts'));
      copyFileSync(file(), accountFile(copy, 'test'));
      copyFileSync(savedRecordFile(file()), savedRecordFile(accountFile(copy, 'test')));
      const reopened = await open(copy);
      expect(reopened.snapshot().orders).toHaveLength(400);
      await accounts.close(reopened);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 20_000);
});
