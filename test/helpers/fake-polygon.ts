// A fake Polygon.io server for tests and manual runs: REST and WebSocket in ONE process on 127.0.0.1.
// Behaviour follows ../shared/polygon/PROTOCOL.md section 6; bodies come from the recorded samples.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import {
  entitlementsOf,
  isDelayedStocks,
  rateLimited,
  restRefusal,
  snapshotFields,
  streamAccess,
  type Cluster,
  type Entitlements,
  type Plan,
} from './fake-polygon-plans.ts';
import { BUILT_IN_REFERENCE, referencePage, type ReferenceKind } from './fake-polygon-reference.ts';
import { syntheticAggregates } from './fake-polygon-history.ts';
import { keepsTicks, syntheticTicks, type TickKind } from './fake-polygon-tick-history.ts';

export type { Cluster, Plan };
export const CLUSTERS: readonly Cluster[] = ['stocks', 'crypto', 'forex'];
/** Every stream in real time: the top stocks plan and the currencies product. */
export const FULL_PLAN: readonly Plan[] = ['advanced', 'currencies'];
/** The delayed host sends what happened this long ago (docs/polygon-plans.md §1.3). */
export const DELAY_MS = 15 * 60_000;

export interface FakePolygonOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  /** Valid keys and their plans (a stocks tier, 'currencies', or both). Default `{ demo: ['advanced', 'currencies'] }`. */
  keys?: Record<string, Plan | readonly Plan[]>;
  /** Close sockets that have not sent `auth` after this long. Default 10 000 ms. */
  authTimeoutMs?: number;
  /** REST rate limit for 'free' keys: at most `requests` within a rolling `windowMs`. Default 5 per 60 000 ms. */
  rateLimit?: { requests: number; windowMs: number };
  /** Where the recorded samples live. Default test/fixtures/polygon (or env POLYGON_SAMPLES_DIR). */
  samplesDir?: string;
  /**
   * Serve aggregates for any past day of every ticker the reference data knows, as Polygon keeps
   * them (fake-polygon-history.ts), instead of the recorded AAPL, BTC and EUR samples only.
   */
  history?: boolean;
}


export interface RequestLogEntry {
  method: string;
  /** Path and query as received, with any `apiKey` parameter removed. */
  path: string;
  status: number;
  /** How the key was sent. */
  auth: 'query' | 'bearer' | 'none';
}

export interface FakePolygon {
  port: number;
  restUrl: string;
  wsUrl: string;
  /** The 15-minute-delayed WebSocket host (PROTOCOL.md §5.1): `{wsUrl}/delayed`, stocks only. Starter and Developer keys stream here. */
  delayedWsUrl: string;
  /** Every REST request, in order. Mutable: tests may clear it with `requests.length = 0`. */
  requests: RequestLogEntry[];
  /** Send ONE frame with those of `events` each authenticated socket subscribed to (status events go to all). Returns the number of sockets sent to. */
  push(cluster: Cluster, events: object[]): number;
  /** Push the data lines (non-status frames) of a recorded `ws-*.jsonl` sample, one frame per line. Returns frames sent. */
  replaySample(cluster: Cluster, file: string): number;
  /** Terminate sockets abruptly (no close frame), on one cluster or all. */
  dropConnections(cluster?: Cluster): void;
  /** Stop sending data (push/replaySample/sendRaw) for `ms`. Handshake replies and pongs continue. */
  goSilent(ms: number): void;
  /** Send `text` verbatim to every open socket on the cluster (e.g. a malformed frame). */
  sendRaw(cluster: Cluster, text: string): void;
  /** Open sockets on the cluster (authenticated or not), real-time and delayed alike. */
  connections(cluster: Cluster): number;
  /**
   * Minute bars Polygon keeps for `/v2/aggs/.../range/1/minute/...`, as REST results (`t` = start ms).
   * Every AM/XA/CA event pushed is kept too, whether or not anyone was connected to receive it:
   * that is what a client back-fills after a reconnect.
   */
  addMinuteBars(ticker: string, results: object[]): void;
  /**
   * Splits and dividends `/v3/reference/splits` and `/v3/reference/dividends` list, beside Apple's
   * built-in ones (rows as Polygon's: use `split()` and `dividend()` of fake-polygon-reference.ts).
   */
  addReference(kind: ReferenceKind, rows: object[]): void;
  /** Replaces fields of `/v1/marketstatus/now` (e.g. `{ market: 'closed' }`). */
  setMarketStatus(fields: object): void;
  /** What `/v1/marketstatus/upcoming` lists (default: the recorded sample, 2022's holidays). */
  setUpcoming(entries: object[]): void;
  /** The key stops working (revoked on the dashboard): REST answers 401, the next WebSocket auth fails. */
  revokeKey(key: string): void;
  /** Answers aggregate (bar) requests this much later (0: at once). */
  setAggsDelay(ms: number): void;
  /**
   * Every REST request from now on: 'hang' (taken, never answered), or a 429 with Retry-After in
   * seconds (what a proxy in front of Polygon may send); undefined: back to normal.
   */
  breakRest(mode: 'hang' | { retryAfterS: number } | undefined): void;
  close(): Promise<void>;
}

