// `paper-trader accounts create NAME --margin`: the kind is chosen once, when the account is made,
// shown in `accounts`, kept by every later run; --margin on a cash account is refused, saying so;
// --no-pdt turns the pattern-day-trader rule off, saved with the account.
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDataDir } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(() => {
  dir = tempDataDir();
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const env = () => ({ PAPER_TRADER_DATA_DIR: dir, POLYGON_API_KEY: '' });
const FAST = ['--fast', '--duration', '60s', '--symbols', 'AAPL', '--json'];

describe('paper-trader accounts create', () => {
  it('makes a margin account that later runs keep, and refuses making one twice or turning a cash account into one', async () => {
    const created = await runCli(['accounts', 'create', 'shorty', '--margin', '--cash', '30000'], { env: env() });
    expect(created.stderr).toBe('');
    expect(created.stdout).toBe(
      'account "shorty" created: a margin account (2x buying power overnight, 4x intraday from $25,000; it may sell short) with $30,000.00: run it with paper-trader --account shorty\n',
    );
    expect((await runCli(['accounts', 'create', 'plain'], { env: env() })).stdout).toMatch(/^account "plain" created: a cash account with \$100,000\.00/);
    const listed = (await runCli(['accounts'], { env: env() })).stdout;
    expect(listed).toMatch(/^shorty\s+margin account, cash \$30,000\.00 of \$30,000\.00, 0 positions/m);
    expect(listed).toMatch(/^plain\s+cash \$100,000\.00/m);

    const again = await runCli(['accounts', 'create', 'shorty'], { env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toBe('paper-trader: account "shorty" already exists: an account\'s kind and cash are chosen when it is made (paper-trader accounts clone, or reset, to start another)\n');
    const badCash = await runCli(['accounts', 'create', 'other', '--cash', 'lots'], { env: env() });
    expect(badCash.stderr).toBe('paper-trader: starting cash "lots" is not a number: give dollars, e.g. 100000 or 2500.50\n');

    const run = await runCli([...FAST, '--account', 'shorty', '--no-pdt', '--borrow-rate', '3'], { env: env() });
    expect(run.code).toBe(0);
    const snapshot = JSON.parse(run.stdout);
    expect(snapshot.portfolio).toMatchObject({ accountKind: 'margin', margin: { patternDayTrader: false } });
    expect(snapshot.risk).toMatchObject({ patternDayTrader: false, borrowRate: '3' });
    // The settings were saved: the next run without the flags keeps them.
    const next = JSON.parse((await runCli([...FAST, '--account', 'shorty'], { env: env() })).stdout);
    expect(next.risk).toMatchObject({ patternDayTrader: false, borrowRate: '3' });
    const badRate = await runCli([...FAST, '--account', 'shorty', '--borrow-rate', 'cheap'], { env: env() });
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toBe('paper-trader: --borrow-rate must be a percent a year above 0 and at most 100, such as 3 or 0.25, or off; got "cheap"\n');

    const refused = await runCli([...FAST, '--account', 'plain', '--margin'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'paper-trader: account "plain" is a cash account, and an account\'s kind is chosen when it is made: make a margin account with paper-trader accounts create NAME --margin\n',
    );
  });

  it('makes a margin account with --margin on the run that creates it', async () => {
    const run = await runCli([...FAST, '--account', 'fresh', '--margin'], { env: env() });
    expect(JSON.parse(run.stdout).portfolio).toMatchObject({ accountKind: 'margin', margin: { multiplier: expect.any(Number), patternDayTrader: true } });
    expect((await runCli(['accounts'], { env: env() })).stdout).toMatch(/^fresh\s+margin account, /m);
  });
});
