import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { LiveClock } from '../../src/engine/clock/live-clock.ts';
import { formatPrice } from '../../src/engine/money.ts';
import { AUTH_FAILED_MESSAGE, PolygonStream, topicsFor } from '../../src/engine/market/polygon-stream.ts';
import type { PolygonStreamOptions } from '../../src/engine/market/polygon-stream.ts';
import type { MarketEvent, MarketStatus } from '../../src/engine/market/types.ts';
import { CLUSTERS, DELAY_MS, STATUS, startFakePolygon, FULL_PLAN } from '../helpers/fake-polygon.ts';
import type { Cluster, FakePolygon } from '../helpers/fake-polygon.ts';
import { until as waitUntil } from '../helpers/until.ts';

const KEY = 'sekrit-key-123';
const KEY2 = 'other-key-456';
const STARTER_KEY = 'starter-key-789';

let fake: FakePolygon;
const streams: PolygonStream[] = [];

beforeAll(async () => {
  fake = await startFakePolygon({ keys: { [KEY]: FULL_PLAN, [KEY2]: FULL_PLAN, [STARTER_KEY]: 'starter' }, authTimeoutMs: 2000 });
});
afterEach(async () => {
  for (const s of streams.splice(0)) s.stop();
  await until(() => CLUSTERS.every((c) => fake.connections(c) === 0), 2000);
});
afterAll(async () => {
  await fake.close();
});

const until = (cond: () => boolean, timeoutMs = 3000): Promise<void> => waitUntil(cond, timeoutMs, 5);

interface Harness {
  stream: PolygonStream;
  events: MarketEvent[];
  statuses: MarketStatus[];
  problems: string[];
}

function open(overrides: Partial<PolygonStreamOptions> = {}, start = true): Harness {
  const events: MarketEvent[] = [];
  const statuses: MarketStatus[] = [];
  const problems: string[] = [];
  const stream = new PolygonStream({
    apiKey: KEY,
    baseUrl: fake.wsUrl,
    cluster: 'stocks',
    clock: new LiveClock(),
    onEvent: (e) => events.push(e),
    onStatus: (s) => statuses.push(s),
    onProblem: (p) => problems.push(p),
    backoff: { initialMs: 20, maxMs: 50 },
    random: () => 0.5,
    idleTimeoutMs: 2000,
    pingIntervalMs: 500,
    ...overrides,
  });
  streams.push(stream);
  if (start) stream.start();
  return { stream, events, statuses, problems };
}

const lastState = (h: Harness): string | undefined => h.statuses.at(-1)?.state;

/** Pushes until the fake delivers to a subscriber (i.e. it has processed our subscribe frame). */
async function pushDelivered(cluster: Cluster, events: object[]): Promise<void> {
  await until(() => fake.push(cluster, events) > 0);
}

const tAapl = { ev: 'T', sym: 'AAPL', i: '1', x: 4, p: 190.12, s: 10, t: 1_700_000_000_000, q: 1, z: 3 };
const qAapl = { ev: 'Q', sym: 'AAPL', bx: 4, bp: 190.1, bs: 2, ax: 7, ap: 190.15, as: 3, t: 1_700_000_000_001, q: 2, z: 3 };
const tMsft = { ev: 'T', sym: 'MSFT', i: '2', x: 4, p: 420.5, s: 5, t: 1_700_000_000_002, q: 3, z: 3 };

describe('topicsFor', () => {
  it('maps REST tickers to WebSocket topics per cluster', () => {
    expect(topicsFor('stocks', 'AAPL')).toEqual(['Q.AAPL', 'T.AAPL', 'AM.AAPL']);
    expect(topicsFor('crypto', 'X:BTCUSD')).toEqual(['XQ.BTC-USD', 'XT.BTC-USD', 'XA.BTC-USD']);
    expect(topicsFor('crypto', 'X:ETHUSDT')).toEqual(['XQ.ETH-USDT', 'XT.ETH-USDT', 'XA.ETH-USDT']);
    expect(topicsFor('forex', 'C:EURUSD')).toEqual(['C.EUR/USD', 'CA.EUR/USD']);
    expect(topicsFor('stocks', 'X:BTCUSD')).toHaveProperty('error');
    expect(topicsFor('forex', 'AAPL')).toHaveProperty('error');
  });
});

