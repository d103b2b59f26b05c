import type { ReplaySession } from './replay-file.ts';
import type { MarketDataProvider, MarketEvent, MarketSink, MarketStepper } from './types.ts';

export interface ReplayMarketOptions {
  /** Symbols subscribed at the start; default: every symbol in the session. */
  readonly symbols?: readonly string[];
}

/** Plays a recorded session back one step at a time; the engine decides when to step. */
export class ReplayMarket implements MarketDataProvider, MarketStepper {
  readonly source = 'replay' as const;
  readonly stepper: MarketStepper = this;
  private readonly events: readonly MarketEvent[];
  private readonly subscribed: Set<string>;
  private sink: MarketSink | undefined;
  private consumed = 0;
  private endReported = false;
  readonly session: string;

  constructor(session: ReplaySession, options: ReplayMarketOptions = {}) {
    this.events = session.events;
    this.subscribed = new Set(options.symbols ?? session.symbols);
    const first = this.events[0]?.time ?? 0;
    const last = this.events.at(-1)?.time ?? 0;
    this.session = `replay of ${this.events.length} events, ${new Date(first).toISOString()} to ${new Date(last).toISOString()}`;
  }

  async start(sink: MarketSink): Promise<void> {
    this.sink = sink;
    const count = this.events.length;
    sink.status({ source: 'replay', state: 'live', message: `replaying ${count} event${count === 1 ? '' : 's'}` });
  }

  async stop(): Promise<void> {
    const sink = this.sink;
    this.sink = undefined;
    sink?.status({ source: 'replay', state: 'stopped' });
  }

  subscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) this.subscribed.add(symbol);
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const symbol of symbols) this.subscribed.delete(symbol);
  }

  /** Consumes up to n events, delivering the subscribed ones; returns how many were consumed. */
  step(n: number): number {
    const sink = this.sink;
    if (sink === undefined) return 0;
    const wanted = n > 0 ? Math.floor(n) : 0;
    const until = Math.min(this.events.length, this.consumed + wanted);
    const from = this.consumed;
    while (this.consumed < until && this.sink === sink) {
      const event = this.events[this.consumed++]!;
      // Counted before delivery, so a sink that throws does not get the same event twice.
      if (this.subscribed.has(event.symbol)) sink.event(event);
    }
    if (this.done && !this.endReported) {
      this.endReported = true;
      sink.status({ source: 'replay', state: 'ended', message: `replayed ${this.events.length} events` });
    }
    return this.consumed - from;
  }

  /**
   * Consumes the first n events without delivering them, handing the subscribed ones to `visit`:
   * a restarted account resumes where its last run stopped, with the market state rebuilt.
   */
  fastForward(n: number, visit: (event: MarketEvent) => void): void {
    const until = Math.min(this.events.length, this.consumed + Math.max(0, Math.floor(n)));
    while (this.consumed < until) {
      const event = this.events[this.consumed++]!;
      if (this.subscribed.has(event.symbol)) visit(event);
    }
  }

  get done(): boolean {
    return this.consumed >= this.events.length;
  }

  get nextTime(): number | undefined {
    return this.events[this.consumed]?.time;
  }

  get position(): number {
    return this.consumed;
  }

  get total(): number {
    return this.events.length;
  }
}
