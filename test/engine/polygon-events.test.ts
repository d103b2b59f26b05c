import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FOREX_QUOTE_SIZE, parsePolygonEvent } from '../../src/engine/market/polygon-events.ts';
import type { ParsedEvent } from '../../src/engine/market/polygon-events.ts';
import type { MarketEvent } from '../../src/engine/market/types.ts';

const samplesDir = fileURLToPath(new URL('../fixtures/polygon/', import.meta.url));
const sharedDir = fileURLToPath(new URL('../../../shared/polygon/samples/', import.meta.url));
const SHARE = 10n ** 9n;

function sampleEvents(file: string): unknown[] {
  return readFileSync(samplesDir + file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => JSON.parse(line) as unknown[]);
}

function eventOf(raw: unknown): MarketEvent {
  const parsed = parsePolygonEvent(raw);
  if (parsed.kind !== 'event') throw new Error(`expected an event, got ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function errorOf(raw: unknown): string {
  const parsed: ParsedEvent = parsePolygonEvent(raw);
  if (parsed.kind !== 'invalid') throw new Error(`expected invalid, got ${parsed.kind}`);
  return parsed.error;
}

const msftQuote = {
  ev: 'Q', sym: 'MSFT', bx: 4, bp: 114.125, bs: 100, ax: 7, ap: 114.128, as: 160, c: 0, i: [604], t: 1536036818784, q: 50385480, z: 3,
};

describe('parsePolygonEvent on the recorded samples', () => {
  const files = readdirSync(samplesDir).filter((name) => /^ws-.*\.jsonl$/.test(name));

  it('finds the recorded sample files in the project', () => {
    expect(files).toContain('ws-stocks-session.jsonl');
  });

  // The project carries its own copy so the fake runs from anywhere; it must not drift from the team's.
  it.skipIf(!existsSync(sharedDir))('keeps its copy of the samples identical to ../shared/polygon/samples', () => {
    for (const name of readdirSync(sharedDir)) {
      expect(readFileSync(samplesDir + name, 'utf8'), name).toBe(readFileSync(sharedDir + name, 'utf8'));
    }
  });

  it.each(files)('parses every event of %s as an event or a status, never invalid or skipped', (file) => {
    for (const raw of sampleEvents(file)) {
      const parsed = parsePolygonEvent(raw);
      expect(parsed.kind, JSON.stringify(raw)).toMatch(/^(event|status)$/);
    }
  });

  it('reads status frames with their text', () => {
    expect(parsePolygonEvent({ ev: 'status', status: 'auth_failed', message: 'authentication failed' })).toEqual({
      kind: 'status', status: 'auth_failed', message: 'authentication failed',
    });
  });
});

describe('stocks', () => {
  it('converts the MSFT quote to exact micros and round lots to shares', () => {
    expect(eventOf(msftQuote)).toEqual({
      kind: 'quote', symbol: 'MSFT',
      bid: 114_125_000n, ask: 114_128_000n,
      bidSize: 10_000n * SHARE, askSize: 16_000n * SHARE,
      time: 1536036818784,
    });
  });

  it('reads a trade size as shares, not lots', () => {
    const trade = { ev: 'T', sym: 'AAPL', i: '5096', x: 10, p: 161.87, s: 300, c: [14, 41], t: 1651684192462, q: 4009402, z: 3 };
    expect(eventOf(trade)).toMatchObject({ kind: 'trade', symbol: 'AAPL', price: 161_870_000n, size: 300n * SHARE, time: 1651684192462 });
  });

  it('reads a minute bar with sub-dollar prices, ending and delivered at "e"', () => {
    const bar = { ev: 'AM', sym: 'GTE', v: 4110, o: 0.4488, c: 0.4486, h: 0.4489, l: 0.4486, s: 1610144640000, e: 1610144700000 };
    expect(eventOf(bar)).toEqual({
      kind: 'bar', symbol: 'GTE', open: 448_800n, high: 448_900n, low: 448_600n, close: 448_600n,
      volume: 4110n * SHARE, start: 1610144640000, end: 1610144700000, time: 1610144700000,
    });
  });

  it('gives a second bar without "e" a one-second length', () => {
    const bar = eventOf({ ev: 'A', sym: 'AAPL', v: 10, o: 1, c: 1, h: 1, l: 1, s: 1_000_000 });
    expect(bar).toMatchObject({ start: 1_000_000, end: 1_001_000, time: 1_001_000 });
  });
});

describe('crypto', () => {
  it('maps BTC-USD to X:BTCUSD and keeps fractional coin sizes', () => {
    const [trade, quote, bar] = sampleEvents('ws-crypto-session.jsonl').filter((raw) => (raw as { ev: string }).ev !== 'status').map(eventOf);
    expect(trade).toEqual({ kind: 'trade', symbol: 'X:BTCUSD', price: 33_021_900_000n, size: 16_166_170n, time: 1610462007425 });
    expect(quote).toEqual({
      kind: 'quote', symbol: 'X:BTCUSD', bid: 33_052_790_000n, ask: 33_073_190_000n,
      bidSize: 480_000_000n, askSize: 601_000_000n, time: 1610462411115,
    });
    expect(bar).toMatchObject({ kind: 'bar', symbol: 'X:BCDUSD', volume: 951_611_200_000n, end: 1610463300000 });
  });
});

describe('forex', () => {
  it('maps C.p USD/CNH to C:USDCNH with the fixed forex size on both sides', () => {
    const quote = eventOf({ ev: 'C', p: 'USD/CNH', x: 44, a: 6.83366, b: 6.83363, t: 1536036818784 });
    expect(quote).toEqual({
      kind: 'quote', symbol: 'C:USDCNH', bid: 6_833_630n, ask: 6_833_660n,
      bidSize: FOREX_QUOTE_SIZE, askSize: FOREX_QUOTE_SIZE, time: 1536036818784,
    });
    expect(FOREX_QUOTE_SIZE).toBe(10_000_000n * SHARE);
  });

  it('accepts the exchange id "x" as the string "44", as the spec example sends it', () => {
    expect(parsePolygonEvent({ ev: 'C', p: 'USD/CNH', x: '44', a: 6.83366, b: 6.83363, t: 1536036818784 }).kind).toBe('event');
  });

  it('ends a CA bar without "e" one minute after its start', () => {
    const bar = eventOf({ ev: 'CA', pair: 'USD/EUR', o: 0.8687, c: 0.86889, h: 0.86889, l: 0.8686, v: 20, s: 1539145740000 });
    expect(bar).toMatchObject({ symbol: 'C:USDEUR', start: 1539145740000, end: 1539145800000, time: 1539145800000, volume: 20n * SHARE });
  });
});

describe('bad input', () => {
  it('names the field and the bad value', () => {
    expect(errorOf({ ...msftQuote, bp: 'abc' })).toBe('Q event: "bp" must be a positive number, got "abc"');
    expect(errorOf({ ...msftQuote, ap: -1 })).toBe('Q event: "ap" must be a positive number, got -1');
    expect(errorOf({ ...msftQuote, bs: -1 })).toBe('Q event: "bs" must be a number >= 0, got -1');
    expect(errorOf({ ...msftQuote, t: '2024-01-01' })).toBe('Q event: "t" must be a Unix ms timestamp, got "2024-01-01"');
    expect(errorOf({ ...msftQuote, sym: '' })).toBe('Q event: "sym" must be a non-empty ticker, got ""');
  });

  it('rejects zero, negative and non-finite prices', () => {
    expect(errorOf({ ev: 'T', sym: 'A', p: 0, s: 1, t: 1 })).toBe('T event: "p" must be a positive number, got 0');
    expect(errorOf({ ev: 'T', sym: 'A', p: -5, s: 1, t: 1 })).toBe('T event: "p" must be a positive number, got -5');
    expect(errorOf({ ev: 'T', sym: 'A', p: Infinity, s: 1, t: 1 })).toBe('T event: "p" must be a positive number, got Infinity');
    expect(errorOf({ ev: 'T', sym: 'A', p: NaN, s: 1, t: 1 })).toBe('T event: "p" must be a positive number, got NaN');
  });

  it('takes crossed, locked and one-sided quotes as they are: the quote rules decide what they do', () => {
    expect(eventOf({ ...msftQuote, bp: 114.2 })).toMatchObject({ bid: 114_200_000n, ask: 114_128_000n });
    expect(eventOf({ ev: 'C', p: 'EUR/USD', a: 1.1, b: 1.2, t: 1 })).toMatchObject({ bid: 1_200_000n, ask: 1_100_000n });
    expect(eventOf({ ...msftQuote, ap: 114.125 })).toMatchObject({ bid: 114_125_000n, ask: 114_125_000n });
    // Polygon leaves out (or zeroes) a side nobody quotes: it has no price and no size.
    expect(eventOf({ ...msftQuote, ap: undefined, as: undefined })).toMatchObject({ bid: 114_125_000n, bidSize: 10_000n * SHARE, ask: 0n, askSize: 0n });
    expect(eventOf({ ...msftQuote, bp: 0, bs: 0 })).toMatchObject({ bid: 0n, bidSize: 0n, ask: 114_128_000n });
  });

  it('reads a stock print\'s sale conditions into what it may update', () => {
    const regular = eventOf({ ev: 'T', sym: 'A', p: 1, s: 100, t: 1 });
    expect(regular.kind === 'trade' && regular.eligibility).toBeUndefined();
    const oddLot = eventOf({ ev: 'T', sym: 'A', p: 1, s: 7, t: 1, c: [37] });
    expect(oddLot).toMatchObject({ eligibility: { last: false, highLow: false, volume: true, extendedHours: false, conditions: [37] } });
    const formT = eventOf({ ev: 'T', sym: 'A', p: 1, s: 100, t: 1, c: [12] });
    expect(formT).toMatchObject({ eligibility: { last: false, volume: true, extendedHours: true } });
    const sweep = eventOf({ ev: 'T', sym: 'A', p: 1, s: 100, t: 1, c: [14, 41] });
    expect(sweep).toMatchObject({ eligibility: { last: true, highLow: true, volume: true } });
    expect(errorOf({ ev: 'T', sym: 'A', p: 1, s: 1, t: 1, c: 'odd' })).toBe('T event: "c" must be a list of condition ids, got "odd"');
    // Crypto's "c" is the taker's side (1 sell, 2 buy), not a sale condition.
    const crypto = eventOf({ ev: 'XT', pair: 'BTC-USD', p: 1, s: 1, t: 1, c: [2] });
    expect(crypto.kind === 'trade' && crypto.eligibility).toBeUndefined();
  });

  it('rejects pairs that are not BASE-QUOTE or BASE/QUOTE', () => {
    expect(errorOf({ ev: 'XT', pair: 'BTCUSD', p: 1, s: 1, t: 1 })).toBe('XT event: "pair" must be a pair like BTC-USD, got "BTCUSD"');
    expect(errorOf({ ev: 'C', p: 1.1, a: 1.1, b: 1.0, t: 1 })).toBe('C event: "p" must be a pair like EUR/USD, got 1.1');
  });

  it('rejects a bar whose high is below its low or whose end is not after its start', () => {
    const bar = { ev: 'AM', sym: 'A', v: 1, o: 1, c: 1, h: 1, l: 1, s: 60_000, e: 120_000 };
    expect(errorOf({ ...bar, h: 0.5 })).toBe('AM event: "h" 0.5 is below "l" 1');
    expect(errorOf({ ...bar, e: 60_000 })).toBe('AM event: "e" 60000 must be after "s" 60000');
  });

  it('never throws, whatever it is given', () => {
    const odd: unknown[] = [null, undefined, 42, 'Q', [], [msftQuote], { ev: 7 }, {}, { ev: 'status' }, { ev: 'Q', sym: {} }, Object.create(null)];
    for (const raw of odd) expect(parsePolygonEvent(raw).kind).toBe('invalid');
    fc.assert(fc.property(fc.anything(), (raw) => {
      expect(() => parsePolygonEvent(raw)).not.toThrow();
    }));
    fc.assert(fc.property(fc.record({ ev: fc.constantFrom('Q', 'T', 'XQ', 'XT', 'C', 'AM', 'A', 'XA', 'CA'), bp: fc.anything(), p: fc.anything(), s: fc.anything() }), (raw) => {
      expect(() => parsePolygonEvent(raw)).not.toThrow();
    }));
  });

  it('turns a field that throws when read into invalid, not an exception', () => {
    const hostile = { ev: 'Q', sym: 'MSFT', get bp(): number { throw new Error('boom'); } };
    expect(errorOf(hostile)).toBe('Q event: boom');
    expect(errorOf(new Proxy({}, { get: () => { throw new Error('no'); } }))).toBe('malformed event: no');
  });

  it('skips unknown event types with their name, and rejects a missing "ev"', () => {
    expect(parsePolygonEvent({ ev: 'LULD', T: 'AAPL' })).toEqual({ kind: 'skip', reason: 'unknown event type "LULD"' });
    expect(errorOf({ sym: 'AAPL' })).toBe('event has no "ev" field');
    expect(errorOf('hello')).toBe('event must be a JSON object, got "hello"');
  });
});
