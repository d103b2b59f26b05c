import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/engine/clock/manual-clock.ts';
import { createEngine, defineStrategy, EngineInputError, type EngineOptions, type StrategyContext } from '../../src/engine/index.ts';
import { SimulatedMarket } from '../../src/engine/market/simulated-market.ts';
import type { MarketEvent, Quote } from '../../src/engine/market/types.ts';
import { parseDecimal, priceToNumber } from '../../src/engine/money.ts';
import { indicatorHalfMicros, indicatorPrice } from '../../src/engine/strategy/price-source.ts';

const START = Date.parse('2026-11-02T14:30:00Z'); // Monday 09:30 New York
const HOUR = 3_600_000;
const SESSION = { kind: 'simulated', seed: 7, clock: 'manual', startTime: START, durationMs: 2 * HOUR } as const;

const nanos = (text: string): bigint => {
  const parsed = parseDecimal(text, 9);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.value;
};
const cents = (text: string): bigint => {
  const parsed = parseDecimal(text, 2);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error}`);
  return parsed.value;
};

/** The events the engine's simulated market delivers for these options, generated independently. */
async function simulatedEvents(symbols: string[]): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  const market = new SimulatedMarket({
    symbols,
    seed: SESSION.seed,
    clock: new ManualClock(START),
    mode: 'manual',
    startTime: START,
    endTime: START + SESSION.durationMs,
  });
  await market.start({ event: (event) => events.push(event), status: () => {} });
  while (!market.stepper!.done) market.stepper!.step(10_000);
  return events;
}

interface LogEntry {
  /** Index of the market event during which it happened. */
  event: number;
  kind: 'order' | 'fill';
  orderId: string;
  status?: string;
  side: string;
  qty: string;
}

/** Runs the engine to the end, recording which market event each order change and fill happened in. */
async function runRecorded(options: EngineOptions) {
  const engine = await createEngine(options);
  const log: LogEntry[] = [];
  const errors: string[] = [];
  const times: number[] = [];
  let delivered = 0;
  // 'quote' is published once per market event, before the fills and orders that event caused.
  engine.on('order', (order) => log.push({ event: delivered - 1, kind: 'order', orderId: order.id, status: order.status, side: order.side, qty: order.qty }));
  engine.on('fill', (fill) => log.push({ event: delivered - 1, kind: 'fill', orderId: fill.orderId, side: fill.side, qty: fill.qty }));
  engine.on('error', (entry) => errors.push(entry.message));
  engine.on('quote', (quote) => {
    times.push(quote.time);
    delivered++;
  });
  await engine.start();
  await engine.replay.runToEnd();
  return { engine, log, errors, times, snapshot: engine.snapshot() };
}

type Signal = 'buy' | 'sell' | undefined;

/**
 * What a one-position-at-a-time strategy must have ordered: at each event its signal acts only if
 * it holds no position (buy) or holds one (sell), and has no order working. The state it sees is
 * everything that happened before, plus what the event itself did to older orders.
 */
function expectedOrders(events: readonly MarketEvent[], log: readonly LogEntry[], signalAt: (index: number) => Signal) {
  const createdAt = new Map<string, number>();
  for (const entry of log) if (entry.kind === 'order' && !createdAt.has(entry.orderId)) createdAt.set(entry.orderId, entry.event);
  const expected: { event: number; side: string; qty?: string }[] = [];
  let position = 0n;
  const status = new Map<string, string>();
  let cursor = 0;
  for (let index = 0; index < events.length; index++) {
    // Apply what happened before the strategy's turn in this event: everything about older orders.
    while (cursor < log.length && log[cursor]!.event <= index && createdAt.get(log[cursor]!.orderId)! < index) {
      const entry = log[cursor++]!;
      if (entry.kind === 'fill') position += entry.side === 'buy' ? nanos(entry.qty) : -nanos(entry.qty);
      else status.set(entry.orderId, entry.status!);
    }
    const signal = signalAt(index);
    const working = [...status.values()].some((s) => s === 'accepted' || s === 'partially_filled');
    if (signal === 'buy' && position === 0n && !working) expected.push({ event: index, side: 'buy' });
    if (signal === 'sell' && position > 0n && !working) expected.push({ event: index, side: 'sell', qty: formatNanos(position) });
    // Then the strategy's own orders of this event.
    while (cursor < log.length && log[cursor]!.event <= index) {
      const entry = log[cursor++]!;
      if (entry.kind === 'fill') position += entry.side === 'buy' ? nanos(entry.qty) : -nanos(entry.qty);
      else status.set(entry.orderId, entry.status!);
    }
  }
  return expected;
}

const formatNanos = (value: bigint): string => {
  const text = value.toString().padStart(10, '0');
  const fraction = text.slice(-9).replace(/0+$/, '');
  return text.slice(0, -9) + (fraction ? `.${fraction}` : '');
};

function placedOrders(log: readonly LogEntry[]) {
  const seen = new Set<string>();
  const placed: { event: number; side: string; qty?: string }[] = [];
  for (const entry of log) {
    if (entry.kind !== 'order' || seen.has(entry.orderId)) continue;
    seen.add(entry.orderId);
    placed.push({ event: entry.event, side: entry.side, ...(entry.side === 'sell' ? { qty: entry.qty } : {}) });
  }
  return placed;
}

const isQuote = (event: MarketEvent): event is Quote => event.kind === 'quote';

describe('strategy registry', () => {
  const manual = { market: SESSION, symbols: ['AAPL'] } satisfies EngineOptions;

  it('names the available strategies when asked for an unknown one', async () => {
    const error = await createEngine({ ...manual, strategy: 'moon-shot' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineInputError);
    expect((error as Error).message).toBe('unknown strategy "moon-shot" (available: sma-crossover, buy-and-hold, rsi-reversion)');
  });

  it('selects sma-crossover by the seed’s name simple_paper_strategy with snake_case params', async () => {
    const engine = await createEngine({ ...manual, strategy: 'simple_paper_strategy', strategyParams: { short_window: 10, long_window: 30 } });
    expect(engine.snapshot().strategy).toEqual({
      name: 'sma-crossover',
      params: { shortWindow: 10, longWindow: 30, allocation: 0.1, source: 'quotes' },
    });
  });

  it('selects rsi-reversion by its alias mean-reversion', async () => {
    const engine = await createEngine({ ...manual, strategy: 'mean-reversion', strategyParams: { period: 7 } });
    expect(engine.snapshot().strategy?.name).toBe('rsi-reversion');
    expect(engine.snapshot().strategy?.params).toMatchObject({ period: 7, oversold: 30, overbought: 70 });
  });

  it('rejects an unknown parameter by name', async () => {
    const error = await createEngine({ ...manual, strategy: 'sma-crossover', strategyParams: { short_window: 5, fast: true } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EngineInputError);
    expect((error as Error).message).toBe('invalid params for sma-crossover: unknown parameter "fast"');
  });

  it('rejects a short window that is not shorter than the long one', async () => {
    for (const params of [{ shortWindow: 30, longWindow: 30 }, { short_window: 40, long_window: 30 }]) {
      const error = await createEngine({ ...manual, strategy: 'sma-crossover', strategyParams: params }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(EngineInputError);
      expect((error as Error).message).toBe('invalid params for sma-crossover: shortWindow must be smaller than longWindow');
    }
  });

  it('rejects params that are not an object, and a bad switch leaves the running strategy in place', async () => {
    const engine = await createEngine({ ...manual, strategy: 'buy-and-hold' });
    expect(() => engine.setStrategy('sma-crossover', [] as unknown as Record<string, unknown>)).toThrow(/must be a JSON object/);
    expect(() => engine.setStrategy('sma-crossover', { longWindow: 'thirty' })).toThrow(EngineInputError);
    expect(() => engine.setStrategy('nope')).toThrow('unknown strategy "nope"');
    expect(engine.snapshot().strategy?.name).toBe('buy-and-hold');
  });
});

describe('built-in strategies on a simulated market', () => {
  it('sma-crossover buys exactly at upward crosses and sells the whole position at downward crosses', async () => {
    const events = await simulatedEvents(['AAPL']);
    const { log, errors, times, snapshot } = await runRecorded({ symbols: ['AAPL'], market: SESSION, strategy: 'sma-crossover' });
    expect(errors).toEqual([]);
    expect(times).toEqual(events.map((event) => event.time)); // the engine saw the same stream

    // Independent SMAs in exact integers: short > long ⇔ Σshort·L > Σlong·S (sums of bid+ask).
    const S = 10;
    const L = 30;
    const window: bigint[] = [];
    let above: boolean | undefined;
    const signals: Signal[] = events.map((event) => {
      if (!isQuote(event)) return undefined;
      window.push(event.bid + event.ask);
      if (window.length > L) window.shift();
      if (window.length < L) return undefined;
      const sumLong = window.reduce((a, b) => a + b, 0n);
      const sumShort = window.slice(-S).reduce((a, b) => a + b, 0n);
      const now = sumShort * BigInt(L) > sumLong * BigInt(S);
      const crossed = above !== undefined && now !== above;
      above = now;
      return crossed ? (now ? 'buy' : 'sell') : undefined;
    });

    const placed = placedOrders(log);
    expect(placed.filter((o) => o.side === 'buy').length).toBeGreaterThan(10);
    expect(placed.filter((o) => o.side === 'sell').length).toBeGreaterThan(10);
    expect(placed).toEqual(expectedOrders(events, log, (index) => signals[index]));
    for (const order of placed) expect(signals[order.event]).toBe(order.side);

    expect(snapshot.fills.length).toBeGreaterThanOrEqual(placed.length);
    expect(snapshot.orders.every((order) => order.source === 'strategy:sma-crossover' && order.type === 'market')).toBe(true);
    // Each entry uses about 10% of equity.
    for (const fill of snapshot.fills.filter((f) => f.side === 'buy')) expect(cents(fill.notional)).toBeLessThanOrEqual(cents('10500'));
  });

  it('sma-crossover treats equal averages as not above, without float noise deciding', async () => {
    // Mids 0.20 0.20 0.10 0.36 0.23 with windows 1 and 3: at 0.23 the averages are equal
    // (0.10 + 0.36 + 0.23 = 3 × 0.23), which summed in floats comes out 0.22999999999999998.
    const mids = [0.2, 0.2, 0.1, 0.36, 0.23, 0.1];
    const dir = mkdtempSync(join(tmpdir(), 'paper-trader-sma-'));
    const file = join(dir, 'ties.jsonl');
    writeFileSync(file, mids.map((mid, i) => JSON.stringify({ ev: 'Q', sym: 'PENY', bp: mid, bs: 10, ap: mid, as: 10, t: START + i * 1000 })).join('\n'));
    try {
      const { log, errors } = await runRecorded({
        market: { kind: 'replay', file },
        strategy: 'sma-crossover',
        strategyParams: { shortWindow: 1, longWindow: 3, qty: '100' },
      });
      expect(errors).toEqual([]);
      // Up at 0.36 (event 3); the tie at 0.23 (event 4) is a cross back down.
      expect(placedOrders(log)).toEqual([{ event: 3, side: 'buy' }, { event: 4, side: 'sell', qty: '100' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rsi-reversion buys when RSI falls below 30 and sells the whole position when it rises above 70', async () => {
    const events = await simulatedEvents(['AAPL']);
    const { log, errors, snapshot } = await runRecorded({ symbols: ['AAPL'], market: SESSION, strategy: 'rsi-reversion' });
    expect(errors).toEqual([]);

    // Wilder's RSI(14) on quote mids, computed here step by step.
    const period = 14;
    const mids: number[] = [];
    const gains: number[] = [];
    const losses: number[] = [];
    let avgGain: number | undefined;
    let avgLoss: number | undefined;
    const signals: Signal[] = events.map((event) => {
      if (!isQuote(event)) return undefined;
      mids.push(priceToNumber(event.bid + event.ask) / 2);
      if (mids.length < 2) return undefined;
      const change = mids.at(-1)! - mids.at(-2)!;
      const gain = change > 0 ? change : 0;
      const loss = change > 0 ? 0 : -change;
      if (avgGain === undefined || avgLoss === undefined) {
        gains.push(gain);
        losses.push(loss);
        if (gains.length < period) return undefined;
        avgGain = gains.reduce((a, b) => a + b, 0) / period;
        avgLoss = losses.reduce((a, b) => a + b, 0) / period;
      } else {
        avgGain = (gain - avgGain) * (1 / period) + avgGain;
        avgLoss = (loss - avgLoss) * (1 / period) + avgLoss;
      }
      const rsi = avgLoss === 0 ? 100 : 100 - 100 / (avgGain / avgLoss + 1);
      return rsi < 30 ? 'buy' : rsi > 70 ? 'sell' : undefined;
    });

    const placed = placedOrders(log);
    expect(placed.filter((o) => o.side === 'buy').length).toBeGreaterThan(5);
    expect(placed.filter((o) => o.side === 'sell').length).toBeGreaterThan(5);
    expect(placed).toEqual(expectedOrders(events, log, (index) => signals[index]));
    expect(snapshot.orders.every((order) => order.source === 'strategy:rsi-reversion')).toBe(true);
  });

  it('buy-and-hold buys each symbol once, at its first quote, with an equal share of equity, and never sells', async () => {
    const symbols = ['AAPL', 'MSFT', 'X:BTCUSD'];
    const events = await simulatedEvents(symbols);
    const { log, errors, snapshot } = await runRecorded({ symbols, market: SESSION, strategy: 'buy-and-hold' });
    expect(errors).toEqual([]);

    const placed = placedOrders(log);
    const firstQuote = (symbol: string) => events.findIndex((event) => event.kind === 'quote' && event.symbol === symbol);
    expect(placed.map((order) => order.event).sort((a, b) => a - b)).toEqual(symbols.map(firstQuote).sort((a, b) => a - b));
    expect(placed.every((order) => order.side === 'buy')).toBe(true);
    expect(snapshot.orders.map((order) => [order.symbol, order.status]).sort()).toEqual(symbols.map((s) => [s, 'filled']).sort());
    expect(snapshot.fills.every((fill) => fill.side === 'buy')).toBe(true);

    // 95% of equity over three symbols; the strategy sizes in whole basis points of equity (31.67%).
    const budget = (cents('100000') * 3167n) / 10_000n;
    for (const symbol of symbols) {
      const order = snapshot.orders.find((o) => o.symbol === symbol)!;
      const position = snapshot.portfolio.positions.find((p) => p.symbol === symbol)!;
      expect(position.qty).toBe(order.qty);
      const paid = cents(position.costBasis);
      expect(paid).toBeLessThanOrEqual(budget);
      expect(paid).toBeGreaterThan(budget - cents('1000')); // within one AAPL/MSFT share of the budget
    }
  });
});

describe('indicator prices', () => {
  const quote: Quote = { kind: 'quote', symbol: 'AAPL', bid: 100_000_000n, ask: 100_010_001n, bidSize: 1n, askSize: 1n, time: 1 };
  const trade = { kind: 'trade', symbol: 'AAPL', price: 100_005_000n, size: 1n, time: 2 } as const;
  const bar = { kind: 'bar', symbol: 'AAPL', open: 1n, high: 3n, low: 1n, close: 2n, volume: 1n, start: 0, end: 60_000, time: 60_000 } as const;

  it('gives exact half-micros of the chosen source only: quote bid + ask, twice a trade price or bar close', () => {
    expect(indicatorHalfMicros('quotes', quote)).toBe(200_010_001n); // a mid of 100.0050005, kept exact
    expect(indicatorHalfMicros('quotes', trade)).toBeUndefined();
    expect(indicatorHalfMicros('trades', trade)).toBe(200_010_000n);
    expect(indicatorHalfMicros('trades', bar)).toBeUndefined();
    expect(indicatorHalfMicros('bars', bar)).toBe(4n);
    expect(indicatorHalfMicros('bars', quote)).toBeUndefined();
    // The float input for other indicators agrees.
    expect(indicatorPrice('quotes', quote)).toBeCloseTo(100.0050005, 9);
    expect(indicatorPrice('trades', trade)).toBe(100.005);
  });
});

describe('switching strategies live', () => {
  it('cancels the old strategy’s working orders, calls its onStop, starts the new one and keeps positions', async () => {
    const calls: string[] = [];
    const restingBid = defineStrategy({
      name: 'resting-bid',
      description: 'buys one AAPL share, then rests a low bid',
      params: z.object({}).strict(),
      create: () => ({
        onStart: () => void calls.push('start'),
        onQuote(quote, ctx) {
          if (quote.symbol !== 'AAPL' || ctx.openOrders().length > 0 || calls.includes('placed')) return;
          calls.push('placed');
          ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'market' });
          ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '1.00', timeInForce: 'gtc' });
        },
        onStop: () => void calls.push('stop'),
      }),
    });
    const engine = await createEngine({ symbols: ['AAPL', 'MSFT'], market: SESSION, strategies: [restingBid], strategy: 'resting-bid' });
    const announced: (string | null)[] = [];
    const logs: string[] = [];
    engine.on('strategy', (active) => announced.push(active?.name ?? null));
    engine.on('log', (entry) => logs.push(entry.message));
    await engine.start();
    await engine.replay.step(200);

    const before = engine.snapshot();
    const bid = before.orders.find((order) => order.type === 'limit')!;
    expect(bid).toMatchObject({ status: 'accepted', source: 'strategy:resting-bid' });
    expect(before.portfolio.positions.map((p) => [p.symbol, p.qty])).toEqual([['AAPL', '1']]);

    engine.setStrategy('buy-and-hold');

    const after = engine.snapshot();
    expect(calls).toEqual(['start', 'placed', 'stop']);
    expect(after.orders.find((order) => order.id === bid.id)).toMatchObject({ status: 'canceled', reason: 'canceled: its strategy stopped' });
    expect(after.strategy).toEqual({ name: 'buy-and-hold', params: { allocation: 0.95 } });
    expect(announced).toEqual(['buy-and-hold']);
    expect(logs).toContain('strategy resting-bid stopped');
    expect(logs).toContain('strategy buy-and-hold started {"allocation":0.95}');
    expect(after.portfolio.positions).toEqual(before.portfolio.positions);

    await engine.replay.step(200);
    const later = engine.snapshot();
    // buy-and-hold manages only what it buys: the AAPL share stays resting-bid's, and it buys its own of both.
    const newOrders = later.orders.filter((order) => order.source === 'strategy:buy-and-hold');
    expect(newOrders.map((order) => [order.symbol, order.side, order.status]).sort()).toEqual([['AAPL', 'buy', 'filled'], ['MSFT', 'buy', 'filled']]);
    const aapl = later.portfolio.positions.find((p) => p.symbol === 'AAPL')!;
    expect(aapl.attribution[0]).toEqual({ owner: 'strategy:resting-bid', qty: '1' });
    expect(aapl.attribution[1]?.owner).toBe('strategy:buy-and-hold');
    expect(calls).toEqual(['start', 'placed', 'stop']); // the old strategy hears nothing more
  });

  it('stops a strategy that throws, reports an error, and keeps the engine running', async () => {
    let quotes = 0;
    const fragile = defineStrategy({
      name: 'fragile',
      description: 'throws on its third quote',
      params: z.object({}).strict(),
      create: () => ({
        onQuote(_quote, ctx: StrategyContext) {
          quotes++;
          if (quotes === 1) ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'limit', limitPrice: '1.00', timeInForce: 'gtc' });
          if (quotes === 3) throw new Error('boom');
        },
      }),
    });
    const engine = await createEngine({ symbols: ['AAPL'], market: SESSION, strategies: [fragile], strategy: 'fragile' });
    const errors: string[] = [];
    const announced: (string | null)[] = [];
    engine.on('error', (entry) => errors.push(entry.message));
    engine.on('strategy', (active) => announced.push(active?.name ?? null));
    await engine.start();
    await engine.replay.step(100);

    expect(quotes).toBe(3);
    expect(errors).toEqual(['strategy fragile failed in onQuote and was stopped: boom']);
    expect(announced).toEqual([null]);
    const snapshot = engine.snapshot();
    expect(snapshot.status).toBe('running');
    expect(snapshot.strategy).toBeNull();
    expect(snapshot.orders).toMatchObject([{ source: 'strategy:fragile', status: 'canceled', reason: 'canceled: its strategy stopped' }]);

    // Market data keeps flowing and the user can still trade.
    const position = engine.replay.position;
    expect(await engine.replay.step(50)).toBe(50);
    expect(engine.replay.position).toBe(position + 50);
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '2' });
    expect(order.status).toBe('filled');
    expect(engine.snapshot().portfolio.positions.map((p) => [p.symbol, p.qty])).toEqual([['AAPL', '2']]);
    expect(quotes).toBe(3);
  });

  it('reports a strategy that fails to start and leaves none running', async () => {
    const broken = defineStrategy({
      name: 'broken',
      description: 'throws in onStart',
      params: z.object({}).strict(),
      create: () => ({
        onStart() {
          throw new Error('no config');
        },
        onQuote() {
          throw new Error('must never be called');
        },
      }),
    });
    const engine = await createEngine({ symbols: ['AAPL'], market: SESSION, strategies: [broken] });
    const errors: string[] = [];
    engine.on('error', (entry) => errors.push(entry.message));
    await engine.start();
    engine.setStrategy('broken');
    expect(errors).toEqual(['strategy broken failed in onStart and was stopped: no config']);
    expect(engine.snapshot().strategy).toBeNull();
    await engine.replay.step(20);
    expect(errors).toHaveLength(1);
  });
});

describe('user strategies', () => {
  const fixedBuyer = defineStrategy({
    name: 'my-strategy',
    description: 'buys a fixed qty of each symbol on its first quote',
    params: z.object({ qty: z.string().default('1') }).strict(),
    create: (params) => {
      const done = new Set<string>();
      return {
        onQuote(quote, ctx) {
          if (done.has(quote.symbol)) return;
          done.add(quote.symbol);
          ctx.placeOrder({ symbol: quote.symbol, side: 'buy', qty: params.qty, type: 'market' });
        },
      };
    },
  });

  it('runs a strategy passed to createEngine by its name, with validated params', async () => {
    const engine = await createEngine({
      symbols: ['AAPL', 'X:BTCUSD'],
      market: SESSION,
      strategies: [fixedBuyer],
      strategy: 'my-strategy',
      strategyParams: { qty: '0.5' },
    });
    expect(engine.snapshot().strategy).toEqual({ name: 'my-strategy', params: { qty: '0.5' } });
    await engine.start();
    await engine.replay.step(100);
    const snapshot = engine.snapshot();
    expect(snapshot.orders.map((o) => [o.symbol, o.qty, o.source, o.status]).sort()).toEqual([
      ['AAPL', '0.5', 'strategy:my-strategy', 'filled'],
      ['X:BTCUSD', '0.5', 'strategy:my-strategy', 'filled'],
    ]);
  });

  it('lists user strategies beside the built-in ones and validates their params', async () => {
    const options = { symbols: ['AAPL'], market: SESSION, strategies: [fixedBuyer] } satisfies EngineOptions;
    await expect(createEngine({ ...options, strategy: 'mine' })).rejects.toThrow(
      'unknown strategy "mine" (available: sma-crossover, buy-and-hold, rsi-reversion, my-strategy)',
    );
    await expect(createEngine({ ...options, strategy: 'my-strategy', strategyParams: { qty: 2 } })).rejects.toThrow(/invalid params for my-strategy: qty: /);
    await expect(createEngine({ ...options, strategy: 'my-strategy', strategyParams: { size: '2' } })).rejects.toThrow(
      'invalid params for my-strategy: unknown parameter "size"',
    );
  });
});
