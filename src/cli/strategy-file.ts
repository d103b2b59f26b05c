import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EngineInputError } from '../engine/errors.ts';
import type { StrategyDefinition } from '../engine/strategy/strategy.ts';

/** Loads a user's strategy file: its default export (or `strategy`) made with defineStrategy. */
export async function loadStrategyFile(file: string): Promise<StrategyDefinition<any>> {
  const path = resolve(file);
  if (!existsSync(path)) throw new EngineInputError(`strategy file "${file}" not found`);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new EngineInputError(`strategy file "${file}" failed to load: ${(error as Error).message.split('\n')[0]}`);
  }
  const definition = (module.default ?? module.strategy) as Partial<StrategyDefinition<any>> | undefined;
  if (!definition || typeof definition.name !== 'string' || typeof definition.create !== 'function' || !definition.params) {
    throw new EngineInputError(`strategy file "${file}" must export default defineStrategy({ name, description, params, create })`);
  }
  return definition as StrategyDefinition<any>;
}
