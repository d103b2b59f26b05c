import { redactKey } from '../redact.ts';
import { WebSocket } from 'ws';
import type { RawData } from 'ws';
import type { Clock, Timer } from '../clock/clock.ts';
import { parsePolygonEvent } from './polygon-events.ts';
import { assetClassOf } from './symbols.ts';
import { quoteCurrencyOf } from './symbols.ts';
import type { MarketEvent, MarketStatus } from './types.ts';
import { ProblemTally } from './problem-tally.ts';

// One Polygon WebSocket cluster (PROTOCOL.md §5): handshake, subscriptions, batched frames,
// ping/idle keepalive and reconnect with exponential backoff. Uses `ws` directly because
// client-js's socket has neither reconnect nor ping.

export type PolygonCluster = 'stocks' | 'crypto' | 'forex';

export interface PolygonStreamOptions {
  apiKey: string;
  /** e.g. wss://socket.polygon.io or ws://127.0.0.1:PORT; the cluster is appended as a path. */
  baseUrl: string;
  /**
   * The 15-minute-delayed host (wss://delayed.polygon.io). When the plan lacks real-time stocks
   * ("not authorized"), the stocks stream moves there instead of failing.
   */
  delayedUrl?: string;
  cluster: PolygonCluster;
  clock: Clock;
  onEvent(event: MarketEvent): void;
  onStatus(status: MarketStatus): void;
  onProblem(message: string): void;
  /** Each market event as Polygon sent it (before conversion), e.g. to record a session for --replay. */
  onRaw?(raw: unknown): void;
  /** Reconnect delays: initialMs doubled per failed attempt up to maxMs. Default 1 s / 30 s. */
  backoff?: { initialMs: number; maxMs: number };
  /** Source of jitter in [0, 1). Default Math.random. */
  random?: () => number;
  /** No message and no pong for this long → reconnect. Default 30 s. */
  idleTimeoutMs?: number;
  /** Default 25 s. */
  pingIntervalMs?: number;
  /** Events handled per turn of the event loop (default EVENTS_PER_TURN); the benchmark's baseline takes a whole frame at once. */
  eventsPerTurn?: number;
  /** A socket not authenticated this long after it opened is given up and retried. Default 10 s. */
  handshakeTimeoutMs?: number;
  /**
   * Polygon answered `auth_failed`. Without this the stream fails; with it the stream stops quietly
   * and the caller finds out whether the key is wrong or the plan lacks this cluster or feed.
   */
  onAuthFailed?(message: string): void;
  /** Every status frame Polygon sends (connected, subscribed to…), for a debug log. */
  onDebug?(message: string): void;
}

/** How far behind Polygon's delayed feed runs (PROTOCOL.md §5.1; docs/polygon-plans.md). */
export const DELAYED_FEED_MS = 15 * 60_000;

/** The status bar's words for the delayed feed: what streams, and the rules orders fill by. */
const DELAYED_TRADES = '15 min late: trades, bars, no quotes';
const DELAYED_BARS_ONLY = '15 min late: minute bars only';

/** Events handled per turn of the event loop: a huge frame must not hold up keys, quotes or HTTP (npm run bench measures it). */
export const EVENTS_PER_TURN = 2_000;

/** The WebSocket cluster a canonical symbol streams on. */
export const clusterOf = (symbol: string): PolygonCluster => ({ stock: 'stocks', crypto: 'crypto', forex: 'forex' } as const)[assetClassOf(symbol)];

/** Symbols by the cluster they stream on, each cluster's in the order given. */
export function groupByCluster(symbols: readonly string[]): Map<PolygonCluster, string[]> {
  const byCluster = new Map<PolygonCluster, string[]>();
  for (const symbol of symbols) {
    const cluster = clusterOf(symbol);
    const list = byCluster.get(cluster) ?? [];
    list.push(symbol);
    byCluster.set(cluster, list);
  }
  return byCluster;
}

export const AUTH_FAILED_MESSAGE =
  "Polygon rejected the API key (auth failed). Set POLYGON_API_KEY or run 'paper-trader config set apiKey'.";

