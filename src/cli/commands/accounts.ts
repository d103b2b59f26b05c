// `paper-trader accounts` lists the saved paper accounts, and `accounts clone A B` copies one into a
// new what-if account; `reset --account NAME` starts one over after the trader confirms;
// `backup ACCOUNT FILE` copies one, even while it trades, and `restore ACCOUNT FILE` puts a copy back.
import { readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { formatUsd } from '../../engine/money.ts';
import { isWorking } from '../../engine/orders/order.ts';
import { JournalError } from '../../engine/persistence/journal.ts';
import { accountExists, backupAccount, cloneAccount, restoreAccount } from '../../engine/persistence/account-backup.ts';
import { ACCOUNT_NAME, accountFile, accountNameProblem, SqliteJournal } from '../../engine/persistence/sqlite-journal.ts';
import { CommandError } from '../command-error.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { EngineInputError, messageOf } from '../../engine/errors.ts';
import { createAccount } from '../../engine/index.ts';

export const DEFAULT_ACCOUNT = 'default';

export function registerAccounts(program: Command): void {
  const accounts = withDataDirOption(program.command('accounts'))
    .description('list the saved paper accounts in the data directory (accounts clone A B: copy one)')
    .action((_options: unknown, command: Command) => {
      process.stdout.write(accountsText(dataDir(dataDirFlag(command))));
    });
  withDataDirOption(accounts.command('create'))
    .description('make a new account before its first run; --margin makes it a margin account (the kind is chosen once)')
    .argument('<name>', 'the new account')
    .option('--margin', 'a margin account: 2x buying power overnight, 4x intraday from $25,000, short selling, the pattern-day-trader rule')
    .option('--cash <dollars>', 'starting cash', '100000')
    .action(async (name: string, options: { margin?: boolean; cash: string }, command: Command) => {
      const dir = dataDir(dataDirFlag(command));
      let created;
      try {
        created = await createAccount({ dataDir: dir, account: name, startingCash: options.cash, margin: options.margin === true });
      } catch (error) {
        if (error instanceof EngineInputError) throw new CommandError(error.message);
        throw error;
      }
      const kind = options.margin ? 'a margin account (2x buying power overnight, 4x intraday from $25,000; it may sell short)' : 'a cash account';
      process.stdout.write(`account "${name}" created: ${kind} with ${formatUsd(created.startingCash)}: run it with paper-trader --account ${name}\n`);
    });
  withDataDirOption(accounts.command('clone'))
    .description('copy account FROM into the new account TO, to try something on it (safe while FROM trades)')
    .argument('<from>', 'the account to copy (see paper-trader accounts)')
    .argument('<to>', 'the new account')
    .action(async (from: string, to: string, _options: unknown, command: Command) => {
      const dir = dataDir(dataDirFlag(command));
      const copy = await journalStep(() => cloneAccount(dir, from, to));
      process.stdout.write(`account "${from}" cloned to "${to}" (${copy.held.orders} orders, ${copy.held.fills} fills): run it with paper-trader --account ${to}\n`);
    });
  withDataDirOption(program.command('reset'))
    .description('start an account over: its orders, fills, positions and strategy are deleted (asks first)')
    .option('--account <name>', 'the account to reset', DEFAULT_ACCOUNT)
    .option('--yes', 'do not ask (for scripts)')
    .action(async (options: { account: string; yes?: boolean }, command: Command) => {
      process.stdout.write(await resetAccount(dataDir(dataDirFlag(command)), options.account, options.yes === true));
    });
  withDataDirOption(program.command('backup'))
    .description('copy an account to FILE, all of it in one file, safely while paper-trader trades it')
    .argument('<account>', 'the account to copy (see paper-trader accounts)')
    .argument('<file>', 'the new file to write, e.g. ~/backups/default-2026-12-05.db')
    .action(async (account: string, file: string, _options: unknown, command: Command) => {
      process.stdout.write(await backupText(dataDir(dataDirFlag(command)), account, resolve(file)));
    });
  withDataDirOption(program.command('restore'))
    .description('put a backup in place of an account, with paper-trader stopped (asks before replacing one)')
    .argument('<account>', 'the account to restore into (created if new)')
    .argument('<file>', 'a file written by paper-trader backup')
    .option('--yes', 'do not ask (for scripts)')
    .action(async (account: string, file: string, options: { yes?: boolean }, command: Command) => {
      process.stdout.write(await restoreText(dataDir(dataDirFlag(command)), account, resolve(file), options.yes === true));
    });
}

async function backupText(dir: string, account: string, file: string): Promise<string> {
  const copy = await journalStep(() => backupAccount(dir, account, file));
  return `account "${account}" backed up to ${file} (${copy.held.orders} orders, ${copy.held.fills} fills, ${kilobytes(copy.bytes)}): restore it with paper-trader restore ${account} ${file}\n`;
}

async function restoreText(dir: string, account: string, file: string, confirmed: boolean): Promise<string> {
  if (!confirmed && accountExists(dir, account) && !(await confirm(`restore replaces account "${account}" (${describeOrDamaged(dir, account)}) with ${file}`, account, false))) {
    return `account "${account}" left as it was\n`;
  }
  const copy = await journalStep(() => restoreAccount(dir, account, file));
  return `account "${account}" restored from ${file} (${copy.held.orders} orders, ${copy.held.fills} fills): the next run resumes it\n`;
}

const kilobytes = (bytes: number): string => `${Math.ceil(bytes / 1024)} KB`;

/** A journal failure as the command's one line. */
async function journalStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof JournalError) throw new CommandError(error.message, { cause: error.kind });
    throw error;
  }
}

