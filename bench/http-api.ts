// HTTP API throughput: resting limit orders POSTed over keep-alive connections from a few concurrent
// clients to a real engine behind startHttpApi; accepted orders/s and request latency.
// Run alone: npx tsx bench/http-api.ts [orders] [clients]
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
  // No market events are stepped, so no quote ever arrives: every limit order rests and no fill runs.
  // Durability on: every order is saved (SQLite, synchronous=FULL) before its response is sent.
  const dataDir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-api-'));
  const engine = await createEngine({ symbols: SYMBOLS, startingCash: '1000000000', market: { kind: 'simulated', clock: 'manual' }, account: 'bench', dataDir });
  await engine.start();
  const token = generateApiToken();
  const api = await startHttpApi(engine, { token });
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const latencies: number[] = [];
  let accepted = 0;
  let refused = 0;
  let sequence = 0;

  const post = (agent: Agent, body: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${api.url}/api/paper/order`, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });

  const run = async (count: number, record: boolean): Promise<void> => {
    let left = count;
    await Promise.all(
      agents.map(async (agent) => {
        while (left > 0) {
          left--;
          const n = sequence++;
          const body = JSON.stringify({ symbol: SYMBOLS[n % SYMBOLS.length], qty: 1, side: 'buy', order_type: 'limit', limit_price: `${10 + (n % 100) / 100}`, time_in_force: 'gtc' });
          const started = performance.now();
          const status = await post(agent, body);
          if (!record) continue;
          latencies.push(performance.now() - started);
          if (status === 201) accepted++;
          else refused++;
        }
      }),
    );
  };

  try {
    await run(1_000, false);
    const started = performance.now();
    await run(orders, true);
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const result = { orders, clients, accepted, refused, seconds, acceptedPerSecond: accepted / seconds, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
    const line =
      `HTTP API (durable account): ${fmt(orders)} resting limit orders POSTed by ${clients} keep-alive client${clients === 1 ? '' : 's'} in ${seconds.toFixed(2)} s: ` +
      `${fmt(result.acceptedPerSecond)} accepted orders/s, latency p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms` +
      (refused > 0 ? `, ${fmt(refused)} refused` : '');
    if (!options.quiet) console.log(line);
    return { ...result, line };
  } finally {
    for (const agent of agents) agent.destroy();
    await api.close();
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [orders, clients] = process.argv.slice(2).map(Number);
  httpApiBenchmark({ orders: orders || undefined, clients: clients || undefined }).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
