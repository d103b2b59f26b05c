// HTTP API throughput: resting limit orders POSTed over keep-alive connections from a few concurrent
// clients to a real engine behind startHttpApi; accepted orders/s and request latency.
// Run alone: npx tsx bench/http-api.ts [orders] [clients] [event streams]
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
}

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
  const api = await startHttpApi(engine, { token, maxEventStreams: Math.max(100, streams) });
  const readers = await openEventReaders(api.url, token, streams);
  try {
    await postRestingOrders(api.url, token, 1_000, clients);
    const { accepted, refused, seconds, latencies } = await postRestingOrders(api.url, token, orders, clients);
    const received = await readers.bytes();
    latencies.sort((a, b) => a - b);
    const result = { orders, clients, accepted, refused, seconds, acceptedPerSecond: accepted / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
    const line =
      `HTTP API (durable account): ${fmt(orders)} resting limit orders POSTed by ${clients} keep-alive client${clients === 1 ? '' : 's'} in ${seconds.toFixed(2)} s: ` +
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

/** POSTs `count` resting limit buys from `clients` keep-alive connections, one order at a time each. */
export async function postRestingOrders(baseUrl: string, token: string, count: number, clients: number): Promise<{ accepted: number; refused: number; seconds: number; latencies: number[] }> {
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let left = count;
  const post = (agent: Agent, body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${baseUrl}/api/paper/order`, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
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
          const n = left--;
          const body = JSON.stringify({ symbol: SYMBOLS[n % SYMBOLS.length], qty: 1, side: 'buy', order_type: 'limit', limit_price: `${10 + (n % 100) / 100}`, time_in_force: 'gtc' });
          const sent = performance.now();
          const status = await post(agent, body);
          latencies.push(performance.now() - sent);
          if (status === 201) accepted++;
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
  const [orders, clients, eventStreams] = process.argv.slice(2).map(Number);
  httpApiBenchmark({ orders: orders || undefined, clients: clients || undefined, eventStreams: eventStreams || undefined }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
