import type { ReplaySession } from './replay-file.ts';
import type { MarketHours } from './market-hours.ts';
import type { MarketDataProvider, MarketEvent, MarketSink, MarketStepper } from './types.ts';

export interface ReplayMarketOptions {
  /** Symbols subscribed at the start; default: every symbol in the session. */
  readonly symbols?: readonly string[];
  /** When orders may fill (a backtest on history: each market's regular session, as live); default always. */
  readonly hours?: MarketHours;
}

/**
 * Plays a recorded session back one step at a time; the engine decides when to step. The events
 * are read from the file a batch ahead of the steps (prefetch), never all at once.
 */
export class ReplayMarket implements MarketDataProvider, MarketStepper {
  readonly source = 'replay' as const;
  readonly stepper: MarketStepper = this;
  readonly hours: MarketHours | undefined;
  private readonly subscribed: Set<string>;
  private readonly count: number;
  private readonly reader: AsyncIterator<MarketEvent[]>;
  /** Events read ahead; `next` is the first not yet consumed. */
  private buffered: MarketEvent[] = [];
  private next = 0;
  private sink: MarketSink | undefined;
  private consumed = 0;
  private endReported = false;
  readonly session: string;

  constructor(session: ReplaySession, options: ReplayMarketOptions = {}) {
    this.count = session.count;
    this.reader = session.batches()[Symbol.asyncIterator]();
    this.subscribed = new Set(options.symbols ?? session.symbols);
    this.hours = options.hours;
    this.session = `replay of ${session.count} events, ${new Date(session.firstTime).toISOString()} to ${new Date(session.lastTime).toISOString()}`;
  }

  async start(sink: MarketSink): Promise<void> {
    this.sink = sink;
    await this.prefetch(1);
    const count = this.count;
    sink.status({ source: 'replay', state: 'live', message: `replaying ${count} event${count === 1 ? '' : 's'}` });
  }

  /** Reads ahead until at least n events wait to be stepped (or the file ends). */
  async prefetch(n: number): Promise<void> {
    while (this.buffered.length - this.next < n) {
      const batch = await this.reader.next();
      if (batch.done) return;
      // The consumed events go once they are most of the buffer; a batch is appended, not copied with the rest.
      if (this.next > this.buffered.length / 2) {
        this.buffered = this.buffered.slice(this.next);
        this.next = 0;
      }
      for (const event of batch.value) this.buffered.push(event);
    }
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
    const until = this.consumed + Math.min(wanted, this.buffered.length - this.next);
    const from = this.consumed;
    const buffered = this.buffered;
    while (this.consumed < until && this.sink === sink) {
      const event = buffered[this.next]!;
      // Let it go now: an event kept until the buffer is trimmed outlives the young generation.
      buffered[this.next++] = undefined as unknown as MarketEvent;
      this.consumed++;
      // Counted before delivery, so a sink that throws does not get the same event twice.
      if (this.subscribed.has(event.symbol)) sink.event(event);
    }
    if (this.done && !this.endReported) {
      this.endReported = true;
      sink.status({ source: 'replay', state: 'ended', message: `replayed ${this.count} events` });
    }
    return this.consumed - from;
  }

  /**
   * Consumes the first n events without delivering them, handing the subscribed ones to `visit`:
   * a restarted account resumes where its last run stopped, with the market state rebuilt.
   */
  async fastForward(n: number, visit: (event: MarketEvent) => void): Promise<void> {
    const until = Math.min(this.count, this.consumed + Math.max(0, Math.floor(n)));
    while (this.consumed < until) {
      await this.prefetch(1);
      const event = this.buffered[this.next++];
      if (event === undefined) return;
      this.consumed++;
      if (this.subscribed.has(event.symbol)) visit(event);
    }
    await this.prefetch(1);
  }

  get done(): boolean {
    return this.consumed >= this.count;
  }

  /** The next event's time, once read ahead (the engine prefetches before each step). */
  get nextTime(): number | undefined {
    return this.buffered[this.next]?.time;
  }

  get position(): number {
    return this.consumed;
  }

  get total(): number {
    return this.count;
  }
}
