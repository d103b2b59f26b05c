// The live Polygon market through the engine, against the fake server: back-fill after a
// dropped connection, market hours from market status, strategy warm-up from REST history,
// and plan and rate limits told once.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, defineStrategy, type Engine, type EngineOptions } from '../../src/engine/index.ts';
import type { Bar } from '../../src/engine/market/types.ts';
import { priceToNumber } from '../../src/engine/money.ts';
import { startFakePolygon, type FakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import { z } from 'zod';
import { stopEngines } from '../helpers/polygon-engines.ts';
import { until as waitUntil } from '../helpers/until.ts';

const MINUTE = 60_000;
let fake: FakePolygon;
const engines: Engine[] = [];

beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, 'free-key': 'free' }, rateLimit: { requests: 3, windowMs: 1500 } });
});
beforeEach(() => fake.setMarketStatus({ market: 'open', currencies: { fx: 'open', crypto: 'open' } }));
afterEach(async () => {
  await stopEngines(engines, fake);
});
afterAll(async () => {
  await fake.close();
});

const until = (cond: () => boolean, timeoutMs = 5000): Promise<void> => waitUntil(cond, timeoutMs, 10);

/** An engine on the fake; `messages` collects its log from the very start. */
async function polygonEngine(options: EngineOptions & { apiKey?: string; statusPollMs?: number; messages?: string[] } = {}): Promise<Engine> {
  const { apiKey = 'demo', statusPollMs, messages, ...rest } = options;
  const engine = await createEngine({
    symbols: ['AAPL'],
    market: { kind: 'polygon', apiKey, restUrl: fake.restUrl, wsUrl: fake.wsUrl, ...(statusPollMs ? { statusPollMs } : {}) },
    ...rest,
  });
  engines.push(engine);
  if (messages) logs(engine, messages);
  await engine.start();
  return engine;
}

const quote = (sym: string, bp: number, ap: number) => ({ ev: 'Q', sym, bx: 4, bp, bs: 5, ax: 7, ap, as: 5, c: 0, t: Date.now(), q: 1, z: 3 });
const minuteBar = (sym: string, start: number, close: number) => ({
  ev: 'AM', sym, v: 1000, av: 50_000, op: 100, vw: close, o: close - 0.1, c: close, h: close + 0.2, l: close - 0.2, a: close, z: 10, s: start, e: start + MINUTE,
});
const logs = (engine: Engine, into: string[]) => {
  engine.on('log', (entry) => into.push(entry.message));
  engine.on('error', (entry) => into.push(entry.message));
};

/** A strategy that buys one share on every bar it is handed and remembers which bars it saw. */
function barRecorder(seen: Bar[], warmedUpOn: Bar[][] = [], warmupBars = 0) {
  return defineStrategy({
    name: 'bar-recorder',
    description: 'test',
    params: z.object({}),
    warmupBars: () => warmupBars,
    create: () => ({
      onBar(bar, ctx) {
        seen.push(bar);
        ctx.placeOrder({ symbol: bar.symbol, side: 'buy', qty: '1', type: 'market' });
      },
      warmUp(bars, ctx) {
        warmedUpOn.push([...bars]);
        // Trading is refused while warming up.
        ctx.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '1', type: 'market' });
      },
    }),
  });
}

