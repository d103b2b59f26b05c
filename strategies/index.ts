import type { StrategyDefinition } from '../src/engine/strategy/strategy.ts';
import { buyAndHold } from './buy-and-hold.ts';
import { rsiReversion } from './rsi-reversion.ts';
import { smaCrossover } from './sma-crossover.ts';

export const builtInStrategies: readonly StrategyDefinition<any>[] = [smaCrossover, buyAndHold, rsiReversion];
export { buyAndHold, rsiReversion, smaCrossover };
