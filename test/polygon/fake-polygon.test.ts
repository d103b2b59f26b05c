// The fake Polygon server, over real sockets on 127.0.0.1 (fetch + ws), no mocks.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startFakePolygon, STATUS, FULL_PLAN } from '../helpers/fake-polygon.ts';
import type { Cluster, FakePolygon } from '../helpers/fake-polygon.ts';
import { simulatedStockTicks } from '../helpers/fake-polygon-ticks.ts';

/** Tuesday 3 November 2026, 10:00 in New York, on a minute boundary. */
const T0 = Date.parse('2026-11-03T15:00:00Z');

type Frame = Array<Record<string, unknown>>;

/** A WebSocket client that queues every frame from the moment it is created. */
class Client {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<{ code: number }>;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('message', (data) => {
      const text = String(data);
      this.raw.push(text);
      try {
        this.frames.push(JSON.parse(text) as Frame);
      } catch {
        this.frames.push([{ ev: '__raw__', text }]);
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve) => this.ws.once('open', () => resolve()));
    this.closed = new Promise((resolve) => this.ws.once('close', (code) => resolve({ code })));
  }

  send(obj: unknown): void {
    this.ws.send(JSON.stringify(obj));
  }

  /** The next frame not yet taken (waits up to `ms`). */
  private taken = 0;
  async next(ms = 2000): Promise<Frame> {
    const deadline = Date.now() + ms;
    while (this.frames.length <= this.taken) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame within ${ms} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.frames[this.taken++] as Frame;
  }

  /** Asserts no further frame arrives within `ms`. */
  async nothingWithin(ms: number): Promise<void> {
    await new Promise((r) => setTimeout(r, ms));
    expect(this.frames.slice(this.taken)).toEqual([]);
  }

  /** Open, read `connected`, auth, read `auth_success`, subscribe and read the acks. */
  static async ready(url: string, key: string, topics: string[] = []): Promise<Client> {
    const c = new Client(url);
    await c.opened;
    expect(await c.next()).toEqual([STATUS.connected]);
    c.send({ action: 'auth', params: key });
    expect(await c.next()).toEqual([STATUS.authSuccess]);
    if (topics.length > 0) {
      c.send({ action: 'subscribe', params: topics.join(',') });
      for (let i = 0; i < topics.length; i++) await c.next();
    }
    return c;
  }
}

let fake: FakePolygon;
const clients: Client[] = [];
const track = (c: Client): Client => {
  clients.push(c);
  return c;
};

