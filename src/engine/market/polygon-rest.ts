import { redactKey } from '../redact.ts';
import { restClient } from '@polygon.io/client-js';
import type {
  ListDividendsOrderEnum,
  ListDividendsSortEnum,
  ListStockSplitsOrderEnum,
  ListStockSplitsSortEnum,
  DefaultApi,
  GetCryptoAggregatesSortEnum,
  GetCryptoAggregatesTimespanEnum,
  GetForexAggregatesSortEnum,
  GetForexAggregatesTimespanEnum,
  GetStocksAggregatesSortEnum,
  GetStocksAggregatesTimespanEnum,
} from '@polygon.io/client-js';
import {
  barsFromAggs,
  holidaysFrom,
  marketStatusFrom,
  PolygonDataError,
  PolygonError,
  type PolygonErrorKind,
  quoteFromNbbo,
  tickerDetailsFrom,
  tradeFromLast,
  unexpectedPayload,
} from './polygon-schema.ts';
import type { PolygonMarketStatus } from './polygon-schema.ts';
import { snapshotFrom, type SymbolSnapshot } from './polygon-snapshot.ts';
import { RequestBudget } from './request-budget.ts';
import { dividendsFrom, splitsFrom } from './polygon-corporate-actions.ts';
import type { DividendEvent, SplitEvent } from '../portfolio/corporate-actions.ts';
import { assetClassOf } from './symbols.ts';
import type { AssetClass, Bar, Quote, TickerMatch, Trade } from './types.ts';
import { escapeControls } from '../printable.ts';

// Polygon REST through @polygon.io/client-js 8.2 (PROTOCOL.md §4): pagination on, every failure turned
// into a PolygonError with one clear line that never contains the API key.

export { PolygonDataError, PolygonError, type PolygonErrorKind };

export type Timespan = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface BarsRequest {
  multiplier: number;
  timespan: Timespan;
  /** YYYY-MM-DD or Unix ms; both ends inclusive. */
  from: string | number;
  to: string | number;
  /** Base aggregates per page (Polygon default 5000, max 50000). */
  limit?: number;
  adjusted?: boolean;
}

export interface PolygonRestOptions {
  apiKey: string;
  /** REST base, e.g. https://api.polygon.io or http://127.0.0.1:PORT. */
  baseUrl?: string;
  /** Attempts in all for a 429 or 5xx reply (default 4). */
  maxAttempts?: number;
  /** First backoff delay; doubles each retry (default 1000 ms). A Retry-After header wins. */
  retryBaseMs?: number;
  /** Told before each retry, e.g. to show "Polygon rate limit reached (429): retrying in 2 s". */
  onRetry?: (error: PolygonError, delayMs: number) => void;
  /** An attempt that has no answer after this long fails (default 10 s): a hung REST never holds anything up for good. */
  timeoutMs?: number;
  /** The plan's REST rate, kept on this side (the free plan: 5). Default unlimited, until a 429 shows the limit. */
  requestsPerMinute?: number;
  /** The window the rate counts over (default Polygon's minute). */
  rateWindowMs?: number;
  /** The rate a 429 without Retry-After implies, when none is set: 5, the free plans', the only ones Polygon limits. */
  rateOn429?: number;
  /** Told before a request waits for the budget: how long, and what for. */
  onWait?: (ms: number, what: string) => void;
  /** Told of every HTTP request made (pages too): its path and query without the key, its status (0: no answer) and time. */
  onRequest?: (request: { path: string; status: number; ms: number }) => void;
}

/** What of client-js's axios instance (a protected field) the request log needs. */
interface HttpInstance {
  interceptors: {
    request: { use(onFulfilled: (config: TimedConfig) => TimedConfig): void };
    response: { use(onFulfilled: undefined, onRejected: (error: AxiosLike & { config?: TimedConfig }) => Promise<never>): void };
  };
  defaults: { transformResponse?: unknown };
  get(url: string, config: { params: Record<string, string>; transformResponse: unknown[] }): Promise<unknown>;
}
interface TimedConfig {
  url?: string;
  startedAt?: number;
}