/**
 * The tickers the fake's reference data knows, beside the recorded A, AA and AAPL. Constructed:
 * Polygon's tickers are case-sensitive (a preferred share carries a lowercase letter, as BACpB),
 * so two that differ only in case are here to prove the app never confuses them.
 */
export const REFERENCE_TICKERS: readonly { ticker: string; name: string; market: 'stocks' | 'crypto' | 'fx' }[] = [
  { ticker: 'MSFT', name: 'Microsoft Corp', market: 'stocks' },
  { ticker: 'NVDA', name: 'Nvidia Corp', market: 'stocks' },
  { ticker: 'TSLA', name: 'Tesla, Inc. Common Stock', market: 'stocks' },
  { ticker: 'AMZN', name: 'Amazon.com, Inc.', market: 'stocks' },
  { ticker: 'GTE', name: 'Gran Tierra Energy Inc.', market: 'stocks' },
  { ticker: 'AMPB', name: 'Ampersand Bancorp', market: 'stocks' },
  { ticker: 'AMpB', name: 'Ampersand Bancorp Preferred Series B', market: 'stocks' },
  { ticker: 'X:BTCUSD', name: 'Bitcoin - United States dollar', market: 'crypto' },
  { ticker: 'X:ETHUSD', name: 'Ethereum - United States dollar', market: 'crypto' },
  { ticker: 'C:EURUSD', name: 'Euro - United States dollar', market: 'fx' },
  { ticker: 'C:GBPUSD', name: 'British pound - United States dollar', market: 'fx' },
];

/** What the delayed host sends for an event pushed now: the same event, its times 15 minutes earlier. */
function delayedCopy(event: object): object {
  const copy: Json = { ...(event as Json) };
  // A bar's times are s and e; a trade's s is its size.
  const times = copy['ev'] === 'A' || copy['ev'] === 'AM' ? ['s', 'e'] : ['t', 'trft'];
  for (const field of times) if (typeof copy[field] === 'number') copy[field] = (copy[field] as number) - DELAY_MS;
  return copy;
}

export const STATUS = {
  connected: { ev: 'status', status: 'connected', message: 'Connected Successfully' },
  authSuccess: { ev: 'status', status: 'auth_success', message: 'authenticated' },
  authFailed: { ev: 'status', status: 'auth_failed', message: 'authentication failed' },
  authTimeout: { ev: 'status', status: 'auth_timeout', message: 'No authentication request received.' },
  notAuthorized: { ev: 'status', status: 'error', message: 'not authorized' },
  maxConnections: {
    ev: 'status',
    status: 'max_connections',
    message:
      'Maximum number of websocket connections exceeded. You have reached the connection limit for your account. Please contact support at https://polygon.io/contact to increase your limit.',
  },
} as const;

/** The recorded samples travel with the project (a copy of ../shared/polygon/samples), so the fake runs from any copy. */
export const SAMPLES_DIR = fileURLToPath(new URL('../fixtures/polygon/', import.meta.url));
const DEFAULT_SAMPLES = process.env['POLYGON_SAMPLES_DIR'] ?? SAMPLES_DIR;

type Json = Record<string, unknown>;