beforeAll(async () => {
  fake = await startFakePolygon({
    keys: { good: FULL_PLAN, starter: 'starter', free: 'free', free2: 'free', ws1: FULL_PLAN, ws2: FULL_PLAN },
    authTimeoutMs: 300,
    rateLimit: { requests: 5, windowMs: 400 },
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  // Wait until the server has seen every close, so no socket leaks into the next test.
  const deadline = Date.now() + 2000;
  while (['stocks', 'crypto', 'forex'].some((cl) => fake.connections(cl as Cluster) > 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 5));
  }
});
afterAll(async () => {
  await fake.close();
});

async function get(path: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(fake.restUrl + path, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('fake Polygon REST', () => {
  it('rejects a missing key and an unknown key with the recorded 401 bodies', async () => {
    const none = await get('/v2/aggs/ticker/AAPL/prev');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 'ERROR', error: 'API Key was not provided' });
    const wrong = await get('/v2/aggs/ticker/AAPL/prev?apiKey=nope');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ status: 'ERROR', error: 'Unknown API Key' });
    const wrongBearer = await get('/v2/aggs/ticker/AAPL/prev', { headers: { Authorization: 'Bearer nope' } });
    expect(wrongBearer.status).toBe(401);
  });

  it('accepts the key in any query position or as a Bearer header, and logs paths without it', async () => {
    fake.requests.length = 0;
    const first = await get('/v2/aggs/ticker/AAPL/prev?apiKey=good&adjusted=true');
    const middle = await get('/v2/aggs/ticker/AAPL/prev?adjusted=true&apiKey=good&x=1');
    const bearer = await get('/v2/aggs/ticker/AAPL/prev', { headers: { Authorization: 'Bearer good' } });
    for (const r of [first, middle, bearer]) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ticker: 'AAPL', status: 'OK', resultsCount: 1 });
    }
    expect(fake.requests).toEqual([
      { method: 'GET', path: '/v2/aggs/ticker/AAPL/prev?adjusted=true', status: 200, auth: 'query' },
      { method: 'GET', path: '/v2/aggs/ticker/AAPL/prev?adjusted=true&x=1', status: 200, auth: 'query' },
      { method: 'GET', path: '/v2/aggs/ticker/AAPL/prev', status: 200, auth: 'bearer' },
    ]);
    expect(JSON.stringify(fake.requests)).not.toContain('good');
  });

  it('percent-decodes path segments (X%3ABTCUSD) and also accepts a literal colon', async () => {
    const encoded = await get('/v2/snapshot/locale/global/markets/crypto/tickers/X%3ABTCUSD?apiKey=good');
    expect(encoded.status).toBe(200);
    expect((encoded.body['ticker'] as Record<string, unknown>)['ticker']).toBe('X:BTCUSD');
    const aggs = await get('/v2/aggs/ticker/C%3AEURUSD/range/1/day/2023-01-01/2023-01-10?apiKey=good');
    expect(aggs.body).toMatchObject({ ticker: 'C:EURUSD', status: 'OK' });
    const literal = await get('/v2/aggs/ticker/X:BTCUSD/range/1/day/2023-01-01/2023-01-10?apiKey=good');
    expect(literal.body['ticker']).toBe('X:BTCUSD');
    expect((literal.body['results'] as unknown[]).length).toBeGreaterThan(0);
  });

  it('serves ticker details, 404 for an unknown ticker, search and market status', async () => {
    expect((await get('/v3/reference/tickers/AAPL?apiKey=good')).body).toMatchObject({ results: { ticker: 'AAPL', name: 'Apple Inc.' } });
    const missing = await get('/v3/reference/tickers/NOPE?apiKey=good');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ status: 'NOT_FOUND', message: 'Ticker not found.' });
    const search = await get('/v3/reference/tickers?search=alcoa&apiKey=good');
    expect((search.body['results'] as Array<Record<string, unknown>>).map((r) => r['ticker'])).toEqual(['AA']);
    const status = await get('/v1/marketstatus/now?apiKey=good');
    expect(status.status).toBe(200);
    expect(status.body).toHaveProperty('market');
  });

  it('gives a free key 403 NOT_AUTHORIZED on last trade, last NBBO and snapshots; starter snapshots omit lastTrade/lastQuote', async () => {
    for (const path of ['/v2/last/trade/AAPL', '/v2/last/nbbo/AAPL', '/v2/snapshot/locale/us/markets/stocks/tickers/AAPL']) {
      const r = await get(`${path}?apiKey=free2`);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ status: 'NOT_AUTHORIZED' });
      await new Promise((res) => setTimeout(res, 100)); // stay under free2's rate limit
    }
    expect((await get('/v2/last/trade/AAPL?apiKey=good')).body).toMatchObject({ results: { T: 'AAPL' } });
    const full = (await get('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL?apiKey=good')).body['ticker'];
    expect(full).toHaveProperty('lastTrade');
    const starter = (await get('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL?apiKey=starter')).body['ticker'];
    expect(starter).not.toHaveProperty('lastTrade');
    expect(starter).not.toHaveProperty('lastQuote');
  });

  it('rate-limits a free key (429 after the limit) in a rolling window', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await get('/v1/marketstatus/now?apiKey=free')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await get('/v1/marketstatus/now?apiKey=free');
    expect(limited.body).toMatchObject({ status: 'ERROR' });
    expect(String(limited.body['error'])).toContain('exceeded the maximum requests per minute');
    // Developer keys are not limited.
    for (let i = 0; i < 7; i++) expect((await get('/v1/marketstatus/now?apiKey=good')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 450));
    expect((await get('/v1/marketstatus/now?apiKey=free')).status).toBe(200);
  });

  it('paginates aggregates: next_url on its own origin, without the key, and following it returns the rest', async () => {
    const all = await get('/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04?apiKey=good');
    const bars = all.body['results'] as Array<Record<string, unknown>>;
    expect(bars.length).toBe(2);
    expect(all.body).not.toHaveProperty('next_url');

    const page1 = await get('/v2/aggs/ticker/AAPL/range/1/day/2005-04-01/2005-04-04?apiKey=good&limit=1');
    expect(page1.body['results']).toEqual([bars[0]]);
    const nextUrl = String(page1.body['next_url']);
    expect(nextUrl.startsWith(`${fake.restUrl}/v2/aggs/ticker/AAPL/range/1/day/`)).toBe(true);
    expect(nextUrl).toContain('cursor=');
    expect(nextUrl).not.toContain('apiKey');
    expect(nextUrl).not.toContain('good');

    // Without the key, the next page is refused like any other request.
    expect((await fetch(nextUrl)).status).toBe(401);
    const page2 = (await (await fetch(`${nextUrl}&apiKey=good`)).json()) as Record<string, unknown>;
    expect(page2['results']).toEqual([bars[1]]);
    expect(page2).not.toHaveProperty('next_url');
  });
});