/** Trades or quotes: what /v3/trades and /v3/quotes keep of every print and every NBBO change. */
export type TickKind = 'trades' | 'quotes';

/** A trades or quotes row as Polygon sends it, its nanosecond times as strings (exact: they pass 2^53). */
export type TickRow = Record<string, unknown>;

/** Rows a page of trades or quotes holds: Polygon's most. */
const TICKS_A_PAGE = 50_000;

/** Nanosecond times as JSON strings before the body is parsed: a double would round them to 256 ns. */
const quoteNanos = (text: unknown): unknown =>
  typeof text === 'string' ? text.replace(/"(sip_timestamp|participant_timestamp|trf_timestamp)":(\d+)/g, '"$1":"$2"') : text;

/** Thrown by an attempt Polygon did not answer in time. */
class RequestTimeout extends Error {}

const DEFAULT_BASE = 'https://api.polygon.io';


const FIXED_SPAN_MS: Partial<Record<Timespan, number>> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};
const MONTHS: Partial<Record<Timespan, number>> = { month: 1, quarter: 3, year: 12 };

/** End of a bar starting at `start` (calendar-aware for month/quarter/year). */
export function barEnd(start: number, multiplier: number, timespan: Timespan): number {
  const fixed = FIXED_SPAN_MS[timespan];
  if (fixed !== undefined) return start + fixed * multiplier;
  const d = new Date(start);
  d.setUTCMonth(d.getUTCMonth() + (MONTHS[timespan] ?? 1) * multiplier);
  return d.getTime();
}

interface AxiosLike {
  response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  code?: string;
  message?: string;
}


export class PolygonRest {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly client: DefaultApi;
  private readonly onePage: DefaultApi;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly onRetry: ((error: PolygonError, delayMs: number) => void) | undefined;
  private readonly timeoutMs: number;
  private readonly rateOn429: number;
  /** Waits under way (the budget's, a retry's backoff), so stopping can end them. */
  private readonly waits = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();
  private readonly onWait: ((ms: number, what: string) => void) | undefined;
  /** Every request of this client, whoever asks, comes out of one budget. */
  readonly budget: RequestBudget;