/** Asks the trader to type the account name, or takes --yes; refused without either when not at a terminal. */
async function confirm(what: string, name: string, confirmed: boolean): Promise<boolean> {
  if (confirmed) return true;
  if (!process.stdin.isTTY) throw new CommandError(`${what}: confirm with --yes when not at a terminal`);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(`${what[0]!.toUpperCase()}${what.slice(1)}. Type the account name to confirm: `);
  prompt.close();
  return answer.trim() === name;
}

/** One line per account: its cash, positions, orders, fills and strategy, or why it cannot be read. */
export function accountsText(dir: string): string {
  const names = accountNames(dir);
  if (names.length === 0) return `no accounts yet in ${dir}: one is created when paper-trader runs (--account NAME, default "${DEFAULT_ACCOUNT}")\n`;
  const width = Math.max(...names.map((name) => name.length), 'ACCOUNT'.length);
  const line = (name: string): string => {
    try {
      return describeAccount(dir, name);
    } catch (error) {
      // In use by a running paper-trader, or damaged: say which, and go on with the others.
      return messageOf(error);
    }
  };
  return [`${'ACCOUNT'.padEnd(width)}  SUMMARY`, ...names.map((name) => `${name.padEnd(width)}  ${line(name)}`), `(in ${join(dir, 'accounts')})`, ''].join('\n');
}

function accountNames(dir: string): string[] {
  try {
    return readdirSync(join(dir, 'accounts'))
      .filter((file) => file.endsWith('.db'))
      .map((file) => file.slice(0, -3))
      .filter((name) => ACCOUNT_NAME.test(name))
      .sort();
  } catch {
    return [];
  }
}

/** Deletes an account's store once the trader confirms; refused while another paper-trader has it open. */
export async function resetAccount(dir: string, name: string, confirmed: boolean): Promise<string> {
  const problem = accountNameProblem(name);
  if (problem) throw new CommandError(problem);
  if (!accountNames(dir).includes(name)) throw new CommandError(`there is no account "${name}" in ${dir} (see paper-trader accounts)`);
  // A damaged account is what a trader most wants to reset: say so, and reset it all the same.
  const summary = describeOrDamaged(dir, name);
  if (!confirmed) {
    if (!(await confirm(`reset deletes account "${name}" (${summary})`, name, false))) return `account "${name}" left as it was\n`;
    // Opened once more after the wait, so a paper-trader started meanwhile makes this fail rather than lose its store.
    describeOrDamaged(dir, name);
  }
  const file = accountFile(dir, name);
  for (const suffix of ['', '-wal', '-shm', '.saved']) rmSync(`${file}${suffix}`, { force: true });
  return `account "${name}" was reset: the next run starts it with fresh cash\n`;
}

/** The account's summary, or "damaged: why" for one that cannot be loaded; one in use by another process throws. */
function describeOrDamaged(dir: string, name: string): string {
  try {
    return describeAccount(dir, name);
  } catch (error) {
    if (error instanceof CommandError && error.cause === 'damaged') return `damaged: ${error.message}`;
    throw error;
  }
}

/** Opens an account just long enough to describe it. */
function describeAccount(dir: string, name: string): string {
  let journal: SqliteJournal | undefined;
  try {
    journal = new SqliteJournal({ dir, account: name });
    const account = journal.load();
    if (!account) return 'empty';
    const working = account.orders.filter(isWorking).length;
    const strategy = account.strategy ? `, strategy ${account.strategy.name}` : '';
    return (
      `${account.kind === 'margin' ? 'margin account, ' : ''}cash ${formatUsd(account.checkpoint.cash)} of ${formatUsd(account.startingCash)}, ${account.checkpoint.positions.size} positions, ` +
      `${account.orders.length} orders (${working} working), ${account.fills.length} fills${strategy}`
    );
  } catch (error) {
    if (error instanceof JournalError) throw new CommandError(error.message, { cause: error.kind });
    throw error;
  } finally {
    journal?.close();
  }
}
