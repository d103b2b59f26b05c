// `paper-trader backup` while the account trades over HTTP, and `restore` of that copy: the copy
// holds every order acknowledged before it began, in one self-contained file; a restore brings the
// account back to it, asks before replacing one, and is refused while a paper-trader has it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountFile } from '../../src/engine/persistence/sqlite-journal.ts';
import { runCli, startCli, tempDataDir, type RunningCli } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' });
const LIVE = ['--headless', '--symbols', 'AAPL', '--market', 'simulated', '--api-port', '0'];

interface Trading {
  run: RunningCli;
  /** Places one resting limit order over HTTP; resolves once it is acknowledged. */
  place(): Promise<string>;
}

async function trade(account = 'default'): Promise<Trading> {
  const run = startCli([...LIVE, '--account', account], { env: env() });
  const [, url] = await run.waitForStderr(/HTTP API on (http:\/\/127\.0\.0\.1:\d+)\/api\/paper/);
  const token = readFileSync(join(dir, 'api-token'), 'utf8').trim();
  const place = async (): Promise<string> => {
    const response = await fetch(`${url}/api/paper/order`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: 'AAPL', qty: 1, side: 'buy', type: 'limit', limit_price: '1.00', time_in_force: 'gtc' }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  return { run, place };
}

const accountsLine = async (): Promise<string> => (await runCli(['accounts'], { env: env() })).stdout;

describe('paper-trader backup', () => {
  it('copies an account while it trades: every order acknowledged before the backup is in the one file', async () => {
    const trading = await trade();
    for (let i = 0; i < 30; i++) await trading.place();
    // Orders keep arriving while the copy is taken.
    let placing = true;
    const during = (async () => {
      let n = 0;
      while (placing) {
        await trading.place();
        n++;
      }
      return n;
    })();
    const file = join(dir, 'copy.db');
    const backup = await runCli(['backup', 'default', file], { env: env() });
    placing = false;
    const placedDuring = await during;
    expect(backup.stderr).toBe('');
    const [, orders] = backup.stdout.match(/^account "default" backed up to .*copy\.db \((\d+) orders, 0 fills, \d+ KB\): restore it with paper-trader restore default .*copy\.db\n$/) ?? [];
    expect(Number(orders)).toBeGreaterThanOrEqual(30);
    expect(Number(orders)).toBeLessThanOrEqual(30 + placedDuring);
    // One plain file: no -wal beside it, owner-only like the account.
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await trading.run.stop();

    // The copy is a whole account: restored under a new name, it lists the same orders.
    const restored = await runCli(['restore', 'copy', file], { env: env() });
    expect(restored.stdout).toBe(`account "copy" restored from ${file} (${orders} orders, 0 fills): the next run resumes it\n`);
    expect(await accountsLine()).toMatch(new RegExp(`^copy\\s+cash \\$100,000\\.00 of \\$100,000\\.00, 0 positions, ${orders} orders \\(${orders} working\\), 0 fills$`, 'm'));
  });

  it('never overwrites, and says what is wrong with a missing account or folder', async () => {
    const trading = await trade();
    await trading.place();
    await trading.run.stop();
    const taken = join(dir, 'taken.db');
    writeFileSync(taken, 'mine');
    const overwrite = await runCli(['backup', 'default', taken], { env: env() });
    expect(overwrite.stderr).toBe(`paper-trader: ${taken} already exists: choose a new file name for the backup (a backup never overwrites)\n`);
    expect(readFileSync(taken, 'utf8')).toBe('mine');
    const missing = await runCli(['backup', 'nobody', join(dir, 'x.db')], { env: env() });
    expect(missing.stderr).toMatch(/^paper-trader: there is no account "nobody" in .* \(see paper-trader accounts\)\n$/);
    const noFolder = await runCli(['backup', 'default', join(dir, 'no', 'such', 'x.db')], { env: env() });
    expect(noFolder.stderr).toMatch(/^paper-trader: cannot write the backup to .*x\.db: the folder .*such does not exist\n$/);
  });
});

describe('paper-trader restore', () => {
  it('rolls an account back to its backup, after asking; the next run resumes the backup', async () => {
    const trading = await trade();
    await trading.place();
    const backup = join(dir, 'before.db');
    expect((await runCli(['backup', 'default', backup], { env: env() })).code).toBe(0);
    await trading.place();
    await trading.place();
    // Refused while the account is open.
    const busy = await runCli(['restore', 'default', backup, '--yes'], { env: env() });
    expect(busy.stderr).toMatch(/^paper-trader: account "default" is open in another paper-trader \(pid \d+\): close it before restoring\n$/);
    await trading.run.stop();

    const unconfirmed = await runCli(['restore', 'default', backup], { env: env() });
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/^paper-trader: restore replaces account "default" \(cash \$100,000\.00 of \$100,000\.00, 0 positions, 3 orders \(3 working\), 0 fills\) with .*before\.db: confirm with --yes when not at a terminal\n$/);
    const restored = await runCli(['restore', 'default', backup, '--yes'], { env: env() });
    expect(restored.stdout).toMatch(/^account "default" restored from .*before\.db \(1 orders, 0 fills\)/);
    // The damaged-store check accepts the older copy: the record now says what it holds.
    expect(JSON.parse(readFileSync(`${accountFile(dir, 'default')}.saved`, 'utf8'))).toEqual({ orders: 1, fills: 0 });
    const again = await trade();
    await again.place();
    await again.run.stop();
    expect(await accountsLine()).toMatch(/^default\s+.* 2 orders \(2 working\), 0 fills$/m);
  });

  it('refuses a file that is not a backup, in one line', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not an account, though long enough to look like a database header at first');
    const refused = await runCli(['restore', 'default', text, '--yes'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^paper-trader: cannot read .*notes\.txt: it is not a paper-trader account or is damaged \(SQLITE_NOTADB\)\n$/);
    const missing = await runCli(['restore', 'default', join(dir, 'gone.db')], { env: env() });
    expect(missing.stderr).toMatch(/^paper-trader: there is no backup file .*gone\.db\n$/);
    expect(existsSync(accountFile(dir, 'default'))).toBe(false);
  });
});

describe('paper-trader accounts clone', () => {
  it('copies an account into a new one while it trades, and never over an account', async () => {
    const trading = await trade();
    for (let i = 0; i < 3; i++) await trading.place();
    const cloned = await runCli(['accounts', 'clone', 'default', 'what-if'], { env: env() });
    expect(cloned.stderr).toBe('');
    expect(cloned.stdout).toBe('account "default" cloned to "what-if" (3 orders, 0 fills): run it with paper-trader --account what-if\n');
    await trading.run.stop();
    const listed = await accountsLine();
    expect(listed).toMatch(/^default\s+cash \$100,000\.00 of \$100,000\.00, 0 positions, 3 orders \(3 working\), 0 fills$/m);
    expect(listed).toMatch(/^what-if\s+cash \$100,000\.00 of \$100,000\.00, 0 positions, 3 orders \(3 working\), 0 fills$/m);
    expect(statSync(accountFile(dir, 'what-if')).mode & 0o777).toBe(0o600);
    const again = await runCli(['accounts', 'clone', 'default', 'what-if'], { env: env() });
    expect(again.stderr).toBe('paper-trader: account "what-if" already exists: clone into a new name (or restore a backup over it)\n');
    const missing = await runCli(['accounts', 'clone', 'nobody', 'other'], { env: env() });
    expect(missing.stderr).toMatch(/^paper-trader: there is no account "nobody" in .* \(see paper-trader accounts\)\n$/);
  });
});
