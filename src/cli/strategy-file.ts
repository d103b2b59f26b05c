import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { EngineInputError } from '../engine/errors.ts';
import type { StrategyDefinition } from '../engine/strategy/strategy.ts';

/** Loads a user's strategy file: its default export (or `strategy`) made with defineStrategy. */
export async function loadStrategyFile(file: string): Promise<StrategyDefinition<any>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new EngineInputError(`strategy file "${file}" not found`);
  let module: Record<string, unknown>;
  try {
    module = (await tsImport(path, import.meta.url)) as Record<string, unknown>;
  } catch (error) {
    throw new EngineInputError(`strategy file "${file}" failed to load: ${(error as Error).message.split('\n')[0]}`);
  }
  // A .ts file outside an ESM package loads as CommonJS, which nests the default export once more.
  const exported = (module.default as Record<string, unknown> | undefined)?.default ?? module.default ?? module.strategy;
  const definition = exported as Partial<StrategyDefinition<any>> | undefined;
  if (!definition || typeof definition.name !== 'string' || typeof definition.create !== 'function' || !definition.params) {
    throw new EngineInputError(`strategy file "${file}" must export default defineStrategy({ name, description, params, create })`);
  }
  return definition as StrategyDefinition<any>;
}
