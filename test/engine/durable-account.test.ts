// A durable account in SQLite: what one run saved, the next run continues; a damaged, locked
// or full store is one clear error and never a half-written state.
import Database from 'better-sqlite3';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, defineStrategy, type EngineSnapshot } from '../../src/engine/index.ts';
import { accountFile } from '../../src/engine/persistence/sqlite-journal.ts';
import { accountRigs } from '../helpers/account-rigs.ts';
import { bar, engineRig, MINUTE, quote, SECOND, T0, type EngineRig, type PolygonEvent } from '../helpers/engine-rig.ts';

const accounts = accountRigs();
const { open, close } = accounts;

async function reopen(rig: EngineRig, events: readonly PolygonEvent[], options: Parameters<typeof engineRig>[1] = {}): Promise<EngineRig> {
  await close(rig);
  return open(events, options);
}

/** An account that bought 100 AAPL at the first quote of `session`, closed; its books as saved. */
async function savedAccount(): Promise<ReturnType<typeof books>> {
  const rig = await open(session);
  await rig.step(1);
  await rig.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'market' });
  const saved = books(rig.snapshot());
  await close(rig);
  return saved;
}

/** Runs `use` on the closed account's SQLite file directly. */
function withStore<T>(use: (db: Database.Database) => T): T {
  const db = new Database(accountFile(accounts.dataDir, 'test'));
  try {
    return use(db);
  } finally {
    db.close();
  }
}

const pageCount = (): number => withStore((db) => db.pragma('page_count', { simple: true }) as number);

/** The books as a trader reads them: everything but the clock and the market's connection. */
const books = (snapshot: EngineSnapshot) => ({ portfolio: snapshot.portfolio, orders: snapshot.orders, fills: snapshot.fills, metrics: snapshot.metrics });

const session = [
  quote('AAPL', T0, 100, 100.02),
  quote('AAPL', T0 + SECOND, 100.1, 100.12),
  quote('MSFT', T0 + 2 * SECOND, 400, 400.05),
  quote('AAPL', T0 + 3 * SECOND, 99.5, 99.52),
  quote('AAPL', T0 + 4 * SECOND, 101, 101.02),
];

