// Editing a strategy's file while paper-trader runs reloads it (--watch): the running strategy's
// new code takes over its saved state, positions and orders (Engine.reloadStrategy); a file that
// no longer loads is said in the log and the old code runs on. Folders are watched rather than
// files, because editors save by writing a new file and renaming it over the old one.
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Engine } from '../engine/index.ts';
import { messageOf } from '../engine/errors.ts';
import { isStrategyFileName } from './strategy-folder.ts';
import { loadStrategyFile } from './strategy-file.ts';

/** Editors write a file in bursts (truncate, write, rename): a change is read once it settles. */
const SETTLE_MS = 150;

export interface WatchOptions {
  /** Folders whose strategy files are watched, every one of them. */
  folders: readonly string[];
  /** Single files (a --strategy path), watched through their folder. */
  files: readonly string[];
  engine: Engine;
  /** Where a reload's outcome is said: the screen's log, or stderr. */
  say(level: 'info' | 'error', message: string): void;
}

/** Starts watching; returns what stops it. */
export function watchStrategyFiles(options: WatchOptions): () => void {
  const files = new Set(options.files.map((file) => resolve(file)));
  const folders = new Set(options.folders.map((folder) => resolve(folder)).filter((folder) => existsSync(folder)));
  const single = new Set([...files].map((file) => dirname(file)).filter((folder) => !folders.has(folder)));
  const timers = new Map<string, NodeJS.Timeout>();
  const watchers: FSWatcher[] = [];
  const changed = (file: string): void => {
    clearTimeout(timers.get(file));
    timers.set(file, setTimeout(() => void reload(file), SETTLE_MS));
  };
  const reload = async (file: string): Promise<void> => {
    timers.delete(file);
    if (!existsSync(file)) return;
    let definition;
    try {
      definition = await loadStrategyFile(file, { fresh: true });
    } catch (error) {
      options.say('error', `${messageOf(error)}; the running code is unchanged`);
      return;
    }
    try {
      const { running } = options.engine.reloadStrategy(definition);
      if (!running) options.say('info', `strategy ${definition.name} loaded again from ${file}`);
    } catch (error) {
      options.say('error', messageOf(error));
    }
  };
  for (const folder of [...folders, ...single]) {
    try {
      const watcher = watch(folder, (_event, name) => {
        if (!name || !isStrategyFileName(name)) return;
        const file = join(folder, name);
        if (folders.has(folder) || files.has(file)) changed(file);
      });
      watcher.on('error', (error) => options.say('error', `cannot watch ${folder} for strategy changes: ${messageOf(error)}`));
      watchers.push(watcher);
    } catch (error) {
      options.say('error', `cannot watch ${folder} for strategy changes: ${messageOf(error)}`);
    }
  }
  return () => {
    for (const watcher of watchers) watcher.close();
    for (const timer of timers.values()) clearTimeout(timer);
  };
}