  constructor(options: PolygonRestOptions) {
    this.apiKey = options.apiKey;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE).replace(/\/+$/, '');
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.retryBaseMs = options.retryBaseMs ?? 1000;
    this.onRetry = options.onRetry;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.budget = new RequestBudget(options.requestsPerMinute, options.rateWindowMs, (ms) => this.sleep(ms));
    this.rateOn429 = options.rateOn429 ?? 5;
    this.onWait = options.onWait;
    this.client = restClient(this.apiKey, this.baseUrl, { pagination: true });
    // Searches read one page: following every page of a broad search could take hundreds of requests.
    this.onePage = restClient(this.apiKey, this.baseUrl);
    if (options.onRequest) {
      this.logRequests(this.client, options.onRequest);
      this.logRequests(this.onePage, options.onRequest);
    }
  }

  /** Ends every wait under way (for the rate budget, a retry's backoff): their requests fail unsent, so nothing keeps a stopped process alive. */
  cancelWaits(): void {
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.reject(new PolygonError(0, 'network', 'not sent: paper-trader stopped waiting for Polygon'));
    }
    this.waits.clear();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const wait = {
        timer: setTimeout(() => {
          this.waits.delete(wait);
          resolve();
        }, ms),
        reject,
      };
      this.waits.add(wait);
    });
  }

  /** Up to `limit` active tickers whose symbol or name contains `text` (Polygon's search; one page). */
  async searchTickers(text: string, limit = 50): Promise<string[]> {
    return (await this.findTickers(text, limit)).map((match) => match.symbol);
  }

  /** Active tickers whose ticker or name holds `text`, with their names (/v3/reference/tickers?search=). */
  async findTickers(text: string, limit = 50): Promise<TickerMatch[]> {
    const body = await this.call('ticker search', undefined, () =>
      this.onePage.listTickers(undefined, undefined, undefined, undefined, undefined, undefined, undefined, text, true, undefined, undefined, undefined, undefined, undefined, limit),
    );
    const results = (body as { results?: unknown } | undefined)?.results;
    if (!Array.isArray(results)) return [];
    return results.flatMap((row) => {
      const { ticker, name } = row as { ticker?: unknown; name?: unknown };
      return typeof ticker === 'string' ? [{ symbol: ticker, name: typeof name === 'string' ? escapeControls(name) : '' }] : [];
    });
  }

  /**
   * Times every request on client-js's own axios instance. A response (any status) is seen by a
   * transformResponse, which gets the request's config and status; client-js's pagination
   * interceptor hands later interceptors the body only. A request with no answer is seen on the way out.
   */
  private logRequests(client: DefaultApi, onRequest: NonNullable<PolygonRestOptions['onRequest']>): void {
    const http = (client as unknown as { axios?: HttpInstance }).axios;
    if (!http) return;
    const tell = (config: TimedConfig | undefined, status: number): void =>
      onRequest({ path: this.pathOf(config?.url), status, ms: config?.startedAt === undefined ? 0 : Math.round(performance.now() - config.startedAt) });
    http.interceptors.request.use((config) => {
      config.startedAt = performance.now();
      return config;
    });
    const existing = http.defaults.transformResponse;
    http.defaults.transformResponse = [
      ...(Array.isArray(existing) ? existing : existing ? [existing] : []),
      function (this: TimedConfig, data: unknown, _headers: unknown, status?: number) {
        tell(this, status ?? 0);
        return data;
      },
    ];
    http.interceptors.response.use(undefined, (error) => {
      if (!error.response) tell(error.config, 0);
      return Promise.reject(error);
    });
  }

  /** A request's path and query, without the key and the host. */
  private pathOf(url: string | undefined): string {
    if (!url) return '?';
    try {
      const parsed = new URL(url, this.baseUrl);
      parsed.searchParams.delete('apiKey');
      const query = parsed.searchParams.toString();
      return redactKey(parsed.pathname + (query ? `?${query}` : ''), this.apiKey);
    } catch {
      return redactKey(url.replace(/[?&]apiKey=[^&]*/, ''), this.apiKey);
    }
  }

  /** Bars sorted by start ascending, one per start (client-js puts later pages first; pages may overlap). */
  async bars(symbol: string, request: BarsRequest): Promise<Bar[]> {
    const { multiplier, timespan, limit, adjusted = true } = request;
    const from = String(request.from);
    const to = String(request.to);
    // `what` names the data; the symbol goes into each message once, by call().
    const body = await this.call('aggregates', symbol, () =>
      perAssetClass<Promise<unknown>>(symbol, {
        stock: () => this.client.getStocksAggregates(symbol, multiplier, timespan as GetStocksAggregatesTimespanEnum, from, to, adjusted, 'asc' as GetStocksAggregatesSortEnum, limit),
        crypto: () => this.client.getCryptoAggregates(symbol, multiplier, timespan as GetCryptoAggregatesTimespanEnum, from, to, adjusted, 'asc' as GetCryptoAggregatesSortEnum, limit),
        forex: () => this.client.getForexAggregates(symbol, multiplier, timespan as GetForexAggregatesTimespanEnum, from, to, adjusted, 'asc' as GetForexAggregatesSortEnum, limit),
      }),
    );
    const byStart = new Map<number, Bar>();
    for (const bar of barsFromAggs(symbol, body, (start) => barEnd(start, multiplier, timespan))) {
      if (!byStart.has(bar.start)) byStart.set(bar.start, bar);
    }
    return [...byStart.values()].sort((a, b) => a.start - b.start);
  }

  /**
   * Every trade or quote of `symbol` from `fromNs` to before `toNs`, oldest first, a page at a time
   * to `onPage`: a day of a busy stock's quotes is millions of rows, never all in memory. Pages come
   * through client-js's own HTTP client but not its pagination, which holds every page at once (and
   * later pages first). A next page is asked of this client's host, whatever host `next_url` names:
   * the key goes nowhere else.
   */
  async ticks(symbol: string, kind: TickKind, fromNs: bigint, toNs: bigint, onPage: (rows: readonly TickRow[]) => void | Promise<void>, pageSize = TICKS_A_PAGE): Promise<void> {
    const http = (this.onePage as unknown as { axios: HttpInstance }).axios;
    const parse = [quoteNanos, ...[http.defaults.transformResponse ?? []].flat()];
    let path = `/v3/${kind}/${encodeURIComponent(symbol)}?timestamp.gte=${fromNs}&timestamp.lt=${toNs}&order=asc&sort=timestamp&limit=${pageSize}`;
    for (;;) {
      const url = this.baseUrl + path;
      const body = await this.call(kind, symbol, () => http.get(url, { params: { apiKey: this.apiKey }, transformResponse: parse }));
      const { results, next_url: next } = (body ?? {}) as { results?: unknown; next_url?: unknown };
      // Polygon leaves `results` out of a page with none.
      if (results !== undefined && !Array.isArray(results)) throw unexpectedPayload(kind, symbol, '"results" is not a list');
      const rows = (results ?? []) as TickRow[];
      if (rows.length > 0) await onPage(rows);
      if (typeof next !== 'string' || rows.length === 0) return;
      const nextUrl = new URL(next, this.baseUrl);
      nextUrl.searchParams.delete('apiKey');
      path = nextUrl.pathname + nextUrl.search;
    }
  }

  /** The previous session's daily bar: what every plan, the free one too, may read of a symbol. */
  async previousClose(symbol: string): Promise<Bar | undefined> {
    const body = await this.call('previous close', symbol, () =>
      perAssetClass<Promise<unknown>>(symbol, {
        stock: () => this.client.getPreviousStocksAggregates(symbol),
        crypto: () => this.client.getPreviousCryptoAggregates(symbol),
        forex: () => this.client.getPreviousForexAggregates(symbol),
      }),
    );
    return barsFromAggs(symbol, body, (start) => barEnd(start, 1, 'day')).at(-1);
  }

  /** A symbol's snapshot: what the plan shows of its last trade and quote, and the previous close. */
  async snapshot(symbol: string): Promise<SymbolSnapshot> {
    const body = await this.call('snapshots', symbol, () =>
      perAssetClass<Promise<unknown>>(symbol, {
        stock: () => this.client.getStocksSnapshotTicker(symbol),
        crypto: () => this.client.getCryptoSnapshotTicker(symbol),
        forex: () => this.client.getForexSnapshotTicker(symbol),
      }),
    );
    return snapshotFrom(symbol, body);
  }

  async lastQuote(symbol: string): Promise<Quote> {
    const body = await this.call('last NBBO quotes', symbol, () => this.client.getLastStocksQuote(symbol));
    return quoteFromNbbo(symbol, body);
  }

  async lastTrade(symbol: string): Promise<Trade> {
    const body = await this.call('last trades', symbol, () => this.client.getLastStocksTrade(symbol));
    return tradeFromLast(symbol, body);
  }

  /** True when Polygon knows the ticker; false on 404. Other failures throw. */
  async tickerExists(symbol: string): Promise<boolean> {
    try {
      const body = await this.call('ticker details', symbol, () => this.client.getTicker(symbol));
      tickerDetailsFrom(symbol, body);
      return true;
    } catch (error) {
      if (error instanceof PolygonError && error.kind === 'not_found') return false;
      throw error;
    }
  }

  /** A stock's splits executed from `from` through `to` (YYYY-MM-DD), every page. */
  async splits(symbol: string, from: string, to: string): Promise<SplitEvent[]> {
    const body = await this.call('splits', symbol, () =>
      this.client.listStockSplits(symbol, undefined, undefined, undefined, undefined, undefined, undefined, from, undefined, to, undefined, 'asc' as ListStockSplitsOrderEnum, 1000, 'execution_date' as ListStockSplitsSortEnum),
    );
    return splitsFrom(symbol, body);
  }

  /** A stock's cash dividends going ex from `from` through `to` (YYYY-MM-DD), every page. */
  async dividends(symbol: string, from: string, to: string): Promise<DividendEvent[]> {
    const none = undefined;
    const body = await this.call('dividends', symbol, () =>
      this.client.listDividends(
        symbol, none, none, none, none, none, none, none, none, none, none, none, from, none, to, none,
        none, none, none, none, none, none, none, none, none, none, none, none, none, none, none, none,
        'asc' as ListDividendsOrderEnum, 1000, 'ex_dividend_date' as ListDividendsSortEnum,
      ),
    );
    return dividendsFrom(symbol, body);
  }

  /** Holidays and early closes ahead, by New York date. */
  async upcomingHolidays(): Promise<ReturnType<typeof holidaysFrom>> {
    const body = await this.call('upcoming market status', undefined, () => this.client.getMarketHolidays());
    return holidaysFrom(body);
  }

  async marketStatus(): Promise<PolygonMarketStatus> {
    const body = await this.call('market status', undefined, () => this.client.getMarketStatus());
    return marketStatusFrom(body);
  }

  /** Runs one client-js call, retrying 429/5xx with exponential backoff, and translates failures. */
  private async call(what: string, symbol: string | undefined, run: () => Promise<unknown>): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.budget.take((ms) => this.onWait?.(ms, symbol ? `${what} of ${symbol}` : what));
        return await this.inTime(run());
      } catch (raw) {
        if (raw instanceof PolygonDataError) throw raw;
        if (raw instanceof RequestTimeout) {
          throw new PolygonError(0, 'network', `Polygon did not answer the request for ${what}${symbol ? ` of ${symbol}` : ''} within ${secondsText(this.timeoutMs)} s`);
        }
        // client-js's pagination hook throws a TypeError when a page lacks `results`: a payload problem, not the network.
        if (raw instanceof TypeError && (raw as AxiosLike).response === undefined && (raw as AxiosLike).code === undefined) {
          throw unexpectedPayload(what, symbol, redactKey(oneLine(raw.message), this.apiKey));
        }
        const retryable = this.retryable(raw);
        // A 429 without Retry-After (Polygon sends none) means the key's window is full, maybe from
        // another process on the same key: the budget takes the limited plan's rate and waits a window.
        const learned = retryable?.status === 429 && retryable.retryAfterMs === undefined;
        if (learned) {
          const first = this.budget.perMinute === undefined;
          this.budget.perMinute ??= this.rateOn429;
          this.budget.saturate();
          if (!first && attempt < this.maxAttempts) {
            this.onRetry?.(new PolygonError(429, 'rate_limited', `Polygon rate limit reached (429) again: the key is shared, or the plan's rate is lower: waiting a whole window`), 0);
            continue;
          }
        }
        if (retryable !== undefined && attempt < this.maxAttempts) {
          const delay = retryable.retryAfterMs ?? (learned ? 0 : this.retryBaseMs * 2 ** (attempt - 1));
          const seconds = Math.max(1, Math.ceil(delay / 1000));
          const status = retryable.status;
          const notice = learned
            ? new PolygonError(429, 'rate_limited', `Polygon rate limit reached (429): keeping to ${this.budget.perMinute} requests ${this.budget.windowMs === 60_000 ? 'a minute' : `per ${secondsText(this.budget.windowMs)} s`} from now on, so requests wait their turn`)
            : status === 429
              ? new PolygonError(429, 'rate_limited', `Polygon rate limit reached (429): retrying in ${seconds} s`)
              : new PolygonError(status, 'server', `Polygon server error (${status}): retrying in ${seconds} s`);
          this.onRetry?.(notice, delay);
          await this.sleep(delay);
          continue;
        }
        throw this.translate(raw, what, symbol, attempt);
      }
    }
  }

  /** The request's answer, or a RequestTimeout once timeoutMs pass (the request itself is left to finish or fail unheard). */
  private inTime<T>(request: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RequestTimeout()), this.timeoutMs);
      timer.unref?.();
    });
    request.catch(() => undefined);
    return Promise.race([request, timeout]).finally(() => clearTimeout(timer));
  }

  private retryable(raw: unknown): { status: number; retryAfterMs: number | undefined } | undefined {
    const status = (raw as AxiosLike | undefined)?.response?.status;
    if (status !== 429 && !(status !== undefined && status >= 500)) return undefined;
    const header = (raw as AxiosLike).response?.headers?.['retry-after'];
    const seconds = Number(header);
    return { status, retryAfterMs: header !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined };
  }

  private translate(raw: unknown, what: string, symbol: string | undefined, attempts: number): PolygonError {
    const err = (raw ?? {}) as AxiosLike;
    const make = (status: number, kind: PolygonErrorKind, message: string): PolygonError =>
      new PolygonError(status, kind, redactKey(oneLine(message), this.apiKey));
    const status = err.response?.status;
    if (status === undefined) {
      const code = err.code ?? (raw instanceof Error ? raw.message : String(raw));
      return make(0, 'network', `cannot reach Polygon at ${this.publicBase()}: ${code}`);
    }
    const server = serverText(err.response?.data);
    switch (true) {
      case status === 401:
        return make(401, 'auth', `Polygon rejected the API key (401). Set POLYGON_API_KEY or run 'paper-trader config set apiKey'.`);
      case status === 403:
        return make(403, 'plan', `Your Polygon plan does not include ${what} (403): ${withoutUrl(server) || 'not authorized'}`);
      case status === 404:
        return make(404, 'not_found', symbol ? `Unknown symbol "${symbol}"` : `Polygon has no ${what} (404)`);
      case status === 429:
        return make(429, 'rate_limited', `Polygon rate limit reached (429): gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}`);
      case status >= 500:
        return make(status, 'server', `Polygon server error (${status})${server ? `: ${withoutUrl(server)}` : ''}`);
      default:
        return make(status, 'bad_request', `Polygon rejected the request for ${what} (${status})${server ? `: ${server}` : ''}`);
    }
  }

  private publicBase(): string {
    try {
      const url = new URL(this.baseUrl);
      return redactKey(url.origin + url.pathname.replace(/\/+$/, ''), this.apiKey);
    } catch {
      return redactKey(this.baseUrl.replace(/[?#].*$/, ''), this.apiKey);
    }
  }
}

function serverText(data: unknown): string {
  if (data && typeof data === 'object') {
    const body = data as Record<string, unknown>;
    const text = body['error'] ?? body['message'];
    if (typeof text === 'string') return text;
  }
  return typeof data === 'string' ? data.slice(0, 200) : '';
}

/** "Please upgrade your plan at https://polygon.io/pricing" → "Please upgrade your plan". */
function withoutUrl(text: string): string {
  return text
    .replace(/\s*(?:at\s+)?https?:\/\/\S+/g, '')
    .replace(/\s+([.,])/g, '$1')
    .trim();
}

/** client-js has one method per asset class for the same data: the one for `symbol`'s. */
const perAssetClass = <T>(symbol: string, calls: Record<AssetClass, () => T>): T => calls[assetClassOf(symbol)]();

/** "10" for 10 000 ms, "0.3" for 300. */
const secondsText = (ms: number): string => (ms >= 1000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(1));

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
