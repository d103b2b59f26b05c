// An account that has traded for a long time keeps only its recent history in memory; the rest is
// read back from its store (the account's journal, or a run's scratch store) whenever it is asked
// for: by id, by client order id, in a page, or in a full snapshot.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountRigs } from '../helpers/account-rigs.ts';
import { engineRig, quote, SECOND, T0, type EngineRig } from '../helpers/engine-rig.ts';

const session = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 100, 100.02)];
const ORDERS = 5_000;

/** ORDERS orders: every 10th a market buy that fills, the others resting limits with client ids, every 7th of them canceled. */
async function trade(rig: EngineRig): Promise<void> {
  await rig.step(1);
  for (let i = 1; i <= ORDERS; i++) {
    if (i % 10 === 0) {
      await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market' });
      continue;
    }
    const order = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', timeInForce: 'gtc', clientOrderId: `c-${i}` });
    if (i % 7 === 0) expect(rig.engine.cancelOrder(order.id).ok).toBe(true);
  }
}

function expectWholeHistory(rig: EngineRig): void {
  const { orders, fills, metrics } = rig.snapshot();
  expect(orders.map((order) => order.id)).toEqual(Array.from({ length: ORDERS }, (_, i) => `o-${i + 1}`));
  expect(orders[6]!.status).toBe('canceled');
  expect(orders[9]!.status).toBe('filled');
  expect(orders[0]!.status).toBe('accepted');
  expect(fills).toHaveLength(ORDERS / 10);
  expect(metrics.totalFills).toBe(ORDERS / 10);
  expect(metrics.totalTrades).toBe(ORDERS / 10);
  // The oldest orders, long gone from memory, by id and by client order id.
  expect(rig.engine.order('o-7')?.status).toBe('canceled');
  expect(rig.engine.orderByClientOrderId('c-1')?.id).toBe('o-1');
  expect(rig.engine.cancelOrder('o-10')).toEqual({ ok: false, error: 'order o-10 is already filled' });
  // A page from the far end of the history.
  const page = rig.engine.orderHistory({ status: 'closed', direction: 'asc', limit: 3 });
  expect(page.items.map((order) => order.id)).toEqual(['o-7', 'o-10', 'o-14']);
  expect(rig.engine.fillHistory({ direction: 'asc', limit: 2 }).items.map((fill) => fill.orderId)).toEqual(['o-10', 'o-20']);
}

describe('a long history', () => {
  it('a run without an account keeps it in its scratch store, whole', async () => {
    // It writes the older ones from 4,000 on (10,000 by default).
    const rig = await engineRig(session, { startingCash: '1000000', historyInMemory: 4_000 });
    await trade(rig);
    expectWholeHistory(rig);
    // A client order id of an order long gone from memory is still taken.
    const again = await rig.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', clientOrderId: 'c-1' });
    expect(again.id).toBe('o-1');
    await rig.engine.close();
  }, 60_000);

  const accounts = accountRigs();
  it('an account keeps it in its journal, and has it whole after a restart', async () => {
    const first = await accounts.open(session, { startingCash: '1000000' });
    await trade(first);
    expectWholeHistory(first);
    await accounts.close(first);
    const second = await accounts.open(session);
    expectWholeHistory(second);
  }, 60_000);
});

describe('scratch stores', () => {
  it('one left by a killed run is removed by the next run; one in use is not, and a closed run removes its own', async () => {
    // A temporary folder of this test's own: no other test's runs in it.
    const saved = process.env['TMPDIR'];
    process.env['TMPDIR'] = mkdtempSync(join(tmpdir(), 'paper-trader-tmp-'));
    try {
      const abandoned = mkdtempSync(join(tmpdir(), 'paper-trader-run-'));
      mkdirSync(join(abandoned, 'accounts'));
      writeFileSync(join(abandoned, 'accounts', 'run.db'), '');
      const hour = Date.now() / 1000 - 3600;
      utimesSync(abandoned, hour, hour);
      const running = await engineRig(session);
      const busy = scratchDirs().find((dir) => dir !== abandoned)!;
      expect(busy).toBeDefined();
      utimesSync(busy, hour, hour);
      const next = await engineRig(session);
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(busy)).toBe(true);
      await next.engine.close();
      await running.engine.close();
      expect(scratchDirs()).toEqual([]);
    } finally {
      rmSync(tmpdir(), { recursive: true, force: true });
      if (saved === undefined) delete process.env['TMPDIR'];
      else process.env['TMPDIR'] = saved;
    }
  });
});

function scratchDirs(): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith('paper-trader-run-'))
    .map((name) => join(tmpdir(), name));
}
