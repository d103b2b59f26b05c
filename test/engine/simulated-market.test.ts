import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../src/engine/clock/manual-clock.ts';
import { SimulatedMarket } from '../../src/engine/market/simulated-market.ts';
import type { SimulatedMarketOptions } from '../../src/engine/market/simulated-market.ts';
import type { Bar, MarketEvent, MarketStatus, Quote, Trade } from '../../src/engine/market/types.ts';

// Monday 6 January 2025, 09:30 New York: the open of a trading day.
const OPEN = Date.UTC(2025, 0, 6, 14, 30);
const MINUTE = 60_000;
const SHARE = 1_000_000_000n;

type ManualOptions = Partial<SimulatedMarketOptions> & Pick<SimulatedMarketOptions, 'symbols'>;

async function manualMarket(options: ManualOptions) {
  const events: MarketEvent[] = [];
  const statuses: MarketStatus[] = [];
  const market = new SimulatedMarket({ clock: new ManualClock(OPEN), mode: 'manual', startTime: OPEN, ...options });
  await market.start({ event: (event) => events.push(event), status: (status) => statuses.push(status) });
  return { market, stepper: market.stepper!, events, statuses };
}

async function generate(options: ManualOptions, count: number): Promise<MarketEvent[]> {
  const { stepper, events } = await manualMarket(options);
  stepper.step(count);
  return events;
}

const isQuote = (event: MarketEvent): event is Quote => event.kind === 'quote';
const isTrade = (event: MarketEvent): event is Trade => event.kind === 'trade';
const isBar = (event: MarketEvent): event is Bar => event.kind === 'bar';
const midOf = (quote: Quote): number => Number(quote.bid + quote.ask) / 2e6;