describe('fake Polygon WebSocket', () => {
  const url = (cluster: Cluster): string => `${fake.wsUrl}/${cluster}`;

  it('accepts auth sent before connected is read, then connected comes first', async () => {
    const c = track(new Client(url('stocks')));
    await c.opened;
    c.send({ action: 'auth', params: 'good' }); // client-js style: immediately on open
    expect(await c.next()).toEqual([STATUS.connected]);
    expect(await c.next()).toEqual([STATUS.authSuccess]);
  });

  it('auth_failed closes the socket', async () => {
    const c = track(new Client(url('crypto')));
    await c.opened;
    expect(await c.next()).toEqual([STATUS.connected]);
    c.send({ action: 'auth', params: 'bad-key' });
    expect(await c.next()).toEqual([STATUS.authFailed]);
    expect((await c.closed).code).toBe(1000);
  });

  it('auth_timeout closes a socket that never authenticates', async () => {
    const c = track(new Client(url('forex')));
    expect(await c.next()).toEqual([STATUS.connected]);
    expect(await c.next(1000)).toEqual([STATUS.authTimeout]);
    await c.closed;
  });

  it('rejects subscribe before auth with an error and stays open', async () => {
    const c = track(new Client(url('stocks')));
    await c.opened;
    expect(await c.next()).toEqual([STATUS.connected]);
    c.send({ action: 'subscribe', params: 'T.AAPL' });
    expect(await c.next()).toEqual([{ ev: 'status', status: 'error', message: 'not authorized' }]);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.send({ action: 'auth', params: 'good' });
    expect(await c.next()).toEqual([STATUS.authSuccess]);
    // The rejected subscription did not take effect.
    expect(fake.push('stocks', [{ ev: 'T', sym: 'AAPL', p: 1, s: 1, t: 1 }])).toBe(0);
  });

  it('acks each topic in its own frame (trimming spaces) and unsubscribes', async () => {
    const c = track(await Client.ready(url('stocks'), 'good'));
    c.send({ action: 'subscribe', params: 'T.AAPL, Q.MSFT ,AM.GTE' });
    expect(await c.next()).toEqual([{ ev: 'status', status: 'success', message: 'subscribed to: T.AAPL' }]);
    expect(await c.next()).toEqual([{ ev: 'status', status: 'success', message: 'subscribed to: Q.MSFT' }]);
    expect(await c.next()).toEqual([{ ev: 'status', status: 'success', message: 'subscribed to: AM.GTE' }]);
    c.send({ action: 'unsubscribe', params: 'T.AAPL' });
    expect(await c.next()).toEqual([{ ev: 'status', status: 'success', message: 'unsubscribed to: T.AAPL' }]);
    fake.push('stocks', [{ ev: 'T', sym: 'AAPL', p: 1, s: 1, t: 1 }]);
    await c.nothingWithin(50);
  });

  it('sends only subscribed topics, batched into one frame per push; T.* matches every symbol', async () => {
    const a = track(await Client.ready(url('stocks'), 'ws1', ['T.MSFT', 'Q.MSFT']));
    const b = track(await Client.ready(url('stocks'), 'ws2', ['T.*']));
    const tAapl = { ev: 'T', sym: 'AAPL', i: '1', x: 4, p: 190, s: 10, t: 1, q: 1, z: 3 };
    const tMsft = { ev: 'T', sym: 'MSFT', i: '2', x: 4, p: 420, s: 5, t: 2, q: 2, z: 3 };
    const qMsft = { ev: 'Q', sym: 'MSFT', bx: 4, bp: 419.9, bs: 1, ax: 7, ap: 420.1, as: 2, t: 3, q: 3, z: 3 };
    const qAapl = { ev: 'Q', sym: 'AAPL', bx: 4, bp: 189.9, bs: 1, ax: 7, ap: 190.1, as: 2, t: 4, q: 4, z: 3 };
    expect(fake.push('stocks', [tAapl, tMsft, qMsft, qAapl])).toBe(2);
    expect(await a.next()).toEqual([tMsft, qMsft]);
    expect(await b.next()).toEqual([tAapl, tMsft]);
    await a.nothingWithin(30);

    // A recorded session: only MSFT T+Q (one mixed batch) reaches `a`.
    expect(fake.replaySample('stocks', 'ws-stocks-session.jsonl')).toBeGreaterThan(0);
    const frame = await a.next();
    expect(frame.map((e) => e['ev'])).toEqual(['T', 'Q']);
    await a.nothingWithin(30);
  });

  it('routes crypto and forex events by pair', async () => {
    const x = track(await Client.ready(url('crypto'), 'ws1', ['XT.BTC-USD']));
    const f = track(await Client.ready(url('forex'), 'ws1', ['C.USD/CNH']));
    fake.replaySample('crypto', 'ws-crypto-session.jsonl');
    fake.replaySample('forex', 'ws-forex-session.jsonl');
    expect((await x.next())[0]).toMatchObject({ ev: 'XT', pair: 'BTC-USD' });
    expect((await f.next())[0]).toMatchObject({ ev: 'C', p: 'USD/CNH' });
    await x.nothingWithin(30);
    await f.nothingWithin(0);
  });

  it('a second connection with the same key evicts the older socket with max_connections', async () => {
    const older = track(await Client.ready(url('stocks'), 'ws1'));
    const other = track(await Client.ready(url('crypto'), 'ws1')); // other cluster: unaffected
    const newer = track(await Client.ready(url('stocks'), 'ws1', ['T.AAPL']));
    expect(await older.next()).toEqual([STATUS.maxConnections]);
    await older.closed;
    expect(fake.push('stocks', [{ ev: 'T', sym: 'AAPL', p: 1, s: 1, t: 1 }])).toBe(1);
    expect((await newer.next())[0]).toMatchObject({ sym: 'AAPL' });
    expect(other.ws.readyState).toBe(WebSocket.OPEN);
    await other.nothingWithin(0);
  });

  it('drops connections abruptly, goes silent, sends raw frames, counts connections', async () => {
    const c = track(await Client.ready(url('forex'), 'ws2', ['C.*']));
    expect(fake.connections('forex')).toBe(1);
    fake.sendRaw('forex', '{not json');
    await c.next();
    expect(c.raw.at(-1)).toBe('{not json');

    fake.goSilent(100);
    expect(fake.push('forex', [{ ev: 'C', p: 'EUR/USD', a: 1, b: 1, t: 1 }])).toBe(0);
    await new Promise((r) => setTimeout(r, 120));
    expect(fake.push('forex', [{ ev: 'C', p: 'EUR/USD', a: 1, b: 1, t: 1 }])).toBe(1);

    fake.dropConnections('forex');
    const { code } = await c.closed;
    expect(code).toBe(1006); // no close frame
    expect(fake.connections('forex')).toBe(0);
  });

  it('answers pings', async () => {
    const c = track(await Client.ready(url('stocks'), 'good'));
    const pong = new Promise<string>((resolve) => c.ws.once('pong', (data) => resolve(String(data))));
    c.ws.ping('hi');
    expect(await pong).toBe('hi');
  });
});

