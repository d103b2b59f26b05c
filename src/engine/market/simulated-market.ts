import { searchSimulated, unknownToSimulation } from './simulated-tickers.ts';
import type { Clock, Timer } from '../clock/clock.ts';
import { EventStream } from './simulated-stream.ts';
import type { MarketDataProvider, MarketSink, MarketStepper, TickerMatch } from './types.ts';

export interface SimulatedMarketOptions {
  /** Canonical tickers: AAPL, X:BTCUSD, C:EURUSD. */
  symbols: readonly string[];
  /** Default 42. */
  seed?: number;
  /** Used only in 'live' mode, to schedule events at their times. */
  clock: Clock;
  /** live: clock timers emit events at their times; manual: only stepper.step(n) emits. */
  mode: 'live' | 'manual';
  /** Unix ms the first events are timed from. */
  startTime: number;
  /** Mean gap between two events of one symbol (default 1000). */
  quoteIntervalMs?: number;
  /** No event after this Unix ms; the stepper is then done. Default: endless. */
  endTime?: number;
  /** Simulate any ticker a symbol added later names (made-up prices); default only the well-known ones. */
  anyTicker?: boolean;
}

export const DEFAULT_SIMULATION_SEED = 42;

/**
 * A seeded, realistic market for any symbol: a geometric random walk per symbol with quotes on
 * the tick, trades at the quote and one-minute bars. The same options always give the same events.
 */
export class SimulatedMarket implements MarketDataProvider {
  readonly source = 'simulated';
  /** Present in manual mode only. */
  readonly stepper: MarketStepper | undefined;
  readonly #seed: number;
  readonly #clock: Clock;
  readonly #live: boolean;
  readonly #endTime: number;
  readonly #anyTicker: boolean;
  readonly #stream: EventStream;
  #sink: MarketSink | undefined;
  #timer: Timer | undefined;
  #position = 0;
  #ended = false;

  constructor(options: SimulatedMarketOptions) {
    this.#seed = options.seed ?? DEFAULT_SIMULATION_SEED;
    this.#clock = options.clock;
    this.#live = options.mode === 'live';
    this.#endTime = options.endTime ?? Number.POSITIVE_INFINITY;
    this.#anyTicker = options.anyTicker === true;
    this.#stream = new EventStream(this.#seed, options.startTime, options.quoteIntervalMs ?? 1000);
    for (const symbol of options.symbols) this.#stream.add(symbol, options.startTime);
    this.stepper = this.#live ? undefined : this.#createStepper();
  }

  async start(sink: MarketSink): Promise<void> {
    this.#sink = sink;
    sink.status({ source: 'simulated', state: 'live', message: `simulated market (seed ${this.#seed})` });
    this.#schedule();
  }

  async stop(): Promise<void> {
    this.#cancelTimer();
    const sink = this.#sink;
    this.#sink = undefined;
    sink?.status({ source: 'simulated', state: 'stopped' });
  }

  /** The line for the first of `symbols` it does not simulate, or undefined (always, with anyTicker). */
  unknownSymbols(symbols: readonly string[]): string | undefined {
    if (this.#anyTicker) return undefined;
    for (const symbol of symbols) {
      const problem = unknownToSimulation(symbol);
      if (problem) return problem;
    }
    return undefined;
  }

  /** A symbol added (the screen's a, the API) must be one it simulates. */
  async checkSymbol(_typed: string, symbol: string): Promise<{ ok: true; symbol: string } | { ok: false; error: string }> {
    const problem = this.unknownSymbols([symbol]);
    return problem === undefined ? { ok: true, symbol } : { ok: false, error: problem };
  }

  async searchSymbols(text: string, limit: number): Promise<TickerMatch[]> {
    return searchSimulated(text, limit).map((symbol) => ({ symbol, name: '' }));
  }

  subscribe(symbols: readonly string[]): void {
    const now = this.#live ? Math.max(this.#clock.now(), this.#stream.time) : this.#stream.time;
    for (const symbol of symbols) this.#stream.add(symbol, now);
    this.#schedule();
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) this.#stream.remove(symbol);
    this.#schedule();
  }

  #createStepper(): MarketStepper {
    const market = this;
    return {
      step: (count: number) => market.#step(count),
      get done() {
        return market.#stream.peekTime() > market.#endTime;
      },
      get position() {
        return market.#position;
      },
      total: undefined,
    };
  }

  #step(count: number): number {
    if (!this.#sink) throw new Error('start the simulated market before stepping it');
    return this.#deliverUntil(this.#endTime, count);
  }

  /** Delivers events due at or before `limit`, at most `count`; stops early if the sink stops us. */
  #deliverUntil(limit: number, count: number): number {
    const stream = this.#stream;
    const sink = this.#sink;
    if (!sink) return 0;
    let delivered = 0;
    while (delivered < count && this.#sink === sink && stream.peekTime() <= limit) {
      sink.event(stream.next()!);
      delivered++;
    }
    this.#position += delivered;
    if (stream.peekTime() > this.#endTime) this.#reportEnded();
    return delivered;
  }

  /** Live mode: one timer, at the next event's time. */
  #schedule(): void {
    if (!this.#live || !this.#sink) return;
    this.#cancelTimer();
    const at = this.#stream.peekTime();
    if (at > this.#endTime) return this.#reportEnded();
    if (at === Number.POSITIVE_INFINITY) return;
    this.#timer = this.#clock.setTimer(at, () => {
      this.#timer = undefined;
      this.#deliverUntil(Math.min(this.#clock.now(), this.#endTime), Number.POSITIVE_INFINITY);
      this.#schedule();
    });
  }

  #cancelTimer(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
  }

  #reportEnded(): void {
    if (this.#ended || !this.#sink) return;
    this.#ended = true;
    this.#sink.status({ source: 'simulated', state: 'ended', message: 'simulated market reached its end time' });
  }
}
