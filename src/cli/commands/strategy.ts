// `paper-trader strategy new NAME` writes a strategy to start from (and its test) into the data
// directory's strategies folder, where paper-trader finds it by name; `strategy test NAME` runs
// that test (node:test) with paper-trader's imports taught, from any folder.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { tsImport } from 'tsx/esm/api';
import { EngineInputError } from '../../engine/errors.ts';
import { CommandError } from '../command-error.ts';
import { readConfig } from '../config-store.ts';
import { dataDir, dataDirFlag, withDataDirOption } from '../data-dir.ts';
import { strategyFolders } from '../strategy-folder.ts';
import { teachStrategyImports } from '../strategy-imports.ts';
import { writeScaffold } from '../strategy-scaffold.ts';

export function registerStrategy(program: Command): void {
  const strategy = program.command('strategy').description('write your own strategy: strategy new NAME, then strategy test NAME');
  withDataDirOption(strategy.command('new'))
    .description("write NAME.ts (a strategy to start from) and NAME.test.ts into the strategies folder (the data directory's strategies/, or --dir)")
    .argument('<name>', 'the strategy\'s name, e.g. my_strategy')
    .option('--dir <dir>', 'the folder to write into (give paper-trader --strategies-dir the same folder)')
    .action((name: string, options: { dir?: string }, command: Command) => {
      const dir = resolve(options.dir ?? join(dataDir(dataDirFlag(command)), 'strategies'));
      const written = step(() => writeScaffold(dir, name));
      const elsewhere = options.dir === undefined ? '' : ` --strategies-dir ${dir}`;
      process.stdout.write(
        [
          `wrote ${written.strategy}`,
          `wrote ${written.test}`,
          ...(written.tsconfig ? [`wrote ${written.tsconfig} (for your editor: paper-trader's types)`] : []),
          `next: paper-trader strategy test ${name}${elsewhere}    (its test, on a replay)`,
          `      paper-trader --strategy ${name}${elsewhere}    (run it; edit the file while it runs and it reloads)`,
          '',
        ].join('\n'),
      );
    });
  withDataDirOption(strategy.command('test'))
    .description("run a strategy's test (NAME.test.ts in a strategies folder, or a file) with node:test")
    .argument('<name-or-file>', 'a strategy name, or a test file')
    .option('--strategies-dir <dir>', 'another folder to look in')
    .action(async (target: string, options: { strategiesDir?: string }, command: Command) => {
      const dir = dataDir(dataDirFlag(command));
      const file = step(() => testFile(target, strategyFolders(dir, options.strategiesDir, process.env, readConfig(dir))));
      teachStrategyImports();
      // node:test runs the tests the file declares, reports them, and sets the exit code.
      await tsImport(file, import.meta.url);
    });
}

/** The test of `target`: a file, or NAME.test.ts in the first strategies folder that has it. */
function testFile(target: string, folders: readonly string[]): string {
  if (/[\\/]|\.[mc]?[jt]s$/.test(target)) {
    if (!existsSync(target)) throw new EngineInputError(`test file "${target}" not found`);
    return resolve(target);
  }
  const found = folders.map((folder) => join(folder, `${target}.test.ts`)).find((file) => existsSync(file));
  if (!found) throw new EngineInputError(`no ${target}.test.ts in ${folders.join(' or ')}: write one with paper-trader strategy new ${target}`);
  return found;
}

function step<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof EngineInputError) throw new CommandError(error.message);
    throw error;
  }
}