describe('back-fill after a reconnect', () => {
  it('delivers the minute bars missed while disconnected from REST: no bar missing, none twice, one fill per bar', async () => {
    const seen: Bar[] = [];
    const messages: string[] = [];
    const engine = await polygonEngine({ strategies: [barRecorder(seen)], strategy: 'bar-recorder', messages });
    await until(() => engine.snapshot().market.state === 'live');
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 20 * MINUTE;
    const starts = Array.from({ length: 7 }, (_, i) => base + i * MINUTE);

    await until(() => fake.push('stocks', [quote('AAPL', 100, 100.02), minuteBar('AAPL', starts[0]!, 100)]) > 0);
    fake.push('stocks', [minuteBar('AAPL', starts[1]!, 101), minuteBar('AAPL', starts[2]!, 102)]);
    await until(() => seen.length === 3);

    fake.dropConnections('stocks');
    await until(() => engine.snapshot().market.state === 'reconnecting');
    // Polygon keeps these bars while nobody listens; the client must fetch them.
    expect(fake.push('stocks', [minuteBar('AAPL', starts[3]!, 103), minuteBar('AAPL', starts[4]!, 104), minuteBar('AAPL', starts[5]!, 105)])).toBe(0);

    await until(() => engine.snapshot().market.state === 'live');
    await until(() => seen.length >= 6);
    // A re-sent bar (already back-filled) and a new one, live.
    await until(() => fake.push('stocks', [minuteBar('AAPL', starts[5]!, 105), minuteBar('AAPL', starts[6]!, 106), quote('AAPL', 106, 106.02)]) > 0);
    await until(() => seen.length >= 7 && engine.snapshot().fills.length >= 7);
    await new Promise((r) => setTimeout(r, 100));

    expect(seen.map((bar) => bar.start)).toEqual(starts);
    expect(seen.map((bar) => priceToNumber(bar.close))).toEqual([100, 101, 102, 103, 104, 105, 106]);
    const snapshot = engine.snapshot();
    expect(snapshot.orders).toHaveLength(7);
    expect(snapshot.fills).toHaveLength(7);
    expect(new Set(snapshot.fills.map((fill) => fill.orderId)).size).toBe(7);
    expect(snapshot.portfolio.positions.find((p) => p.symbol === 'AAPL')?.qty).toBe('7');
    expect(messages).toContain('back-filled 3 missed minute bars of stocks from Polygon after the reconnect');
    expect(fake.requests.some((r) => r.path.startsWith(`/v2/aggs/ticker/AAPL/range/1/minute/${starts[2]! + MINUTE}/`))).toBe(true);
  });
});

describe('back-fill after two drops in a row', () => {
  it('a drop while a slow back-fill runs is filled too, before the held live bars go out', async () => {
    const seen: Bar[] = [];
    const messages: string[] = [];
    // Its own symbol: the fake keeps every bar pushed by the other tests.
    const engine = await polygonEngine({ symbols: ['TSLA'], strategies: [barRecorder(seen)], strategy: 'bar-recorder', messages });
    await until(() => engine.snapshot().market.state === 'live');
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 30 * MINUTE;
    const starts = Array.from({ length: 8 }, (_, i) => base + i * MINUTE);
    await until(() => fake.push('stocks', [minuteBar('TSLA', starts[0]!, 100)]) > 0);
    await until(() => seen.length === 1);

    fake.setAggsDelay(2500);
    try {
      fake.dropConnections('stocks');
      await until(() => engine.snapshot().market.state === 'reconnecting');
      fake.push('stocks', [minuteBar('TSLA', starts[1]!, 101), minuteBar('TSLA', starts[2]!, 102)]);
      await until(() => engine.snapshot().market.state === 'live');
      // The first back-fill waits on REST; the connection drops again and more bars are missed.
      await until(() => fake.push('stocks', [minuteBar('TSLA', starts[3]!, 103)]) > 0);
      fake.dropConnections('stocks');
      await until(() => engine.snapshot().market.state === 'reconnecting');
      fake.push('stocks', [minuteBar('TSLA', starts[4]!, 104), minuteBar('TSLA', starts[5]!, 105)]);
      await until(() => engine.snapshot().market.state === 'live');
      await until(() => fake.push('stocks', [minuteBar('TSLA', starts[6]!, 106)]) > 0);
    } finally {
      fake.setAggsDelay(0);
    }
    await until(() => seen.length >= 7, 10_000);
    await until(() => fake.push('stocks', [minuteBar('TSLA', starts[7]!, 107)]) > 0 && seen.length === 8);
    expect(seen.map((bar) => bar.start)).toEqual(starts);
  });
});

