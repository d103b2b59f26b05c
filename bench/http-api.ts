// HTTP API throughput: resting limit orders POSTed over keep-alive connections from a few concurrent
// clients to a real engine behind startHttpApi, to /api/paper/order or Alpaca's /v2/orders;
// accepted orders/s and request latency.
// Run alone: npx tsx bench/http-api.ts [orders] [clients] [event streams] [paper|alpaca]
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateApiToken, startHttpApi } from '../src/api/index.ts';
import { createEngine } from '../src/engine/index.ts';
import { fmt, percentile } from './common.ts';

export interface HttpApiBenchOptions {
  /** Orders measured (default 20 000), after a warm-up of 1 000. */
  orders?: number;
  /** Print nothing (the caller prints the returned line). */
  quiet?: boolean;
  /** Concurrent clients, each one keep-alive connection sending one order at a time (default 8). */
  clients?: number;
  /** Clients reading the event stream meanwhile (default none). */
  eventStreams?: number;
  /** The route the orders go to (default paper: /api/paper/order). */
  api?: OrderApi;
}

/** Where an order is POSTed: paper-trader's route with its bearer token, or Alpaca's with its key pair. */
export type OrderApi = 'paper' | 'alpaca';

const ALPACA_KEYS = { keyId: 'PKBENCHKEY0123456789', secret: generateApiToken() };

export interface HttpApiBenchResult {
  orders: number;
  clients: number;
  accepted: number;
  refused: number;
  seconds: number;
  acceptedPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  line: string;
}

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'TSLA'];

export async function httpApiBenchmark(options: HttpApiBenchOptions = {}): Promise<HttpApiBenchResult> {
  const orders = options.orders ?? 20_000;
  const clients = options.clients ?? 8;
  const streams = options.eventStreams ?? 0;
  // No market events are stepped, so no quote ever arrives: every limit order rests and no fill runs.
  // Durability on: every order is saved (SQLite, synchronous=FULL) before its response is sent.
  const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-api-'));
  const engine = await createEngine({ symbols: SYMBOLS, startingCash: '1000000000', market: { kind: 'simulated', clock: 'manual' }, account: 'bench', dataDir });
  await engine.start();
  const token = generateApiToken();
  const orderApi = options.api ?? 'paper';
  const api = await startHttpApi(engine, { token, maxEventStreams: Math.max(100, streams), alpaca: ALPACA_KEYS });
  const readers = await openEventReaders(api.url, token, streams);
  try {
    await postRestingOrders(api.url, token, 1_000, clients, orderApi);
    const { accepted, refused, seconds, latencies } = await postRestingOrders(api.url, token, orders, clients, orderApi);
    const received = await readers.bytes();
    latencies.sort((a, b) => a - b);
    const result = { orders, clients, accepted, refused, seconds, acceptedPerSecond: accepted / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
    const line =
      `${orderApi === 'alpaca' ? "Alpaca's POST /v2/orders" : 'POST /api/paper/order'} (durable account): ${fmt(orders)} resting limit orders by ${clients} keep-alive client${clients === 1 ? '' : 's'} in ${seconds.toFixed(2)} s: ` +
      `${fmt(result.acceptedPerSecond)} accepted orders/s, latency p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms` +
      (streams > 0 ? `, ${streams} event streams read ${(received / 2 ** 20).toFixed(1)} MB` : '') +
      (refused > 0 ? `, ${fmt(refused)} refused` : '');
    if (!options.quiet) console.log(line);
    return { ...result, line };
  } finally {
    await api.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same resting limit buy, as each API takes it: its path, credentials, body and success status. */
function orderRequest(orderApi: OrderApi, token: string, n: number): { path: string; headers: Record<string, string>; body: string; accepted: number } {
  const symbol = SYMBOLS[n % SYMBOLS.length];
  const limitPrice = `${10 + (n % 100) / 100}`;
  if (orderApi === 'alpaca') {
    return {
      path: '/v2/orders',
      headers: { 'apca-api-key-id': ALPACA_KEYS.keyId, 'apca-api-secret-key': ALPACA_KEYS.secret },
      body: JSON.stringify({ symbol, qty: '1', side: 'buy', type: 'limit', limit_price: limitPrice, time_in_force: 'gtc' }),
      accepted: 200,
    };
  }
  return {
    path: '/api/paper/order',
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({ symbol, qty: 1, side: 'buy', order_type: 'limit', limit_price: limitPrice, time_in_force: 'gtc' }),
    accepted: 201,
  };
}

/** POSTs `count` resting limit buys from `clients` keep-alive connections, one order at a time each. */
export async function postRestingOrders(baseUrl: string, token: string, count: number, clients: number, orderApi: OrderApi = 'paper'): Promise<{ accepted: number; refused: number; seconds: number; latencies: number[] }> {
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let left = count;
  const post = (agent: Agent, path: string, headers: Record<string, string>, body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${baseUrl}${path}`, { method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const started = performance.now();
  try {
    await Promise.all(
      agents.map(async (agent) => {
        while (left > 0) {
          const order = orderRequest(orderApi, token, left--);
          const sent = performance.now();
          const status = await post(agent, order.path, order.headers, order.body);
          latencies.push(performance.now() - sent);
          if (status === order.accepted) accepted++;
          else refused++;
        }
      }),
    );
    return { accepted, refused, seconds: (performance.now() - started) / 1000, latencies };
  } finally {
    for (const agent of agents) agent.destroy();
  }
}

/** `count` clients reading GET /api/paper/events in a child process (bench/event-readers.ts). */
async function openEventReaders(baseUrl: string, token: string, count: number): Promise<{ bytes: () => Promise<number> }> {
  if (count === 0) return { bytes: async () => 0 };
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./event-readers.ts', import.meta.url)), baseUrl, token, String(count)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the event readers exited (${code})`)));
    child.stdout.on('data', () => output.includes('ready\n') && resolve());
  });
  return {
    bytes: async () => {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
      return Number(output.split('\n')[1]);
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [orders, clients, eventStreams] = process.argv.slice(2, 5).map(Number);
  const orderApi = process.argv[5] === 'alpaca' ? 'alpaca' : 'paper';
  httpApiBenchmark({ orders: orders || undefined, clients: clients || undefined, eventStreams: eventStreams || undefined, api: orderApi }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
