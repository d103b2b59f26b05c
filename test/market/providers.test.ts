import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LiveClock } from '../../src/engine/clock/live-clock.ts';
import { ManualClock } from '../../src/engine/clock/manual-clock.ts';
import { PolygonMarket } from '../../src/engine/market/polygon-market.ts';
import { replayEvents } from '../helpers/replay-events.ts';
import { loadReplayFile } from '../../src/engine/market/replay-file.ts';
import { ReplayMarket } from '../../src/engine/market/replay-market.ts';
import { SimulatedMarket } from '../../src/engine/market/simulated-market.ts';
import type { MarketStepper } from '../../src/engine/market/types.ts';
import { startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { NEW_SYMBOL, providerContract, until, type SinkRecorder } from './provider-contract.ts';

const START = Date.UTC(2024, 0, 2, 14, 30);

/** Steps one event at a time until the recorder has a new event for `symbol`. */
function stepUntil(stepper: MarketStepper, symbol: string, sink: SinkRecorder, maxSteps = 5000): void {
  const before = sink.countFor(symbol);
  for (let i = 0; i < maxSteps && sink.countFor(symbol) === before; i++) {
    if (stepper.step(1) === 0) break;
  }
  if (sink.countFor(symbol) === before) throw new Error(`no event for ${symbol} after stepping`);
}

providerContract('simulated (manual mode, stepping)', async (symbols) => {
  const provider = new SimulatedMarket({ symbols, seed: 7, clock: new ManualClock(START), mode: 'manual', startTime: START });
  const stepper = provider.stepper!;
  return {
    provider,
    deliver: async (symbol, sink) => stepUntil(stepper, symbol, sink),
    drive: async () => {
      try {
        stepper.step(200);
      } catch {
        // a stopped simulated market refuses to step: nothing is delivered, which is the point
      }
    },
    close: async () => undefined,
  };
});

providerContract('simulated (live mode on a ManualClock)', async (symbols) => {
  const clock = new ManualClock(START);
  const provider = new SimulatedMarket({ symbols, seed: 7, clock, mode: 'live', startTime: START });
  return {
    provider,
    deliver: async (symbol, sink) => {
      const before = sink.countFor(symbol);
      for (let i = 0; i < 10_000 && sink.countFor(symbol) === before; i++) clock.advanceBy(50);
      if (sink.countFor(symbol) === before) throw new Error(`no event for ${symbol} after advancing the clock`);
    },
    drive: async () => clock.advanceBy(120_000),
    close: async () => undefined,
  };
});

let replayDir: string;
let replayPath: string;

beforeAll(() => {
  replayDir = mkdtempSync(join(tmpdir(), 'paper-trader-contract-'));
  replayPath = join(replayDir, 'session.jsonl');
  const lines: string[] = [];
  const base: Record<string, number> = { AAPL: 190, MSFT: 370, [NEW_SYMBOL]: 480 };
  let t = START;
  for (let i = 0; i < 40; i++) {
    for (const sym of ['AAPL', 'MSFT', NEW_SYMBOL]) {
      const p = base[sym]! + (i % 7) * 0.01;
      t += 137;
      lines.push(JSON.stringify({ ev: 'Q', sym, bp: p, bs: 2, ap: Number((p + 0.02).toFixed(2)), as: 3, t }));
      if (i % 3 === 0) {
        t += 11;
        lines.push(JSON.stringify([{ ev: 'T', sym, p: Number((p + 0.01).toFixed(2)), s: 100, t }]));
      }
    }
  }
  writeFileSync(replayPath, `${lines.join('\n')}\n`);
});

afterAll(() => {
  rmSync(replayDir, { recursive: true, force: true });
});

// Guards the fixture: the replay can only deliver what the file holds.
it('writes a replay fixture with quotes and trades for every symbol the contract uses', async () => {
  const session = await loadReplayFile(replayPath);
  expect(session.symbols).toEqual(['AAPL', 'MSFT', NEW_SYMBOL]);
  expect(new Set((await replayEvents(session)).map((event) => event.kind))).toEqual(new Set(['quote', 'trade']));
});

providerContract('replay (JSONL file)', async (symbols) => {
  const provider = new ReplayMarket(await loadReplayFile(replayPath), { symbols });
  return {
    provider,
    deliver: async (symbol, sink) => stepUntil(provider.stepper, symbol, sink),
    drive: async () => void provider.stepper.step(20),
    close: async () => undefined,
  };
});

providerContract('polygon (fake server on 127.0.0.1)', async (symbols) => {
  const fake = await startFakePolygon({ keys: { demo: FULL_PLAN } });
  const provider = new PolygonMarket({ apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl, symbols, clock: new LiveClock() });
  const quote = (sym: string): object => ({ ev: 'Q', sym, bp: 150, bs: 2, ap: 150.02, as: 3, t: Date.now() });
  return {
    provider,
    deliver: async (symbol, sink) => {
      const before = sink.countFor(symbol);
      // Pushed until seen: the stream may not be authenticated or subscribed yet.
      await until(
        () => {
          if (sink.countFor(symbol) > before) return true;
          fake.push('stocks', [quote(symbol)]);
          return false;
        },
        8000,
        `a pushed ${symbol} quote reaching the sink`,
      );
    },
    drive: async (syms) => {
      fake.push('stocks', syms.map(quote));
      await new Promise((r) => setTimeout(r, 150));
    },
    close: () => fake.close(),
  };
});