describe('market hours from market status', () => {
  it('a stock market order placed while the market is closed waits for the open; crypto fills at once', async () => {
    fake.setMarketStatus({ market: 'closed' });
    const messages: string[] = [];
    const engine = await polygonEngine({ symbols: ['AAPL', 'X:BTCUSD'], statusPollMs: 100, messages });
    await until(() => engine.snapshot().market.state === 'live');
    await until(() => fake.push('stocks', [quote('AAPL', 100, 100.02)]) > 0 && engine.snapshot().quotes.some((q) => q.symbol === 'AAPL' && Number(q.bid) === 100));
    const waiting = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
    expect(waiting.status).toBe('accepted');
    expect(messages.some((m) => new RegExp(`the stock market is closed: order ${waiting.id} \\(buy AAPL\\) waits for the open \\(\\w{3} \\d\\d:\\d\\d ET\\)`).test(m))).toBe(true);
    fake.push('stocks', [quote('AAPL', 100.5, 100.52)]);
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.snapshot().fills).toHaveLength(0);

    await until(() => fake.push('crypto', [{ ev: 'XQ', pair: 'BTC-USD', bp: 60000, bs: 1, ap: 60001, as: 1, t: Date.now() }]) > 0 && engine.snapshot().quotes.some((q) => q.symbol === 'X:BTCUSD' && Number(q.bid) === 60000));
    const crypto = await engine.placeOrder({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.01', type: 'market' });
    expect(engine.snapshot().fills.map((f) => f.orderId)).toEqual([crypto.id]);

    // An ioc order cannot wait: it is canceled with the reason.
    const ioc = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market', timeInForce: 'ioc' });
    expect(ioc.status).toBe('canceled');
    expect(ioc.reason).toContain('the stock market is closed');

    fake.setMarketStatus({ market: 'open' });
    const polled = fake.requests.length;
    await until(() => fake.requests.slice(polled).some((r) => r.path === '/v1/marketstatus/now'));
    await until(() => {
      fake.push('stocks', [quote('AAPL', 101, 101.02)]);
      return engine.snapshot().fills.some((f) => f.orderId === waiting.id);
    });
    const fill = engine.snapshot().fills.find((f) => f.orderId === waiting.id);
    expect(fill).toMatchObject({ price: '101.02', qty: '10' });
  });

  it('extended hours count as closed for regular orders', async () => {
    fake.setMarketStatus({ market: 'extended-hours' });
    const engine = await polygonEngine();
    await until(() => engine.snapshot().market.state === 'live');
    await until(() => fake.push('stocks', [quote('AAPL', 100, 100.02)]) > 0 && engine.snapshot().quotes.some((q) => Number(q.bid) === 100));
    const order = await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market' });
    fake.push('stocks', [quote('AAPL', 100, 100.02)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(engine.snapshot().orders.find((o) => o.id === order.id)?.status).toBe('accepted');
  });
});

describe('strategy warm-up from REST history', () => {
  it('hands the strategy the last minute bars before any live event, and it may not trade then', async () => {
    const now = Date.now();
    const base = Math.floor(now / MINUTE) * MINUTE - 40 * MINUTE;
    fake.addMinuteBars('MSFT', Array.from({ length: 30 }, (_, i) => ({ v: 10, vw: 400 + i, o: 400 + i, c: 400 + i, h: 401 + i, l: 399 + i, t: base + i * MINUTE, n: 1 })));
    // A bar of the current, unfinished minute is not history yet.
    fake.addMinuteBars('MSFT', [{ v: 1, vw: 999, o: 999, c: 999, h: 999, l: 999, t: Math.floor(now / MINUTE) * MINUTE, n: 1 }]);
    const seen: Bar[] = [];
    const warmedUpOn: Bar[][] = [];
    const messages: string[] = [];
    const engine = await polygonEngine({ symbols: ['MSFT'], strategies: [barRecorder(seen, warmedUpOn, 20)], strategy: 'bar-recorder', messages });
    await until(() => warmedUpOn.length === 1);
    const bars = warmedUpOn[0]!;
    expect(bars).toHaveLength(20);
    expect(bars.map((b) => priceToNumber(b.close))).toEqual(Array.from({ length: 20 }, (_, i) => 410 + i));
    expect(engine.snapshot().orders.map((o) => o.reason)).toEqual(['strategy bar-recorder may not trade while it warms up on history']);
    await until(() => messages.some((m) => m === 'strategy bar-recorder warmed up on 20 minute bars of 1 of 1 symbols'));

    await until(() => engine.snapshot().market.state === 'live');
    await until(() => fake.push('stocks', [minuteBar('MSFT', Math.floor(Date.now() / MINUTE) * MINUTE - MINUTE, 431)]) > 0);
    await until(() => seen.length === 1);
    expect(priceToNumber(seen[0]!.close)).toBe(431);
  });

  it('sma-crossover starts with full averages: its warm-up is logged with the bar count it asked for', async () => {
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 60 * MINUTE;
    fake.addMinuteBars('NVDA', Array.from({ length: 50 }, (_, i) => ({ v: 10, vw: 100, o: 100, c: 100 + (i % 5), h: 105, l: 99, t: base + i * MINUTE, n: 1 })));
    const messages: string[] = [];
    const engine = await createEngine({
      symbols: ['NVDA'],
      market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl },
      strategy: 'sma-crossover',
      strategyParams: { shortWindow: 5, longWindow: 20 },
    });
    engines.push(engine);
    logs(engine, messages);
    await engine.start();
    await until(() => messages.some((m) => m.startsWith('strategy sma-crossover warmed up')));
    expect(messages).toContain('strategy sma-crossover warmed up on 21 minute bars of 1 of 1 symbols');
    expect(engine.snapshot().orders).toHaveLength(0);
  });
});

describe('limits told once', () => {
  it('a rate limit (429) is said once, with the rate kept from then on, and a plan limit (403) at most once', async () => {
    const engine = await createEngine({
      symbols: ['AAPL', 'MSFT', 'NVDA', 'TSLA'],
      market: { kind: 'polygon', apiKey: 'free-key', restUrl: fake.restUrl, wsUrl: fake.wsUrl },
    });
    engines.push(engine);
    const messages: string[] = [];
    logs(engine, messages);
    await engine.start();
    await until(() => engine.snapshot().market.state === 'delayed' && messages.some((m) => m.includes('rate limit')), 10_000);
    const rate = messages.filter((m) => m.includes('rate limit'));
    expect(rate).toEqual(['Polygon rate limit reached (429): keeping to 5 requests a minute from now on, so requests wait their turn (said once; requests keep backing off)']);
    expect(messages.filter((m) => m.includes('does not include snapshots')).length).toBeLessThanOrEqual(1);
    expect(messages.join('\n')).not.toContain('free-key');
  });
});

describe('sale conditions on the live stream', () => {
  const print = (p: number, s: number, c?: number[]) => ({ ev: 'T', sym: 'AAPL', i: '1', x: 4, p, s, ...(c ? { c } : {}), t: Date.now(), q: 2, z: 3 });

  it('an odd-lot print far below the NBBO neither marks the position nor triggers its stop; a Form T print shows as extended; a regular print triggers', async () => {
    const engine = await polygonEngine();
    await until(() => engine.snapshot().market.state === 'live');
    await until(() => fake.push('stocks', [quote('AAPL', 230, 230.02), print(230.01, 200)]) > 0 && engine.snapshot().quotes[0]?.last === '230.01');
    expect((await engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: '10' })).status).toBe('filled');
    const stop = await engine.placeOrder({ symbol: 'AAPL', side: 'sell', qty: '10', type: 'stop', stopPrice: '229' });
    expect(stop).toMatchObject({ status: 'accepted', triggered: false });

    fake.push('stocks', [print(205, 3, [37])]);
    fake.push('stocks', [print(231.5, 100, [12])]);
    await until(() => engine.snapshot().quotes[0]?.extendedLast === '231.50');
    const view = engine.snapshot();
    expect(view.quotes[0]).toMatchObject({ last: '230.01', mark: '230.01' });
    expect(view.orders.find((o) => o.id === stop.id)).toMatchObject({ status: 'accepted', triggered: false });

    fake.push('stocks', [print(228.95, 300, [14, 41])]);
    await until(() => engine.snapshot().orders.find((o) => o.id === stop.id)?.status === 'filled');
    expect(engine.snapshot().orders.find((o) => o.id === stop.id)).toMatchObject({ triggered: true, avgFillPrice: '230.00' });
  });
});
