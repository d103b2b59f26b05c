import type { z } from 'zod';
import { EngineInputError } from '../errors.ts';
import type { StrategyDefinition } from './strategy.ts';

export interface ResolvedStrategy {
  definition: StrategyDefinition<any>;
  params: Record<string, unknown>;
}

/** Strategies by name (and alias), so the running one can be switched by name. */
export class StrategyRegistry {
  readonly #byName = new Map<string, StrategyDefinition<any>>();
  readonly #definitions: StrategyDefinition<any>[] = [];

  register(definition: StrategyDefinition<any>): void {
    for (const name of [definition.name, ...(definition.aliases ?? [])]) this.#byName.set(name, definition);
    const index = this.#definitions.findIndex((known) => known.name === definition.name);
    if (index >= 0) this.#definitions[index] = definition;
    else this.#definitions.push(definition);
  }

  list(): readonly StrategyDefinition<any>[] {
    return this.#definitions;
  }

  /** The strategy registered under `name` (or an alias). */
  get(name: string): StrategyDefinition<any> | undefined {
    return this.#byName.get(name);
  }

  /**
   * Finds a strategy and validates its params; throws EngineInputError with one clear line.
   * `fallback`: params given where the input leaves them out, those of them the strategy takes (a backtest's price source).
   */
  resolve(name: string, input: unknown = {}, fallback: Record<string, unknown> = {}): ResolvedStrategy {
    const definition = this.#byName.get(name);
    if (!definition) {
      const known = this.#definitions.map((d) => d.name).join(', ');
      throw new EngineInputError(`unknown strategy "${name}" (available: ${known})`);
    }
    const shape = (definition.params as { shape?: Record<string, unknown> }).shape ?? {};
    const taken = Object.fromEntries(Object.entries(fallback).filter(([key]) => key in shape));
    const given = typeof input === 'object' && input !== null && !Array.isArray(input) ? { ...taken, ...input } : input;
    return resolveParams(definition, given);
  }
}

/** A strategy's params validated by its own schema; throws EngineInputError with one clear line. */
export function resolveParams(definition: StrategyDefinition<any>, input: unknown = {}): ResolvedStrategy {
  const given = input ?? {};
  if (typeof given !== 'object' || Array.isArray(given)) {
    throw new EngineInputError(`params for ${definition.name} must be a JSON object, e.g. {"shortWindow": 10}`);
  }
  const parsed = definition.params.safeParse(camelCaseKeys(given as Record<string, unknown>));
  if (!parsed.success) throw new EngineInputError(`invalid params for ${definition.name}: ${describeIssues(parsed.error)}`);
  // Params travel in snapshots, logs and (later) the journal: they must be plain JSON.
  const params = parsed.data as Record<string, unknown>;
  try {
    JSON.stringify(params);
  } catch {
    throw new EngineInputError(`params for ${definition.name} must be plain JSON values (numbers, strings, booleans, lists, objects)`);
  }
  return { definition, params };
}

/** The seed spelled params in snake_case (short_window); accept both. */
function camelCaseKeys(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), value]));
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
      const path = issue.path.join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
