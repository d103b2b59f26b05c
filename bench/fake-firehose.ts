// The stream benchmark's sender: a minimal Polygon stocks server (PROTOCOL.md §5.2 handshake, §5.3
// Q and T fields) in its own process, so making frames never takes CPU from the engine it measures.
// Started by bench/polygon-stream.ts with `node --import tsx`; driven over IPC (FirehoseCommand).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { WebSocket, WebSocketServer } from 'ws';

export type FirehoseCommand =
  /** Send `rate` events/s (null: as fast as the socket drains) for `seconds`, `batch` events per frame. */
  | { type: 'run'; rate: number | null; seconds: number; batch: number }
  | { type: 'stop' };

export type FirehoseReport =
  | { type: 'ready'; port: number }
  /** The stream subscribed to Q and T of this many stocks. */
  | { type: 'subscribed'; symbols: number }
  | { type: 'done'; events: number; frames: number; seconds: number };

const API_KEY = 'demo';
/** Unthrottled sends pause while this much is queued on the socket, so back-pressure reaches the sender. */
const HIGH_WATER_BYTES = 1 << 20;
const QUOTE_SHARE = 0.8;

// mulberry32: a seeded generator, so every run sends the same walk.
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(500);

interface Book {
  sym: string;
  /** Mid price in cents; bid and ask sit `spread` cents apart around it. */
  cents: number;
  spread: number;
  quoteSeq: number;
  tradeSeq: number;
  tradeId: number;
}

const books = new Map<string, Book>();
function bookOf(sym: string): Book {
  let book = books.get(sym);
  if (!book) {
    book = { sym, cents: 500 + Math.floor(random() * 50_000), spread: 1 + Math.floor(random() * 3), quoteSeq: 1, tradeSeq: 1, tradeId: 1 };
    books.set(sym, book);
  }
  return book;
}

/** One Q (80%) or T event as Polygon writes it; the price walks a cent at a time. */
function event(book: Book, t: number): string {
  const step = random();
  if (step < 0.3 && book.cents > 100) book.cents--;
  else if (step > 0.7) book.cents++;
  const bid = book.cents / 100;
  const ask = (book.cents + book.spread) / 100;
  if (random() < QUOTE_SHARE) {
    const bs = 1 + Math.floor(random() * 20);
    const as = 1 + Math.floor(random() * 20);
    return `{"ev":"Q","sym":"${book.sym}","bx":4,"bp":${bid},"bs":${bs},"ax":7,"ap":${ask},"as":${as},"c":1,"i":[604],"t":${t},"q":${book.quoteSeq++},"z":3}`;
  }
  const shares = 100 * (1 + Math.floor(random() * 10));
  const price = random() < 0.5 ? bid : ask;
  return `{"ev":"T","sym":"${book.sym}","i":"${book.tradeId++}","x":4,"p":${price},"s":${shares},"c":[12,37],"t":${t},"q":${book.tradeSeq++},"z":3}`;
}

const status = (status: string, message: string): string => JSON.stringify([{ ev: 'status', status, message }]);

const MINUTE_MS = 60_000;
const HISTORY_BARS = 60;

/** The last HISTORY_BARS whole minutes before now, walking to the book's current price. */
function minuteBars(book: Book): object[] {
  const last = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  let cents = book.cents;
  const bars: object[] = [];
  for (let i = 0; i < HISTORY_BARS; i++) {
    const close = cents;
    const open = Math.max(100, close + Math.round((random() - 0.5) * 20));
    const high = Math.max(open, close) + Math.floor(random() * 5);
    const low = Math.max(1, Math.min(open, close) - Math.floor(random() * 5));
    bars.push({ v: 100 * (10 + Math.floor(random() * 500)), vw: (open + close) / 200, o: open / 100, c: close / 100, h: high / 100, l: low / 100, t: last - i * MINUTE_MS, n: 40 });
    cents = open;
  }
  return bars.reverse();
}