describe('a durable account', () => {
  it('comes back after a restart with the exact books, the orders, the fills and the next ids', async () => {
    const first = await open(session);
    await first.step(1);
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 300, type: 'market' });
    await first.step(1);
    await first.place({ symbol: 'AAPL', side: 'sell', qty: 100, type: 'market' });
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '95', timeInForce: 'gtc' });
    const before = books(first.snapshot());
    expect(before.fills).toHaveLength(2);

    const second = await reopen(first, session);
    expect(books(second.snapshot())).toEqual(before);
    // The gtc limit still works, and new ids continue after the old ones.
    const next = await second.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '90', timeInForce: 'gtc' });
    expect(next.id).toBe('o-4');
    expect(second.snapshot().orders.filter((o) => o.status === 'accepted').map((o) => o.id)).toEqual(['o-3', 'o-4']);
  });

  it('resumes a replay where the last run stopped, with the quotes of the events before', async () => {
    const first = await open(session);
    await first.step(2);
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'limit', limitPrice: '99.6', timeInForce: 'gtc' });
    const second = await reopen(first, session);
    expect(second.engine.replay.position).toBe(2);
    expect(second.snapshot().quotes.find((q) => q.symbol === 'AAPL')).toMatchObject({ bid: '100.10', ask: '100.12' });
    await second.step(2); // MSFT, then AAPL falls to 99.52: the resting limit fills at its price
    expect(second.fillLines()).toEqual(['o-1 buy 100 AAPL @ 99.60 = 9960.00 fee 0.00']);
  });

  it('a limit keeps whether it is marketable across a restart, and an order saved before that field was kept reads as unsettled', async () => {
    const quotes = [quote('AAPL', T0, 100, 100.02), quote('AAPL', T0 + SECOND, 99.88, 99.9)];
    const first = await open(quotes);
    await first.step(1);
    // Resting: it arrived below the ask. After the restart the ask falls through it: it fills at its own price, not at 99.90.
    expect(await first.place({ symbol: 'AAPL', side: 'buy', qty: 100, type: 'limit', limitPrice: '100.01', timeInForce: 'gtc' })).toMatchObject({ filledQty: '0' });
    await close(first);
    const second = await open(quotes);
    await second.step(1);
    expect(second.fillLines()).toEqual(['o-1 buy 100 AAPL @ 100.01 = 10001.00 fee 0.00']);
    await close(second);
    // A row of 22 fields (written before marketable) opens, as an order that has not met a market yet.
    withStore((db) => {
      const [seq, record] = db.prepare('SELECT seq, record FROM orders').raw().get() as [number, string];
      db.prepare('UPDATE orders SET record = ? WHERE seq = ?').run(JSON.stringify((JSON.parse(record) as unknown[]).slice(0, 22)), seq);
    });
    const third = await open(quotes);
    expect(third.snapshot().orders[0]).toMatchObject({ id: 'o-1', status: 'filled', filledQty: '100' });
  });

  it('a different replay on the same account starts at its own first event; the same one resumes', async () => {
    const first = await open(session);
    await first.step(3);
    await first.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
    const other = [quote('AAPL', T0 + 60 * SECOND, 102, 102.02), quote('AAPL', T0 + 61 * SECOND, 102.5, 102.52)];
    const second = await reopen(first, other);
    expect(second.engine.replay.position).toBe(0);
    await second.step(1);
    await second.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'market' });
    expect(second.fillLines()).toEqual(['o-1 buy 10 AAPL @ 100.12 = 1001.20 fee 0.00', 'o-2 buy 10 AAPL @ 102.02 = 1020.20 fee 0.00']);
    const third = await reopen(second, other);
    expect(third.engine.replay.position).toBe(1);
  });

  it('an account written by schema 1 is migrated on open and keeps its books', async () => {
    const before = await savedAccount();
    withStore((db) => {
      db.exec('ALTER TABLE account DROP COLUMN market_session');
      db.exec('ALTER TABLE account DROP COLUMN risk');
      db.exec('DROP TABLE actions');
      db.exec('ALTER TABLE account DROP COLUMN kind');
      db.exec('ALTER TABLE account DROP COLUMN watchlist');
      db.exec('ALTER TABLE account DROP COLUMN alerts');
      db.exec('DROP TABLE equity');
      db.pragma('user_version = 1');
    });
    const second = await open(session);
    // An account of schema 1 kept no equity series: the day's change has no base until a price comes.
    expect(books(second.snapshot())).toEqual({ ...before, portfolio: { ...before.portfolio, previousCloseEquity: null } });
    expect(second.engine.risk()).toMatchObject({ killSwitch: false, limits: { maxOrderNotional: null } });
    await close(second);
    expect(withStore((db) => db.pragma('user_version', { simple: true }))).toBe(9);
  });

  it('a gtc limit placed yesterday still works today; a day order whose close passed while down expires, saying so', async () => {
    const yesterday = [quote('AAPL', T0, 100, 100.02)];
    const first = await open(yesterday);
    await first.step(1);
    const gtc = await first.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '99', timeInForce: 'gtc' });
    const day = await first.place({ symbol: 'AAPL', side: 'buy', qty: 10, type: 'limit', limitPrice: '98', timeInForce: 'day' });
    await close(first);

    const tomorrow = T0 + 24 * 60 * MINUTE;
    const second = await open([quote('AAPL', tomorrow, 98.5, 98.9)]);
    // Today's session is a new replay: the day order expires when its first event moves the
    // clock past yesterday's close.
    await second.step(1);
    expect(second.order(day.id)).toMatchObject({ status: 'expired' });
    expect(second.order(day.id).reason).toContain('day order expired at the 16:00 ET close');
    // The ask came down through the resting limit: it fills at its own price.
    expect(second.fillLines()).toEqual([`${gtc.id} buy 10 AAPL @ 99.00 = 990.00 fee 0.00`]);
  });

  it('the running strategy and its saved state come back', async () => {
    const bars = Array.from({ length: 12 }, (_, i) => bar('AAPL', T0 + i * MINUTE, 100, 101, 99, 100 + (i % 3)));
    const first = await open(bars, { strategy: 'sma-crossover', strategyParams: { shortWindow: 2, longWindow: 4, source: 'bars' } });
    await first.step(6);
    const second = await reopen(first, bars);
    expect(second.snapshot().strategy).toEqual({ name: 'sma-crossover', params: expect.objectContaining({ shortWindow: 2, longWindow: 4, source: 'bars' }) });
    const third = await reopen(second, bars, { strategy: 'buy-and-hold' });
    expect(third.snapshot().strategy?.name).toBe('buy-and-hold');
  });

  it("a strategy's save() is kept with its fills and handed to load() on the next run", async () => {
    const loaded: unknown[] = [];
    const counter = defineStrategy({
      name: 'counter',
      description: 'buys one share per quote and counts them',
      params: z.object({}),
      create: () => {
        let quotes = 0;
        return {
          onQuote(q, ctx) {
            quotes++;
            ctx.placeOrder({ symbol: q.symbol, side: 'buy', qty: '1', type: 'market' });
          },
          save: () => ({ quotes }),
          load(state) {
            loaded.push(state);
            quotes = (state as { quotes: number }).quotes;
          },
        };
      },
    });
    const first = await open(session, { strategies: [counter], strategy: 'counter' });
    await first.step(3);
    expect(first.snapshot().fills).toHaveLength(3);
    await reopen(first, session, { strategies: [counter] });
    expect(loaded).toEqual([{ quotes: 3 }]);
  });

  it('a second engine on the same account is refused with one clear line while the first runs', async () => {
    await open(session);
    await expect(createEngine({ account: 'test', dataDir: accounts.dataDir, market: { kind: 'simulated', clock: 'manual' } })).rejects.toThrow(
      /^account "test" is open in another paper-trader \(pid \d+\): close that one first, or use another account with --account NAME$/,
    );
  });

  it('a full disk stops trading with a clear error, acknowledges nothing unsaved, and the saved books survive', async () => {
    const saved = await savedAccount();
    // Room for what is there, not for more.
    const full = await open(session, { accountMaxPages: pageCount() });
    const errors: string[] = [];
    full.engine.on('error', (entry) => errors.push(entry.message));
    const orders = [];
    // Long (and unique) client order ids fill the pages quickly.
    for (let i = 0; i < 2000 && errors.length === 0; i++) {
      orders.push(await full.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'limit', limitPrice: '50', timeInForce: 'gtc', clientOrderId: `${i}-`.padEnd(64, 'x') }));
    }
    expect(errors).toEqual([expect.stringMatching(/^cannot save to account "test": the disk is full .*; trading stopped$/)]);
    const last = orders.at(-1)!;
    expect(last.status).toBe('rejected');
    expect(last.reason).toMatch(/^not saved: cannot save to account "test": the disk is full/);
    const after = await full.place({ symbol: 'AAPL', side: 'buy', qty: 1, type: 'market' });
    expect(after.reason).toMatch(/disk is full.*trading stopped/);

    const reopened = await reopen(full, session);
    const acknowledged = orders.slice(0, -1).length;
    expect(reopened.snapshot().orders).toHaveLength(saved.orders.length + acknowledged);
    const { buyingPower, ...rest } = reopened.snapshot().portfolio;
    const { buyingPower: savedBuyingPower, ...savedRest } = saved.portfolio;
    expect(rest).toEqual(savedRest);
    // Each acknowledged buy limit holds $50 of cash.
    expect(Number(savedBuyingPower) - Number(buyingPower)).toBe(50 * acknowledged);
    expect(acknowledged).toBeGreaterThan(0);
  });

  it('a resumed strategy does not move the saved replay position back before the replay resumes', async () => {
    const quotes = Array.from({ length: 10 }, (_, i) => quote('AAPL', T0 + i * SECOND, 100 + i / 100, 100.02 + i / 100));
    const first = await open(quotes, { strategy: 'buy-and-hold' });
    await first.step(5);
    await close(first);
    // Built (the strategy resumes and is saved) but never started, as a crash right after start-up would leave it.
    const file = join(accounts.dataDir, 'session.jsonl');
    writeFileSync(file, quotes.map((event) => JSON.stringify(event)).join('\n'));
    const built = await createEngine({ account: 'test', dataDir: accounts.dataDir, market: { kind: 'replay', file } });
    await built.close();
    expect(withStore((db) => db.prepare('SELECT market_position FROM account').pluck().get())).toBe(5);
  });

  it('a failed save during a strategy burst stops cleanly: no crash, and nothing changes or is heard after it', async () => {
    const burst = defineStrategy({
      name: 'burst',
      description: 'fifty resting limit buys on every quote',
      params: z.object({}),
      create: () => ({
        onQuote(q, ctx) {
          for (let k = 0; k < 50; k++) {
            ctx.placeOrder({ symbol: q.symbol, side: 'buy', qty: '1', type: 'limit', limitPrice: '1', timeInForce: 'gtc', clientOrderId: `${q.time}-${k}-`.padEnd(64, 'y') });
          }
        },
      }),
    });
    await close(await open(session));
    const rig = await open(session, { strategies: [burst], strategy: 'burst', accountMaxPages: pageCount() + 2 });
    const errors: string[] = [];
    const heard: string[] = [];
    rig.engine.on('error', (entry) => errors.push(entry.message));
    rig.engine.on('order', (order) => heard.push(order.id));
    for (let i = 0; i < 5 && errors.length === 0; i++) await rig.step(1);
    expect(errors).toEqual([expect.stringMatching(/disk is full.*trading stopped$/)]);
    const before = rig.snapshot();
    const heardBefore = heard.length;
    const working = before.orders.find((o) => o.status === 'accepted');
    expect(working).toBeDefined();
    expect(rig.engine.cancelOrder(working!.id)).toEqual({ ok: false, error: expect.stringMatching(/^not saved: .*trading stopped$/) });
    expect(rig.engine.cancelAllOrders()).toBe(0);
    expect(rig.snapshot().orders).toEqual(before.orders);
    expect(heard.length).toBe(heardBefore);
  });

  it('a store that is not a database, or whose books do not match its fills, is named as damaged', async () => {
    await savedAccount();
    withStore((db) => db.prepare("UPDATE account SET cash = '1' WHERE id = 1").run());
    await expect(open(session)).rejects.toThrow(/^account "test" is damaged \(its fills give cash \$89,998\.00 but \$0\.01 was saved\): move its file aside/);

    const file = accountFile(accounts.dataDir, 'test');
    writeFileSync(file, 'this is not a database, just text that is long enough to look like a header of one');
    rmSync(`${file}-wal`, { force: true });
    await expect(open(session)).rejects.toThrow(/^account "test" is damaged \(SQLITE_NOTADB\) in .*test\.db: move the file aside to start fresh, or restore a backup$/);
  });

  it('a damaged split or dividend record is named, not loaded', async () => {
    await savedAccount();
    const split = { id: 'a-1', kind: 'split', source: 'S1', symbol: 'AAPL', date: '2026-11-04', from: '1', to: '2', qtyBefore: '0', qtyAfter: '20000000000', time: 1, afterFills: 0 };
    withStore((db) => db.prepare('INSERT INTO actions (seq, record) VALUES (1, ?)').run(JSON.stringify(split)));
    await expect(open(session)).rejects.toThrow(/^account "test" is damaged \(corporate action a-1 has a bad id, position or amount\)/);
    withStore((db) => db.prepare('UPDATE actions SET record = ? WHERE seq = 1').run(JSON.stringify({ ...split, qtyBefore: '7' })));
    await expect(open(session)).rejects.toThrow(/^account "test" is damaged \(split a-1 of AAPL does not match the position it split\)/);
  });

  it('an account name that is not a plain name, or a data directory that is a file, is one clear line', async () => {
    await expect(open(session, { account: '../etc' })).rejects.toThrow(/^account name "\.\.\/etc" is not valid/);
    const file = join(accounts.dataDir, 'a-file');
    writeFileSync(file, '');
    await expect(open(session, { dataDir: file })).rejects.toThrow(/^cannot create the account folder in .*a-file \(ENOTDIR\): choose another data directory with --data-dir$/);
  });
});
