// GET /api/paper/events: engine events as server-sent events, one JSON object per `data:` line.
// One listener per engine event for all clients together, each event serialized once, and what
// 20 ms produced written to each client at once, so a hundred readers cost little more than one.
// Every client's unsent bytes are bounded: quotes (the next one supersedes them) are skipped for a
// client that is behind, and one that falls too far behind on the rest is told so and closed,
// instead of growing the process without limit.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineLogEntry } from '../engine/index.ts';
import { ApiError } from './api-error.ts';
import { alertJson, marketJson, orderJson, quoteJson, tradeJson } from './views.ts';

export const SSE_EVENT_NAMES = ['quote', 'order', 'fill', 'status', 'log', 'alert'] as const;
export type SseEventName = (typeof SSE_EVENT_NAMES)[number];
export const KEEP_ALIVE_MS = 15_000;
/** Clients served at once unless the server is told otherwise. */
export const DEFAULT_MAX_STREAMS = 100;
/** Unsent bytes a client may have before it is closed (order, fill, status and log events are never dropped). */
export const DEFAULT_MAX_UNSENT_BYTES = 1024 * 1024;
/** Past this many unsent bytes a client is skipped for quotes. */
const QUOTE_SKIP_BYTES = 64 * 1024;
/** Events are gathered this long and written to each client at once: fewer writes, a little later. */
const FLUSH_EVERY_MS = 20;
/** How long a closed slow client has to take its last bytes before its connection is cut. */
const CUT_AFTER_MS = 1_000;

export interface EventStreamsOptions {
  /** Applied to every data line (keeps the API token out of echoed fields). */
  redact: (text: string) => string;
  maxStreams?: number;
  maxUnsentBytes?: number;
  keepAliveMs?: number;
  log?: (line: string) => void;
}

interface Client {
  readonly res: ServerResponse;
  end(): void;
}

const logJson = (entry: EngineLogEntry) => ({ time: entry.time, level: entry.level, message: entry.message });

export class EventStreams {
  readonly #engine: Engine;
  readonly #options: Required<Omit<EventStreamsOptions, 'log'>> & Pick<EventStreamsOptions, 'log'>;
  readonly #clients = new Set<Client>();
  #unsubscribe: (() => void)[] = [];
  #keepAlive: NodeJS.Timeout | undefined;
  #id = 0;
  /** Frames serialized this turn of the event loop, not yet written. */
  readonly #queued: { frame: Buffer; quote: boolean }[] = [];

  constructor(engine: Engine, options: EventStreamsOptions) {
    this.#engine = engine;
    this.#options = { maxStreams: DEFAULT_MAX_STREAMS, maxUnsentBytes: DEFAULT_MAX_UNSENT_BYTES, keepAliveMs: KEEP_ALIVE_MS, ...options };
  }

  get size(): number {
    return this.#clients.size;
  }

  /** Streams to res until the client goes or closeAll(); a client past the cap gets a 503 instead. */
  open(req: IncomingMessage, res: ServerResponse): void {
    const { maxStreams } = this.#options;
    if (this.#clients.size >= maxStreams) {
      throw new ApiError(503, 'too_many_streams', `This server already streams events to ${maxStreams} clients (its limit); close one, or start paper-trader with a higher --api-max-streams.`, {}, { 'retry-after': '5' });
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write(': connected\n\n');
    let ended = false;
    const client: Client = {
      res,
      end: () => {
        if (ended) return;
        ended = true;
        this.#clients.delete(client);
        if (this.#clients.size === 0) this.#stopListening();
        this.#options.log?.(`event stream closed (${this.#clients.size} open)`);
      },
    };
    if (this.#clients.size === 0) this.#listen();
    this.#clients.add(client);
    req.on('close', client.end);
    res.on('close', client.end);
    res.on('error', client.end);
  }

  /** Ends every stream from the server side (on shutdown). */
  closeAll(): void {
    for (const client of [...this.#clients]) {
      client.end();
      client.res.end();
    }
  }

  #listen(): void {
    const engine = this.#engine;
    this.#unsubscribe = [
      engine.on('quote', (quote) => this.#send('quote', () => quoteJson(quote))),
      engine.on('order', (order) => this.#send('order', () => orderJson(order, engine))),
      engine.on('fill', (fill) => this.#send('fill', () => tradeJson(fill))),
      engine.on('status', (status) => this.#send('status', () => marketJson(status))),
      engine.on('log', (entry) => this.#send('log', () => logJson(entry))),
      engine.on('error', (entry) => this.#send('log', () => logJson(entry))),
      engine.on('alert', (fired) => this.#send('alert', () => ({ alert: alertJson(fired.alert), time: fired.time, price: fired.price, message: fired.message }))),
    ];
    // A comment line keeps proxies and idle timeouts from cutting a quiet stream.
    this.#keepAlive = setInterval(() => {
      for (const client of this.#clients) client.res.write(': keep-alive\n\n');
    }, this.#options.keepAliveMs).unref();
  }

  #stopListening(): void {
    for (const off of this.#unsubscribe.splice(0)) off();
    clearInterval(this.#keepAlive);
  }

  /**
   * Serializes the event once, and queues it: what 20 ms produced goes to each client in one
   * write (a hundred clients cost a hundred writes per flush, not per event).
   */
  #send(event: SseEventName, json: () => unknown): void {
    if (this.#clients.size === 0) return;
    const frame = Buffer.from(`event: ${event}\nid: ${++this.#id}\ndata: ${this.#options.redact(JSON.stringify(json()))}\n\n`);
    this.#queued.push({ frame, quote: event === 'quote' });
    if (this.#queued.length === 1) setTimeout(() => this.#flush(), FLUSH_EVERY_MS);
  }

  #flush(): void {
    const queued = this.#queued.splice(0);
    let all: Buffer | undefined;
    let withoutQuotes: Buffer | undefined;
    for (const client of [...this.#clients]) {
      const unsent = client.res.writableLength;
      // A client that is behind skips quotes (the next one supersedes them), never the rest.
      const chunk =
        unsent > QUOTE_SKIP_BYTES ? (withoutQuotes ??= Buffer.concat(queued.filter((item) => !item.quote).map((item) => item.frame)))
        : (all ??= Buffer.concat(queued.map((item) => item.frame)));
      if (chunk.length === 0) continue;
      if (unsent + chunk.length > this.#options.maxUnsentBytes) this.#tooSlow(client);
      else client.res.write(chunk);
    }
  }

  /** Tells a client it fell too far behind and closes it; the connection is cut if it does not read even that. */
  #tooSlow(client: Client): void {
    const { maxUnsentBytes, log } = this.#options;
    const message = `This client fell ${Math.round(maxUnsentBytes / 1024)} KB behind the event stream and was closed; reconnect, read faster, and fetch what it missed from /api/paper/orders and /api/paper/trades.`;
    client.end();
    log?.(`event stream client too slow: closed after ${maxUnsentBytes} unsent bytes`);
    // The connection goes too, not back to keep-alive: once the last bytes are read, or cut after a moment.
    const socket = client.res.socket;
    client.res.end(`event: error\ndata: ${JSON.stringify({ code: 'too_slow', message })}\n\n`, () => socket?.end());
    setTimeout(() => socket?.destroy(), CUT_AFTER_MS).unref();
  }
}
