import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until as pollUntil } from '../helpers/until.ts';
import type { MarketDataProvider, MarketEvent, MarketSink, MarketStatus } from '../../src/engine/market/types.ts';

/** A provider under test plus the means to make it produce events. */
export interface ProviderHarness {
  readonly provider: MarketDataProvider;
  /**
   * Makes at least one event for `symbol` reach the sink the provider was started with (steps the
   * stepper, advances a clock, or pushes on a fake server). Resolves once `recorder` has seen it.
   */
  deliver(symbol: string, recorder: SinkRecorder): Promise<void>;
  /** Does whatever would normally produce events for `symbols`, without expecting any; then settles. */
  drive(symbols: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Symbols the contract uses: the first two are subscribed at construction, NEW is subscribed later. */
export const INITIAL_SYMBOLS = ['AAPL', 'MSFT'] as const;
export const NEW_SYMBOL = 'NVDA';

export class SinkRecorder implements MarketSink {
  readonly events: MarketEvent[] = [];
  readonly statuses: MarketStatus[] = [];
  event(event: MarketEvent): void {
    this.events.push(event);
  }
  status(status: MarketStatus): void {
    this.statuses.push(status);
  }
  countFor(symbol: string): number {
    return this.events.filter((e) => e.symbol === symbol).length;
  }
}

export function until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  return pollUntil(cond, { timeoutMs, message: () => `${what} not met within ${timeoutMs} ms` }).then(() => undefined);
}

function pricesOf(event: MarketEvent): bigint[] {
  switch (event.kind) {
    case 'quote': return [event.bid, event.ask];
    case 'trade': return [event.price];
    case 'bar': return [event.open, event.high, event.low, event.close];
  }
}

function timesOf(event: MarketEvent): number[] {
  return event.kind === 'bar' ? [event.time, event.start, event.end] : [event.time];
}

export function expectWellFormed(event: MarketEvent, subscribed: readonly string[]): void {
  expect(['quote', 'trade', 'bar']).toContain(event.kind);
  expect(subscribed).toContain(event.symbol);
  for (const price of pricesOf(event)) {
    expect(typeof price).toBe('bigint');
    expect(price > 0n).toBe(true);
  }
  for (const time of timesOf(event)) {
    expect(Number.isFinite(time)).toBe(true);
    expect(Number.isInteger(time)).toBe(true);
  }
}

/** The behaviour every MarketDataProvider must share. `makeHarness` builds a fresh, unstarted provider. */
export function providerContract(name: string, makeHarness: (symbols: readonly string[]) => Promise<ProviderHarness>): void {
  describe(`MarketDataProvider contract: ${name}`, () => {
    let harness: ProviderHarness;
    let sink: SinkRecorder;

    beforeEach(async () => {
      harness = await makeHarness(INITIAL_SYMBOLS);
      sink = new SinkRecorder();
    });
    afterEach(async () => {
      await harness.provider.stop();
      await harness.close();
    });

    it('reports a status with its source and a non-failed state on start', async () => {
      await harness.provider.start(sink);
      expect(sink.statuses.length).toBeGreaterThan(0);
      for (const status of sink.statuses) {
        expect(status.source).toBe(harness.provider.source);
        expect(status.state).not.toBe('failed');
      }
      const first = sink.statuses[0]!;
      expect(['connecting', 'live', 'delayed']).toContain(first.state);
    });

    it('delivers well-formed events for subscribed symbols only', async () => {
      await harness.provider.start(sink);
      for (const symbol of INITIAL_SYMBOLS) await harness.deliver(symbol, sink);
      expect(sink.events.length).toBeGreaterThan(0);
      for (const symbol of INITIAL_SYMBOLS) expect(sink.countFor(symbol)).toBeGreaterThan(0);
      for (const event of sink.events) expectWellFormed(event, INITIAL_SYMBOLS);
      expect(sink.statuses.some((s) => s.state === 'failed')).toBe(false);
    });

    it('stops the events of an unsubscribed symbol while the others keep coming', async () => {
      const [kept, dropped] = INITIAL_SYMBOLS;
      await harness.provider.start(sink);
      await harness.deliver(kept, sink);
      await harness.deliver(dropped, sink);
      harness.provider.unsubscribe([dropped]);
      const mark = sink.events.length;
      for (let i = 0; i < 5; i++) await harness.deliver(kept, sink);
      await harness.drive(INITIAL_SYMBOLS);
      const after = sink.events.slice(mark);
      expect(after.filter((e) => e.symbol === kept).length).toBeGreaterThanOrEqual(5);
      expect(after.filter((e) => e.symbol === dropped)).toEqual([]);
    });

    it('delivers events for a symbol subscribed after start', async () => {
      await harness.provider.start(sink);
      await harness.deliver(INITIAL_SYMBOLS[0], sink);
      expect(sink.countFor(NEW_SYMBOL)).toBe(0);
      harness.provider.subscribe([NEW_SYMBOL]);
      await harness.deliver(NEW_SYMBOL, sink);
      const fresh = sink.events.filter((e) => e.symbol === NEW_SYMBOL);
      expect(fresh.length).toBeGreaterThan(0);
      for (const event of fresh) expectWellFormed(event, [NEW_SYMBOL]);
    });

    it("reports 'stopped' on stop and delivers nothing afterwards", async () => {
      await harness.provider.start(sink);
      await harness.deliver(INITIAL_SYMBOLS[0], sink);
      await harness.provider.stop();
      const last = sink.statuses.at(-1);
      expect(last?.source).toBe(harness.provider.source);
      expect(last?.state).toBe('stopped');
      const mark = sink.events.length;
      await harness.drive(INITIAL_SYMBOLS);
      expect(sink.events.slice(mark)).toEqual([]);
    });
  });
}
