// A backtest's price source reaches the strategies that take one, and only them: a strategy's
// params schema is strict, so a source it does not know must never be handed to it.
import { describe, expect, it } from 'vitest';
import { StrategyRegistry } from '../../src/engine/strategy/registry.ts';
import { builtInStrategies } from '../../strategies/index.ts';

const registry = new StrategyRegistry();
for (const definition of builtInStrategies) registry.register(definition);

describe('StrategyRegistry.resolve with fallback params', () => {
  it('gives the fallback where the params leave it out, and the params win where they say it', () => {
    expect(registry.resolve('sma-crossover', {}, { source: 'bars' }).params['source']).toBe('bars');
    expect(registry.resolve('sma-crossover', { source: 'trades' }, { source: 'bars' }).params['source']).toBe('trades');
    expect(registry.resolve('sma-crossover', {}).params['source']).toBe('quotes');
  });

  it('gives a strategy none it does not take (buy-and-hold has no source; its schema is strict)', () => {
    expect(registry.resolve('buy-and-hold', {}, { source: 'bars' }).params).not.toHaveProperty('source');
    expect(() => registry.resolve('buy-and-hold', { source: 'bars' })).toThrow(/source/);
  });
});