describe('SimulatedMarket determinism', () => {
  it('gives the identical sequence for the same seed', async () => {
    const options = { symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD'], seed: 7 };
    const first = await generate(options, 20_000);
    const second = await generate(options, 20_000);
    expect(first).toHaveLength(20_000);
    expect(second).toEqual(first);
  });

  it('gives a different sequence for a different seed', async () => {
    const first = await generate({ symbols: ['AAPL', 'X:BTCUSD'], seed: 1 }, 1_000);
    const second = await generate({ symbols: ['AAPL', 'X:BTCUSD'], seed: 2 }, 1_000);
    expect(second).not.toEqual(first);
  });

  it('keeps a symbol’s path unchanged when other symbols are added', async () => {
    const endTime = OPEN + 10 * MINUTE;
    const alone = await generate({ symbols: ['AAPL'], endTime }, Infinity);
    const crowded = await generate({ symbols: ['MSFT', 'AAPL', 'X:ETHUSD'], endTime }, Infinity);
    expect(crowded.filter((event) => event.symbol === 'AAPL')).toEqual(alone);
  });

  it('delivers in live mode, at each event’s time, the same sequence as manual mode', async () => {
    const symbols = ['AAPL', 'X:BTCUSD', 'C:EURUSD'];
    const endOfWindow = OPEN + 5 * MINUTE;
    const manual = await generate({ symbols, seed: 3, quoteIntervalMs: 400, endTime: endOfWindow }, Infinity);

    const clock = new ManualClock(OPEN);
    const live = new SimulatedMarket({ symbols, seed: 3, quoteIntervalMs: 400, clock, mode: 'live', startTime: OPEN });
    const delivered: { event: MarketEvent; at: number }[] = [];
    await live.start({ event: (event) => delivered.push({ event, at: clock.now() }), status: () => {} });
    expect(delivered).toHaveLength(0);
    for (let time = OPEN; time <= endOfWindow; time += 1_337) clock.advanceTo(time);
    clock.advanceTo(endOfWindow);

    expect(delivered.map(({ event }) => event)).toEqual(manual);
    for (const { event, at } of delivered) expect(at).toBe(event.time);
  });
});

describe('SimulatedMarket prices and sizes', () => {
  const symbols = ['AAPL', 'ZZZZ', 'X:BTCUSD', 'X:SOLXYZ', 'C:EURUSD', 'C:USDJPY'];

  it('quotes bid < ask, positive and on the tick of each asset class over 100k events', async () => {
    const events = await generate({ symbols, seed: 11, quoteIntervalMs: 50 }, 100_000);
    const quotes = events.filter(isQuote);
    expect(quotes.length).toBeGreaterThan(60_000);
    expect(new Set(quotes.map((quote) => quote.symbol)).size).toBe(symbols.length);
    // Stocks tick in pennies from $1 up and in hundredths of a cent below.
    const stockTick = (price: bigint) => (price >= 1_000_000n ? 10_000n : 100n);
    const offTick = quotes.filter(({ symbol, bid, ask }) => {
      if (bid <= 0n || ask <= bid) return true;
      // Forex in tenths of a pip: 0.00001, and 0.001 for pairs priced like the yen's.
      if (symbol.startsWith('C:')) {
        const tick = bid >= 20_000_000n ? 1_000n : 10n;
        return bid % tick !== 0n || ask % tick !== 0n || ask - bid > 3n * tick;
      }
      if (symbol.startsWith('X:')) {
        const spreadBp = (Number(ask - bid) / Number(bid)) * 1e4;
        return bid % 10_000n !== 0n || ask % 10_000n !== 0n || spreadBp < 0.5 || spreadBp > 1.5;
      }
      return bid % stockTick(bid) !== 0n || ask % stockTick(ask) !== 0n || ask - bid > 3n * stockTick(ask);
    });
    expect(offTick).toEqual([]);
  });

  it('draws sizes in each asset class’s units and range', async () => {
    const events = await generate({ symbols, seed: 5 }, 30_000);
    const sizes = events.flatMap((event) =>
      isQuote(event) ? [{ symbol: event.symbol, size: event.bidSize }, { symbol: event.symbol, size: event.askSize }]
      : isTrade(event) ? [{ symbol: event.symbol, size: event.size }]
      : [],
    );
    const outOfRange = sizes.filter(({ symbol, size }) => {
      if (symbol.startsWith('C:')) return size % (100_000n * SHARE) !== 0n || size < 100_000n * SHARE || size > 5_000_000n * SHARE;
      if (symbol.startsWith('X:')) return size < SHARE / 100n || size > 2n * SHARE;
      return size % (100n * SHARE) !== 0n || size < 100n * SHARE || size > 2_000n * SHARE;
    });
    expect(sizes.length).toBeGreaterThan(40_000);
    expect(outOfRange).toEqual([]);
    const cryptoSizes = sizes.filter(({ symbol }) => symbol.startsWith('X:')).map(({ size }) => size);
    expect(cryptoSizes.some((size) => size % SHARE !== 0n)).toBe(true);
  });

  it('starts well-known tickers near their familiar prices and unknown stocks between 10 and 500', async () => {
    const events = await generate({ symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD', 'C:USDJPY', 'ZZZZ', 'QWERT'] }, 200);
    const firstMid = (symbol: string) => midOf(events.filter(isQuote).find((quote) => quote.symbol === symbol)!);
    expect(firstMid('AAPL')).toBeCloseTo(230, -1);
    expect(firstMid('X:BTCUSD') / 95_000).toBeCloseTo(1, 2);
    expect(firstMid('C:EURUSD')).toBeCloseTo(1.05, 2);
    expect(firstMid('C:USDJPY') / 154).toBeCloseTo(1, 2);
    for (const unknown of ['ZZZZ', 'QWERT']) {
      expect(firstMid(unknown)).toBeGreaterThan(9.9);
      expect(firstMid(unknown)).toBeLessThan(505);
    }
  });

  it('moves prices visibly within minutes', async () => {
    const events = await generate({ symbols: ['AAPL'], endTime: OPEN + 15 * MINUTE }, Infinity);
    const mids = events.filter(isQuote).map(midOf);
    const range = Math.max(...mids) - Math.min(...mids);
    // At least a few dozen cents on a $230 stock in a quarter of an hour.
    expect(range).toBeGreaterThan(0.3);
  });

  it('mixes about 70% quotes and 30% trades, each trade at the bid or ask of its symbol’s last quote', async () => {
    const events = await generate({ symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD'] }, 100_000);
    const lastQuote = new Map<string, Quote>();
    const offQuote: { trade: Trade; quote: Quote | undefined }[] = [];
    let quotes = 0;
    let trades = 0;
    for (const event of events) {
      if (isQuote(event)) {
        quotes++;
        lastQuote.set(event.symbol, event);
      } else if (isTrade(event)) {
        trades++;
        const quote = lastQuote.get(event.symbol);
        if (event.price !== quote?.bid && event.price !== quote?.ask) offQuote.push({ trade: event, quote });
      }
    }
    expect(offQuote).toEqual([]);
    expect(quotes / (quotes + trades)).toBeGreaterThan(0.67);
    expect(quotes / (quotes + trades)).toBeLessThan(0.73);
  });
});

describe('SimulatedMarket timing', () => {
  it('emits events in non-decreasing time order, in whole ms after the start', async () => {
    const events = await generate({ symbols: ['AAPL', 'MSFT', 'X:BTCUSD', 'C:EURUSD', 'C:GBPUSD'], quoteIntervalMs: 200 }, 50_000);
    const outOfOrder = events.filter((event, i) => {
      const previous = i === 0 ? OPEN : events[i - 1]!.time;
      return !Number.isInteger(event.time) || event.time < previous;
    });
    expect(events.filter(isBar).length).toBeGreaterThan(100);
    expect(outOfOrder).toEqual([]);
  });

  it('spaces one symbol’s events by quoteIntervalMs on average', async () => {
    const events = await generate({ symbols: ['AAPL', 'X:ETHUSD'], quoteIntervalMs: 250 }, 40_000);
    const times = events.filter((event) => event.symbol === 'AAPL' && !isBar(event)).map((event) => event.time);
    const meanGap = (times.at(-1)! - times[0]!) / (times.length - 1);
    expect(meanGap).toBeGreaterThan(240);
    expect(meanGap).toBeLessThan(260);
  });

  it('closes each minute with one bar per traded symbol whose OHLCV equals that minute’s trades', async () => {
    const events = await generate({ symbols: ['AAPL', 'X:BTCUSD', 'C:EURUSD'], quoteIntervalMs: 3_000 }, 30_000);
    const bars = events.filter(isBar);
    expect(bars.length).toBeGreaterThan(100);

    const byKey = (bar: Bar) => `${bar.start} ${bar.symbol}`;
    const barsByKey = new Map(bars.map((bar) => [byKey(bar), bar]));
    const minuteTrades = new Map<string, Trade[]>();
    for (const trade of events.filter(isTrade)) {
      const start = Math.floor(trade.time / MINUTE) * MINUTE;
      const key = `${start} ${trade.symbol}`;
      minuteTrades.set(key, [...(minuteTrades.get(key) ?? []), trade]);
    }
    const lastEventTime = events.at(-1)!.time;
    for (const [key, trades] of minuteTrades) {
      const start = Number(key.split(' ')[0]);
      if (start + MINUTE > lastEventTime) continue; // the minute still open at the end
      const prices = trades.map((trade) => trade.price);
      expect(barsByKey.get(key)).toEqual({
        kind: 'bar',
        symbol: trades[0]!.symbol,
        open: prices[0],
        high: prices.reduce((a, b) => (a > b ? a : b)),
        low: prices.reduce((a, b) => (a < b ? a : b)),
        close: prices.at(-1),
        volume: trades.reduce((sum, trade) => sum + trade.size, 0n),
        start,
        end: start + MINUTE,
        time: start + MINUTE,
      });
    }
    // No bar without trades behind it.
    expect(bars.every((bar) => minuteTrades.has(byKey(bar)))).toBe(true);
  });

  it('delivers a minute’s bars before any event of the next minute', async () => {
    const events = await generate({ symbols: ['AAPL', 'MSFT', 'X:BTCUSD'], quoteIntervalMs: 2_000 }, 20_000);
    const minuteOf = (time: number) => Math.floor(time / MINUTE) * MINUTE;
    const tradedMinutes = new Set(events.filter(isTrade).map((trade) => minuteOf(trade.time)));
    const barMinutesDelivered = new Set<number>();
    let checked = 0;
    for (const event of events) {
      if (isBar(event)) {
        barMinutesDelivered.add(event.start);
        continue;
      }
      const previousMinute = minuteOf(event.time) - MINUTE;
      if (!tradedMinutes.has(previousMinute)) continue;
      expect(barMinutesDelivered.has(previousMinute)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(1_000);
  });

  it('generates a whole 6.5-hour day of 10 symbols at 1 s intervals until endTime', async () => {
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'GOOGL', 'META', 'SPY', 'QQQ', 'X:BTCUSD'];
    const market = new SimulatedMarket({ symbols, clock: new ManualClock(OPEN), mode: 'manual', startTime: OPEN, endTime: OPEN + 6.5 * 60 * MINUTE });
    let count = 0;
    await market.start({ event: () => void count++, status: () => {} });
    market.stepper!.step(Infinity);
    expect(count).toBeGreaterThan(230_000);
    expect(market.stepper!.done).toBe(true);
  });
});

describe('SimulatedMarket subscriptions and lifecycle', () => {
  it('stops a symbol’s quotes, trades and bars after unsubscribe while others go on', async () => {
    const { market, stepper, events } = await manualMarket({ symbols: ['AAPL', 'MSFT'] });
    stepper.step(5_000);
    const before = events.length;
    market.unsubscribe(['MSFT']);
    stepper.step(5_000);
    const after = events.slice(before);
    expect(after).toHaveLength(5_000);
    expect(after.some((event) => event.symbol === 'MSFT')).toBe(false);
    expect(after.some((event) => event.symbol === 'AAPL' && isBar(event))).toBe(true);
  });

  it('starts a newly subscribed symbol after the current time, with a quote', async () => {
    const { market, stepper, events } = await manualMarket({ symbols: ['AAPL'] });
    stepper.step(1_000);
    const now = events.at(-1)!.time;
    market.subscribe(['TSLA']);
    stepper.step(1_000);
    const tesla = events.filter((event) => event.symbol === 'TSLA');
    expect(tesla.length).toBeGreaterThan(100);
    expect(tesla[0]!.kind).toBe('quote');
    expect(tesla[0]!.time).toBeGreaterThan(now);
  });

  it('schedules a symbol subscribed in live mode on the clock', async () => {
    const clock = new ManualClock(OPEN);
    const market = new SimulatedMarket({ symbols: [], clock, mode: 'live', startTime: OPEN });
    const delivered: { event: MarketEvent; at: number }[] = [];
    await market.start({ event: (event) => delivered.push({ event, at: clock.now() }), status: () => {} });
    clock.advanceBy(10_000);
    expect(delivered).toHaveLength(0);
    market.subscribe(['X:BTCUSD']);
    clock.advanceBy(10_000);
    expect(delivered.length).toBeGreaterThan(3);
    for (const { event, at } of delivered) {
      expect(event.symbol).toBe('X:BTCUSD');
      expect(event.time).toBeGreaterThan(OPEN + 10_000);
      expect(at).toBe(event.time);
    }
  });

  it('ends the stepper at endTime', async () => {
    const endTime = OPEN + 3 * MINUTE;
    const { stepper, events, statuses } = await manualMarket({ symbols: ['AAPL', 'C:EURUSD'], endTime });
    expect(stepper.done).toBe(false);
    expect(stepper.total).toBeUndefined();
    const delivered = stepper.step(1_000_000);
    expect(delivered).toBe(events.length);
    expect(delivered).toBeGreaterThan(300);
    expect(stepper.done).toBe(true);
    expect(stepper.position).toBe(delivered);
    expect(stepper.step(10)).toBe(0);
    expect(events.every((event) => event.time <= endTime)).toBe(true);
    expect(events.at(-1)!.time).toBeGreaterThan(endTime - 10_000);
    expect(statuses.map((status) => status.state)).toEqual(['live', 'ended']);
  });

  it('counts delivered events in position and delivers at most n per step', async () => {
    const { stepper, events } = await manualMarket({ symbols: ['AAPL'] });
    expect(stepper.step(7)).toBe(7);
    expect(stepper.step(5)).toBe(5);
    expect(stepper.position).toBe(12);
    expect(events).toHaveLength(12);
  });

  it('reports live and stopped, and stops firing timers after stop', async () => {
    const clock = new ManualClock(OPEN);
    const market = new SimulatedMarket({ symbols: ['AAPL'], clock, mode: 'live', startTime: OPEN });
    expect(market.source).toBe('simulated');
    expect(market.stepper).toBeUndefined();
    const events: MarketEvent[] = [];
    const statuses: MarketStatus[] = [];
    await market.start({ event: (event) => events.push(event), status: (status) => statuses.push(status) });
    clock.advanceBy(30_000);
    const count = events.length;
    expect(count).toBeGreaterThan(10);
    await market.stop();
    clock.advanceBy(30_000);
    expect(events).toHaveLength(count);
    expect(statuses).toEqual([
      { source: 'simulated', state: 'live', message: 'simulated market (seed 42)' },
      { source: 'simulated', state: 'stopped' },
    ]);
  });

  it('refuses to step before start', () => {
    const market = new SimulatedMarket({ symbols: ['AAPL'], clock: new ManualClock(OPEN), mode: 'manual', startTime: OPEN });
    expect(() => market.stepper!.step(1)).toThrow(/start/);
  });
});
