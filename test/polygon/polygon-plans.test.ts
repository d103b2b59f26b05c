// Every Polygon plan against the fake, which answers as the real service does (docs/polygon-plans.md):
// the app finds what the plan gives, says so once, and trades on it; it never calls a working key
// rejected.
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { DELAY_MS, FULL_PLAN, SAMPLES_DIR, startFakePolygon, type FakePolygon } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';
import { until as waitUntil } from '../helpers/until.ts';

let fake: FakePolygon;
const FREE_RATE = 12;
const engines: Engine[] = [];
const until = (cond: () => boolean, timeoutMs = 8000): Promise<void> => waitUntil(cond, timeoutMs, 10);

beforeAll(async () => {
  fake = await startFakePolygon({
    // Two free keys: each test of the free plan's rate has a rolling window of its own, as each user's key does.
    keys: { full: FULL_PLAN, advanced: 'advanced', developer: 'developer', starter: 'starter', free: 'free', 'free-alone': 'free', currencies: 'currencies' },
    // The free plan's rate is 5 a minute; these tests read more than that in their few seconds (FREE_RATE below).
    rateLimit: { requests: FREE_RATE, windowMs: 60_000 },
  });
});
beforeEach(() => fake.setMarketStatus({ market: 'open', currencies: { fx: 'open', crypto: 'open' } }));
afterEach(async () => {
  await stopEngines(engines, fake);
});
afterAll(async () => {
  await fake.close();
});

async function engineOn(apiKey: string, symbols: string[], messages: string[], requestsPerMinute?: number): Promise<Engine> {
  const engine = await createEngine({
    symbols,
    market: { kind: 'polygon', apiKey, restUrl: fake.restUrl, wsUrl: fake.wsUrl, delayedWsUrl: fake.delayedWsUrl, pollSpacingMs: 200, ...(requestsPerMinute ? { requestsPerMinute } : {}) },
  });
  engines.push(engine);
  engine.on('log', (line) => messages.push(line.message));
  engine.on('status', (status) => {
    if (status.message) messages.push(status.message);
  });
  await engine.start();
  return engine;
}

const stockTrade = (p: number, s = 100) => ({ ev: 'T', sym: 'AAPL', i: '1', x: 4, p, s, t: Date.now(), q: 1, z: 3 });
const minuteBar = (c: number) => {
  const s = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
  return { ev: 'AM', sym: 'AAPL', v: 5000, av: 90_000, op: 190, vw: c, o: c, h: c + 0.5, l: c - 0.5, c, a: c, z: 50, s, e: s + 60_000 };
};
const neverRejected = (messages: string[]) => expect(messages.join('\n')).not.toMatch(/rejected the API key|auth failed/i);

describe('a delayed plan (Stocks Developer): the real-time host refuses it as it would a wrong key', () => {
  it('moves to the delayed host, says so once, and fills a market order on a 15-minute-old print that arrived after it, marked delayed', async () => {
    const messages: string[] = [];
    const engine = await engineOn('developer', ['AAPL'], messages);
    await until(() => engine.snapshot().market.state === 'delayed');
    expect(messages.filter((m) => m.includes("15-minute delayed feed instead"))).toHaveLength(1);
    expect(engine.snapshot().market.message).toContain('15 min late: trades, bars, no quotes');
    neverRejected(messages);

    // Pushed once (not until seen): a second copy arriving after the order would fill it.
    await until(() => fake.push('stocks', [stockTrade(190.1)]) > 0);
    await until(() => engine.snapshot().quotes[0]?.last === '190.10');
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '10' });
    expect(order, order.reason ?? '').toMatchObject({ status: 'accepted' }); // no quote on a delayed plan: it waits for the next print
    fake.push('stocks', [stockTrade(190.25)]);
    await until(() => engine.snapshot().orders[0]?.status === 'filled');
    const [fill] = engine.snapshot().fills;
    expect(fill).toMatchObject({ price: '190.25', qty: '10', marketDelayMs: DELAY_MS });
    const quote = engine.snapshot().quotes.find((q) => q.symbol === 'AAPL');
    expect(quote).toMatchObject({ last: '190.25', delayMs: DELAY_MS });
    // The event kept its real time, 15 minutes before it reached us.
    expect(Date.now() - fill!.time).toBeLessThan(DELAY_MS);
  });

  it('a stop placed now triggers on a delayed print that arrives after it, though printed 15 minutes before', async () => {
    const messages: string[] = [];
    const engine = await engineOn('developer', ['AAPL'], messages);
    await until(() => engine.snapshot().market.state === 'delayed');
    await until(() => fake.push('stocks', [stockTrade(190)]) > 0 && engine.snapshot().quotes[0]?.last === '190.00').catch((error: Error) => { throw new Error(`${error.message}: ${JSON.stringify(engine.snapshot().quotes)}`); });
    const stop = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '5', type: 'stop', stopPrice: '191' });
    expect(stop).toMatchObject({ status: 'accepted', triggered: false });
    fake.push('stocks', [stockTrade(191.2)]);
    await until(() => engine.snapshot().orders.find((o) => o.id === stop.id)?.status === 'filled');
    expect(engine.snapshot().fills.at(-1)).toMatchObject({ price: '191.20', marketDelayMs: DELAY_MS });
  });
});