describe('PolygonStream against the fake server', () => {
  it('handshakes, subscribes in one frame and delivers events with exact bigint prices', async () => {
    const h = open();
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    expect(h.statuses[0]).toMatchObject({ source: 'polygon', state: 'connecting' });
    expect(fake.connections('stocks')).toBe(1);
    await pushDelivered('stocks', [tAapl]);
    await until(() => h.events.length === 1);
    expect(h.events[0]).toEqual({ kind: 'trade', symbol: 'AAPL', price: 190_120_000n, size: 10_000_000_000n, time: 1_700_000_000_000 });
    expect(h.problems).toEqual([]);
  });

  it('subscribes a symbol added while live, and delivers every event of a batched frame', async () => {
    const h = open();
    await until(() => lastState(h) === 'live');
    h.stream.subscribe(['AAPL', 'MSFT']);
    await pushDelivered('stocks', [tAapl, qAapl, tMsft]);
    await until(() => h.events.length === 3);
    expect(h.events.map((e) => `${e.kind}:${e.symbol}`)).toEqual(['trade:AAPL', 'quote:AAPL', 'trade:MSFT']);
    expect(h.events[1]).toMatchObject({ bid: 190_100_000n, ask: 190_150_000n, bidSize: 200_000_000_000n, askSize: 300_000_000_000n });
  });

  it('routes crypto and forex pairs', async () => {
    const x = open({ cluster: 'crypto' });
    const f = open({ cluster: 'forex' });
    x.stream.subscribe(['X:BTCUSD']);
    f.stream.subscribe(['C:EURUSD']);
    await pushDelivered('crypto', [{ ev: 'XT', pair: 'BTC-USD', p: 43000.5, s: 0.25, t: 5, x: 1 }]);
    await pushDelivered('forex', [{ ev: 'C', p: 'EUR/USD', x: 48, a: 1.0851, b: 1.085, t: 6 }]);
    await until(() => x.events.length === 1 && f.events.length === 1);
    expect(x.events[0]).toMatchObject({ kind: 'trade', symbol: 'X:BTCUSD', price: 43_000_500_000n, size: 250_000_000n });
    expect(f.events[0]).toMatchObject({ kind: 'quote', symbol: 'C:EURUSD', bid: 1_085_000n, ask: 1_085_100n });
  });

  it('reports a malformed frame and an invalid event, and goes on', async () => {
    const h = open();
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    await pushDelivered('stocks', [tAapl]);
    fake.sendRaw('stocks', '{not json');
    await until(() => h.problems.length === 1);
    expect(h.problems[0]).toContain('not JSON');
    fake.push('stocks', [{ ...tAapl, p: -1 }, qAapl]);
    await until(() => h.events.length === 2);
    expect(h.problems.length).toBe(2);
    expect(h.problems[1]).toMatch(/bad event.*"p"/);
    expect(h.events[1]?.kind).toBe('quote');
    expect(lastState(h)).toBe('live');
    for (const p of h.problems) expect(p).not.toContain('\n');
  });

  it('auth failure → failed with a clear message, no reconnect attempts', async () => {
    const h = open({ apiKey: 'wrong-key-789' });
    await until(() => lastState(h) === 'failed');
    expect(h.statuses.at(-1)).toEqual({ source: 'polygon', state: 'failed', message: AUTH_FAILED_MESSAGE });
    const deadline = Date.now() + 250;
    while (Date.now() < deadline) {
      expect(fake.connections('stocks')).toBe(0);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(h.statuses.map((s) => s.state)).toEqual(['connecting', 'failed']);
    expect(JSON.stringify([h.statuses, h.problems])).not.toContain('wrong-key-789');
  });

  it('reconnects after a drop, re-authenticates and re-subscribes', async () => {
    const h = open();
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    fake.dropConnections('stocks');
    await until(() => h.statuses.some((s) => s.state === 'reconnecting'));
    const reconnecting = h.statuses.find((s) => s.state === 'reconnecting');
    expect(reconnecting?.message).toMatch(/^reconnecting in [\d.]+ s: /);
    await until(() => lastState(h) === 'live' && fake.connections('stocks') === 1);
    await pushDelivered('stocks', [tAapl]);
    await until(() => h.events.length === 1);
    expect(h.events[0]?.symbol).toBe('AAPL');
    expect(JSON.stringify([h.statuses, h.problems])).not.toContain(KEY);
  });

  it('keeps retrying with backoff while the server is unreachable', async () => {
    const h = open({ baseUrl: 'ws://127.0.0.1:1' });
    await until(() => h.statuses.filter((s) => s.state === 'reconnecting').length >= 3);
    const messages = h.statuses.filter((s) => s.state === 'reconnecting').map((s) => s.message ?? '');
    expect(messages.slice(0, 3).map((m) => /^reconnecting in ([\d.]+) s: /.exec(m)?.[1])).toEqual(['0.02', '0.04', '0.05']);
  });

  it('unsubscribe stops a symbol’s events', async () => {
    const h = open();
    h.stream.subscribe(['AAPL', 'MSFT']);
    await until(() => lastState(h) === 'live');
    await pushDelivered('stocks', [tAapl]);
    await until(() => h.events.length === 1);
    h.stream.unsubscribe(['AAPL']);
    expect(h.stream.subscriptions).toEqual(['MSFT']);
    await until(() => fake.push('stocks', [tAapl]) === 0); // the fake processed the unsubscribe
    await pushDelivered('stocks', [tMsft]);
    await until(() => h.events.length === 2);
    expect(h.events.map((e) => e.symbol)).toEqual(['AAPL', 'MSFT']);
  });

  it('reconnects when idle (no data and no pong), keeps alive with pings', async () => {
    const pinging = open({ idleTimeoutMs: 150, pingIntervalMs: 30 });
    const quiet = open({ apiKey: KEY2, idleTimeoutMs: 150, pingIntervalMs: 60_000 });
    await until(() => quiet.statuses.some((s) => s.state === 'reconnecting'));
    expect(quiet.statuses.find((s) => s.state === 'reconnecting')?.message).toContain('no data or pong');
    await new Promise((r) => setTimeout(r, 100));
    expect(pinging.statuses.map((s) => s.state)).toEqual(['connecting', 'live']);
  });

  it('"not authorized" with no delayed host: failed, says which data the plan lacks, and never reconnects', async () => {
    const h = open();
    await until(() => lastState(h) === 'live');
    await until(() => fake.push('stocks', [STATUS.notAuthorized]) > 0);
    await until(() => lastState(h) === 'failed');
    expect(h.statuses.at(-1)?.message).toMatch(/plan does not include real-time stocks data/);
    await new Promise((r) => setTimeout(r, 150));
    expect(h.statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'failed']);
    expect(fake.connections('stocks')).toBe(0);
  });

  it('a delayed plan is refused on the real-time host as a wrong key is; moved to the delayed host, it streams bars marked 15 minutes late', async () => {
    const refusals: string[] = [];
    const h = open({ apiKey: STARTER_KEY, delayedUrl: fake.delayedWsUrl, onAuthFailed: (message) => refusals.push(message) });
    h.stream.subscribe(['AAPL']);
    await until(() => refusals.length === 1);
    expect(refusals).toEqual(['authentication failed']);
    expect(h.stream.canDelay).toBe(true);
    h.stream.moveToDelayed();
    // Starter streams minute bars but no trades: the refused trades are said once, the bars flow.
    await until(() => h.statuses.at(-1)?.message === '15 min late: minute bars only');
    expect(h.problems.filter((p) => /streams no trades/.test(p))).toHaveLength(1);
    const start = Math.floor(Date.now() / 60_000) * 60_000;
    await until(() => {
      fake.push('stocks', [{ ev: 'AM', sym: 'AAPL', v: 100, o: 190, h: 191, l: 189, c: 190.5, s: start, e: start + 60_000 }]);
      return h.events.length > 0;
    });
    expect(h.events[0]).toMatchObject({ kind: 'bar', symbol: 'AAPL', start: start - DELAY_MS, delayMs: DELAY_MS });
  });

  it('crypto has no delayed feed: "not authorized" fails it with the reason', async () => {
    const h = open({ cluster: 'crypto', delayedUrl: fake.delayedWsUrl });
    await until(() => lastState(h) === 'live');
    await until(() => fake.push('crypto', [STATUS.notAuthorized]) > 0);
    await until(() => lastState(h) === 'failed');
    expect(h.statuses.at(-1)?.message).toMatch(/does not include real-time crypto data/);
  });

  it('max_connections → failed, no reconnect loop', async () => {
    const older = open();
    await until(() => lastState(older) === 'live');
    const newer = open();
    await until(() => lastState(newer) === 'live' && lastState(older) === 'failed');
    expect(older.statuses.at(-1)?.message).toMatch(/another paper-trader/);
    await new Promise((r) => setTimeout(r, 150));
    expect(older.statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'failed']);
    expect(lastState(newer)).toBe('live');
    expect(fake.connections('stocks')).toBe(1);
  });

  it('stop() closes the socket and never reconnects', async () => {
    const h = open();
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    h.stream.stop();
    expect(lastState(h)).toBe('stopped');
    await until(() => fake.connections('stocks') === 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(fake.connections('stocks')).toBe(0);
    expect(h.statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'stopped']);
  });
});

