// One side of the backtest benchmark, in a process of its own: `tsx bench/backtest-child.ts
// engine|grademark|replay-floor`. Runs the SMA 10/30 crossover on the benchmark's bars twice (the
// first warms the JIT) and prints the second run's bars a second as one JSON line. The engine runs
// as `paper-trader backtest` runs it: on a worker thread with its young generation (thread-pool.ts);
// grademark as its users run it, with Node's defaults (GRADEMARK_YOUNG_MB gives it the same).
import { isMainThread, Worker } from 'node:worker_threads';
import { DataFrame } from 'data-forge';
import { backtest as grademarkBacktest, type IStrategy } from 'grademark';
import { fileURLToPath } from 'node:url';
import { buildIsCurrent } from '../bin/build-state.js';
import { ReplayMarket } from '../src/engine/market/replay-market.ts';
import { BENCH_SYMBOLS, benchBars, type PlainBar } from './minute-bars.ts';

// The engine as the command runs it: the build (npm install makes it), or the sources through tsx when it is stale.
const built = buildIsCurrent(fileURLToPath(new URL('..', import.meta.url)));
const api = (built ? await import(new URL('../dist/api.js', import.meta.url).href) : await import('../src/engine/index.ts')) as typeof import('../src/engine/index.ts');
const { allocateBarColumns, barSession, createEngine } = api;

const SHORT = 10;
const LONG = 30;
const series = benchBars();
const bars = series.reduce((sum, one) => sum + one.length, 0);

/** The bars as the backtest plays them: columns, by minute then symbol. */
function columns() {
  const perSymbol = series[0]!.length;
  const out = allocateBarColumns(BENCH_SYMBOLS, bars);
  for (let i = 0, row = 0; i < perSymbol; i++) {
    for (let s = 0; s < series.length; s++, row++) {
      const bar = series[s]![i]!;
      out.symbol[row] = s;
      out.start[row] = bar.time;
      out.end[row] = bar.time + 60_000;
      out.open[row] = BigInt(Math.round(bar.open * 1e6));
      out.high[row] = BigInt(Math.round(bar.high * 1e6));
      out.low[row] = BigInt(Math.round(bar.low * 1e6));
      out.close[row] = BigInt(Math.round(bar.close * 1e6));
      out.volume[row] = BigInt(bar.volume) * 1_000_000_000n;
    }
  }
  return out;
}

/** paper-trader: every bar through the engine, executor and books, sma-crossover on bar closes, 5% of equity an entry. */
async function engine(): Promise<{ seconds: number; trades: number }> {
  const session = barSession(columns());
  const run = async () => {
    const e = await createEngine({ market: { kind: 'replay', session }, charts: false, strategy: 'sma-crossover', strategyParams: { shortWindow: SHORT, longWindow: LONG, allocation: 0.05, source: 'bars' } }); // as backtest() runs it: no charts
    await e.start();
    const started = performance.now();
    await e.replay.runToEnd();
    const seconds = (performance.now() - started) / 1000;
    const trades = e.performance().trades.trades;
    await e.stop();
    return { seconds, trades };
  };
  await run();
  return run();
}

/** The replay alone: the same bars made into events and delivered to a sink that does nothing (the floor under the engine). */
async function replayFloor(): Promise<{ seconds: number; trades: number }> {
  const session = barSession(columns());
  const run = async () => {
    const market = new ReplayMarket(session);
    let seen = 0;
    await market.start({ event: () => void seen++, status: () => undefined });
    const started = performance.now();
    while (!market.done) {
      await market.prefetch(10_000);
      market.step(10_000);
    }
    return { seconds: (performance.now() - started) / 1000, trades: seen };
  };
  await run();
  return run();
}

/** grademark 0.3.0: the same crossover, next-open fills, per symbol (it backtests one series at a time). */
function grademark(): { seconds: number; trades: number } {
  type Input = Omit<PlainBar, 'time'> & { time: Date; cross: number };
  const strategy = (): IStrategy<Input, Input, object, number> => ({
    lookbackPeriod: 1,
    prepIndicators: ({ inputSeries }) => {
      const input = inputSeries.toArray();
      let short = 0;
      let long = 0;
      let above: boolean | undefined;
      return new DataFrame(
        input.map((bar, i) => {
          short += bar.close - (i >= SHORT ? input[i - SHORT]!.close : 0);
          long += bar.close - (i >= LONG ? input[i - LONG]!.close : 0);
          let cross = 0;
          if (i >= LONG - 1) {
            const now = short / SHORT > long / LONG;
            if (above !== undefined && now !== above) cross = now ? 1 : -1;
            above = now;
          }
          return { ...bar, cross };
        }),
      );
    },
    entryRule: (enter, args) => {
      if (args.bar.cross === 1) enter();
    },
    exitRule: (exit, args) => {
      if (args.bar.cross === -1) exit();
    },
  });
  const run = () => {
    const started = performance.now();
    let trades = 0;
    for (const one of series) trades += grademarkBacktest(strategy(), new DataFrame(one.map((bar) => ({ ...bar, time: new Date(bar.time), cross: 0 })))).length;
    return { seconds: (performance.now() - started) / 1000, trades };
  };
  run();
  return run();
}

const which = process.argv[2] ?? (isMainThread ? undefined : 'engine');
if (isMainThread && (which === 'engine' || (which === 'grademark' && process.env['GRADEMARK_YOUNG_MB']))) {
  // Itself again, on a thread with the young generation the command gives its backtests.
  const { YOUNG_GENERATION_MB } = await import('../src/cli/sweep/thread-pool.ts');
  const tsx = import.meta.resolve('tsx/esm/api');
  const young = which === 'engine' ? YOUNG_GENERATION_MB : Number(process.env['GRADEMARK_YOUNG_MB']);
  const source = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(source, { eval: true, argv: [which], resourceLimits: { maxYoungGenerationSizeMb: young } });
    worker.on('exit', () => resolve());
    worker.on('error', reject);
  });
  process.exit(0);
}
const result = which === 'engine' ? await engine() : which === 'grademark' ? grademark() : which === 'replay-floor' ? await replayFloor() : undefined;
if (!result) throw new Error('usage: tsx bench/backtest-child.ts engine|grademark|replay-floor');
process.stdout.write(`${JSON.stringify({ which, built, bars, seconds: result.seconds, barsPerSecond: bars / result.seconds, trades: result.trades })}\n`);
