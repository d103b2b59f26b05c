import type { Clock } from '../clock/clock.ts';
import { PolygonError, PolygonRest } from './polygon-rest.ts';
import { clusterOf, PolygonStream, type PolygonCluster } from './polygon-stream.ts';
import type { MarketDataProvider, MarketSink, MarketStatus } from './types.ts';

// Live market data from Polygon.io: one WebSocket stream per cluster that has symbols, and the
// last NBBO quote of each stock from REST at start so the watchlist is not empty until the first tick.

export interface PolygonMarketOptions {
  apiKey: string;
  /** e.g. https://api.polygon.io */
  restUrl: string;
  /** e.g. wss://socket.polygon.io */
  wsUrl: string;
  /** Canonical symbols: AAPL, X:BTCUSD, C:EURUSD. */
  symbols: readonly string[];
  clock: Clock;
}

const CLUSTER_ORDER: readonly PolygonCluster[] = ['stocks', 'crypto', 'forex'];

export class PolygonMarket implements MarketDataProvider {
  readonly source = 'polygon';
  readonly #options: PolygonMarketOptions;
  readonly #rest: PolygonRest;
  readonly #streams = new Map<PolygonCluster, PolygonStream>();
  readonly #states = new Map<PolygonCluster, MarketStatus>();
  #sink: MarketSink | undefined;
  #running = false;
  #state: MarketStatus['state'] = 'connecting';

  constructor(options: PolygonMarketOptions) {
    this.#options = options;
    this.#rest = new PolygonRest({ apiKey: options.apiKey, baseUrl: options.restUrl, maxAttempts: 2, retryBaseMs: 500 });
    this.subscribe(options.symbols);
  }

  async start(sink: MarketSink): Promise<void> {
    if (this.#running) return;
    this.#sink = sink;
    this.#running = true;
    this.#state = 'connecting';
    this.#report({ source: 'polygon', state: 'connecting', message: 'connecting to Polygon' });
    for (const cluster of CLUSTER_ORDER) this.#streams.get(cluster)?.start();
    const stocks = this.#streams.get('stocks')?.subscriptions ?? [];
    await this.#seed(stocks);
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const stream of this.#streams.values()) stream.stop();
    this.#states.clear();
    const sink = this.#sink;
    this.#sink = undefined;
    this.#state = 'stopped';
    sink?.status({ source: 'polygon', state: 'stopped' });
  }

  subscribe(symbols: readonly string[]): void {
    const byCluster = this.#group(symbols);
    for (const [cluster, list] of byCluster) {
      let stream = this.#streams.get(cluster);
      if (!stream) {
        stream = this.#createStream(cluster);
        this.#streams.set(cluster, stream);
        if (this.#running) stream.start();
      }
      const fresh = list.filter((symbol) => !stream.subscriptions.includes(symbol));
      stream.subscribe(list);
      if (this.#running && cluster === 'stocks' && fresh.length > 0) void this.#seed(fresh);
    }
  }

  unsubscribe(symbols: readonly string[]): void {
    for (const [cluster, list] of this.#group(symbols)) this.#streams.get(cluster)?.unsubscribe(list);
  }

  #group(symbols: readonly string[]): Map<PolygonCluster, string[]> {
    const byCluster = new Map<PolygonCluster, string[]>();
    for (const symbol of symbols) {
      const cluster = clusterOf(symbol);
      const list = byCluster.get(cluster) ?? [];
      list.push(symbol);
      byCluster.set(cluster, list);
    }
    return byCluster;
  }

  #createStream(cluster: PolygonCluster): PolygonStream {
    return new PolygonStream({
      apiKey: this.#options.apiKey,
      baseUrl: this.#options.wsUrl,
      cluster,
      clock: this.#options.clock,
      onEvent: (event) => {
        if (this.#running) this.#sink?.event(event);
      },
      onStatus: (status) => this.#onStreamStatus(cluster, status),
      onProblem: (message) => this.#problem(message),
    });
  }

  /** Seeds the quote cache with REST last quotes; a symbol that fails is reported once and skipped. */
  async #seed(symbols: readonly string[]): Promise<void> {
    await Promise.all(
      symbols.map(async (symbol) => {
        try {
          const quote = await this.#rest.lastQuote(symbol);
          if (this.#running) this.#sink?.event(quote);
        } catch (error) {
          // A bad key is reported by the stream (auth failed); one line per symbol for the rest.
          if (error instanceof PolygonError && error.kind === 'auth') return;
          const why = error instanceof Error ? error.message : String(error);
          this.#problem(`no last quote for ${symbol} from Polygon: ${why}`);
        }
      }),
    );
  }

  #onStreamStatus(cluster: PolygonCluster, status: MarketStatus): void {
    if (!this.#running || status.state === 'stopped') return;
    this.#states.set(cluster, status);
    const states = [...this.#streams.keys()].map((c) => this.#states.get(c)?.state ?? 'connecting');
    let state: MarketStatus['state'];
    if (states.includes('failed')) state = 'failed';
    else if (states.includes('reconnecting')) state = 'reconnecting';
    else if (states.every((s) => s === 'live')) state = 'live';
    else state = 'connecting';
    // Once failed, a later "live" of another cluster must not hide the failure.
    if (state === 'failed' && status.state !== 'failed') {
      const failed = [...this.#states.values()].find((s) => s.state === 'failed');
      this.#state = 'failed';
      this.#report({ source: 'polygon', state: 'failed', message: failed?.message ?? status.message ?? 'Polygon stream failed' });
      return;
    }
    this.#state = state;
    let message = status.message;
    if (state === 'live') message = `connected to Polygon ${[...this.#streams.keys()].join(', ')}`;
    this.#report(message === undefined ? { source: 'polygon', state } : { source: 'polygon', state, message });
  }

  #problem(message: string): void {
    if (!this.#running) return;
    this.#report({ source: 'polygon', state: this.#state, message });
  }

  #report(status: MarketStatus): void {
    try {
      this.#sink?.status(status);
    } catch {
      // a listener's failure must not break the market
    }
  }
}