describe('never stuck, never quiet', () => {
  it('a server that takes the upgrade and then says nothing is left after the handshake wait, though it answers every ping', async () => {
    const mute = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => mute.once('listening', () => resolve()));
    let upgrades = 0;
    mute.on('connection', () => upgrades++);
    try {
      const h = open({ baseUrl: `ws://127.0.0.1:${(mute.address() as AddressInfo).port}`, handshakeTimeoutMs: 300, pingIntervalMs: 50, idleTimeoutMs: 10_000 });
      await until(() => h.statuses.some((s) => s.state === 'reconnecting'));
      expect(h.statuses.find((s) => s.state === 'reconnecting')?.message).toMatch(/did not complete the handshake within 0.30 s/);
      await until(() => upgrades >= 2);
    } finally {
      for (const client of mute.clients) client.terminate();
      await new Promise<void>((resolve) => mute.close(() => resolve()));
    }
  });

  it('500 malformed frames make one line per kind, then a count, and the stream goes on', async () => {
    const said: string[] = [];
    const clock = new ManualClockLike();
    const h = open({ clock, onProblem: (p) => said.push(p) });
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    for (let i = 0; i < 500; i++) fake.sendRaw('stocks', `{not json ${i}`);
    await until(() => fake.push('stocks', [{ ev: 'T', sym: 'AAPL', i: '1', x: 4, p: 190, s: 100, t: Date.now(), q: 1, z: 3 }]) > 0 && h.events.length > 0);
    expect(said.filter((p) => p.includes('not JSON'))).toHaveLength(1);
    expect(h.statuses.filter((s) => s.state !== 'connecting' && s.state !== 'live')).toEqual([]);
    clock.advance(60_000);
    expect(said.filter((p) => p.includes('more frames'))).toEqual(['499 more frames that are not JSON from Polygon stocks ignored in the last minute']);
  });

  it('a frame of 20,000 events is handled in slices, in order, letting other work run between them', async () => {
    const h = open();
    h.stream.subscribe(['AAPL']);
    await until(() => lastState(h) === 'live');
    const events = Array.from({ length: 20_000 }, (_, i) => ({ ev: 'T', sym: 'AAPL', i: String(i), x: 4, p: 190 + (i % 100) / 100, s: 100, t: Date.now(), q: i, z: 3 }));
    let seenMidway: number | undefined;
    fake.push('stocks', events);
    await until(() => h.events.length > 0, 5000);
    // A turn of the event loop came while the frame was still being handled.
    await new Promise<void>((resolve) => setImmediate(() => resolve()));
    seenMidway = h.events.length;
    await until(() => h.events.length === 20_000);
    expect(seenMidway).toBeLessThan(20_000);
    expect(h.events.map((e) => (e.kind === 'trade' ? formatPrice(e.price) : ''))).toEqual(events.map((e) => e.p.toFixed(2)));
  });
});

/** A clock whose timers fire only when the test advances it (the tally's summaries); now() stays real. */
class ManualClockLike {
  readonly #timers: { at: number; fn: () => void }[] = [];
  #offset = 0;
  now(): number {
    return Date.now() + this.#offset;
  }
  setTimer(at: number, fn: () => void) {
    const timer = { at, fn };
    this.#timers.push(timer);
    return { cancel: () => this.#timers.splice(this.#timers.indexOf(timer), 1) };
  }
  advance(ms: number): void {
    this.#offset += ms;
    for (const timer of [...this.#timers].sort((a, b) => a.at - b.at)) {
      if (timer.at > this.now()) continue;
      this.#timers.splice(this.#timers.indexOf(timer), 1);
      timer.fn();
    }
  }
}