const TOPIC_PREFIXES: Record<PolygonCluster, readonly string[]> = {
  stocks: ['Q', 'T', 'AM'],
  crypto: ['XQ', 'XT', 'XA'],
  forex: ['C', 'CA'],
};
/** The delayed feed carries stock trades and aggregates, never quotes (docs/polygon-plans.md). */
const DELAYED_STOCK_PREFIXES: readonly string[] = ['T', 'AM'];

/** WebSocket topics for a canonical symbol on a cluster, or an error when it belongs elsewhere. */
export function topicsFor(cluster: PolygonCluster, symbol: string, delayed = false): string[] | { error: string } {
  let name: string;
  if (cluster === 'stocks') {
    if (symbol.startsWith('X:') || symbol.startsWith('C:') || symbol === '') return { error: `${symbol} is not a stock ticker` };
    name = symbol;
  } else if (cluster === 'crypto') {
    if (!/^X:[A-Z0-9]{4,}$/.test(symbol)) return { error: `${symbol} is not a crypto pair like X:BTCUSD` };
    const body = symbol.slice(2);
    const quote = quoteCurrencyOf(symbol);
    name = `${body.slice(0, body.length - quote.length)}-${quote}`;
  } else {
    if (!/^C:[A-Z]{6}$/.test(symbol)) return { error: `${symbol} is not a forex pair like C:EURUSD` };
    name = `${symbol.slice(2, 5)}/${symbol.slice(5)}`;
  }
  const prefixes = delayed && cluster === 'stocks' ? DELAYED_STOCK_PREFIXES : TOPIC_PREFIXES[cluster];
  return prefixes.map((prefix) => `${prefix}.${name}`);
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function seconds(ms: number): string {
  return ms >= 1000 ? String(Math.round(ms / 1000)) : (ms / 1000).toFixed(2);
}

export class PolygonStream {
  private readonly options: PolygonStreamOptions;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly idleTimeoutMs: number;
  private readonly pingIntervalMs: number;
  private readonly handshakeTimeoutMs: number;
  private readonly random: () => number;
  private readonly tally: ProblemTally;
  /** Frames received and not yet handled, in order: a big one is handled a slice per turn. */
  private readonly backlog: { ws: WebSocket; events: unknown[]; next: number }[] = [];
  private draining = false;
  /** Canonical symbols wanted, in subscription order. */
  private readonly symbols = new Set<string>();
  private ws: WebSocket | undefined;
  private delayed = false;
  /** The delayed plan refused trades: minute bars are all that stream. */
  private barsOnly = false;
  private live = false;
  private running = false;
  private attempt = 0;
  private lastActivity = 0;
  private lastError: string | undefined;
  private reconnectTimer: Timer | undefined;
  private pingTimer: Timer | undefined;
  private idleTimer: Timer | undefined;
  private handshakeTimer: Timer | undefined;

  constructor(options: PolygonStreamOptions) {
    this.options = options;
    this.initialMs = options.backoff?.initialMs ?? 1_000;
    this.maxMs = options.backoff?.maxMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 25_000;
    this.handshakeTimeoutMs = options.handshakeTimeoutMs ?? 10_000;
    this.random = options.random ?? Math.random;
    this.tally = new ProblemTally(options.clock, (message) => this.problem(message));
  }

  get cluster(): PolygonCluster {
    return this.options.cluster;
  }

  /** True once the stream moved to the delayed feed because the plan lacks real-time data. */
  get isDelayed(): boolean {
    return this.delayed;
  }

  /** The symbols currently wanted (subscriptions are replayed after every reconnect). */
  get subscriptions(): readonly string[] {
    return [...this.symbols];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.status('connecting', `connecting to Polygon ${this.cluster}`);
    this.connect();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.teardown();
    this.tally.stop();
    this.status('stopped');
  }

  /**
   * Streams stocks from the 15-minute-delayed host from now on (the plan has no real-time stocks):
   * trades and minute bars only, each event marked with the delay.
   */
  moveToDelayed(): void {
    if (this.delayed || !this.options.delayedUrl) return;
    this.delayed = true;
    this.teardown();
    this.running = true;
    this.attempt = 0;
    this.status('connecting', `connecting to Polygon's delayed ${this.cluster} feed`);
    this.connect();
  }

  /** The delayed host is configured, so a plan without real-time stocks can still stream. */
  get canDelay(): boolean {
    return this.cluster === 'stocks' && !this.delayed && this.options.delayedUrl !== undefined;
  }

  subscribe(symbols: readonly string[]): void {
    const added: string[] = [];
    for (const symbol of symbols) {
      const topics = topicsFor(this.cluster, symbol, this.delayed);
      if (!Array.isArray(topics)) {
        this.problem(`Polygon ${this.cluster}: cannot subscribe: ${topics.error}`);
        continue;
      }
      if (this.symbols.has(symbol)) continue;
      this.symbols.add(symbol);
      added.push(...topics);
    }
    if (this.live && added.length > 0) this.send('subscribe', added);
  }

  unsubscribe(symbols: readonly string[]): void {
    const removed: string[] = [];
    for (const symbol of symbols) {
      if (!this.symbols.delete(symbol)) continue;
      const topics = topicsFor(this.cluster, symbol, this.delayed);
      if (Array.isArray(topics)) removed.push(...topics);
    }
    if (this.live && removed.length > 0) this.send('unsubscribe', removed);
  }

  // ---------- connection ----------

  private connect(): void {
    this.lastError = undefined;
    this.live = false;
    const base = this.delayed && this.options.delayedUrl ? this.options.delayedUrl : this.options.baseUrl;
    const url = `${base.replace(/\/+$/, '')}/${this.cluster}`;
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (error) {
      this.problem(`Polygon ${this.cluster}: cannot open ${url}: ${this.errorText(error)}`);
      this.scheduleReconnect(`cannot open ${url}`);
      return;
    }
    this.ws = ws;
    this.touch();
    this.armIdle();
    this.armHandshake();
    ws.on('message', (data) => {
      if (ws !== this.ws) return;
      this.touch();
      this.onFrame(ws, rawText(data));
    });
    ws.on('pong', () => {
      if (ws === this.ws) this.touch();
    });
    ws.on('open', () => {
      if (ws === this.ws) this.armPing();
    });
    ws.on('error', (error) => {
      if (ws === this.ws) this.lastError = this.errorText(error);
    });
    ws.on('close', (code) => {
      if (ws !== this.ws) return;
      this.ws = undefined;
      this.live = false;
      this.clearTimers();
      if (!this.running) return;
      this.scheduleReconnect(this.lastError ?? `connection closed (code ${code})`);
    });
  }

  private teardown(): void {
    this.clearTimers();
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    this.live = false;
    const ws = this.ws;
    this.ws = undefined;
    if (ws) {
      ws.removeAllListeners('message');
      ws.on('error', () => undefined);
      if (ws.readyState === WebSocket.OPEN) ws.close(1000);
      else ws.terminate();
    }
  }

  private clearTimers(): void {
    this.pingTimer?.cancel();
    this.pingTimer = undefined;
    this.idleTimer?.cancel();
    this.idleTimer = undefined;
    this.handshakeTimer?.cancel();
    this.handshakeTimer = undefined;
  }

  /** A server that takes the upgrade but never completes the handshake (its pongs keep the idle timer happy) is retried. */
  private armHandshake(): void {
    const clock = this.options.clock;
    const ws = this.ws;
    this.handshakeTimer = clock.setTimer(clock.now() + this.handshakeTimeoutMs, () => {
      this.handshakeTimer = undefined;
      if (!this.running || ws !== this.ws || this.live) return;
      this.scheduleReconnect(`Polygon did not complete the handshake within ${seconds(this.handshakeTimeoutMs)} s`);
    });
  }

  private scheduleReconnect(why: string): void {
    this.teardown();
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    // ±20 % jitter so several clients do not reconnect in lockstep.
    const delay = Math.max(0, Math.min(this.maxMs, Math.round(base * (0.8 + 0.4 * this.random()))));
    this.attempt++;
    this.status('reconnecting', `reconnecting in ${seconds(delay)} s: ${why}`);
    this.reconnectTimer = this.options.clock.setTimer(this.options.clock.now() + delay, () => {
      this.reconnectTimer = undefined;
      if (this.running) this.connect();
    });
  }

  /** Fatal: report and stop for good (no reconnect). */
  private fail(message: string): void {
    this.running = false;
    this.teardown();
    this.status('failed', message);
  }

  private touch(): void {
    this.lastActivity = this.options.clock.now();
  }

  private armIdle(): void {
    const clock = this.options.clock;
    this.idleTimer = clock.setTimer(this.lastActivity + this.idleTimeoutMs, () => {
      this.idleTimer = undefined;
      if (!this.running || !this.ws) return;
      if (clock.now() - this.lastActivity >= this.idleTimeoutMs) {
        this.scheduleReconnect(`no data or pong for ${seconds(this.idleTimeoutMs)} s`);
      } else {
        this.armIdle();
      }
    });
  }

  private armPing(): void {
    const clock = this.options.clock;
    this.pingTimer = clock.setTimer(clock.now() + this.pingIntervalMs, () => {
      this.pingTimer = undefined;
      const ws = this.ws;
      if (!this.running || !ws) return;
      if (ws.readyState === WebSocket.OPEN) {
        try {
          ws.ping();
        } catch {
          // close follows
        }
      }
      this.armPing();
    });
  }

  private send(action: 'auth' | 'subscribe' | 'unsubscribe', params: string | readonly string[]): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify({ action, params: typeof params === 'string' ? params : params.join(',') });
    ws.send(text, (error) => {
      if (error && ws === this.ws) this.lastError = `send failed: ${this.errorText(error)}`;
    });
  }

  // ---------- frames ----------

  private onFrame(ws: WebSocket, text: string): void {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      this.badFrame('frames that are not JSON', `Polygon ${this.cluster} sent a frame that is not JSON: ${this.snippet(text)}`);
      return;
    }
    if (!Array.isArray(frame)) this.badFrame('frames that are not JSON arrays', `Polygon ${this.cluster} sent a frame that is not a JSON array: ${this.snippet(text)}`);
    this.backlog.push({ ws, events: Array.isArray(frame) ? frame : [frame], next: 0 });
    if (!this.draining) this.drain();
  }

  /** Handles queued events in order, EVENTS_PER_TURN at a time, yielding to the event loop between slices. */
  private drain(): void {
    this.draining = true;
    let budget = this.options.eventsPerTurn ?? EVENTS_PER_TURN;
    while (budget > 0 && this.backlog.length > 0) {
      const batch = this.backlog[0]!;
      // A status event closed this socket, or it was replaced: the rest of its frames are void.
      if (batch.ws !== this.ws) {
        this.backlog.shift();
        continue;
      }
      const start = batch.next;
      const end = Math.min(batch.events.length, start + budget);
      while (batch.next < end && batch.ws === this.ws) this.onRawEvent(batch.events[batch.next++]);
      budget -= batch.next - start;
      if (batch.next >= batch.events.length) this.backlog.shift();
    }
    if (this.backlog.length === 0) {
      this.draining = false;
      return;
    }
    setImmediate(() => this.drain());
  }

  private onRawEvent(raw: unknown): void {
    const parsed = parsePolygonEvent(raw);
    switch (parsed.kind) {
      case 'event': {
        if (!this.symbols.has(parsed.event.symbol)) return; // in flight after an unsubscribe
        const event = this.delayed ? { ...parsed.event, delayMs: DELAYED_FEED_MS } : parsed.event;
        try {
          this.options.onRaw?.(raw);
          this.options.onEvent(event);
        } catch (error) {
          this.problem(`Polygon ${this.cluster}: event handler failed: ${this.errorText(error)}`);
        }
        return;
      }
      case 'status':
        this.onStatusEvent(parsed.status, parsed.message);
        return;
      case 'invalid':
        this.badFrame('bad events', `Polygon ${this.cluster}: ignored a bad event: ${parsed.error}`);
        return;
      case 'skip':
        return;
    }
  }

  /** Said once, then counted: a broken feed sends the same fault hundreds of times. */
  private badFrame(what: string, message: string): void {
    this.tally.report(what, `${what} from Polygon ${this.cluster} ignored`, message);
  }

  private onStatusEvent(status: string, message: string): void {
    this.options.onDebug?.(`Polygon ${this.cluster}${this.delayed ? ' (delayed)' : ''}: ${status}: ${this.redact(message)}`);
    switch (status) {
      case 'connected':
        this.send('auth', this.options.apiKey);
        return;
      case 'auth_success': {
        this.attempt = 0;
        this.live = true;
        const topics: string[] = [];
        for (const symbol of this.symbols) {
          const t = topicsFor(this.cluster, symbol, this.delayed);
          if (Array.isArray(t)) topics.push(...t);
        }
        if (topics.length > 0) this.send('subscribe', topics);
        if (this.delayed) this.status('delayed', this.barsOnly ? DELAYED_BARS_ONLY : DELAYED_TRADES);
        else this.status('live', `connected to Polygon ${this.cluster}`);
        return;
      }
      case 'auth_failed':
        if (this.options.onAuthFailed) {
          // Stop quietly: the caller tells a wrong key from a plan limit and says which.
          this.running = false;
          this.teardown();
          this.options.onAuthFailed(message);
        } else {
          this.fail(AUTH_FAILED_MESSAGE);
        }
        return;
      case 'max_connections':
        this.fail(
          `Polygon closed this ${this.cluster} connection: another paper-trader (or another client) is using the same API key, ` +
            'and the plan allows one connection per cluster. Stop the other one, then restart.',
        );
        return;
      case 'auth_timeout':
        this.lastError = 'Polygon timed out waiting for authentication';
        return;
      case 'error':
        if (/not authori[sz]ed/i.test(message)) {
          this.notAuthorized();
        } else {
          this.problem(`Polygon ${this.cluster} error: ${this.snippet(message)}`);
        }
        return;
      default:
        // success ("subscribed to: …") and anything new: nothing to do.
        return;
    }
  }

  /** The plan lacks this feed: stocks move to the delayed feed; crypto and forex have none, so they stop. */
  private notAuthorized(): void {
    if (this.cluster === 'stocks' && this.delayed && this.live) {
      // On the delayed feed only trades can be refused (Stocks Starter streams minute bars alone): keep the bars.
      // One refusal comes per symbol subscribed: said once.
      if (this.barsOnly) return;
      this.barsOnly = true;
      this.problem("Polygon stocks: your plan streams no trades on the delayed feed (Stocks Starter): minute bars only, and orders fill on them (the README's bars-only rules).");
      this.status('delayed', DELAYED_BARS_ONLY);
      return;
    }
    if (this.canDelay) {
      this.problem('Polygon stocks: your plan does not include real-time stock data (not authorized): switching to the 15-minute delayed feed.');
      this.moveToDelayed();
      return;
    }
    const feed = this.delayed ? 'delayed' : 'real-time';
    this.fail(
      `Polygon ${this.cluster}: not authorized: your Polygon plan does not include ${feed} ${this.cluster} data. ` +
        'Upgrade the plan, drop those symbols, or run with --market simulated.',
    );
  }

  // ---------- reporting ----------

  private status(state: MarketStatus['state'], message?: string): void {
    const status: MarketStatus = message === undefined ? { source: 'polygon', state } : { source: 'polygon', state, message: this.redact(message) };
    try {
      this.options.onStatus(status);
    } catch {
      // a listener's failure must not break the stream
    }
  }

  private problem(message: string): void {
    try {
      this.options.onProblem(this.redact(message).replace(/\s*\n\s*/g, ' '));
    } catch {
      // ignore
    }
  }

  private redact(text: string): string {
    return redactKey(text, this.options.apiKey);
  }

  private snippet(text: string): string {
    const line = text.replace(/\s+/g, ' ');
    return line.length > 80 ? `${line.slice(0, 80)}…` : line;
  }

  private errorText(error: unknown): string {
    return error instanceof Error ? error.message : 'unknown error';
  }
}
