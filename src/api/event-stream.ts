// GET /api/paper/events: engine events as server-sent events, one JSON object per `data:` line.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Engine, EngineLogEntry } from '../engine/index.ts';
import { marketJson, orderJson, quoteJson, tradeJson } from './views.ts';

export const SSE_EVENT_NAMES = ['quote', 'order', 'fill', 'status', 'log'] as const;
export type SseEventName = (typeof SSE_EVENT_NAMES)[number];
export const KEEP_ALIVE_MS = 15_000;

export interface EventStream {
  /** Ends the stream from the server side (on shutdown). */
  close(): void;
}

const logJson = (entry: EngineLogEntry) => ({ time: entry.time, level: entry.level, message: entry.message });

/** Streams until the client goes (or close()); every engine listener is removed when it ends. */
export interface EventStreamOptions {
  onEnd: () => void;
  /** Applied to every data line (keeps the API token out of echoed fields). */
  redact: (text: string) => string;
  keepAliveMs?: number;
}

export function openEventStream(engine: Engine, req: IncomingMessage, res: ServerResponse, options: EventStreamOptions): EventStream {
  const { onEnd, redact, keepAliveMs = KEEP_ALIVE_MS } = options;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write(': connected\n\n');
  let id = 0;
  const send = (event: SseEventName, data: unknown): void => {
    res.write(`event: ${event}\nid: ${++id}\ndata: ${redact(JSON.stringify(data))}\n\n`);
  };
  const unsubscribe = [
    // Quotes are superseded by the next one: drop them for a slow reader (before converting) rather than buffer without bound.
    engine.on('quote', (quote) => {
      if (!res.writableNeedDrain) send('quote', quoteJson(quote));
    }),
    engine.on('order', (order) => send('order', orderJson(order))),
    engine.on('fill', (fill) => send('fill', tradeJson(fill))),
    engine.on('status', (status) => send('status', marketJson(status))),
    engine.on('log', (entry) => send('log', logJson(entry))),
    engine.on('error', (entry) => send('log', logJson(entry))),
  ];
  // A comment line keeps proxies and idle timeouts from cutting a quiet stream.
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  keepAlive.unref();

  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(keepAlive);
    for (const off of unsubscribe) off();
    onEnd();
  };
  req.on('close', end);
  res.on('close', end);
  res.on('error', end);
  return {
    close() {
      end();
      res.end();
    },
  };
}
