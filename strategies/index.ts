import type { StrategyDefinition } from '../src/engine/strategy/strategy.ts';
import type { StrategyChoice } from '../src/ui/app.tsx';
import { buyAndHold } from './buy-and-hold.ts';
import { rsiReversion } from './rsi-reversion.ts';
import { smaCrossover } from './sma-crossover.ts';

export const builtInStrategies: readonly StrategyDefinition<any>[] = [smaCrossover, buyAndHold, rsiReversion];
export { buyAndHold, rsiReversion, smaCrossover };

/** What the UI's strategy picker lists: each definition's name, description and default params. */
export function strategyChoices(definitions: readonly StrategyDefinition<any>[]): StrategyChoice[] {
  return definitions.map((definition) => ({
    name: definition.name,
    description: definition.description,
    params: definition.params.safeParse({}).data ?? {},
  }));
}
