// Where paper-trader keeps its files (config, logs): --data-dir, then PAPER_TRADER_DATA_DIR, then
// conf's per-user location (e.g. ~/.config/paper-trader-nodejs on Linux).
import { accessSync, chmodSync, constants, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import Conf from 'conf';
import { CommandError } from './command-error.ts';
import type { CliEnv } from './options.ts';

export const DATA_DIR_ENV = 'PAPER_TRADER_DATA_DIR';
export const PROJECT_NAME = 'paper-trader';

/** The one line for a data directory (or a file in it) that cannot be written. */
export const cannotWrite = (dir: string, error: unknown): CommandError => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new CommandError(`cannot write to the data directory ${dir} (${code}): choose another with --data-dir or ${DATA_DIR_ENV}`);
};

export const DATA_DIR_HELP = `where the config and log files are (default: $${DATA_DIR_ENV}, else the per-user config directory)`;

/** Adds --data-dir to a command: it may be given before or after a subcommand's name. */
export function withDataDirOption(command: Command): Command {
  return command.option('--data-dir <dir>', DATA_DIR_HELP);
}

/** The --data-dir closest to command (its own, else a parent's). */
export function dataDirFlag(command: Command): string | undefined {
  for (let at: Command | null = command; at; at = at.parent) {
    const flag = at.opts<{ dataDir?: string }>().dataDir;
    if (flag !== undefined) return flag;
  }
  return undefined;
}

/** The data directory, created (mode 0700) when missing; a CommandError (one line) when it cannot be written. */
export function dataDir(flag: string | undefined, env: CliEnv = process.env): string {
  const chosen = flag?.trim() || env[DATA_DIR_ENV]?.trim();
  if (chosen) return ensureWritable(resolve(chosen));
  return ensureWritable(defaultDataDir(), { tighten: true });
}

/** conf's own answer for projectName 'paper-trader' (it creates the directory as it works it out). */
function defaultDataDir(): string {
  let store: Conf;
  try {
    store = new Conf({ projectName: PROJECT_NAME });
  } catch (error) {
    // conf fails on its config file (or a directory above it): name the directory.
    const path = (error as { path?: unknown }).path;
    const dir = typeof path !== 'string' ? `the per-user config directory of ${PROJECT_NAME}` : basename(path) === 'config.json' ? dirname(path) : path;
    throw cannotWrite(dir, error);
  }
  return dirname(store.path);
}

function ensureWritable(dir: string, options: { tighten?: boolean } = {}): string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // conf made the per-user directory with the umask's mode; it holds the API key, so owner only
    // (best effort: a directory of another owner may still be writable).
    if (options.tighten) tryChmod(dir, 0o700);
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw cannotWrite(dir, error);
  }
  return dir;
}

function tryChmod(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // the access check below decides whether the directory is usable
  }
}
