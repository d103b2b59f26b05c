import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { EngineInputError } from '../engine/errors.ts';
import { escapeControls } from '../engine/printable.ts';
import type { StrategyDefinition } from '../engine/strategy/strategy.ts';
import { teachStrategyImports } from './strategy-imports.ts';

let reloads = 0;

/** `--strategy` names a file (a path, or a .ts/.js name) rather than a strategy by its name. */
export const isStrategyFile = (strategy: string): boolean => /[\\/]|\.(m?[jt]s)$/.test(strategy);


/**
 * Loads a user's strategy file: its default export (or `strategy`) made with defineStrategy.
 * `fresh` reads it again as it is now (a module is otherwise loaded once per process).
 */
export async function loadStrategyFile(file: string, options: { fresh?: boolean } = {}): Promise<StrategyDefinition<any>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new EngineInputError(`strategy file "${file}" not found`);
  let module: Record<string, unknown>;
  teachStrategyImports();
  try {
    module = (await tsImport(options.fresh ? `${pathToFileURL(path).href}?reload=${++reloads}` : path, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw new EngineInputError(`strategy file "${file}" failed to load: ${firstCause(error)}`);
  }
  // A .ts file outside an ESM package loads as CommonJS, which nests the default export once more.
  const exported = (module.default as Record<string, unknown> | undefined)?.default ?? module.default ?? module.strategy;
  const definition = exported as Partial<StrategyDefinition<any>> | undefined;
  if (!definition || typeof definition.name !== 'string' || typeof definition.create !== 'function' || !definition.params) {
    throw new EngineInputError(`strategy file "${file}" must export default defineStrategy({ name, description, params, create })`);
  }
  return definition as StrategyDefinition<any>;
}

/** The line of a load error that says what is wrong: a compile error's first error (with its place), else the first line. */
function firstCause(error: unknown): string {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').filter((line) => line.trim() !== '');
  const compiled = /^Transform failed with \d+ errors?:$/.test(lines[0] ?? '') && lines[1] !== undefined;
  return escapeControls(compiled ? lines[1]!.replace(/^(.*?): ERROR: /, '$1: ') : (lines[0] ?? 'unknown error'));
}
