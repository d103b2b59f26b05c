// `paper-trader accounts` lists the saved paper accounts; `paper-trader reset --account NAME`
// starts one over after the trader confirms.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { formatCents } from '../../engine/money.ts';
import { isWorking } from '../../engine/orders/order.ts';
import { JournalError } from '../../engine/persistence/journal.ts';
import { ACCOUNT_NAME, accountFile, accountNameProblem, SqliteJournal } from '../../engine/persistence/sqlite-journal.ts';
import { CommandError } from '../command-error.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { messageOf } from '../../engine/errors.ts';

export const DEFAULT_ACCOUNT = 'default';

export function registerAccounts(program: Command): void {
  withDataDirOption(program.command('accounts'))
    .description('list the saved paper accounts in the data directory')
    .action((_options: unknown, command: Command) => {
      process.stdout.write(accountsText(dataDir(dataDirFlag(command))));
    });
  withDataDirOption(program.command('reset'))
    .description('start an account over: its orders, fills, positions and strategy are deleted (asks first)')
    .option('--account <name>', 'the account to reset', DEFAULT_ACCOUNT)
    .option('--yes', 'do not ask (for scripts)')
    .action(async (options: { account: string; yes?: boolean }, command: Command) => {
      process.stdout.write(await resetAccount(dataDir(dataDirFlag(command)), options.account, options.yes === true));
    });
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
    if (!process.stdin.isTTY) throw new CommandError(`reset deletes account "${name}" (${summary}): confirm with --yes when not at a terminal`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await prompt.question(`Reset account "${name}" (${summary})? Its history is deleted. Type the account name to confirm: `);
    prompt.close();
    if (answer.trim() !== name) return `account "${name}" left as it was\n`;
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
      `cash $${formatCents(account.checkpoint.cash)} of $${formatCents(account.startingCash)}, ${account.checkpoint.positions.size} positions, ` +
      `${account.orders.length} orders (${working} working), ${account.fills.length} fills${strategy}`
    );
  } catch (error) {
    if (error instanceof JournalError) throw new CommandError(error.message, { cause: error.kind });
    throw error;
  } finally {
    journal?.close();
  }
}
