// Engine throughput: quotes through provider → strategy → executor → ledger, with 50 symbols and
// the SMA strategy, on replayed and simulated data; and the time from a quote to its fill.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../src/engine/clock/manual-clock.ts';
import { createEngine, type Engine } from '../src/engine/index.ts';
import { SimulatedMarket } from '../src/engine/market/simulated-market.ts';
import { loadReplayFile } from '../src/engine/market/replay-file.ts';
import type { MarketEvent } from '../src/engine/market/types.ts';
import { percentile, STRATEGY, SYMBOLS } from './common.ts';

const REPLAY_EVENTS = 600_000;
const START = Date.parse('2026-11-02T14:30:00Z');

export interface ThroughputResult {
  name: string;
  events: number;
  quotes: number;
  seconds: number;
  eventsPerSecond: number;
  quotesPerSecond: number;
  fills: number;
  /** The floor: only producing the same events (reading and parsing the file; the simulated market making them), events/s. */
  floorPerSecond: number;
}

export interface LatencyResult {
  name: string;
  samples: number;
  p50Micros: number;
  p99Micros: number;
}

/** The simulated market's events, as the engine's simulated provider will produce them. */
function simulatedEvents(count: number, endTime = Number.POSITIVE_INFINITY): MarketEvent[] {
  const events: MarketEvent[] = [];
  const market = new SimulatedMarket({ symbols: SYMBOLS, seed: 1, clock: new ManualClock(START), mode: 'manual', startTime: START, quoteIntervalMs: 500, endTime });
  void market.start({ event: (event) => void events.push(event), status: () => {} });
  market.stepper!.step(count);
  return events;
}

const countQuotes = (events: readonly MarketEvent[]): number => events.filter((event) => event.kind === 'quote').length;

/** Writes a session of Polygon WebSocket events (Q, T, AM) from the seeded simulated market. */
function writeSession(file: string, count: number): number {
  const events = simulatedEvents(count);
  const price = (micros: bigint): number => Number(micros) / 1e6;
  const lots = (nanos: bigint): number => Number(nanos / 100_000_000_000n);
  const shares = (nanos: bigint): number => Number(nanos / 1_000_000_000n);
  const lines = events.map((event) => {
    if (event.kind === 'quote') {
      return JSON.stringify({ ev: 'Q', sym: event.symbol, bx: 4, bp: price(event.bid), bs: lots(event.bidSize), ax: 7, ap: price(event.ask), as: lots(event.askSize), t: event.time, z: 3 });
    }
    if (event.kind === 'trade') return JSON.stringify({ ev: 'T', sym: event.symbol, x: 4, i: '1', p: price(event.price), s: shares(event.size), t: event.time, z: 3 });
    return JSON.stringify({ ev: 'AM', sym: event.symbol, v: shares(event.volume), o: price(event.open), h: price(event.high), l: price(event.low), c: price(event.close), s: event.start, e: event.end });
  });
  writeFileSync(file, lines.join('\n') + '\n');
  return countQuotes(events);
}

async function timeRunToEnd(name: string, engine: Engine, quotes: number, floorPerSecond = Number.NaN): Promise<ThroughputResult> {
  await engine.start();
  const started = process.hrtime.bigint();
  const events = await engine.replay.runToEnd();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const fills = engine.snapshot().fills.length;
  await engine.stop();
  return { name, events, quotes, seconds, eventsPerSecond: events / seconds, quotesPerSecond: quotes / seconds, fills, floorPerSecond };
}

/** Steps one event at a time and times each fill from the start of the step that caused it. */
async function quoteToFillLatency(name: string, engine: Engine): Promise<LatencyResult> {
  let stepStarted = 0n;
  const samples: number[] = [];
  engine.on('fill', () => void samples.push(Number(process.hrtime.bigint() - stepStarted) / 1000));
  await engine.start();
  while (!engine.replay.done) {
    stepStarted = process.hrtime.bigint();
    if ((await engine.replay.step(1)) === 0) break;
  }
  await engine.stop();
  samples.sort((a, b) => a - b);
  return { name, samples: samples.length, p50Micros: percentile(samples, 0.5), p99Micros: percentile(samples, 0.99) };
}

/** Events/s of only reading and parsing the replay file, as the replay does while it plays (the second pass over a loaded file). */
async function parseFloor(file: string): Promise<number> {
  const session = await loadReplayFile(file);
  const started = performance.now();
  let events = 0;
  for await (const batch of session.batches()) events += batch.length;
  return events / ((performance.now() - started) / 1000);
}

/** Events/s of the simulated market making the same session, to a sink that keeps nothing. */
function simulationFloor(endTime: number): number {
  const market = new SimulatedMarket({ symbols: SYMBOLS, seed: 1, clock: new ManualClock(START), mode: 'manual', startTime: START, quoteIntervalMs: 500, endTime });
  let events = 0;
  void market.start({ event: () => void events++, status: () => {} });
  const started = performance.now();
  market.stepper!.step(Number.POSITIVE_INFINITY);
  return events / ((performance.now() - started) / 1000);
}

export interface LoadResult {
  events: number;
  seconds: number;
}

export async function engineBenchmarks(): Promise<{ throughput: ThroughputResult[]; latency: LatencyResult[]; load: LoadResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-'));
  try {
    const file = join(dir, 'session.jsonl');
    const quoteCount = writeSession(file, REPLAY_EVENTS);
    const replay = () => createEngine({ symbols: SYMBOLS, market: { kind: 'replay', file }, ...STRATEGY });
    const duration = 2 * 3_600_000;
    const simulated = () =>
      createEngine({ symbols: SYMBOLS, market: { kind: 'simulated', seed: 1, clock: 'manual', startTime: START, quoteIntervalMs: 500, durationMs: duration, anyTicker: true }, ...STRATEGY });
    const simulatedQuotes = countQuotes(simulatedEvents(Number.POSITIVE_INFINITY, START + duration));

    // Warm up the JIT once, then measure.
    await timeRunToEnd('warm-up', await replay(), quoteCount);
    const loadStarted = process.hrtime.bigint();
    const replayEngine = await replay();
    const loadSeconds = Number(process.hrtime.bigint() - loadStarted) / 1e9;
    const replayed = await timeRunToEnd('replay, 50 symbols, sma-crossover', replayEngine, quoteCount, await parseFloor(file));
    const simulatedRun = await timeRunToEnd('simulated, 50 symbols, sma-crossover', await simulated(), simulatedQuotes, simulationFloor(START + duration));
    const latency = await quoteToFillLatency('replay, 50 symbols, sma-crossover', await replay());
    return { throughput: [replayed, simulatedRun], latency: [latency], load: { events: REPLAY_EVENTS, seconds: loadSeconds } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
