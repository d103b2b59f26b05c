// npm run crash-test [kills]: the long crash test (not in CI). The real binary trades a durable
// account over HTTP (orders from 4 clients, cancels of some) while this script kills it with
// SIGKILL at random instants and starts it again, 1,000 times by default. After every restart
// each acknowledged order is there under its id, each acknowledged cancel stayed canceled, and no
// client order id is there twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveBinary, type ServingBinary } from '../bench/common.ts';

const KILLS = Number(process.argv[2]) || 1_000;
const CLIENTS = 4;

const dir = mkdtempSync(join(tmpdir(), 'paper-trader-crash-http-'));
const acknowledged = new Map<string, string>(); // client order id → order id
const canceled = new Set<string>();
let seed = 11;
const random = (): number => ((seed = (seed * 48_271) % 2_147_483_647) / 2_147_483_647);
let sequence = 0;
let requests = 0;
/** Orders answered with anything but 201 while the process lived (a killed request is not counted). */
let refused = 0;

function start(): Promise<ServingBinary> {
  // Cash for every order it will ever rest: a buy limit holds its price until it fills or goes.
  return serveBinary(dir, ['--symbols', 'AAPL', 'MSFT', '--account', 'crash', '--cash', '1000000000']);
}

async function call(url: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  requests++;
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: await response.json() };
}

/** Every order of the account, following the pages. */
async function allOrders(url: string, token: string): Promise<{ id: string; client_order_id: string | null; status: string }[]> {
  const orders = [];
  let next: string | null = '/api/paper/orders?status=all&direction=asc&limit=10000';
  while (next) {
    const page: { status: number; json: any } = await call(url, token, 'GET', next);
    if (page.status !== 200) throw new Error(`GET ${next}: ${page.status}`);
    orders.push(...page.json.orders);
    next = page.json.next;
  }
  return orders;
}

async function check(url: string, token: string): Promise<number> {
  const orders = await allOrders(url, token);
  const byClient = new Map<string, { id: string; status: string }>();
  for (const order of orders) {
    if (order.client_order_id === null) continue;
    if (byClient.has(order.client_order_id)) throw new Error(`client order ${order.client_order_id} is there twice`);
    byClient.set(order.client_order_id, order);
  }
  for (const [client, id] of acknowledged) {
    const order = byClient.get(client);
    if (order?.id !== id) throw new Error(`acknowledged order ${client} (${id}) lost: found ${order?.id ?? 'nothing'}`);
    if (canceled.has(id) && order.status !== 'canceled') throw new Error(`acknowledged cancel of ${id} lost: it is ${order.status}`);
  }
  return orders.length;
}

/** Clients place resting orders and cancel some of theirs until the process dies. */
async function trade(url: string, token: string, alive: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (alive()) {
        try {
          const client = `c-${++sequence}`;
          const placed = await call(url, token, 'POST', '/api/paper/order', { symbol: random() < 0.5 ? 'AAPL' : 'MSFT', qty: 1, side: 'buy', order_type: 'limit', limit_price: '1.00', time_in_force: 'gtc', client_order_id: client });
          if (placed.status === 201) acknowledged.set(client, placed.json.id);
          else refused++;
          if (placed.status === 201 && random() < 0.3) {
            const cancel = await call(url, token, 'DELETE', `/api/paper/orders/${placed.json.id}`);
            if (cancel.status === 200) canceled.add(placed.json.id);
          }
        } catch {
          return; // the process was killed mid-request: not acknowledged
        }
      }
    }),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  let orders = 0;
  try {
    for (let kill = 1; kill <= KILLS; kill++) {
      const { child, url, token } = await start();
      orders = await check(url, token);
      let alive = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const trading = trade(url, token, () => alive);
      await new Promise((resolve) => setTimeout(resolve, 20 + random() * 400));
      child.kill('SIGKILL');
      await exited;
      alive = false;
      await trading;
      if (kill % 50 === 0) console.log(`${kill} kills: ${acknowledged.size} orders and ${canceled.size} cancels acknowledged, all there; ${refused} orders refused (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    const { child, url, token } = await start();
    orders = await check(url, token);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    console.log(
      `crash test passed: ${KILLS} kills over HTTP, ${acknowledged.size} acknowledged orders and ${canceled.size} acknowledged cancels, ` +
        `${orders} orders in the account (unacknowledged ones may be there too), ${refused} refused, ${requests} requests, nothing lost or doubled, in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`crash test FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
