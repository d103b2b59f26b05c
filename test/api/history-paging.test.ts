// History endpoints page (limit, after/until, direction, as Alpaca's do): every order and fill is
// reached exactly once by following `next`, whatever the account's size, and a page reads no
// further than itself.
import { afterEach, describe, expect, it } from 'vitest';
import { quote, SECOND, T0 } from '../helpers/engine-rig.ts';
import { apiRig, type ApiRig } from './api-rig.ts';

let api: ApiRig | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const session = Array.from({ length: 8 }, (_, i) => quote('AAPL', T0 + i * SECOND, 100, 100.02));

/** 10 resting orders and 5 market orders that fill, one a second of market time apart. */
async function tradedAccount(): Promise<ApiRig> {
  const rig = await apiRig(session);
  await rig.rig.step();
  for (let i = 0; i < 15; i++) {
    const body = i % 3 === 2 ? { symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'market' } : { symbol: 'AAPL', qty: 1, side: 'buy', order_type: 'limit', limit_price: '50.00', time_in_force: 'gtc' };
    expect((await rig.request('POST', '/api/paper/order', { body })).status).toBe(201);
    if (i % 3 === 2) await rig.rig.step();
  }
  return rig;
}

/** Follows `next` from `path`, returning each page's ids. */
async function follow(path: string, key: 'orders' | 'trades'): Promise<string[][]> {
  const pages: string[][] = [];
  let next: string | null = path;
  while (next) {
    const reply = await api!.request('GET', next);
    expect(reply.status).toBe(200);
    pages.push((reply.json[key] as { id: string }[]).map((item) => item.id));
    next = reply.json.next as string | null;
  }
  return pages;
}

const ids = (prefix: string, from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${from + i}`);

describe('GET /api/paper/orders pages', () => {
  it('without a direction: the newest page, oldest first; next goes back until the first order', async () => {
    api = await tradedAccount();
    expect(await follow('/api/paper/orders?status=all&limit=4', 'orders')).toEqual([ids('o', 12, 15), ids('o', 8, 11), ids('o', 4, 7), ids('o', 1, 3)]);
  });

  it('direction=asc reads forward from after; desc reads back, newest first', async () => {
    api = await tradedAccount();
    expect(await follow('/api/paper/orders?status=all&limit=6&direction=asc', 'orders')).toEqual([ids('o', 1, 6), ids('o', 7, 12), ids('o', 13, 15)]);
    expect(await follow('/api/paper/orders?status=all&limit=6&direction=desc&until=o-10', 'orders')).toEqual([ids('o', 4, 9).reverse(), ids('o', 1, 3).reverse()]);
    expect(await follow('/api/paper/orders?status=all&direction=asc&after=o-13', 'orders')).toEqual([ids('o', 14, 15)]);
  });

  it('status open, closed and all; after and until by time', async () => {
    api = await tradedAccount();
    const filled = ['o-3', 'o-6', 'o-9', 'o-12', 'o-15'];
    expect((await follow('/api/paper/orders?status=closed&limit=2&direction=asc', 'orders')).flat()).toEqual(filled);
    const open = (await follow('/api/paper/orders', 'orders')).flat();
    expect(open).toEqual(ids('o', 1, 15).filter((id) => !filled.includes(id)));
    // Orders o-1..o-3 were placed at T0, o-4..o-6 a second later, and so on.
    const byTime = (await follow(`/api/paper/orders?status=all&direction=asc&after=${T0}&until=${new Date(T0 + 3 * SECOND).toISOString()}`, 'orders')).flat();
    expect(byTime).toEqual(ids('o', 4, 9));
  });
});

describe('GET /api/paper/trades pages', () => {
  it('pages the fills the same way; the default is the newest page, newest last', async () => {
    api = await tradedAccount();
    expect(await follow('/api/paper/trades?limit=2', 'trades')).toEqual([ids('f', 4, 5), ids('f', 2, 3), ['f-1']]);
    expect(await follow('/api/paper/trades?direction=asc&limit=3', 'trades')).toEqual([ids('f', 1, 3), ids('f', 4, 5)]);
    const all = await api.request('GET', '/api/paper/trades');
    expect(all.json.next).toBeNull();
    expect(all.json.trades.map((trade: { order_id: string }) => trade.order_id)).toEqual(['o-3', 'o-6', 'o-9', 'o-12', 'o-15']);
  });
});