interface Conn {
  ws: WebSocket;
  cluster: Cluster;
  delayed: boolean;
  key: string | undefined;
  authed: boolean;
  /** The channels (T, Q, AM…) the key's plan streams on this host. */
  channels: readonly string[];
  subs: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/** The topic an event belongs to, e.g. `T.AAPL`, `XT.BTC-USD`, `C.USD/CNH`. */
export function topicOf(event: Json): string | undefined {
  const ev = event['ev'];
  if (typeof ev !== 'string') return undefined;
  const sym = event['sym'] ?? event['pair'] ?? (ev === 'C' ? event['p'] : undefined);
  return typeof sym === 'string' ? `${ev}.${sym}` : undefined;
}

/** A reference-ticker row as /v3/reference/tickers lists it (PROTOCOL.md §3.7). */
function tickerListEntry(ticker: string, name: string, market: string): Json {
  return { ticker, name, market, locale: market === 'stocks' ? 'us' : 'global', type: market === 'stocks' ? 'CS' : undefined, active: true, currency_name: 'usd' };
}

function requestId(): string {
  return randomBytes(16).toString('hex');
}

const NS_PER_MS = 1_000_000n;

/**
 * A trades/quotes query's range [lo, hi) in ns, or what is wrong with it. A date is a UTC day
 * (unverified: Polygon's docs do not say whose day; paper-trader asks in ns).
 */
export function tickBounds(query: URLSearchParams): { lo?: bigint; hi?: bigint } | string {
  let lo: bigint | undefined;
  let hi: bigint | undefined;
  const tighten = (from: bigint | undefined, to: bigint | undefined): void => {
    if (from !== undefined && (lo === undefined || from > lo)) lo = from;
    if (to !== undefined && (hi === undefined || to < hi)) hi = to;
  };
  for (const [name, text] of query) {
    if (name !== 'timestamp' && !name.startsWith('timestamp.')) continue;
    const dayMs = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : undefined;
    if ((dayMs === undefined && !/^\d{1,19}$/.test(text)) || Number.isNaN(dayMs)) {
      return `Failed to parse query parameters from URL: ${name}: "${text}" is neither a date (YYYY-MM-DD) nor a nanosecond timestamp`;
    }
    const start = dayMs === undefined ? BigInt(text) : BigInt(dayMs) * NS_PER_MS;
    const end = dayMs === undefined ? start + 1n : start + 86_400_000n * NS_PER_MS;
    if (name === 'timestamp') tighten(start, end);
    else if (name === 'timestamp.gte') tighten(start, undefined);
    else if (name === 'timestamp.gt') tighten(end, undefined);
    else if (name === 'timestamp.lte') tighten(undefined, end);
    else if (name === 'timestamp.lt') tighten(undefined, start);
    else return `Failed to parse query parameters from URL: unknown parameter ${name}`;
  }
  return { ...(lo === undefined ? {} : { lo }), ...(hi === undefined ? {} : { hi }) };
}

/** JSON with bigints (nanosecond times) written as the exact integers Polygon sends. */
const NS_MARK = '#ns#';
const toJson = (body: unknown): string =>
  JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? `${NS_MARK}${value}` : value)).replace(/"#ns#(\d+)"/g, '$1');

