// A sweep's grid: '{"shortWindow":[5,10,20],"longWindow":[30,60]}' → every combination, in order
// (the last parameter varies fastest), each laid over the fixed --params.
import { CommandError } from '../command-error.ts';

export type Params = Record<string, unknown>;

/** At most this many runs in one sweep: a typo in a grid should not start a week of work. */
export const MAX_COMBINATIONS = 10_000;

export function parseGrid(text: string): Record<string, unknown[]> {
  let grid: unknown;
  try {
    grid = JSON.parse(text);
  } catch (error) {
    throw new CommandError(`--grid is not valid JSON (${(error as Error).message}); e.g. --grid '{"shortWindow":[5,10,20],"longWindow":[30,60]}'`);
  }
  if (grid === null || typeof grid !== 'object' || Array.isArray(grid) || Object.keys(grid).length === 0) {
    throw new CommandError(`--grid must be a JSON object of parameters and their values, e.g. '{"shortWindow":[5,10,20]}', got ${text}`);
  }
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw new CommandError(`--grid's "${name}" must be a list of values to try, e.g. "${name}": [5, 10, 20]`);
  }
  return grid as Record<string, unknown[]>;
}

/** Every combination of the grid's values over `base`, in order. */
export function combinations(grid: Record<string, unknown[]>, base: Params = {}): Params[] {
  const count = Object.values(grid).reduce((product, values) => product * values.length, 1);
  if (count > MAX_COMBINATIONS) throw new CommandError(`--grid makes ${count.toLocaleString('en-US')} runs, more than ${MAX_COMBINATIONS.toLocaleString('en-US')}: try fewer values`);
  let all: Params[] = [{ ...base }];
  for (const [name, values] of Object.entries(grid)) all = all.flatMap((params) => values.map((value) => ({ ...params, [name]: value })));
  return all;
}
