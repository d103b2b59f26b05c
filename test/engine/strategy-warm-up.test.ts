import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Bar, MarketEvent, Quote } from '../../src/engine/market/types.ts';
import { fromNumber, PRICE_DECIMALS } from '../../src/engine/money.ts';
import { StrategyRunner } from '../../src/engine/strategy/runner.ts';
import { defineStrategy, type StrategyContext } from '../../src/engine/strategy/strategy.ts';

const price = (n: number) => fromNumber(n, PRICE_DECIMALS);
const quoteAt = (time: number): Quote => ({ kind: 'quote', symbol: 'AAPL', bid: price(100), ask: price(100.02), bidSize: 100n, askSize: 100n, time });
const barAt = (start: number): Bar => ({ kind: 'bar', symbol: 'AAPL', open: price(1), high: price(1), low: price(1), close: price(1), volume: 1n, start, end: start + 60_000, time: start + 60_000 });

function runnerWith(seen: string[], warmUp = true) {
  const definition = defineStrategy({
    name: 'recorder',
    description: 'test',
    params: z.object({}),
    create: () => ({
      onQuote: (q: Quote) => void seen.push(`quote@${q.time}`),
      onBar: (b: Bar) => void seen.push(`bar@${b.start}`),
      ...(warmUp ? { warmUp: (bars: readonly Bar[]) => void seen.push(`warmUp(${bars.map((b) => b.start).join(',')})`) } : {}),
    }),
  });
  const runner = new StrategyRunner({
    contextFor: () => ({}) as StrategyContext,
    cancelOrdersOf: () => undefined,
    report: () => undefined,
    announce: () => undefined,
  });
  runner.start({ definition, params: {} });
  return runner;
}

describe('strategy warm-up', () => {
  it('holds live events until the history arrives, then gives history first and the held events in order', () => {
    const seen: string[] = [];
    const runner = runnerWith(seen);
    const token = runner.holdForWarmUp()!;
    const live: MarketEvent[] = [quoteAt(5), barAt(6), quoteAt(7)];
    for (const event of live) runner.onMarketEvent(event);
    expect(seen).toEqual([]);
    expect(runner.warmUp(token, [barAt(1), barAt(2)])).toBe(true);
    expect(seen).toEqual(['warmUp(1,2)', 'quote@5', 'bar@6', 'quote@7']);
    runner.onMarketEvent(quoteAt(8));
    expect(seen.at(-1)).toBe('quote@8');
  });

  it('a bar that closed while the history was fetched, and is in it, reaches the strategy once', () => {
    const seen: string[] = [];
    const runner = runnerWith(seen);
    const token = runner.holdForWarmUp()!;
    runner.onMarketEvent(barAt(2));
    runner.onMarketEvent(barAt(3));
    runner.warmUp(token, [barAt(1), barAt(2)]);
    expect(seen).toEqual(['warmUp(1,2)', 'bar@3']);
  });

  it('a history that arrives after the strategy was switched is dropped', () => {
    const seen: string[] = [];
    const runner = runnerWith(seen);
    const token = runner.holdForWarmUp()!;
    runner.stop('cleared');
    expect(runner.warmUp(token, [barAt(1)])).toBe(false);
    expect(seen).toEqual([]);
  });

  it('a strategy without warmUp is never held', () => {
    const seen: string[] = [];
    const runner = runnerWith(seen, false);
    expect(runner.holdForWarmUp()).toBeUndefined();
    runner.onMarketEvent(quoteAt(5));
    expect(seen).toEqual(['quote@5']);
  });
});
