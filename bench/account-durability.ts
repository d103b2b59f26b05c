// Durable account costs: orders/s the engine acknowledges with every order saved (synchronous=FULL),
// and how long a restart takes with 100,000 fills in the account.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../src/engine/index.ts';
import type { Fill } from '../src/engine/execution/paper-executor.ts';
import { fromNumber, notional, PRICE_DECIMALS, QTY_DECIMALS } from '../src/engine/money.ts';
import type { Order } from '../src/engine/orders/order.ts';
import { accountFile, SqliteJournal } from '../src/engine/persistence/sqlite-journal.ts';
import { Ledger } from '../src/engine/portfolio/ledger.ts';

export interface DurabilityResult {
  orders: number;
  /** Orders/s placed one after another (each its own disk flush), and 16 at a time (sharing flushes). */
  ordersPerSecond: { oneAtATime: number; sixteenAtATime: number };
  fills: number;
  storeMegabytes: number;
  /** createEngine on the saved account: open, read, rebuild and check the books. */
  recoveryMs: number;
}

const ORDERS = 20_000;
const FILLS = 100_000;

export async function durabilityBenchmarks(): Promise<DurabilityResult> {
  const dir = mkdtempSync(join(tmpdir(), 'paper-trader-bench-account-'));
  try {
    const ordersPerSecond = await durableOrders(dir);
    writeAccountWithFills(dir, 'big', FILLS);
    const started = performance.now();
    const engine = await createEngine({ account: 'big', dataDir: dir, market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'] });
    const recoveryMs = performance.now() - started;
    if (engine.snapshot().fills.length !== FILLS) throw new Error('the recovered account lost fills');
    await engine.close();
    return { orders: ORDERS, ordersPerSecond, fills: FILLS, storeMegabytes: statSync(accountFile(dir, 'big')).size / 2 ** 20, recoveryMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Resting limit buys (so fills do not dominate), each saved before placeOrder returns. */
async function durableOrders(dir: string): Promise<{ oneAtATime: number; sixteenAtATime: number }> {
  const engine = await createEngine({ account: 'orders', dataDir: dir, market: { kind: 'simulated', clock: 'manual' }, symbols: ['AAPL'], startingCash: '1000000000' });
  await engine.start();
  await engine.replay.step(5);
  const place = () => engine.placeOrder({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '1.00', timeInForce: 'gtc' });
  const rate = async (concurrent: number): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < ORDERS; i += concurrent) {
      for (const order of await Promise.all(Array.from({ length: concurrent }, place))) {
        if (order.status !== 'accepted') throw new Error(`an order was ${order.status}: ${order.reason}`);
      }
    }
    return ORDERS / ((performance.now() - started) / 1000);
  };
  const result = { oneAtATime: await rate(1), sixteenAtATime: await rate(16) };
  await engine.close();
  return result;
}

/** An account with `count` fills (a buy then a sell, over and over) and `canceled` more orders, written in one transaction. */
export function writeAccountWithFills(dir: string, account: string, count: number, canceled = 0): void {
  const journal = new SqliteJournal({ dir, account });
  const startingCash = 100_000_000n;
  journal.create(startingCash, 0);
  const ledger = new Ledger(startingCash);
  const qty = fromNumber(10, QTY_DECIMALS);
  for (let i = 1; i <= count; i++) {
    const side = i % 2 === 1 ? 'buy' : 'sell';
    const price = fromNumber(100 + (i % 50) / 100, PRICE_DECIMALS);
    const accounting = ledger.apply({ symbol: 'AAPL', side, qty, price, fee: 0n });
    const order: Order = {
      id: `o-${i}`, clientOrderId: undefined, symbol: 'AAPL', side, type: 'market', timeInForce: 'day', qty, limitPrice: undefined, stopPrice: undefined,
      trailPrice: undefined, trailPercent: undefined, hwm: undefined, orderClass: 'simple', parentId: undefined, extendedHours: false, source: 'user', createdAt: i, status: 'filled', reason: undefined, updatedAt: i, filledQty: qty, filledNotional: accounting.notional,
      filledValue: price * qty, fees: 0n, realizedPnl: accounting.realizedPnl, triggered: false, marketable: undefined, reservePrice: price, reserved: 0n, expiresAt: i + 1,
    };
    const fill: Fill = { id: `f-${i}`, orderId: order.id, symbol: 'AAPL', side, qty, price, notional: notional(price, qty), fee: 0n, realizedPnl: accounting.realizedPnl, time: i, source: 'user', orderFilledQty: qty };
    journal.order(order);
    journal.fill(fill);
  }
  for (let i = count + 1; i <= count + canceled; i++) {
    const price = fromNumber(50, PRICE_DECIMALS);
    journal.order({
      id: `o-${i}`, clientOrderId: undefined, symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'gtc', qty, limitPrice: price, stopPrice: undefined,
      trailPrice: undefined, trailPercent: undefined, hwm: undefined, orderClass: 'simple', parentId: undefined, extendedHours: false, source: 'user', createdAt: count, status: 'canceled', reason: 'canceled by the trader', updatedAt: count, filledQty: 0n, filledNotional: 0n,
      filledValue: 0n, fees: 0n, realizedPnl: 0n, triggered: false, marketable: false, reservePrice: price, reserved: 0n, expiresAt: undefined,
    });
  }
  journal.commit({ cash: ledger.cash, realizedPnl: ledger.realizedPnl, feesPaid: ledger.feesPaid, positions: ledger.positions, marketPosition: 0, marketSession: null }, count);
  journal.close();
}