export async function startFakePolygon(options: FakePolygonOptions = {}): Promise<FakePolygon> {
  const keys = new Map<string, Entitlements>(Object.entries(options.keys ?? { demo: FULL_PLAN }).map(([key, plans]) => [key, entitlementsOf(plans)]));
  const authTimeoutMs = options.authTimeoutMs ?? 10_000;
  const rate = options.rateLimit ?? { requests: 5, windowMs: 60_000 };
  const samplesDir = (options.samplesDir ?? DEFAULT_SAMPLES).replace(/\/?$/, '/');

  const sampleCache = new Map<string, Json>();
  const sample = (file: string): Json => {
    let body = sampleCache.get(file);
    if (!body) {
      body = JSON.parse(readFileSync(samplesDir + file, 'utf8')) as Json;
      sampleCache.set(file, body);
    }
    // Deep copy so handlers can edit freely.
    return structuredClone(body);
  };

  const requests: RequestLogEntry[] = [];
  const hits = new Map<string, number[]>();
  const conns = new Set<Conn>();
  let silentUntil = 0;
  let origin = '';
  let marketStatusFields: Json = {};
  let aggsDelayMs = 0;
  let broken: 'hang' | { retryAfterS: number } | undefined;
  let upcoming: object[] | undefined;
  /** ticker → bar start ms → REST aggregate result. */
  const minuteBars = new Map<string, Map<number, Json>>();
  const reference: Record<ReferenceKind, Json[]> = { splits: [...BUILT_IN_REFERENCE.splits], dividends: [...BUILT_IN_REFERENCE.dividends] };
  const addMinuteBars = (ticker: string, results: object[]): void => {
    const byStart = minuteBars.get(ticker) ?? new Map<number, Json>();
    minuteBars.set(ticker, byStart);
    for (const result of results as Json[]) byStart.set(Number(result['t']), result);
  };
  /** Remembers a streamed minute bar (AM, XA, CA) as the REST aggregate Polygon would serve later. */
  const keepStreamedBar = (event: Json): void => {
    const ev = event['ev'];
    let ticker: string;
    if (ev === 'AM' && typeof event['sym'] === 'string') ticker = event['sym'];
    else if (ev === 'XA' && typeof event['pair'] === 'string') ticker = `X:${event['pair'].replace('-', '')}`;
    else if (ev === 'CA' && typeof event['pair'] === 'string') ticker = `C:${event['pair'].replace('/', '')}`;
    else return;
    const { o, h, l, c, v, vw, s: start } = event;
    addMinuteBars(ticker, [{ v, vw, o, c, h, l, t: start, n: 1 }]);
  };

  // ---------- REST ----------

  const aggsFiles: Record<string, string> = {
    AAPL: 'rest-aggs-AAPL-day.json',
    'X:BTCUSD': 'rest-aggs-X-BTCUSD-day.json',
    'C:EURUSD': 'rest-aggs-C-EURUSD-day.json',
  };
  const snapshotFiles: Record<string, Record<string, string>> = {
    'us/stocks': { AAPL: 'rest-snapshot-stocks-AAPL.json' },
    'global/crypto': { 'X:BTCUSD': 'rest-snapshot-crypto-X-BTCUSD.json' },
    'global/forex': { 'C:EURUSD': 'rest-snapshot-forex-C-EURUSD.json' },
  };
  const notFound = (): [number, Json] => [404, { status: 'NOT_FOUND', request_id: requestId(), message: 'Data not found.' }];
  const withId = (body: Json): Json => ('request_id' in body ? { ...body, request_id: requestId() } : body);

  /** A from/to path parameter: a date (YYYY-MM-DD, UTC; `to` covers the whole day) or Unix ms. */
  const boundOf = (text: string | undefined, end: boolean): number => {
    if (text === undefined) return end ? Infinity : -Infinity;
    if (/^\d+$/.test(text)) return Number(text);
    const day = Date.parse(`${text}T00:00:00Z`);
    return end ? day + 86_400_000 - 1 : day;
  };

  function aggs(ticker: string, rest: string[], query: URLSearchParams): [number, Json] {
    const [multiplier, timespan, from, to] = rest;
    const kept = multiplier === '1' && timespan === 'minute' ? minuteBars.get(ticker) : undefined;
    // A next page's path starts at its first bar; its cursor carries the first request's start.
    const cursorText = query.get('cursor');
    const cursor = cursorText ? new URLSearchParams(Buffer.from(cursorText, 'base64url').toString('utf8')) : undefined;
    const firstFrom = cursor?.get('from') || from;
    const file = aggsFiles[ticker];
    const made = options.history === true && referenceList().some((row) => row['ticker'] === ticker);
    if (!file && !kept && !made) return [200, { ticker, queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: requestId() }];
    let body: Json;
    let all: Json[];
    if (made) {
      // Polygon has nothing after now; a minute it streamed is the bar it keeps (it replaces the made-up one).
      const [lo, hi] = [boundOf(firstFrom, false), Math.min(boundOf(to, true), Date.now())];
      const byStart = new Map(syntheticAggregates(ticker, Number(multiplier), timespan!, lo, hi).map((bar) => [bar['t']!, bar as Json]));
      for (const bar of kept?.values() ?? []) if (Number(bar['t']) >= lo && Number(bar['t']) <= hi) byStart.set(Number(bar['t']), bar);
      all = [...byStart.values()].sort((a, b) => Number(a['t']) - Number(b['t']));
      body = { ticker, adjusted: true, status: 'OK' };
    } else if (kept) {
      const [lo, hi] = [boundOf(firstFrom, false), boundOf(to, true)];
      all = [...kept.values()].filter((bar) => Number(bar['t']) >= lo && Number(bar['t']) <= hi).sort((a, b) => Number(a['t']) - Number(b['t']));
      body = { ticker, adjusted: true, status: 'OK' };
    } else {
      body = sample(file!);
      all = (body['results'] as Json[] | null | undefined) ?? [];
    }
    let limit = Number(query.get('limit') ?? 5000);
    let sort = query.get('sort') ?? 'asc';
    let offset = 0;
    if (cursor) {
      limit = Number(cursor.get('limit'));
      sort = cursor.get('sort') ?? 'asc';
      offset = Number(cursor.get('offset'));
    }
    if (!Number.isInteger(limit) || limit < 1) limit = 5000;
    if (sort === 'desc') all = [...all].reverse();
    const page = all.slice(offset, offset + limit);
    const out: Json = { ...body, ticker, queryCount: page.length, resultsCount: page.length, count: page.length, results: page, request_id: requestId() };
    delete out['next_url'];
    const next = all[offset + limit];
    if (next) {
      const c = Buffer.from(`limit=${limit}&sort=${sort}&offset=${offset + limit}&from=${firstFrom ?? ''}`).toString('base64url');
      out['next_url'] =
        `${origin}/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/${multiplier}/${timespan}/${String(next['t'])}/${to ?? from}?cursor=${c}`;
    }
    return [200, out];
  }

  /** A 400 as Polygon words a query it cannot parse (rest-error-400-bad-param.json). */
  const badParam = (error: string): [number, Json] => [400, { status: 'ERROR', request_id: requestId(), error }];

  /**
   * /v3/trades/{t} and /v3/quotes/{t} (Polygon's OpenAPI spec, client-js v8.2.0 src/openapi.json):
   * `timestamp` (a day or one ns), `timestamp.gte/gt/lte/lt`, `order` (default desc), `limit` (default
   * 1,000, at most 50,000), `sort=timestamp`; further pages by an opaque `cursor` in `next_url`
   * (massive.com/knowledge-base/article/how-do-i-page-through-all-the-trades-or-quotes-for-a-day).
   * Made-up history for every listed ticker, as for aggregates; nothing after now (for a delayed
   * plan, after 15 minutes ago).
   */
  function ticks(kind: TickKind, ticker: string, query: URLSearchParams, plan: Entitlements): [number, Json] {
    const listed = options.history === true && referenceList().some((row) => row['ticker'] === ticker);
    // Polygon keeps no quotes of crypto and no trades of forex: the spec has no such paths (unverified: what it answers there).
    if (!listed || !keepsTicks(ticker, kind)) return notFound();
    const cursorText = query.get('cursor');
    const asked = cursorText ? new URLSearchParams(Buffer.from(cursorText, 'base64url').toString('utf8')) : query;
    const offset = Number(asked.get('offset') ?? 0);
    const limit = Number(asked.get('limit') ?? 1000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 50_000) return badParam(`limit must be between 1 and 50000, got ${asked.get('limit')}`);
    const order = asked.get('order') ?? 'desc';
    if (order !== 'asc' && order !== 'desc') return badParam(`order must be asc or desc, got ${order}`);
    if ((asked.get('sort') ?? 'timestamp') !== 'timestamp') return badParam(`sort must be timestamp, got ${asked.get('sort')}`);
    const bounds = tickBounds(asked);
    if (typeof bounds === 'string') return badParam(bounds);
    const nowNs = BigInt(Date.now() - (isDelayedStocks(plan) && !/^(X|C):/.test(ticker) ? DELAY_MS : 0)) * 1_000_000n;
    const [lo, hi] = [bounds.lo ?? nowNs - 86_400_000_000_000n, bounds.hi === undefined || bounds.hi > nowNs ? nowNs : bounds.hi];
    let rows = lo < hi ? syntheticTicks(ticker, kind, lo, hi) : [];
    if (order === 'desc') rows = rows.reverse();
    const page = rows.slice(offset, offset + limit);
    const out: Json = { results: page, status: 'OK', request_id: requestId() };
    if (offset + limit < rows.length) {
      const next = new URLSearchParams(asked);
      next.set('offset', String(offset + limit));
      out['next_url'] = `${origin}/v3/${kind}/${encodeURIComponent(ticker)}?cursor=${Buffer.from(next.toString()).toString('base64url')}`;
    }
    return [200, out];
  }

  /** Every ticker the reference data lists: the recorded pages, AAPL, and REFERENCE_TICKERS. */
  function referenceList(): Json[] {
    return [
      ...(sample('rest-tickers-list-page1.json')['results'] as Json[]),
      ...(sample('rest-tickers-list-docs-example.json')['results'] as Json[]),
      tickerListEntry('AAPL', 'Apple Inc.', 'stocks'),
      ...REFERENCE_TICKERS.map((t) => tickerListEntry(t.ticker, t.name, t.market)),
    ];
  }

  function route(segs: string[], query: URLSearchParams, plan: Entitlements): [number, Json] {
    const p = segs.join('/');
    // /v2/aggs/ticker/{t}/range/{m}/{timespan}/{from}/{to}
    if (segs[0] === 'v2' && segs[1] === 'aggs' && segs[2] === 'ticker' && segs[3] !== undefined) {
      const t = segs[3];
      if (segs[4] === 'range' && segs.length === 9) return aggs(t, segs.slice(5), query);
      if (segs[4] === 'prev' && segs.length === 5) {
        return t === 'AAPL' ? [200, withId(sample('rest-prev-AAPL.json'))] : [200, { ticker: t, queryCount: 0, resultsCount: 0, adjusted: true, status: 'OK', request_id: requestId() }];
      }
    }
    if (segs[0] === 'v3' && (segs[1] === 'trades' || segs[1] === 'quotes') && segs.length === 3) return ticks(segs[1], segs[2]!, query, plan);
    if (p === 'v2/last/trade/AAPL') return [200, withId(sample('rest-last-trade-AAPL.json'))];
    if (p === 'v2/last/nbbo/AAPL') return [200, withId(sample('rest-last-nbbo-AAPL.json'))];
    if (segs[0] === 'v2' && segs[1] === 'last' && segs.length === 4) return notFound();
    // /v2/snapshot/locale/{us|global}/markets/{market}/tickers/{t}
    if (segs[0] === 'v2' && segs[1] === 'snapshot' && segs[2] === 'locale' && segs[4] === 'markets' && segs[6] === 'tickers' && segs.length === 8) {
      const file = snapshotFiles[`${segs[3]}/${segs[5]}`]?.[segs[7] ?? ''];
      if (!file) return notFound();
      const body = withId(sample(file));
      if (segs[5] === 'stocks') {
        const t = body['ticker'] as Json;
        const shown = snapshotFields(plan);
        if (!shown.lastTrade) delete t['lastTrade'];
        if (!shown.lastQuote) delete t['lastQuote'];
        // Delayed plans' bodies say so (docs/polygon-plans.md §1.3).
        if (isDelayedStocks(plan)) body['status'] = 'DELAYED';
      }
      return [200, body];
    }
    if (p === 'v3/reference/splits' || p === 'v3/reference/dividends') {
      const kind = segs[2] as ReferenceKind;
      return referencePage(kind, reference[kind], query, origin, requestId());
    }
    if (p === 'v3/reference/tickers') {
      const list = referenceList();
      const seen = new Set<string>();
      const search = (query.get('search') ?? '').toLowerCase();
      const market = query.get('market');
      const limit = Number(query.get('limit') ?? 100) || 100;
      const results = list
        .filter((r) => {
          const key = `${String(r['ticker'])}|${String(r['composite_figi'])}`;
          if (seen.has(key)) return false;
          seen.add(key);
          return true;
        })
        .filter((r) => !market || r['market'] === market)
        .filter((r) => !query.get('ticker') || r['ticker'] === query.get('ticker'))
        .filter((r) => !search || String(r['ticker']).toLowerCase().includes(search) || String(r['name']).toLowerCase().includes(search))
        .slice(0, limit);
      return [200, { results, status: 'OK', request_id: requestId(), count: results.length }];
    }
    if (segs[0] === 'v3' && segs[1] === 'reference' && segs[2] === 'tickers' && segs.length === 4) {
      if (segs[3] === 'AAPL') return [200, withId(sample('rest-ticker-AAPL.json'))];
      // Case-sensitive, as Polygon's: AMpB is not AMPB. Every listed ticker has its details.
      const known = referenceList().find((row) => row['ticker'] === segs[3]);
      if (!known) return [404, withId(sample('rest-ticker-not-found.json'))];
      return [200, { results: { ...known, locale: known['market'] === 'stocks' ? 'us' : 'global' }, status: 'OK', request_id: requestId() }];
    }
    // A bare array, no status or request_id (docs/polygon-plans.md §6).
    if (p === 'v1/marketstatus/upcoming') return [200, (upcoming ?? sample('rest-market-upcoming.json')) as unknown as Json];
    if (p === 'v1/marketstatus/now') return [200, { ...sample('rest-market-status.json'), ...marketStatusFields }];
    if (p === 'v1/last/crypto/BTC/USD') return [200, withId(sample('rest-last-crypto-BTC-USD.json'))];
    if (p === 'v1/last_quote/currencies/AUD/USD') return [200, withId(sample('rest-last-quote-forex-AUD-USD.json'))];
    if (p === 'v1/conversion/AUD/USD') return [200, withId(sample('rest-conversion-AUD-USD.json'))];
    return notFound();
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const queryKey = url.searchParams.get('apiKey');
    url.searchParams.delete('apiKey');
    const loggedPath = url.pathname + (url.searchParams.size > 0 ? `?${url.searchParams.toString()}` : '');
    const header = req.headers.authorization;
    const bearer = header && /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, '').trim() : undefined;
    // The header wins when both are present (PROTOCOL.md §1, unverified precedence).
    const key = bearer ?? queryKey ?? undefined;
    const auth: RequestLogEntry['auth'] = bearer !== undefined ? 'bearer' : queryKey !== null ? 'query' : 'none';

    const send = (status: number, body: Json): void => {
      requests.push({ method: req.method ?? 'GET', path: loggedPath, status, auth });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(toJson(body));
    };

    if (broken === 'hang') {
      requests.push({ method: req.method ?? 'GET', path: loggedPath, status: 0, auth });
      return;
    }
    if (broken) {
      requests.push({ method: req.method ?? 'GET', path: loggedPath, status: 429, auth });
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(broken.retryAfterS) });
      res.end(JSON.stringify(withId(sample('rest-error-429.json'))));
      return;
    }
    if (!key) return send(401, withId(sample('rest-error-401-no-key.json')));
    const plan = keys.get(key);
    if (!plan) return send(401, withId(sample('rest-error-401.json')));
    if (rateLimited(plan)) {
      const now = Date.now();
      const recent = (hits.get(key) ?? []).filter((t) => now - t < rate.windowMs);
      hits.set(key, recent);
      if (recent.length >= rate.requests) return send(429, withId(sample('rest-error-429.json')));
      recent.push(now);
    }
    let segs: string[];
    try {
      segs = url.pathname.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    } catch {
      return send(400, withId(sample('rest-error-400-bad-param.json')));
    }
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    const range = segs[1] === 'aggs' && segs[4] === 'range';
    // A next page's path starts at its first bar; the plan judges the range first asked for (the cursor's from).
    const cursorText = url.searchParams.get('cursor');
    const cursorFrom = new URLSearchParams(Buffer.from(cursorText ?? '', 'base64url').toString('utf8')).get('from') || undefined;
    // A trades or quotes query: the plan judges its earliest time (every page's cursor holds the first query).
    const tickQuery = segs[0] === 'v3' && (segs[1] === 'trades' || segs[1] === 'quotes') ? tickBounds(cursorText ? new URLSearchParams(Buffer.from(cursorText, 'base64url').toString('utf8')) : url.searchParams) : undefined;
    const tickFrom = typeof tickQuery === 'object' && tickQuery.lo !== undefined ? Number(tickQuery.lo / NS_PER_MS) : undefined;
    const refusal = restRefusal(plan, url.pathname, today, range ? boundOf(segs[8], true) : undefined, range ? boundOf(cursorFrom ?? segs[7], false) : tickFrom);
    if (refusal) return send(403, withId(sample(refusal === 'plan' ? 'rest-error-403.json' : 'rest-error-403-timeframe.json')));
    const [status, body] = route(segs, url.searchParams, plan);
    // Answered when asked, but sent late: what the client sees of a slow Polygon.
    if (aggsDelayMs > 0 && segs[1] === 'aggs') setTimeout(() => send(status, body), aggsDelayMs);
    else send(status, body);
  }

  // ---------- WebSocket ----------

  const frame = (events: readonly object[]): string => JSON.stringify(events);

  function onConnection(ws: WebSocket, cluster: Cluster, delayed: boolean): void {
    const conn: Conn = { ws, cluster, delayed, key: undefined, authed: false, channels: [], subs: new Set(), timer: undefined };
    conns.add(conn);
    ws.send(frame([STATUS.connected]));
    conn.timer = setTimeout(() => {
      if (conn.authed || ws.readyState !== WebSocket.OPEN) return;
      ws.send(frame([STATUS.authTimeout]));
      ws.close(1000);
    }, authTimeoutMs);
    ws.on('close', () => {
      clearTimeout(conn.timer);
      conns.delete(conn);
    });
    ws.on('error', () => undefined);
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      let msg: { action?: unknown; params?: unknown };
      try {
        msg = JSON.parse(isBinary ? data.toString() : String(data)) as typeof msg;
      } catch {
        ws.send(frame([{ ev: 'status', status: 'error', message: 'invalid message' }]));
        return;
      }
      const params = typeof msg.params === 'string' ? msg.params : '';
      if (msg.action === 'auth') {
        if (conn.authed) return;
        const plan = keys.get(params);
        const access = plan ? streamAccess(plan, cluster, delayed) : { refused: STATUS.authFailed.message };
        if ('refused' in access) {
          ws.send(frame([{ ...STATUS.authFailed, message: access.refused }]));
          ws.close(1000);
          return;
        }
        conn.channels = access.channels;
        clearTimeout(conn.timer);
        // One connection per cluster per key: the OLDER socket is evicted.
        for (const other of conns) {
          if (other !== conn && other.authed && other.cluster === cluster && other.delayed === delayed && other.key === params) {
            other.ws.send(frame([STATUS.maxConnections]));
            other.ws.close(1000);
            other.authed = false;
          }
        }
        conn.authed = true;
        conn.key = params;
        ws.send(frame([STATUS.authSuccess]));
        return;
      }
      if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
        if (!conn.authed) {
          ws.send(frame([STATUS.notAuthorized]));
          return;
        }
        const topics = params.split(',').map((t) => t.trim()).filter((t) => t !== '');
        for (const topic of topics) {
          // A channel the plan lacks (Q on a delayed plan, T on Starter): refused, nothing streams (docs/polygon-plans.md §3 row 6).
          if (msg.action === 'subscribe' && !conn.channels.includes(topic.split('.')[0] ?? '')) {
            ws.send(frame([STATUS.notAuthorized]));
            continue;
          }
          if (msg.action === 'subscribe') conn.subs.add(topic);
          else conn.subs.delete(topic);
          ws.send(frame([{ ev: 'status', status: 'success', message: `${msg.action}d to: ${topic}` }]));
        }
        return;
      }
      ws.send(frame([{ ev: 'status', status: 'error', message: 'unknown action' }]));
    });
  }

  const wss = new WebSocketServer({ noServer: true });
  const server = createServer(handle);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/+|\/+$/g, '');
    const delayed = path.startsWith('delayed/');
    const cluster = delayed ? path.slice('delayed/'.length) : path;
    // The delayed host serves stocks only: crypto and forex are real time (docs/polygon-plans.md §2).
    if (!(CLUSTERS as readonly string[]).includes(cluster) || (delayed && cluster !== 'stocks')) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, cluster as Cluster, delayed));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const open = (cluster?: Cluster): Conn[] =>
    [...conns].filter((c) => (cluster === undefined || c.cluster === cluster) && c.ws.readyState === WebSocket.OPEN);

  const push = (cluster: Cluster, events: object[]): number => {
    for (const event of events) keepStreamedBar(event as Json);
    if (Date.now() < silentUntil) return 0;
    let sent = 0;
    for (const c of open(cluster)) {
      if (!c.authed) continue;
      const mine = events.filter((e) => {
        const ev = e as Json;
        if (ev['ev'] === 'status') return true;
        const topic = topicOf(ev);
        return topic !== undefined && (c.subs.has(topic) || c.subs.has(`${String(ev['ev'])}.*`));
      });
      if (mine.length === 0) continue;
      c.ws.send(frame(c.delayed ? mine.map(delayedCopy) : mine));
      sent++;
    }
    return sent;
  };

  return {
    port,
    restUrl: origin,
    wsUrl: `ws://127.0.0.1:${port}`,
    delayedWsUrl: `ws://127.0.0.1:${port}/delayed`,
    requests,
    push,
    addMinuteBars,
    addReference(kind, rows) {
      reference[kind].push(...(rows as Json[]));
    },
    setAggsDelay(ms) {
      aggsDelayMs = ms;
    },
    revokeKey(key) {
      keys.delete(key);
    },
    setUpcoming(entries) {
      upcoming = entries;
    },
    breakRest(mode) {
      broken = mode;
    },
    setMarketStatus(fields) {
      marketStatusFields = { ...marketStatusFields, ...(fields as Json) };
    },
    replaySample(cluster, file) {
      let frames = 0;
      for (const line of readFileSync(samplesDir + file, 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        const events = JSON.parse(line) as Json[];
        if (events.every((e) => e['ev'] === 'status')) continue;
        if (push(cluster, events) > 0) frames++;
      }
      return frames;
    },
    dropConnections(cluster) {
      for (const c of open(cluster)) c.ws.terminate();
    },
    goSilent(ms) {
      silentUntil = Date.now() + ms;
    },
    sendRaw(cluster, text) {
      if (Date.now() < silentUntil) return;
      for (const c of open(cluster)) c.ws.send(text);
    },
    connections: (cluster) => open(cluster).length,
    async close() {
      for (const c of conns) {
        clearTimeout(c.timer);
        c.ws.terminate();
      }
      conns.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