describe('Stocks Starter: delayed minute bars, no trades', () => {
  it('says trades are not in the plan, shows "minute bars only", and fills on a bar', async () => {
    const messages: string[] = [];
    // Two symbols: Polygon refuses each one's trades, and it is said once.
    const engine = await engineOn('starter', ['AAPL', 'MSFT'], messages);
    await until(() => engine.snapshot().market.message?.includes('minute bars only') === true);
    expect(messages.filter((m) => m.includes('streams no trades on the delayed feed'))).toHaveLength(1);
    neverRejected(messages);
    await until(() => fake.push('stocks', [minuteBar(189)]) > 0 && engine.snapshot().quotes[0]?.last === '189.00');
    expect(messages.filter((m) => m.includes('streams no trades on the delayed feed'))).toHaveLength(1);
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '10' });
    expect(order.status).toBe('accepted');
    // A bar ending after the order (15 minutes late, as every bar on this plan) fills it at its close.
    const start = Date.now() - 30_000;
    fake.push('stocks', [{ ...minuteBar(189.5), s: start, e: start + 60_000 }]);
    await until(() => engine.snapshot().orders.find((o) => o.id === order.id)?.status === 'filled');
    expect(engine.snapshot().fills[0]).toMatchObject({ price: '189.50', marketDelayMs: DELAY_MS });
  });
});

describe('the free plan: no WebSocket at all', () => {
  it('polls the previous close from REST, says how fresh it is, and still trades at it', async () => {
    const close = (JSON.parse(readFileSync(`${SAMPLES_DIR}rest-prev-AAPL.json`, 'utf8')) as { results: { c: number }[] }).results[0]!.c;
    const messages: string[] = [];
    const engine = await engineOn('free', ['AAPL'], messages, FREE_RATE);
    await until(() => engine.snapshot().quotes.find((q) => q.symbol === 'AAPL')?.last !== null && engine.snapshot().quotes.length > 0 && engine.snapshot().quotes[0]!.last !== null).catch((error: Error) => { throw new Error(`${error.message}: ${JSON.stringify(fake.requests)} ${messages.join(' / ')}`); });
    expect(engine.snapshot().market).toMatchObject({ state: 'delayed' });
    expect(engine.snapshot().market.message).toContain('end-of-day prices');
    expect(messages.filter((m) => m.includes('has no stocks WebSocket'))).toHaveLength(1);
    expect(messages.join('\n')).toMatch(/prices are end-of-day, refreshed every \d+ s/);
    neverRejected(messages);
    expect(Number(engine.snapshot().quotes[0]!.last)).toBeCloseTo(close, 2);
    // The same day bar is the previous close (the day's change is measured from it).
    expect(Number(engine.snapshot().quotes[0]!.previousClose)).toBeCloseTo(close, 2);
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1' });
    await until(() => engine.snapshot().orders.find((o) => o.id === order.id)?.status === 'filled');
    expect(Number(engine.snapshot().fills[0]!.price)).toBeCloseTo(close, 2);
    // Polled within the plan's 5 requests a minute: none refused.
    expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
  });
});

describe('the free plan keeps to its 5 requests a minute on its own', () => {
  it('once the plan shows it has no WebSocket, requests wait their turn and the wait is said', async () => {
    const messages: string[] = [];
    await engineOn('free-alone', ['AAPL'], messages);
    await until(() => messages.some((m) => m.startsWith("Polygon's plan allows 5 REST requests a minute")));
    expect(messages.find((m) => m.startsWith("Polygon's plan allows 5 REST requests a minute"))).toMatch(/: previous close of AAPL waits \d+ s for its turn/);
    expect(fake.requests.filter((r) => r.status === 429)).toEqual([]);
  });
});

describe('a stocks-only key on the crypto cluster', () => {
  it('turns crypto off with one line while stocks keep streaming live', async () => {
    const messages: string[] = [];
    const engine = await engineOn('advanced', ['AAPL', 'X:BTCUSD'], messages);
    await until(() => messages.some((m) => m.includes('has no crypto plan')));
    await until(() => engine.snapshot().market.state === 'live');
    expect(messages.filter((m) => m.includes('has no crypto plan'))).toHaveLength(1);
    neverRejected(messages);
    await until(() => fake.push('stocks', [{ ev: 'Q', sym: 'AAPL', bp: 190, bs: 3, ap: 190.02, as: 4, t: Date.now() }]) > 0 && engine.snapshot().quotes[0]?.bid === '190.00');
    expect(fake.connections('crypto')).toBe(0);
  });
});

describe('a currencies-only key on the stocks cluster', () => {
  it('polls stocks as a plan without a stocks stream, while crypto streams live', async () => {
    const messages: string[] = [];
    const engine = await engineOn('currencies', ['AAPL', 'X:BTCUSD'], messages);
    await until(() => messages.some((m) => m.includes('has no stocks WebSocket')));
    neverRejected(messages);
    await until(() => fake.push('crypto', [{ ev: 'XQ', pair: 'BTC-USD', bp: 97000, bs: 1, ap: 97001, as: 1, t: Date.now() }]) > 0 && engine.snapshot().quotes.some((q) => q.symbol === 'X:BTCUSD' && q.bid !== null));
  });
});

describe('a wrong key', () => {
  it('is refused by REST too: failed, saying the key was rejected, and nothing reconnects', async () => {
    const messages: string[] = [];
    const engine = await engineOn('not-a-key', ['AAPL'], messages);
    await until(() => engine.snapshot().market.state === 'failed');
    expect(engine.snapshot().market.message).toMatch(/rejected the API key/);
    expect(messages.join('\n')).not.toContain('not-a-key');
  });
});
