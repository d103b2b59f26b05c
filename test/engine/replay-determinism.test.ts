import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions, type EngineSnapshot } from '../../src/engine/index.ts';

const tempDir = mkdtempSync(join(tmpdir(), 'paper-trader-determinism-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const T0 = Date.parse('2026-11-03T15:00:00Z'); // Tuesday 10:00 New York

/** mulberry32, so the recorded session is the same on every machine. */
function random(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A recorded-looking session: stock quotes and trades, crypto quotes with fractional sizes, minute bars. */
function writeSession(name: string, events: number, seed: number): string {
  const next = random(seed);
  const mids: Record<string, number> = { AAPL: 23_000, MSFT: 42_000, 'BTC-USD': 9_500_000 }; // cents
  const lines: string[] = [];
  let time = T0;
  let minute = Math.floor(T0 / 60_000);
  for (let i = 0; i < events; i++) {
    time += 1 + Math.floor(next() * 900);
    const symbol = (['AAPL', 'MSFT', 'BTC-USD'] as const)[Math.floor(next() * 3)]!;
    mids[symbol] = Math.max(100, Math.round(mids[symbol]! * (1 + (next() - 0.5) / 500)));
    const bid = mids[symbol]!;
    const ask = bid + 1 + Math.floor(next() * 3);
    if (symbol === 'BTC-USD') {
      const size = () => Math.round(next() * 2e8) / 1e8;
      lines.push(JSON.stringify({ ev: 'XQ', pair: symbol, bp: bid / 100, bs: size(), ap: ask / 100, as: size(), t: time }));
    } else if (next() < 0.25) {
      lines.push(JSON.stringify({ ev: 'T', sym: symbol, p: (next() < 0.5 ? bid : ask) / 100, s: 1 + Math.floor(next() * 300), t: time }));
    } else {
      lines.push(JSON.stringify({ ev: 'Q', sym: symbol, bp: bid / 100, bs: Math.floor(next() * 8), ap: ask / 100, as: Math.floor(next() * 8), t: time }));
    }
    const nowMinute = Math.floor(time / 60_000);
    if (nowMinute > minute) {
      const start = minute * 60_000;
      const c = mids.AAPL! / 100;
      lines.push(JSON.stringify({ ev: 'AM', sym: 'AAPL', o: c, h: c + 0.05, l: c - 0.05, c, v: 10_000, s: start, e: start + 60_000 }));
      minute = nowMinute;
    }
  }
  const file = join(tempDir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

interface Run {
  snapshot: EngineSnapshot;
  /** Everything the engine published, in order. */
  published: unknown[];
}

/** Runs a session, placing the same user orders at the same points, and records what it published. */
async function run(options: EngineOptions, granularity: 'chunks' | 'single-steps' = 'chunks'): Promise<Run> {
  const engine = await createEngine(options);
  const published: unknown[] = [];
  for (const name of ['order', 'fill', 'log', 'error', 'strategy', 'status'] as const) {
    engine.on(name, (payload) => published.push([name, payload]));
  }
  await engine.start();
  for (let round = 0; !engine.replay.done && round < 40; round++) {
    if (granularity === 'chunks') await engine.replay.step(97);
    else for (let i = 0; i < 97; i++) await engine.replay.step(1);
    const symbol = engine.symbols[round % engine.symbols.length]!;
    const quote = engine.snapshot().quotes.find((q) => q.symbol === symbol);
    const crypto = symbol.startsWith('X:');
    await engine.placeOrder({ symbol, side: 'buy', qty: crypto ? '0.0123' : '3' });
    if (quote?.bid) {
      // A resting limit a little under the bid, and a sell of part of whatever is held.
      const limit = (Number(quote.bid) * 0.999).toFixed(2);
      await engine.placeOrder({ symbol, side: 'buy', qty: crypto ? '0.005' : '2', type: 'limit', limitPrice: limit, timeInForce: 'gtc' });
    }
    const held = engine.snapshot().portfolio.positions.find((p) => p.symbol === symbol);
    if (held && round % 3 === 2) await engine.placeOrder({ symbol, side: 'sell', qty: crypto ? '0.001' : '1', type: 'market', timeInForce: 'gtc' });
    if (round % 5 === 4) {
      const working = engine.snapshot().orders.find((o) => o.status === 'accepted' && o.source === 'user');
      if (working) engine.cancelOrder(working.id);
    }
  }
  await engine.replay.runToEnd();
  const snapshot = engine.snapshot();
  await engine.stop();
  return { snapshot, published };
}

describe('replay determinism', () => {
  const file = writeSession('session.jsonl', 4_000, 20261103);
  const replay = (strategy: string, params: Record<string, unknown> = {}): EngineOptions => ({
    market: { kind: 'replay', file },
    strategy,
    strategyParams: params,
    fees: { kind: 'per_share', perShare: '0.005', minimum: '1' },
    slippageBps: 3,
  });

  it('gives identical snapshots and events for the same replay file and strategy', async () => {
    const first = await run(replay('sma-crossover', { shortWindow: 5, longWindow: 20 }));
    const second = await run(replay('sma-crossover', { shortWindow: 5, longWindow: 20 }));
    expect(second.snapshot).toEqual(first.snapshot);
    expect(second.published).toEqual(first.published);
    // Not trivially equal: the session traded, by the user and by the strategy.
    const sources = new Set(first.snapshot.fills.map((fill) => fill.source));
    expect(sources).toEqual(new Set(['user', 'strategy:sma-crossover']));
    expect(first.snapshot.fills.length).toBeGreaterThan(50);
    expect(first.snapshot.orders.some((o) => o.status === 'canceled')).toBe(true);
    expect(first.snapshot.portfolio.positions.length).toBeGreaterThan(0);
  });

  it('gives identical books whether the replay is stepped one event at a time or in chunks', async () => {
    const chunked = await run(replay('rsi-reversion', { period: 7 }), 'chunks');
    const single = await run(replay('rsi-reversion', { period: 7 }), 'single-steps');
    expect(single.snapshot).toEqual(chunked.snapshot);
    expect(single.published).toEqual(chunked.published);
    expect(chunked.snapshot.fills.some((fill) => fill.source === 'strategy:rsi-reversion')).toBe(true);
  });

  it('gives different books for a different strategy, so the comparison can tell runs apart', async () => {
    const sma = await run(replay('sma-crossover', { shortWindow: 5, longWindow: 20 }));
    const rsi = await run(replay('rsi-reversion', { period: 7 }));
    expect(rsi.snapshot.fills).not.toEqual(sma.snapshot.fills);
  });
});

describe('simulated market determinism', () => {
  const simulated = (seed: number): EngineOptions => ({
    symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD'],
    market: { kind: 'simulated', seed, clock: 'manual', durationMs: 3_600_000 },
    strategy: 'rsi-reversion',
    fees: { kind: 'percent', percent: '0.1' },
    slippageBps: 5,
  });

  it('gives identical snapshots and events for the same seed', async () => {
    const first = await run(simulated(11));
    const second = await run(simulated(11));
    expect(second.snapshot).toEqual(first.snapshot);
    expect(second.published).toEqual(first.published);
    expect(first.snapshot.market.state).toBe('ended');
    expect(first.snapshot.fills.length).toBeGreaterThan(20);
    expect(first.snapshot.equity.length).toBeGreaterThan(100);
  });

  it('gives different snapshots for a different seed', async () => {
    const first = await run(simulated(11));
    const other = await run(simulated(12));
    expect(other.snapshot.quotes).not.toEqual(first.snapshot.quotes);
    expect(other.snapshot.fills).not.toEqual(first.snapshot.fills);
  });
});