describe('fake Polygon simulated stock stream', () => {
  /** A seeded generator, so the frames are the same on every run. */
  const seeded = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  type Tick = { ev: string; sym: string; p?: number; s?: number; c?: number[] };

  it('tags prints with sale conditions as the SIP feed does: odd lots 37, sweeps 14 with 41, Form T 12 outside the session', () => {
    let session: 'regular' | 'extended' = 'regular';
    const ticks = simulatedStockTicks({ AAPL: 190 }, () => session, seeded(7));
    const trades = (n: number) =>
      Array.from({ length: n }, (_, i) => ticks.frame(T0 + i * 200) as Tick[]).flat().filter((e) => e.ev === 'T');
    const regular = trades(500);
    for (const t of regular) {
      expect(t.s! < 100).toBe(t.c?.includes(37) ?? false);
      expect(t.c?.includes(14) ?? false).toBe(t.c?.includes(41) ?? false);
      expect(t.c?.includes(12) ?? false).toBe(false);
    }
    expect(regular.some((t) => t.c?.includes(14))).toBe(true);
    // Some odd lots print well away from the quote, as real ones may.
    expect(regular.some((t) => t.c?.includes(37) && Math.abs(t.p! - 190) > 1)).toBe(true);
    session = 'extended';
    expect(trades(50).every((t) => t.c?.[0] === 12)).toBe(true);
  });

  it('builds each minute bar from the prints its rules allow: odd lots add volume only', () => {
    const ticks = simulatedStockTicks({ AAPL: 190 }, () => 'regular', seeded(11));
    const events: Tick[] = [];
    for (let i = 0; i <= 600; i++) events.push(...(ticks.frame(T0 + i * 200) as Tick[]));
    const firstBar = events.find((e) => e.ev === 'AM') as unknown as { o: number; h: number; l: number; c: number; v: number; s: number };
    expect(firstBar).toBeDefined();
    const inMinute = events.filter((e) => e.ev === 'T' && (e as unknown as { t: number }).t < firstBar.s + 60_000);
    const counted = inMinute.filter((t) => !t.c?.includes(37));
    expect(firstBar.h).toBe(Math.max(...counted.map((t) => t.p!)));
    expect(firstBar.l).toBe(Math.min(...counted.map((t) => t.p!)));
    expect(firstBar.c).toBe(counted.at(-1)!.p);
    expect(firstBar.v).toBe(inMinute.reduce((sum, t) => sum + t.s!, 0));
  });
});
