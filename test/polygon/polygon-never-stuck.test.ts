// A slow, hung or throttling Polygon REST never holds the app up: start-up goes on with what is
// there and says what is missing, and live data never waits on a back-fill.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/engine/index.ts';
import { FULL_PLAN, startFakePolygon, type FakePolygon } from '../helpers/fake-polygon.ts';
import { stopEngines } from '../helpers/polygon-engines.ts';
import { until as waitUntil } from '../helpers/until.ts';

let fake: FakePolygon;
const engines: Engine[] = [];
const until = (cond: () => boolean, timeoutMs = 8000): Promise<void> => waitUntil(cond, timeoutMs, 10);

beforeAll(async () => {
  fake = await startFakePolygon({ keys: { demo: FULL_PLAN, revoked: FULL_PLAN } });
});
beforeEach(() => fake.setMarketStatus({ market: 'open' }));
afterEach(async () => {
  fake.breakRest(undefined);
  await stopEngines(engines, fake);
});
afterAll(async () => {
  await fake.close();
});

async function startEngine(messages: string[], market: { startWaitMs?: number; backfillHoldMs?: number; restTimeoutMs?: number } = {}, symbols = ['AAPL']): Promise<Engine> {
  const engine = await createEngine({ symbols, market: { kind: 'polygon', apiKey: 'demo', restUrl: fake.restUrl, wsUrl: fake.wsUrl, ...market } });
  engines.push(engine);
  engine.on('log', (line) => messages.push(line.message));
  await engine.start();
  return engine;
}

const quote = (bp: number) => ({ ev: 'Q', sym: 'AAPL', bp, bs: 2, ap: bp + 0.02, as: 3, t: Date.now() });
const minuteBar = (start: number, c: number) => ({ ev: 'AM', sym: 'MSFT', v: 1000, o: c, h: c, l: c, c, s: start, e: start + 60_000 });

describe('start-up with REST down', () => {
  it('a hung REST: start goes on after the wait, says what is missing, and the stream trades', async () => {
    fake.breakRest('hang');
    const messages: string[] = [];
    const engine = await startEngine(messages, { startWaitMs: 300 }, ['AAPL', 'X:BTCUSD']);
    expect(messages.filter((m) => m.includes('has not answered within'))).toHaveLength(1);
    expect(messages.join('\n')).toContain('starting without the snapshots (last prices, previous closes) and market status');
    await until(() => fake.push('stocks', [quote(190)]) > 0 && engine.snapshot().quotes.find((q) => q.symbol === 'AAPL')?.bid === '190.00');
    // Crypto trades at any hour by the calendar, which rules while market status is missing.
    const btc = { ev: 'XQ', pair: 'BTC-USD', bp: 97_000, bs: 1, ap: 97_001, as: 1, t: Date.now() };
    await until(() => fake.push('crypto', [{ ...btc, t: Date.now() }]) > 0 && engine.snapshot().quotes.some((q) => q.symbol === 'X:BTCUSD' && q.bid !== null));
    expect((await engine.placeOrder({ symbol: 'X:BTCUSD', side: 'buy', qty: '0.01' })).status).toBe('filled');
  });

  it('a 429 with Retry-After: 120 says how long the wait is, and start does not wait for it', async () => {
    fake.breakRest({ retryAfterS: 120 });
    const messages: string[] = [];
    const engine = await startEngine(messages, { startWaitMs: 300 });
    expect(messages.join('\n')).toMatch(/Polygon rate limit reached \(429\): retrying in 120 s/);
    await until(() => engine.snapshot().market.state === 'live');
  });

  it('a REST attempt that never answers fails after the timeout, naming what it asked for', async () => {
    fake.breakRest('hang');
    const messages: string[] = [];
    const engine = await startEngine(messages, { startWaitMs: 100, restTimeoutMs: 300 });
    await until(() => messages.some((m) => m.includes('did not answer the request for')));
    expect(messages.find((m) => m.includes('did not answer the request'))).toMatch(/did not answer the request for (snapshots of AAPL|market status|upcoming market status) within 0.3 s/);
    expect(engine.snapshot().market.state).not.toBe('failed');
  });
});

describe('after a reconnect', () => {
  it('a hung back-fill holds live minute bars only for the bound, then they flow', async () => {
    const messages: string[] = [];
    // MSFT: no snapshot in the fake, so its last price is the bars' close.
    const engine = await startEngine(messages, { backfillHoldMs: 300 }, ['MSFT']);
    const bars: number[] = [];
    engine.on('quote', (q) => {
      if (q.last !== null) bars.push(Number(q.last));
    });
    await until(() => engine.snapshot().market.state === 'live');
    const start = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    await until(() => fake.push('stocks', [minuteBar(start, 100)]) > 0 && bars.includes(100));

    fake.breakRest('hang');
    fake.dropConnections('stocks');
    await until(() => engine.snapshot().market.state === 'reconnecting');
    await until(() => engine.snapshot().market.state === 'live');
    await until(() => fake.push('stocks', [minuteBar(start + 5 * 60_000, 105)]) > 0);
    await until(() => bars.includes(105));
    expect(messages.filter((m) => m.includes('slow to send the minute bars'))).toHaveLength(1);
  });
});

describe('the most important state stays shown', () => {
  it('a key rejected mid-session stays on the status line whatever is said after it', async () => {
    const engine = await createEngine({ symbols: ['AAPL', 'X:BTCUSD'], market: { kind: 'polygon', apiKey: 'revoked', restUrl: fake.restUrl, wsUrl: fake.wsUrl } });
    engines.push(engine);
    const messages: string[] = [];
    engine.on('log', (line) => messages.push(line.message));
    await engine.start();
    await until(() => engine.snapshot().market.state === 'live');
    fake.revokeKey('revoked');
    fake.dropConnections('stocks');
    await until(() => engine.snapshot().market.state === 'failed');
    const failed = engine.snapshot().market;
    expect(failed.message).toMatch(/rejected the API key/);
    // Crypto still streams; its problems are logged, and the status line keeps the failure.
    for (let i = 0; i < 50; i++) fake.sendRaw('crypto', `{broken ${i}`);
    await until(() => messages.some((m) => m.includes('not JSON')));
    expect(engine.snapshot().market).toEqual(failed);
    expect(messages.filter((m) => m.includes('not JSON'))).toHaveLength(1);
  });
});