// REST: at start the engine asks for each stock's last NBBO and, for the strategy's warm-up, its
// recent minute bars; everything else is not found.
const http = createServer((req, res) => {
  const url = req.url ?? '';
  res.setHeader('content-type', 'application/json');
  const aggs = /^\/v2\/aggs\/ticker\/([^/?]+)\/range\/1\/minute\//.exec(url);
  if (aggs) {
    const book = bookOf(decodeURIComponent(aggs[1]!));
    const results = minuteBars(book);
    res.end(JSON.stringify({ ticker: book.sym, queryCount: results.length, resultsCount: results.length, adjusted: true, results, status: 'OK', request_id: 'firehose' }));
    return;
  }
  // Every ticker the stream names is a real one here (the app checks symbols against the reference data).
  const reference = /^\/v3\/reference\/tickers\/([^/?]+)/.exec(url);
  if (reference) {
    const ticker = decodeURIComponent(reference[1]!);
    res.end(JSON.stringify({ results: { ticker, name: ticker, market: 'stocks', locale: 'us', active: true }, status: 'OK', request_id: 'firehose' }));
    return;
  }
  // The snapshot seeds each symbol at start, with the quote a second old, as the last NBBO did.
  const snapshot = /^\/v2\/snapshot\/locale\/us\/markets\/stocks\/tickers\/([^/?]+)/.exec(url);
  if (snapshot) {
    const book = bookOf(decodeURIComponent(snapshot[1]!));
    const t = (Date.now() - 1000) * 1e6;
    const lastQuote = { p: book.cents / 100, s: 5, P: (book.cents + book.spread) / 100, S: 5, t };
    res.end(JSON.stringify({ status: 'OK', request_id: 'firehose', ticker: { ticker: book.sym, lastQuote, prevDay: { c: book.cents / 100 } } }));
    return;
  }
  const match = /^\/v2\/last\/nbbo\/([^/?]+)/.exec(url);
  if (!match) {
    res.statusCode = 404;
    res.end(JSON.stringify({ status: 'NOT_FOUND', request_id: 'firehose', message: 'Data not found.' }));
    return;
  }
  const book = bookOf(decodeURIComponent(match[1]!));
  const t = (Date.now() - 1000) * 1e6;
  res.end(JSON.stringify({
    results: { p: book.cents / 100, s: 5, x: 4, P: (book.cents + book.spread) / 100, S: 5, X: 7, z: 3, T: book.sym, t, y: t, q: 1 },
    status: 'OK',
    request_id: 'firehose',
  }));
});

const wss = new WebSocketServer({ server: http, path: '/stocks' });
let client: WebSocket | undefined;
let symbols: Book[] = [];

wss.on('connection', (ws) => {
  client = ws;
  let authed = false;
  ws.send(status('connected', 'Connected Successfully'));
  ws.on('message', (data) => {
    let message: { action?: unknown; params?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      ws.send(status('error', 'invalid JSON'));
      return;
    }
    const params = typeof message.params === 'string' ? message.params : '';
    if (message.action === 'auth') {
      authed = params === API_KEY;
      ws.send(status(authed ? 'auth_success' : 'auth_failed', authed ? 'authenticated' : 'authentication failed'));
      if (!authed) ws.close(1000);
      return;
    }
    if (message.action !== 'subscribe') return;
    if (!authed) {
      ws.send(status('error', 'not authorized'));
      return;
    }
    const wanted = new Set<string>();
    for (const topic of params.split(',').map((p) => p.trim())) {
      ws.send(status('success', `subscribed to: ${topic}`));
      const [ev, sym] = topic.split('.');
      if ((ev === 'Q' || ev === 'T') && sym) wanted.add(sym);
    }
    symbols = [...new Set([...symbols.map((b) => b.sym), ...wanted])].map(bookOf);
    report({ type: 'subscribed', symbols: symbols.length });
  });
});

function report(message: FirehoseReport): void {
  process.send?.(message);
}

/** Sends on a 1 ms schedule; frames hold `batch` events from consecutive symbols, Q and T mixed. */
function run(rate: number | null, seconds: number, batch: number): void {
  const ws = client;
  const total = rate === null ? Number.POSITIVE_INFINITY : Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  let frames = 0;
  let next = 0;
  const tick = (): void => {
    const elapsed = (performance.now() - started) / 1000;
    const due = rate === null ? (elapsed < seconds ? total : 0) : Math.min(total, Math.floor(rate * elapsed));
    // A cap per tick keeps the clock checks going while the kernel still takes every write.
    for (let burst = 0; burst < 200 && ws !== undefined && ws.readyState === WebSocket.OPEN && sent < due && ws.bufferedAmount < HIGH_WATER_BYTES && symbols.length > 0; burst++) {
      const count = Math.min(batch, due - sent);
      const t = Date.now();
      const parts: string[] = new Array<string>(count);
      for (let i = 0; i < count; i++) {
        parts[i] = event(symbols[next]!, t);
        next = (next + 1) % symbols.length;
      }
      ws.send(`[${parts.join(',')}]`);
      sent += count;
      frames++;
    }
    if (sent >= total || elapsed >= seconds + (rate === null ? 0 : 5)) {
      report({ type: 'done', events: sent, frames, seconds: (performance.now() - started) / 1000 });
    } else {
      setTimeout(tick, 1);
    }
  };
  tick();
}

process.on('message', (command: FirehoseCommand) => {
  if (command.type === 'run') run(command.rate, command.seconds, command.batch);
  else {
    for (const ws of wss.clients) ws.terminate();
    wss.close();
    http.close(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));

http.listen(0, '127.0.0.1', () => report({ type: 'ready', port: (http.address() as AddressInfo).port }));
