// The strategies folders: the data directory's strategies/, the config's strategiesDir, and
// --strategies-dir. Every file in them that exports a strategy is registered under its name, as
// the seed's StrategyRegistry.register("my_strategy") does, so --strategy, the picker (t) and
// PUT /api/paper/strategy find it by name. A file that fails to load is one line, and the others
// still load. Helpers a strategy imports go in a subfolder: only the folder's own files are read.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EngineInputError, messageOf } from '../engine/errors.ts';
import type { StrategyDefinition } from '../engine/strategy/strategy.ts';
import { loadStrategyFile } from './strategy-file.ts';
import type { StoredConfig } from './config-store.ts';
import type { CliEnv } from './options.ts';

/** A strategy and the file it came from. */
export interface StrategyFromFile {
  definition: StrategyDefinition<any>;
  file: string;
}

export interface LoadedFolders {
  /** The folders read (those that exist). */
  folders: string[];
  strategies: StrategyFromFile[];
  /** One line per file that could not be registered: what is wrong, and where. */
  problems: string[];
}

const STRATEGY_FILE = /\.(m|c)?[jt]s$/;
const NOT_A_STRATEGY = /\.(test|spec)\.[^.]+$|\.d\.[mc]?ts$/;

/** Whether a file name is a strategy's: TypeScript or JavaScript, not a test, not declarations. */
export const isStrategyFileName = (name: string): boolean => STRATEGY_FILE.test(name) && !NOT_A_STRATEGY.test(name);

/** The strategy files a folder holds, by name (none when it does not exist). */
export function strategyFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter(isStrategyFileName)
    .map((name) => join(dir, name))
    .filter((file) => statSync(file).isFile())
    .sort();
}

/** Loads every strategy file of `dirs`; a name taken already (a built-in's, an earlier file's) is a problem, not a replacement. */
export async function loadStrategyFolders(dirs: readonly string[], builtIns: readonly StrategyDefinition<any>[]): Promise<LoadedFolders> {
  const strategies: StrategyFromFile[] = [];
  const problems: string[] = [];
  const read = [...new Set(dirs.map((d) => resolve(d)))].filter((dir) => existsSync(dir));
  const taken = new Map<string, string>();
  for (const builtIn of builtIns) for (const name of [builtIn.name, ...(builtIn.aliases ?? [])]) taken.set(name, 'a built-in strategy');
  for (const dir of read) {
    for (const file of strategyFiles(dir)) {
      let definition: StrategyDefinition<any>;
      try {
        definition = await loadStrategyFile(file);
      } catch (error) {
        problems.push(error instanceof EngineInputError ? error.message : `strategy file "${file}" failed to load: ${messageOf(error)}`);
        continue;
      }
      const owner = taken.get(definition.name);
      if (owner) {
        problems.push(`strategy file "${file}" is named "${definition.name}", which is ${owner}: give it another name`);
        continue;
      }
      taken.set(definition.name, `the strategy in ${file}`);
      strategies.push({ definition, file });
    }
  }
  return { folders: read, strategies, problems };
}

/**
 * The folders scanned, in order: the data directory's strategies/ (when it exists), the
 * environment's PAPER_TRADER_STRATEGIES_DIR or the config's strategiesDir, and --strategies-dir.
 * A folder the trader named that does not exist is one line naming it.
 */
export function strategyFolders(dataDir: string, flag: string | undefined, env: CliEnv, config: StoredConfig): string[] {
  const fromEnv = env['PAPER_TRADER_STRATEGIES_DIR']?.trim();
  const named: [string, string | undefined][] = [
    [fromEnv ? 'PAPER_TRADER_STRATEGIES_DIR' : "the config's strategiesDir", fromEnv || config.strategiesDir],
    ['--strategies-dir', flag],
  ];
  const folders = [join(dataDir, 'strategies')];
  for (const [what, dir] of named) {
    if (dir === undefined || dir.trim() === '') continue;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EngineInputError(`${what} ${dir} is not a folder that exists: create it, or point it at your strategies`);
    folders.push(dir);
  }
  return folders;
}

/** --list-strategies: each strategy with where it comes from, then what could not be loaded. */
export function strategyList(builtIns: readonly StrategyDefinition<any>[], folders: LoadedFolders): string {
  const rows = [
    ...builtIns.map((s) => [s.name, `${s.description}${s.aliases?.length ? ` (also: ${s.aliases.join(', ')})` : ''}`, 'built in']),
    ...folders.strategies.map(({ definition, file }) => [definition.name, definition.description, file]),
  ];
  const width = Math.max(16, ...rows.map(([name]) => name!.length + 1));
  const lines = rows.map(([name, description, from]) => `${name!.padEnd(width)} ${description}  [${from}]`);
  return [...lines, ...folders.problems.map((problem) => `! ${problem}`), ''].join('\n');
}
